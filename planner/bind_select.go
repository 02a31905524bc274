package planner

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// boundQuery is a bound query: its logical plan and the columns it
// produces (exactly plan.columns(), none hidden).
type boundQuery struct {
	plan logical
	cols []column
}

// bindQuery binds a query. outer is the enclosing query level's scope (nil
// at the top). resolveUnknowns types untyped literals and parameters of
// the target list as text, as PostgreSQL does everywhere except for the
// query of an INSERT.
func (b *binder) bindQuery(sel *ast.Select, outer *scope, resolveUnknowns bool) (*boundQuery, error) {
	if len(sel.With) > 0 {
		saved := b.ctes
		defer func() { b.ctes = saved }()
		if err := b.defineCTEs(sel.With); err != nil {
			return nil, err
		}
	}
	switch {
	case sel.SetOp != nil:
		q, err := b.bindSetOp(sel.SetOp, outer)
		if err != nil {
			return nil, err
		}
		return b.bindOrderLimit(sel, q, nil, nil, false)
	case sel.Values != nil:
		q, err := b.bindValues(sel.Values, outer, resolveUnknowns)
		if err != nil {
			return nil, err
		}
		return b.bindOrderLimit(sel, q, nil, nil, false)
	case sel.Block != nil:
		return b.bindSelectBlock(sel, outer, resolveUnknowns)
	}
	return nil, pgerror.Internal("planner: empty SELECT")
}

// target is one entry of an expanded target list.
type target struct {
	expr   ast.Expr
	name   string
	s      scalar
	column column
}

func (b *binder) bindSelectBlock(sel *ast.Select, outer *scope, resolveUnknowns bool) (*boundQuery, error) {
	block := sel.Block
	plan, sc, err := b.bindFrom(block.From, outer)
	if err != nil {
		return nil, err
	}
	if block.Where != nil {
		if plan, err = b.bindCondition(plan, &exprContext{scope: sc, clause: "WHERE"}, block.Where, "WHERE", nil); err != nil {
			return nil, err
		}
	}

	// Expand * into column references so that grouping checks and naming
	// treat them like written ones.
	var targets []*target
	for _, item := range block.Targets {
		if !item.Star {
			name := item.Alias
			if name == "" {
				name = columnName(item.Expr)
			}
			targets = append(targets, &target{expr: item.Expr, name: name})
			continue
		}
		cols, err := sc.star(item.Table, -1)
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			parts := []string{c.name}
			if c.table != "" {
				parts = []string{c.table, c.name}
			}
			targets = append(targets, &target{expr: &ast.ColumnRef{Parts: parts, Pos: -1}, name: c.name})
		}
	}

	grouped := len(block.GroupBy) > 0 || block.Having != nil
	for _, t := range targets {
		grouped = grouped || containsAggregate(t.expr)
	}
	for _, o := range sel.OrderBy {
		grouped = grouped || containsAggregate(o.Expr)
	}

	ctx := &exprContext{scope: sc, clause: "SELECT", subqueries: &subqueryList{}, windows: &windowList{}}
	if plan, err = b.bindTargetSRF(plan, ctx, targets, grouped); err != nil {
		return nil, err
	}
	var groupCols []column
	var preExprs []scalar
	var preCols []column
	if grouped {
		gs := &groupState{byFingerprint: map[string]*colScalar{}}
		for _, g := range block.GroupBy {
			s, name, err := b.bindGroupItem(sc, targets, g)
			if err != nil {
				return nil, err
			}
			fp := fingerprint(s)
			if _, dup := gs.byFingerprint[fp]; dup {
				continue
			}
			if c, ok := s.(*colScalar); ok {
				gs.byFingerprint[fp] = c
				groupCols = append(groupCols, column{id: c.id, name: c.name, t: c.t})
				continue
			}
			col := b.newCol(name, s.typ())
			preExprs = append(preExprs, s)
			preCols = append(preCols, col)
			groupCols = append(groupCols, col)
			gs.byFingerprint[fp] = &colScalar{id: col.id, t: col.t, name: col.name}
		}
		ctx.aggs = newAggState()
		ctx.grouping = gs
	}

	for _, t := range targets {
		s, err := b.bindExpr(ctx, t.expr)
		if err != nil {
			return nil, err
		}
		if resolveUnknowns {
			if s, err = b.resolveUnknown(s); err != nil {
				return nil, err
			}
		}
		t.s = s
		t.column = b.newCol(t.name, s.typ())
		if c, ok := s.(*colScalar); ok {
			for _, sc := range sc.cols {
				if sc.id == c.id {
					t.column.tableID, t.column.attrNum = sc.tableID, sc.attrNum
					break
				}
			}
		}
	}

	var having scalar
	havingSubqueries := &subqueryList{}
	if block.Having != nil {
		hctx := *ctx
		hctx.clause = "HAVING"
		hctx.subqueries = havingSubqueries
		hctx.windows = nil
		if having, err = b.bindExpr(&hctx, block.Having); err != nil {
			return nil, err
		}
		if having, err = b.boolCondition(having, "HAVING"); err != nil {
			return nil, err
		}
	}

	// ORDER BY may add aggregates, so it binds before the aggregate is built.
	orderCtx := *ctx
	orderCtx.clause = "ORDER BY"
	keys, extra, err := b.bindOrderBy(sel.OrderBy, targets, &orderCtx, block.Distinct)
	if err != nil {
		return nil, err
	}
	var onKeys []orderKey
	if len(block.DistinctOn) > 0 {
		if onKeys, extra, err = b.bindDistinctOn(block.DistinctOn, keys, targets, extra, &orderCtx); err != nil {
			return nil, err
		}
	}

	if grouped {
		var aggOrder []sortItem
		if preExprs, preCols, aggOrder, err = b.aggregateOrder(ctx.aggs.items, preExprs, preCols); err != nil {
			return nil, err
		}
		if len(preExprs) > 0 {
			in := plan.columns()
			pre := &logicalProject{input: plan}
			for _, c := range in {
				pre.exprs = append(pre.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
				pre.cols = append(pre.cols, c)
			}
			pre.exprs = append(pre.exprs, preExprs...)
			pre.cols = append(pre.cols, preCols...)
			plan = pre
		}
		if len(aggOrder) > 0 {
			// Aggregates fold rows in input order, so sorting their input
			// orders string_agg(x, ',' ORDER BY y).
			plan = &logicalSort{input: plan, keys: aggOrder}
		}
		groupCols = append(groupCols, ctx.grouping.added...)
		plan = &logicalAggregate{input: plan, groupCols: groupCols, aggs: ctx.aggs.items}
		if having != nil {
			if plan, err = b.attachSubqueries(plan, havingSubqueries, sc); err != nil {
				return nil, err
			}
			plan = &logicalFilter{input: plan, pred: having}
		}
	}
	var level *scope
	if grouped {
		level = sc
	}
	if plan, err = b.attachSubqueries(plan, ctx.subqueries, level); err != nil {
		return nil, err
	}
	if len(ctx.windows.items) > 0 {
		plan = &logicalWindow{input: plan, items: ctx.windows.items}
	}

	proj := &logicalProject{input: plan}
	var visible []column
	for _, t := range targets {
		proj.exprs = append(proj.exprs, t.s)
		proj.cols = append(proj.cols, t.column)
		visible = append(visible, t.column)
	}
	for _, e := range extra {
		proj.exprs = append(proj.exprs, e.s)
		proj.cols = append(proj.cols, e.column)
	}
	plan = proj
	if len(onKeys) > 0 {
		plan = b.distinctOn(proj, onKeys, keys, targets, extra)
	}
	if block.Distinct {
		plan = &logicalAggregate{input: plan, groupCols: visible, distinct: true}
	}
	q := &boundQuery{plan: plan, cols: visible}
	return b.bindOrderLimit(sel, q, keys, extra, true)
}

// resolveUnknown types an untyped target as text.
func (b *binder) resolveUnknown(s scalar) (scalar, error) {
	if s.typ().Kind != types.KindUnknown {
		return s, nil
	}
	if p, ok := s.(*paramScalar); ok {
		b.params.infer(p.index, types.Text)
		return s, nil
	}
	return castCall(s, types.Text)
}

// bindGroupItem binds one GROUP BY entry: an ordinal of the target list,
// an input column, else an output column name, else an expression over the
// input.
func (b *binder) bindGroupItem(sc *scope, targets []*target, g ast.Expr) (scalar, string, error) {
	ctx := &exprContext{scope: sc, clause: "GROUP BY"}
	if lit, ok := g.(*ast.Literal); ok && lit.Kind == ast.LitInteger {
		n, err := strconv.Atoi(lit.Text)
		if err != nil || n < 1 || n > len(targets) {
			return nil, "", pgerror.New(pgerror.InvalidColumnReference, "GROUP BY position %s is not in select list", lit.Text).WithPosition(position(lit.Pos))
		}
		t := targets[n-1]
		s, err := b.bindExpr(ctx, t.expr)
		return s, t.name, err
	}
	if ref, ok := g.(*ast.ColumnRef); ok && len(ref.Parts) == 1 {
		s, err := b.bindExpr(ctx, g)
		if err == nil {
			return s, ref.Parts[0], nil
		}
		if pgerror.CodeOf(err) != pgerror.UndefinedColumn {
			return nil, "", err
		}
		for _, t := range targets {
			if t.name == ref.Parts[0] {
				s, err := b.bindExpr(ctx, t.expr)
				return s, t.name, err
			}
		}
		return nil, "", err
	}
	s, err := b.bindExpr(ctx, g)
	return s, columnName(g), err
}

// orderKey is a bound ORDER BY entry: a target index or an extra column.
type orderKey struct {
	target     int // index into targets, or -1
	extra      int // index into the extra sort columns, or -1
	desc       bool
	nullsFirst bool
}

// bindOrderBy binds ORDER BY: an output column name, an ordinal, or an
// expression (matched against the targets, else computed as a hidden
// sort column).
func (b *binder) bindOrderBy(items []ast.OrderItem, targets []*target, ctx *exprContext, distinct bool) ([]orderKey, []*target, error) {
	var keys []orderKey
	var extra []*target
	for _, item := range items {
		k := orderKey{target: -1, extra: -1, desc: item.Desc, nullsFirst: item.Desc}
		if item.NullsFirst != nil {
			k.nullsFirst = *item.NullsFirst
		}
		idx, err := matchOutput(item.Expr, targets)
		if err != nil {
			return nil, nil, err
		}
		if idx < 0 {
			if ctx == nil {
				if ref, ok := item.Expr.(*ast.ColumnRef); ok {
					return nil, nil, pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", strings.Join(ref.Parts, ".")).WithPosition(position(ref.Pos))
				}
				return nil, nil, pgerror.Unsupported("ORDER BY an expression over VALUES or a set operation is not supported yet")
			}
			s, err := b.bindExpr(ctx, item.Expr)
			if err != nil {
				return nil, nil, err
			}
			fp := fingerprint(s)
			for i, t := range targets {
				if t.s != nil && fingerprint(t.s) == fp {
					idx = i
					break
				}
			}
			if idx < 0 {
				if distinct {
					return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
				}
				col := b.newCol(columnName(item.Expr), s.typ())
				col.hidden = true
				k.extra = len(extra)
				extra = append(extra, &target{s: s, column: col})
			}
		}
		if k.extra < 0 {
			k.target = idx
		}
		keys = append(keys, k)
	}
	return keys, extra, nil
}

// matchOutput finds the target an ORDER BY item names by ordinal or by
// output name; -1 if it names none.
func matchOutput(e ast.Expr, targets []*target) (int, error) {
	switch e := e.(type) {
	case *ast.Literal:
		if e.Kind != ast.LitInteger {
			return -1, nil
		}
		n, err := strconv.Atoi(e.Text)
		if err != nil || n < 1 || n > len(targets) {
			return -1, pgerror.New(pgerror.InvalidColumnReference, "ORDER BY position %s is not in select list", e.Text).WithPosition(position(e.Pos))
		}
		return n - 1, nil
	case *ast.ColumnRef:
		if len(e.Parts) != 1 {
			return -1, nil
		}
		found := -1
		for i, t := range targets {
			if t.name != e.Parts[0] {
				continue
			}
			if found >= 0 && (t.s == nil || targets[found].s == nil || fingerprint(t.s) != fingerprint(targets[found].s)) {
				return -1, pgerror.New(pgerror.AmbiguousColumn, "ORDER BY %q is ambiguous", e.Parts[0]).WithPosition(position(e.Pos))
			}
			if found < 0 {
				found = i
			}
		}
		return found, nil
	}
	return -1, nil
}

// bindOrderLimit adds Sort, Limit and the projection that drops hidden
// sort columns over a bound query.
func (b *binder) bindOrderLimit(sel *ast.Select, q *boundQuery, keys []orderKey, extra []*target, keysBound bool) (*boundQuery, error) {
	if !keysBound && len(sel.OrderBy) > 0 {
		targets := make([]*target, len(q.cols))
		for i, c := range q.cols {
			targets[i] = &target{name: c.name, column: c, s: &colScalar{id: c.id, t: c.t, name: c.name}}
		}
		var err error
		if keys, extra, err = b.bindOrderBy(sel.OrderBy, targets, nil, false); err != nil {
			return nil, err
		}
	}
	plan := q.plan
	if len(keys) > 0 {
		sort := &logicalSort{input: plan}
		for _, k := range keys {
			var id colID
			if k.extra >= 0 {
				id = extra[k.extra].column.id
			} else {
				id = q.cols[k.target].id
			}
			sort.keys = append(sort.keys, sortItem{col: id, desc: k.desc, nullsFirst: k.nullsFirst})
		}
		plan = sort
	}
	if sel.Limit != nil || sel.Offset != nil {
		lim := &logicalLimit{input: plan, count: -1}
		var err error
		if sel.Limit != nil {
			if lim.count, lim.countExpr, err = b.bindLimitValue(sel.Limit, "LIMIT"); err != nil {
				return nil, err
			}
		}
		if sel.Offset != nil {
			if lim.offset, lim.offsetExpr, err = b.bindLimitValue(sel.Offset, "OFFSET"); err != nil {
				return nil, err
			}
		}
		plan = lim
	}
	if len(extra) > 0 {
		final := &logicalProject{input: plan}
		for _, c := range q.cols {
			final.exprs = append(final.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
			final.cols = append(final.cols, c)
		}
		plan = final
	}
	return &boundQuery{plan: plan, cols: q.cols}, nil
}

// bindLimitValue binds LIMIT or OFFSET: a constant, folded now, or a
// parameter (returned as the scalar, evaluated at execution).
func (b *binder) bindLimitValue(e ast.Expr, clause string) (int64, scalar, error) {
	ctx := &exprContext{scope: &scope{}, clause: clause}
	s, err := b.bindExpr(ctx, e)
	if err != nil {
		if pgerror.CodeOf(err) == pgerror.UndefinedColumn {
			return 0, nil, pgerror.New(pgerror.InvalidColumnReference, "argument of %s must not contain variables", clause)
		}
		return 0, nil, err
	}
	if p, ok := s.(*paramScalar); ok {
		b.params.infer(p.index, types.Int64)
	}
	t := s.typ()
	if t.Kind != types.KindUnknown && !t.IsInteger() && !t.IsNumeric() {
		return 0, nil, pgerror.New(pgerror.DatatypeMismatch, "argument of %s must be type bigint, not type %s", clause, t)
	}
	if hasColumnOrParam(s) {
		return 0, s, nil
	}
	built, err := build(s, &columnEnv{})
	if err != nil {
		return 0, nil, err
	}
	d, ok := constValue(built)
	if !ok || (d != nil && !t.IsInteger()) {
		if built, err = mkCast(built, types.Int64); err != nil {
			return 0, nil, err
		}
		folded, err := constFold(built)
		if err != nil {
			return 0, nil, err
		}
		d, ok = constValue(folded)
	}
	if !ok {
		return 0, s, nil
	}
	if d == nil {
		return -1, nil, nil
	}
	n, ok := d.(int64)
	if !ok {
		return 0, s, nil
	}
	if n < 0 {
		if clause == "LIMIT" {
			return 0, nil, pgerror.New(pgerror.InvalidRowCountInLimitClause, "LIMIT must not be negative")
		}
		return 0, nil, pgerror.New(pgerror.InvalidRowCountInResultOffsetClause, "OFFSET must not be negative")
	}
	return n, nil, nil
}

// bindValues binds a VALUES list: each column takes the common type of
// its entries.
func (b *binder) bindValues(rows [][]ast.Expr, outer *scope, resolveUnknowns bool) (*boundQuery, error) {
	ctx := &exprContext{scope: &scope{parent: outer}, clause: "VALUES"}
	bound := make([][]scalar, len(rows))
	for i, row := range rows {
		if len(row) != len(rows[0]) {
			return nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length")
		}
		r, err := b.bindList(ctx, row)
		if err != nil {
			return nil, err
		}
		bound[i] = r
	}
	n := len(rows[0])
	cols := make([]column, n)
	for j := 0; j < n; j++ {
		ts := make([]types.T, len(rows))
		for i := range rows {
			ts[i] = bound[i][j].typ()
		}
		t, err := commonType(ts, "VALUES")
		if err != nil {
			return nil, err
		}
		if t.Kind == types.KindUnknown && resolveUnknowns {
			t = types.Text
		}
		for i := range rows {
			s := bound[i][j]
			if p, ok := s.(*paramScalar); ok {
				b.params.infer(p.index, t)
				continue
			}
			if s.typ() != t {
				if bound[i][j], err = castCall(s, t); err != nil {
					return nil, err
				}
			}
		}
		cols[j] = b.newCol("column"+strconv.Itoa(j+1), t)
	}
	return &boundQuery{plan: &logicalValues{cols: cols, rows: bound}, cols: cols}, nil
}
