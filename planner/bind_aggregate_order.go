package planner

import (
	"github.com/eddy-db/eddy/sql/pgerror"
)

// aggregateOrder gives the ORDER BY of ordered aggregates as sort keys
// over the aggregate's input, adding computed keys to the pre-aggregation
// projection. All ordered aggregates of a query must share one order.
func (b *binder) aggregateOrder(items []aggItem, preExprs []scalar, preCols []column) ([]scalar, []column, []sortItem, error) {
	var order []windowOrder
	key := ""
	for _, it := range items {
		if len(it.order) == 0 {
			continue
		}
		k := orderFingerprint(it.order)
		if order != nil && k != key {
			return nil, nil, nil, pgerror.Unsupported("aggregates with different ORDER BY in one query are not supported yet")
		}
		order, key = it.order, k
	}
	if order == nil {
		return preExprs, preCols, nil, nil
	}
	if b.stream {
		return nil, nil, nil, pgerror.Unsupported("ordered aggregates in materialized views are not supported yet")
	}
	var keys []sortItem
	for _, o := range order {
		c, ok := o.s.(*colScalar)
		if !ok {
			col := b.newCol("?column?", o.s.typ())
			preExprs = append(preExprs, o.s)
			preCols = append(preCols, col)
			c = &colScalar{id: col.id, t: col.t, name: col.name}
		}
		keys = append(keys, sortItem{col: c.id, desc: o.desc, nullsFirst: o.nullsFirst})
	}
	return preExprs, preCols, keys, nil
}

func orderFingerprint(order []windowOrder) string {
	s := ""
	for _, o := range order {
		s += fingerprint(o.s)
		if o.desc {
			s += " desc"
		}
		if o.nullsFirst {
			s += " nulls first"
		}
		s += ";"
	}
	return s
}
