package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// bindTargetSRF binds a set-returning function written as a whole target
// (SELECT generate_series(1, 3)) or as a field of one
// (SELECT (_pg_expandarray(a)).n): it becomes a function in FROM joined
// laterally to the query's rows, and the target reads its column, or the
// record of its columns. That is PostgreSQL's behaviour for one such
// function; the same call written several times is one function (as
// PostgreSQL's lockstep evaluation gives), while different ones (which it
// zips together) and grouped queries are not supported.
func (b *binder) bindTargetSRF(plan logical, sc *scope, targets []*target, grouped bool) (logical, error) {
	var call string
	var tf *logicalTableFunc
	for _, t := range targets {
		field := ""
		e := t.expr
		if fs, ok := e.(*ast.FieldSelect); ok {
			e, field = fs.Expr, fs.Field
		}
		f, ok := e.(*ast.FuncCall)
		if !ok || f.Over != nil {
			continue
		}
		name := f.Name[len(f.Name)-1]
		if !isSetReturning(name) {
			continue
		}
		if grouped || (tf != nil && f.String() != call) {
			return nil, pgerror.Unsupported("this use of set-returning functions in the select list is not supported yet").WithPosition(position(f.Pos))
		}
		if tf == nil {
			call = f.String()
			args, err := b.bindList(&exprContext{scope: sc, clause: "set-returning function arguments"}, f.Args)
			if err != nil {
				return nil, err
			}
			if tf, err = b.tableFunc(name, args, f.Pos); err != nil {
				return nil, err
			}
			plan = b.lateralJoin(joinInner, plan, tf, nil)
		}
		var s scalar
		if len(tf.cols) == 1 {
			c := tf.cols[0]
			s = &colScalar{id: c.id, t: c.t, name: c.name}
		} else {
			names := make([]string, len(tf.cols))
			fields := make([]scalar, len(tf.cols))
			for i, c := range tf.cols {
				names[i] = c.name
				fields[i] = &colScalar{id: c.id, t: c.t, name: c.name}
			}
			var err error
			s, err = newCall("record", fields, func(a []expr.Expr) (expr.Expr, error) { return expr.NewRecord(names, a), nil })
			if err != nil {
				return nil, err
			}
		}
		if field != "" {
			var err error
			arg := s
			if s, err = newCall("field "+field, []scalar{arg}, func(a []expr.Expr) (expr.Expr, error) { return expr.NewFieldSelect(a[0], field) }); err != nil {
				return nil, err
			}
		}
		t.s = s
		t.column = b.newCol(t.name, s.typ())
	}
	return plan, nil
}

// bindDistinctOn binds DISTINCT ON's expressions as ORDER BY items are
// bound (adding hidden columns to extra) and checks that they match the
// leading ORDER BY items, as PostgreSQL requires.
func (b *binder) bindDistinctOn(on []ast.Expr, order []orderKey, targets, extra []*target, ctx *exprContext) ([]orderKey, []*target, error) {
	items := make([]ast.OrderItem, len(on))
	for i, e := range on {
		items[i] = ast.OrderItem{Expr: e}
	}
	keys, more, err := b.bindOrderBy(items, targets, ctx, false)
	if err != nil {
		return nil, nil, err
	}
	for i := range keys {
		if keys[i].extra >= 0 {
			keys[i].extra += len(extra)
		}
	}
	extra = append(extra, more...)
	// Hidden duplicates of one expression get distinct ids; compare the
	// expressions instead.
	fp := func(k orderKey) string {
		if k.extra >= 0 {
			return fingerprint(extra[k.extra].s)
		}
		return fingerprint(targets[k.target].s)
	}
	onSet := map[string]bool{}
	for _, k := range keys {
		onSet[fp(k)] = true
	}
	for i := 0; i < len(order) && i < len(keys); i++ {
		if !onSet[fp(order[i])] {
			return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
	}
	return keys, extra, nil
}

// distinctOn keeps the first row, in ORDER BY order, of each group of
// equal DISTINCT ON values: the rows numbered 1 by row_number() over
// those groups.
func (b *binder) distinctOn(proj *logicalProject, on, order []orderKey, targets, extra []*target) logical {
	col := func(k orderKey) *colScalar {
		var c column
		if k.extra >= 0 {
			c = extra[k.extra].column
		} else {
			c = targets[k.target].column
		}
		return &colScalar{id: c.id, t: c.t, name: c.name}
	}
	rn := b.newCol("row_number", types.Int64)
	it := windowItem{name: "row_number", col: rn, frame: windowFrame{start: unboundedPreceding, end: currentRow}}
	for _, k := range on {
		it.partition = append(it.partition, col(k))
	}
	for _, k := range order {
		it.order = append(it.order, windowOrder{s: col(k), desc: k.desc, nullsFirst: k.nullsFirst})
	}
	w := &logicalWindow{input: proj, items: []windowItem{it}}
	first, err := newCall("binary =", []scalar{&colScalar{id: rn.id, t: rn.t, name: rn.name}, &leafScalar{e: mkConst(int64(1), types.Int64)}},
		func(a []expr.Expr) (expr.Expr, error) { return mkBinary("=", a[0], a[1]) })
	if err != nil {
		panic("planner: row_number = 1 does not type: " + err.Error())
	}
	return passThrough(&logicalFilter{input: w, pred: first}, proj.cols, nil, nil)
}

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
