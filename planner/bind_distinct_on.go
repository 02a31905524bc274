package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

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
	it := windowItem{name: "row_number", col: rn, frame: windowFrame{start: UnboundedPreceding, end: CurrentRow}}
	for _, k := range on {
		it.partition = append(it.partition, col(k))
	}
	for _, k := range order {
		it.order = append(it.order, windowOrder{s: col(k), desc: k.desc, nullsFirst: k.nullsFirst})
	}
	w := &logicalWindow{input: proj, items: []windowItem{it}}
	first, err := compareCall(cmpEQ, &colScalar{id: rn.id, t: rn.t, name: rn.name}, &leafScalar{e: mkConst(int64(1), types.Int64)})
	if err != nil {
		panic("planner: row_number = 1 does not type: " + err.Error())
	}
	return passThrough(&logicalFilter{input: w, pred: first}, proj.cols, nil, nil)
}
