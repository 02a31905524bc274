package planner

import (
	"sort"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Subqueries in expressions.
//
// A subquery expression binds to a fresh column (its value, or whether it
// matched) that the clause's plan gains before the clause is evaluated:
// bindExpr records the subquery in the clause's subqueryList and returns a
// reference to that column; attachSubqueries then adds one node per
// subquery under the clause's Filter or Project.
//
// Each node is a join when decorrelation succeeds, else an Apply:
//
//   - EXISTS and IN (= ANY) whose subquery reads the outer query only in
//     conjuncts of its top WHERE become a mark join on those conjuncts
//     (the conjuncts move into the join condition, so `inner.k = outer.k`
//     becomes a hash key); NOT IN (<> ALL) a mark join negated. As a top
//     conjunct of WHERE or HAVING they become semi and anti joins instead.
//   - Scalar subqueries, other ANY/ALL comparisons and whatever else reads
//     the outer query run through an Apply, once per distinct outer row.

// subqueryList collects the subquery expressions of one clause.
type subqueryList struct {
	items []*subqueryItem
}

// subqueryItem is one bound subquery expression.
type subqueryItem struct {
	kind ApplyKind // ApplyScalar, ApplyExists, ApplyAny, ApplyAll
	op   string    // the comparison of ANY/ALL
	lhs  scalar    // ANY/ALL's left operand
	// lhsRow is the fields of a row constructor left operand instead
	// (bind_row_subquery.go).
	lhsRow []scalar
	q      *boundQuery
	col    column // the column the expression reads
}

// isIn reports whether the item is IN (= ANY) or NOT IN (<> ALL).
func (it *subqueryItem) isIn() bool {
	cmp, ok := parseComparison(it.op)
	return ok && (it.kind == ApplyAny && cmp == cmpEQ || it.kind == ApplyAll && cmp == cmpNE)
}

func (b *binder) bindSubquery(ctx *exprContext, e *ast.SubqueryExpr) (scalar, error) {
	if ctx.subqueries == nil {
		return nil, pgerror.Unsupported("subqueries in %s are not supported yet", ctx.clause)
	}
	if ctx.inAgg {
		return nil, pgerror.Unsupported("subqueries in aggregate arguments are not supported yet")
	}
	if b.stream {
		return nil, pgerror.Unsupported("subqueries in materialized views are not supported yet")
	}
	it := &subqueryItem{op: e.Op}
	var err error
	if e.Kind == ast.AnySubquery || e.Kind == ast.AllSubquery {
		// The left operand belongs to this query level.
		if fields := rowFields(e.Expr); fields != nil {
			if it.lhsRow, err = b.bindRowLHS(ctx, fields); err != nil {
				return nil, err
			}
		} else if it.lhs, err = b.bindExpr(ctx, e.Expr); err != nil {
			return nil, err
		}
	}
	if it.q, err = b.bindQuery(e.Query, ctx.scope, true); err != nil {
		return nil, err
	}
	switch e.Kind {
	case ast.ScalarSubquery:
		if len(it.q.cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		it.kind = ApplyScalar
		it.col = b.newCol(it.q.cols[0].name, it.q.cols[0].t)
	case ast.ArraySubquery:
		if len(it.q.cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		t := it.q.cols[0].t
		if t.Kind == types.KindUnknown {
			t = types.Text
		}
		if !types.HasArrayType(t.Kind) {
			return nil, pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", t)
		}
		it.kind = ApplyArray
		it.col = b.newCol("array", types.ArrayOf(t))
	case ast.ExistsSubquery:
		it.kind = ApplyExists
		it.col = b.newCol("exists", types.Bool)
	case ast.AnySubquery, ast.AllSubquery:
		it.kind = ApplyAny
		if e.Kind == ast.AllSubquery {
			it.kind = ApplyAll
		}
		if len(it.q.cols) != 1 && it.lhsRow == nil {
			if len(it.q.cols) > 1 {
				return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns")
			}
			return nil, pgerror.New(pgerror.SyntaxError, "subquery has too few columns")
		}
		// Type the comparison now so that mistakes surface as PostgreSQL's.
		cmp, err := it.comparison()
		if err != nil {
			return nil, err
		}
		if cmp.typ().Kind != types.KindBool {
			return nil, pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires operator to yield boolean")
		}
		it.col = b.newCol("?column?", types.Bool)
	}
	ctx.subqueries.items = append(ctx.subqueries.items, it)
	return &colScalar{id: it.col.id, t: it.col.t, name: it.col.name}, nil
}

// comparison is lhs op (the subquery's column).
func (it *subqueryItem) comparison() (scalar, error) {
	if it.lhsRow != nil {
		return it.rowComparison()
	}
	c := it.q.cols[0]
	return binaryCall(it.op, it.lhs, &colScalar{id: c.id, t: c.t, name: c.name})
}

// attachSubqueries adds the clause's subqueries under plan. level is the
// scope of the query level the clause belongs to, to report references to
// its columns that an aggregate has grouped away.
func (b *binder) attachSubqueries(plan logical, list *subqueryList, level *scope) (logical, error) {
	if list == nil {
		return plan, nil
	}
	for _, it := range list.items {
		if err := checkUngrouped(it.q.plan, plan, level); err != nil {
			return nil, err
		}
		var err error
		if plan, err = b.attachSubquery(plan, it); err != nil {
			return nil, err
		}
	}
	list.items = nil
	return plan, nil
}

// checkUngrouped fails when sub reads a column of this query level that is
// not available at plan (an ungrouped column under an aggregate).
func checkUngrouped(sub, plan logical, level *scope) error {
	if level == nil {
		return nil
	}
	avail := idSet(plan)
	free := freeColumns(sub)
	for _, c := range level.cols {
		if free[c.id] && !avail[c.id] {
			return pgerror.New(pgerror.GroupingError, "subquery uses ungrouped column %q from outer query", c.table+"."+c.name)
		}
	}
	return nil
}

func (b *binder) attachSubquery(plan logical, it *subqueryItem) (logical, error) {
	switch {
	case it.kind == ApplyExists:
		if j, ok := b.semiJoin(plan, it, MarkJoin); ok {
			j.mark = it.col
			return j, nil
		}
		return &logicalApply{kind: ApplyExists, input: plan, sub: it.q.plan, col: it.col}, nil
	case it.isIn() && it.lhsRow == nil:
		if j, ok := b.semiJoin(plan, it, MarkJoin); ok {
			if it.kind == ApplyAny {
				j.mark = it.col
				return j, nil
			}
			// NOT IN is the negated mark.
			j.mark = b.newCol("in", types.Bool)
			not, err := newCall(callScalar{op: opNot, args: []scalar{&colScalar{id: j.mark.id, t: types.Bool, name: j.mark.name}}})
			if err != nil {
				return nil, err
			}
			return passThrough(j, plan.columns(), []scalar{not}, []column{it.col}), nil
		}
	}
	sub := it.q.plan
	if it.kind == ApplyAny || it.kind == ApplyAll {
		cmp, err := it.comparison()
		if err != nil {
			return nil, err
		}
		sub = &logicalProject{input: sub, exprs: []scalar{cmp}, cols: []column{b.newCol("?column?", types.Bool)}}
	}
	return &logicalApply{kind: it.kind, input: plan, sub: sub, col: it.col}, nil
}

// passThrough projects cols of n followed by exprs as extra.
func passThrough(n logical, cols []column, exprs []scalar, extra []column) *logicalProject {
	p := &logicalProject{input: n}
	for _, c := range cols {
		p.exprs = append(p.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
		p.cols = append(p.cols, c)
	}
	p.exprs = append(p.exprs, exprs...)
	p.cols = append(p.cols, extra...)
	return p
}

// semiJoin tries to decorrelate an EXISTS or IN item into a join of the
// given kind (semi, anti or mark; mark left unset) with plan on the left.
// It fails when the subquery reads this level's columns other than in
// the conjuncts of its top filters, or when IN's operands have no common
// type.
func (b *binder) semiJoin(plan logical, it *subqueryItem, kind JoinKind) (*logicalJoin, bool) {
	sub := it.q.plan
	if it.kind == ApplyExists {
		// EXISTS ignores the target list.
		if p, ok := sub.(*logicalProject); ok {
			sub = p.input
		}
	}
	right, preds := decorrelate(sub, true)
	avail := idSet(plan)
	for id := range freeColumns(right) {
		if avail[id] {
			return nil, false
		}
	}
	j := &logicalJoin{kind: kind, left: plan, right: right, on: mustAnd(preds)}
	if it.kind == ApplyExists {
		return j, true
	}
	if it.lhsRow != nil {
		return nil, false
	}
	// IN: compare the left operand and the subquery's column at their
	// common type, as hash keys.
	rc := it.q.cols[0]
	t, err := commonType([]types.T{it.lhs.typ(), rc.t}, "IN")
	if err != nil || t.Kind == types.KindUnknown {
		return nil, false
	}
	lhs, err := castTo(it.lhs, t)
	if err != nil {
		return nil, false
	}
	if c, ok := lhs.(*colScalar); ok && avail[c.id] {
		j.inLeft = []colID{c.id}
	} else {
		col := b.newCol("?column?", t)
		j.left = passThrough(plan, plan.columns(), []scalar{lhs}, []column{col})
		j.inLeft = []colID{col.id}
	}
	if rc.t == t {
		j.inRight = []colID{rc.id}
	} else {
		rhs, err := castTo(&colScalar{id: rc.id, t: rc.t, name: rc.name}, t)
		if err != nil {
			return nil, false
		}
		col := b.newCol(rc.name, t)
		j.right = passThrough(right, right.columns(), []scalar{rhs}, []column{col})
		j.inRight = []colID{col.id}
	}
	return j, true
}

func castTo(s scalar, t types.T) (scalar, error) {
	if s.typ() == t {
		return s, nil
	}
	return castCall(s, t)
}

// decorrelate pulls the conjuncts that read columns from outside n out of
// the filters at n's top (through projections, which then pass the
// columns those conjuncts read; through sorts; through DISTINCT when semi
// says duplicates do not matter), returning the rest of n and the
// conjuncts.
func decorrelate(n logical, semi bool) (logical, []scalar) {
	switch n := n.(type) {
	case *logicalFilter:
		in, preds := decorrelate(n.input, semi)
		def := map[colID]bool{}
		definedColumns(in, def)
		var keep []scalar
		for _, p := range conjuncts(n.pred) {
			if readsOnly(p, def) {
				keep = append(keep, p)
			} else {
				preds = append(preds, p)
			}
		}
		if len(keep) == 0 {
			return in, preds
		}
		return &logicalFilter{input: in, pred: mustAnd(keep)}, preds
	case *logicalProject:
		in, preds := decorrelate(n.input, semi)
		if len(preds) == 0 {
			n.input = in
			return n, nil
		}
		out := idSet(n)
		inCols := in.columns()
		used := map[colID]bool{}
		for _, p := range preds {
			columnsOf(p, used)
		}
		p := &logicalProject{input: in, exprs: append([]scalar{}, n.exprs...), cols: append([]column{}, n.cols...)}
		for _, c := range inCols {
			if used[c.id] && !out[c.id] {
				p.exprs = append(p.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
				c.hidden = true
				p.cols = append(p.cols, c)
			}
		}
		return p, preds
	case *logicalSort:
		return decorrelate(n.input, semi)
	case *logicalAggregate:
		if semi && n.distinct && len(n.aggs) == 0 {
			in, preds := decorrelate(n.input, semi)
			if len(preds) == 0 {
				n.input = in
				return n, nil
			}
			return in, preds
		}
	}
	return n, nil
}

// bindCondition binds a WHERE or HAVING condition over plan: its top
// conjuncts EXISTS, NOT EXISTS, IN and NOT IN over a subquery become semi
// and anti joins where they decorrelate; the rest is a filter over the
// other subqueries' nodes.
func (b *binder) bindCondition(plan logical, ctx *exprContext, cond ast.Expr, clause string, level *scope) (logical, error) {
	var rest []ast.Expr
	for _, c := range astConjuncts(cond) {
		sub, not := semiJoinPattern(c)
		if sub == nil || b.stream {
			rest = append(rest, c)
			continue
		}
		list := &subqueryList{}
		sctx := *ctx
		sctx.subqueries = list
		if _, err := b.bindSubquery(&sctx, sub); err != nil {
			return nil, err
		}
		it := list.items[0]
		if err := checkUngrouped(it.q.plan, plan, level); err != nil {
			return nil, err
		}
		// A NOT IN row whose comparison is unknown is filtered out, like
		// one that matches: exactly the anti join's rows.
		jk := SemiJoin
		if not {
			jk = AntiJoin
		}
		j, ok := b.semiJoin(plan, it, jk)
		if !ok {
			rest = append(rest, c)
			continue
		}
		plan = j
	}
	if len(rest) == 0 {
		return plan, nil
	}
	list := &subqueryList{}
	cctx := *ctx
	cctx.subqueries = list
	var whole ast.Expr = &ast.BoolExpr{Op: ast.And, Args: rest}
	if len(rest) == 1 {
		whole = rest[0]
	}
	w, err := b.bindExpr(&cctx, whole)
	if err != nil {
		return nil, err
	}
	if w, err = b.boolCondition(w, clause); err != nil {
		return nil, err
	}
	if plan, err = b.attachSubqueries(plan, list, level); err != nil {
		return nil, err
	}
	return &logicalFilter{input: plan, pred: w}, nil
}

// semiJoinPattern matches [NOT] EXISTS (q), x [NOT] IN (q) and x <> ALL
// (q), returning the subquery expression and whether it is negated.
func semiJoinPattern(e ast.Expr) (*ast.SubqueryExpr, bool) {
	not := false
	if be, ok := e.(*ast.BoolExpr); ok && be.Op == ast.Not && len(be.Args) == 1 {
		not, e = true, be.Args[0]
	}
	s, ok := e.(*ast.SubqueryExpr)
	if !ok {
		return nil, false
	}
	switch {
	case s.Kind == ast.ExistsSubquery:
		return s, not
	case s.Kind == ast.AnySubquery && s.Op == "=":
		return s, not
	case s.Kind == ast.AllSubquery && s.Op == "<>" && !not:
		// x <> ALL (q) is NOT (x IN q).
		return &ast.SubqueryExpr{Kind: ast.AnySubquery, Expr: s.Expr, Op: "=", Query: s.Query}, true
	}
	return nil, false
}

// astConjuncts splits a condition's top-level ANDs.
func astConjuncts(e ast.Expr) []ast.Expr {
	if be, ok := e.(*ast.BoolExpr); ok && be.Op == ast.And {
		var out []ast.Expr
		for _, a := range be.Args {
			out = append(out, astConjuncts(a)...)
		}
		return out
	}
	return []ast.Expr{e}
}

// sortedIDs lists a set of ids in ascending order.
func sortedIDs(set map[colID]bool) []colID {
	out := make([]colID, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
