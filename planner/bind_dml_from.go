package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/types"
)

// joinFrom joins the target table of UPDATE … FROM or DELETE … USING with
// the other FROM items; the WHERE that follows sees both.
func (b *binder) joinFrom(scan *logicalScan, sc *scope, from []ast.TableExpr) (logical, *scope, error) {
	if len(from) == 0 {
		return scan, sc, nil
	}
	other, osc, err := b.bindFrom(from, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDuplicateTables(sc.cols, osc.cols); err != nil {
		return nil, nil, err
	}
	both := &scope{cols: append(append([]scopeColumn{}, sc.cols...), osc.cols...)}
	return &logicalJoin{kind: InnerJoin, left: scan, right: other}, both, nil
}

// oneRowPerTarget keeps one joined row per target row (by the table's
// key), as PostgreSQL changes each row at most once however many FROM rows
// match it; which match is unspecified, here the first.
func (b *binder) oneRowPerTarget(plan logical, scan *logicalScan) logical {
	rn := b.newCol("row_number", types.Int64)
	it := windowItem{name: "row_number", col: rn, frame: windowFrame{start: UnboundedPreceding, end: CurrentRow}}
	for _, k := range scan.rel.Key {
		c := scan.cols[k]
		it.partition = append(it.partition, &colScalar{id: c.id, t: c.t, name: c.name})
	}
	w := &logicalWindow{input: plan, items: []windowItem{it}}
	first, err := compareCall(cmpEQ, &colScalar{id: rn.id, t: rn.t, name: rn.name}, &leafScalar{e: mkConst(int64(1), types.Int64)})
	if err != nil {
		panic("planner: row_number = 1 does not type: " + err.Error())
	}
	return passThrough(&logicalFilter{input: w, pred: first}, plan.columns(), nil, nil)
}
