package planner

import (
	"slices"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// PlanInsert plans INSERT.
func (p *Planner) PlanInsert(ins *ast.Insert, params *Params) (*InsertPlan, error) {
	b := p.newBinder(params)
	rel, err := b.targetTable(&ins.Table, "insert into")
	if err != nil {
		return nil, err
	}
	targets, err := insertColumns(rel, ins.Columns)
	if err != nil {
		return nil, err
	}
	explicit := len(ins.Columns) > 0
	var plan logical
	switch {
	case ins.Source == nil:
		row, err := b.insertRow(rel, nil, nil)
		if err != nil {
			return nil, err
		}
		plan = &logicalValues{cols: b.tableColumns(rel), rows: [][]scalar{row}}
	case ins.Source.Values != nil && len(ins.Source.With) == 0 && len(ins.Source.OrderBy) == 0 && ins.Source.Limit == nil && ins.Source.Offset == nil:
		values := &logicalValues{cols: b.tableColumns(rel)}
		ctx := &exprContext{scope: &scope{}, clause: "VALUES"}
		for _, row := range ins.Source.Values {
			if err := checkInsertArity(len(row), len(targets), explicit); err != nil {
				return nil, err
			}
			bound := make([]scalar, len(row))
			for i, e := range row {
				if _, ok := e.(*ast.Default); ok {
					continue
				}
				if bound[i], err = b.bindExpr(ctx, e); err != nil {
					return nil, err
				}
			}
			if bound, err = overrideIdentity(rel, targets[:len(row)], bound, ins.Overriding); err != nil {
				return nil, err
			}
			r, err := b.insertRow(rel, targets[:len(row)], bound)
			if err != nil {
				return nil, err
			}
			values.rows = append(values.rows, r)
		}
		plan = values
	default:
		q, err := b.bindQuery(ins.Source, nil, false)
		if err != nil {
			return nil, err
		}
		if err := checkInsertArity(len(q.cols), len(targets), explicit); err != nil {
			return nil, err
		}
		bound := make([]scalar, len(q.cols))
		for i, c := range q.cols {
			bound[i] = &colScalar{id: c.id, t: c.t, name: c.name}
		}
		if bound, err = overrideIdentity(rel, targets[:len(q.cols)], bound, ins.Overriding); err != nil {
			return nil, err
		}
		row, err := b.insertRow(rel, targets[:len(q.cols)], bound)
		if err != nil {
			return nil, err
		}
		plan = &logicalProject{input: q.plan, exprs: row, cols: b.tableColumns(rel)}
	}
	returning, returningCols, err := b.bindReturning(rel, ins.Returning)
	if err != nil {
		return nil, err
	}
	onConflict, err := b.bindOnConflict(&ins.Table, rel, ins.OnConflict)
	if err != nil {
		return nil, err
	}
	if err := b.params.finish(params); err != nil {
		return nil, err
	}
	source, err := lowerBatch(optimize(plan, batchMode))
	if err != nil {
		return nil, err
	}
	return &InsertPlan{Table: rel, Source: source, Returning: returning, ReturningColumns: returningCols, OnConflict: onConflict}, nil
}

// bindOnConflict resolves ON CONFLICT's target to the arbiter constraint
// and binds DO UPDATE's SET and WHERE over the existing row (named by the
// table or its alias) and the proposed one (EXCLUDED).
func (b *binder) bindOnConflict(tn *ast.TableName, rel *catalog.Relation, oc *ast.OnConflict) (*OnConflictPlan, error) {
	if oc == nil {
		return nil, nil
	}
	out := &OnConflictPlan{Arbiter: ArbiterAny, DoUpdate: oc.DoUpdate}
	switch {
	case len(oc.Columns) > 0:
		cols := make([]int, len(oc.Columns))
		for i, name := range oc.Columns {
			if cols[i] = rel.ColumnIndex(name); cols[i] < 0 || rel.Columns[cols[i]].Hidden {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", name)
			}
		}
		arbiter, ok := arbiterOf(rel, cols)
		if !ok {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
		}
		out.Arbiter = arbiter
	case oc.Constraint != "":
		switch {
		case rel.UserPrimaryKey && oc.Constraint == rel.Name+"_pkey":
			out.Arbiter = ArbiterPrimaryKey
		default:
			found := false
			for i, u := range rel.Unique {
				if u.Name == oc.Constraint {
					out.Arbiter, found = Arbiter(i), true
				}
			}
			if !found {
				return nil, pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", oc.Constraint, rel.Name)
			}
		}
	case oc.DoUpdate:
		return nil, pgerror.New(pgerror.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name).")
	}
	if !oc.DoUpdate {
		return out, nil
	}

	// The existing row's columns come first, the proposed row's after.
	table := rel.Name
	if tn.Alias != nil {
		table = tn.Alias.Name
	}
	sc := &scope{}
	env := &columnEnv{pos: map[colID]int{}, names: map[colID]string{}}
	existing := make([]scalar, len(rel.Columns))
	for side, name := range []string{table, "excluded"} {
		for i, c := range rel.Columns {
			col := b.newCol(c.Name, c.Type)
			sc.cols = append(sc.cols, scopeColumn{table: name, name: c.Name, id: col.id, t: c.Type, hidden: c.Hidden, tableID: rel.ID, attrNum: int16(i + 1)})
			env.pos[col.id] = side*len(rel.Columns) + i
			env.names[col.id] = c.Name
			if side == 0 {
				existing[i] = &colScalar{id: col.id, t: c.Type, name: c.Name}
			}
		}
	}
	ctx := &exprContext{scope: sc, clause: "UPDATE", subqueries: &subqueryList{}}
	set, err := b.bindAssignments(rel, ctx, oc.Set)
	if err != nil {
		return nil, err
	}
	for i, s := range set {
		if s == nil {
			s = existing[i]
		}
		e, err := build(s, env)
		if err != nil {
			return nil, err
		}
		out.Set = append(out.Set, e)
	}
	if oc.Where != nil {
		ctx.clause = "WHERE"
		w, err := b.bindExpr(ctx, oc.Where)
		if err != nil {
			return nil, err
		}
		if w, err = b.boolCondition(w, "WHERE"); err != nil {
			return nil, err
		}
		if out.Where, err = build(w, env); err != nil {
			return nil, err
		}
	}
	if len(ctx.subqueries.items) > 0 {
		return nil, pgerror.Unsupported("subqueries in ON CONFLICT DO UPDATE are not supported yet")
	}
	return out, nil
}

// arbiterOf finds the constraint over exactly the columns cols, in any
// order, as PostgreSQL infers the arbiter index.
func arbiterOf(rel *catalog.Relation, cols []int) (Arbiter, bool) {
	same := func(a []int) bool {
		if len(a) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(a, c) {
				return false
			}
		}
		return true
	}
	if rel.UserPrimaryKey && same(rel.Key) {
		return ArbiterPrimaryKey, true
	}
	for i, u := range rel.Unique {
		if same(u.Columns) {
			return Arbiter(i), true
		}
	}
	return 0, false
}

// bindAssignments binds UPDATE's (or ON CONFLICT DO UPDATE's) SET list to
// one scalar per table column, nil where the column keeps its value.
func (b *binder) bindAssignments(rel *catalog.Relation, ctx *exprContext, set []ast.Assignment) ([]scalar, error) {
	newRow := make([]scalar, len(rel.Columns))
	for _, a := range set {
		idx := rel.ColumnIndex(a.Column)
		if idx < 0 || rel.Columns[idx].Hidden {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", a.Column, rel.Name)
		}
		if newRow[idx] != nil {
			return nil, pgerror.New(pgerror.SyntaxError, "multiple assignments to same column %q", a.Column)
		}
		var s scalar
		var err error
		if _, ok := a.Value.(*ast.Default); ok {
			s, err = b.columnDefault(rel, idx)
		} else if err = checkIdentityUpdate(rel.Columns[idx]); err != nil {
			return nil, err
		} else if s, err = b.bindExpr(ctx, a.Value); err == nil {
			s, err = b.assign(s, rel.Columns[idx].Type)
		}
		if err != nil {
			return nil, err
		}
		newRow[idx] = s
	}
	return newRow, nil
}

func checkInsertArity(values, targets int, explicit bool) error {
	if values > targets {
		return pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns")
	}
	if values < targets && explicit {
		return pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions")
	}
	return nil
}

// targetTable resolves the table a DML statement writes.
func (b *binder) targetTable(tn *ast.TableName, verb string) (*catalog.Relation, error) {
	rel, err := b.lookupRelation(tn)
	if err != nil {
		return nil, err
	}
	switch rel.Kind {
	case catalog.KindTable:
		return rel, nil
	case catalog.KindMaterializedView:
		return nil, pgerror.New(pgerror.WrongObjectType, "cannot change materialized view %q", rel.Name).WithPosition(position(tn.Pos))
	}
	return nil, pgerror.New(pgerror.WrongObjectType, "cannot %s %s %q", verb, rel.Kind, rel.Name).WithPosition(position(tn.Pos))
}

// insertColumns resolves INSERT's column list to table column indexes
// (all visible columns in order when none is given).
func insertColumns(rel *catalog.Relation, names []string) ([]int, error) {
	if len(names) == 0 {
		return rel.VisibleColumns(), nil
	}
	seen := map[int]bool{}
	out := make([]int, len(names))
	for i, name := range names {
		idx := rel.ColumnIndex(name)
		if idx < 0 || rel.Columns[idx].Hidden {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", name, rel.Name)
		}
		if seen[idx] {
			return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", name)
		}
		seen[idx] = true
		out[i] = idx
	}
	return out, nil
}

// tableColumns are fresh logical columns shaped like rel's columns.
func (b *binder) tableColumns(rel *catalog.Relation) []column {
	cols := make([]column, len(rel.Columns))
	for i, c := range rel.Columns {
		cols[i] = b.newCol(c.Name, c.Type)
		cols[i].hidden = c.Hidden
	}
	return cols
}

// insertRow builds one full table row: values[i] (nil: DEFAULT) goes to
// column targets[i] with an assignment cast; the other columns get their
// defaults, the hidden row id NULL.
func (b *binder) insertRow(rel *catalog.Relation, targets []int, values []scalar) ([]scalar, error) {
	row := make([]scalar, len(rel.Columns))
	for i, idx := range targets {
		if values[i] == nil {
			continue
		}
		s, err := b.assign(values[i], rel.Columns[idx].Type)
		if err != nil {
			return nil, err
		}
		row[idx] = s
	}
	for i := range row {
		if row[i] != nil {
			continue
		}
		d, err := b.columnDefault(rel, i)
		if err != nil {
			return nil, err
		}
		row[i] = d
	}
	return row, nil
}

// assign coerces a value for a column with an assignment cast; an
// undetermined parameter takes the column's type.
func (b *binder) assign(s scalar, t types.T) (scalar, error) {
	if p, ok := s.(*paramScalar); ok {
		b.params.infer(p.index, t)
	}
	if s.typ() == t {
		return s, nil
	}
	return newCall(callScalar{op: opCoerce, t: t, args: []scalar{s}})
}

// columnDefault is column i's DEFAULT expression, or NULL.
func (b *binder) columnDefault(rel *catalog.Relation, i int) (scalar, error) {
	col := rel.Columns[i]
	text, err := b.defaultText(rel, i)
	if err != nil {
		return nil, err
	}
	if text == "" {
		return &leafScalar{e: mkConst(nil, col.Type)}, nil
	}
	e, err := parser.ParseExpr(text)
	if err != nil {
		return nil, pgerror.Internal("planner: default of %s.%s does not parse: %v", rel.Name, col.Name, err)
	}
	s, err := b.bindExpr(&exprContext{scope: &scope{}, clause: "DEFAULT expressions"}, e)
	if err != nil {
		return nil, err
	}
	return b.assign(s, col.Type)
}

// tableScope scans rel for UPDATE and DELETE and names its columns.
func (b *binder) tableScope(tn *ast.TableName, rel *catalog.Relation) (*logicalScan, *scope) {
	b.addDependency(rel.ID)
	table, schema := rel.Name, rel.Schema
	if tn.Alias != nil {
		table, schema = tn.Alias.Name, ""
	}
	scan := &logicalScan{rel: rel}
	sc := &scope{}
	for i, c := range rel.Columns {
		col := b.newCol(c.Name, c.Type)
		col.hidden, col.tableID, col.attrNum = c.Hidden, rel.ID, int16(i+1)
		scan.cols = append(scan.cols, col)
		sc.cols = append(sc.cols, scopeColumn{table: table, schema: schema, name: c.Name, id: col.id, t: c.Type, hidden: c.Hidden, tableID: rel.ID, attrNum: int16(i + 1)})
	}
	return scan, sc
}

func (b *binder) where(plan logical, sc *scope, where ast.Expr) (logical, error) {
	if where == nil {
		return plan, nil
	}
	return b.bindCondition(plan, &exprContext{scope: sc, clause: "WHERE"}, where, "WHERE", nil)
}

// PlanUpdate plans UPDATE.
func (p *Planner) PlanUpdate(upd *ast.Update, params *Params) (*UpdatePlan, error) {
	b := p.newBinder(params)
	rel, err := b.targetTable(&upd.Table, "update")
	if err != nil {
		return nil, err
	}
	scan, sc := b.tableScope(&upd.Table, rel)
	plan, sc, err := b.joinFrom(scan, sc, upd.From)
	if err != nil {
		return nil, err
	}
	if plan, err = b.where(plan, sc, upd.Where); err != nil {
		return nil, err
	}
	ctx := &exprContext{scope: sc, clause: "UPDATE", subqueries: &subqueryList{}}
	newRow, err := b.bindAssignments(rel, ctx, upd.Set)
	if err != nil {
		return nil, err
	}
	if plan, err = b.attachSubqueries(plan, ctx.subqueries, nil); err != nil {
		return nil, err
	}
	if len(upd.From) > 0 {
		plan = b.oneRowPerTarget(plan, scan)
	}
	proj := &logicalProject{input: plan}
	for _, c := range scan.cols {
		proj.exprs = append(proj.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
		proj.cols = append(proj.cols, c)
	}
	for i, c := range scan.cols {
		s := newRow[i]
		if s == nil {
			s = &colScalar{id: c.id, t: c.t, name: c.name}
		}
		nc := b.newCol(c.name, c.t)
		nc.hidden = c.hidden
		proj.exprs = append(proj.exprs, s)
		proj.cols = append(proj.cols, nc)
	}
	source, returning, returningCols, err := b.finishDML(rel, proj, upd.Returning, params)
	if err != nil {
		return nil, err
	}
	return &UpdatePlan{Table: rel, Source: source, Returning: returning, ReturningColumns: returningCols}, nil
}

// PlanDelete plans DELETE.
func (p *Planner) PlanDelete(del *ast.Delete, params *Params) (*DeletePlan, error) {
	b := p.newBinder(params)
	rel, err := b.targetTable(&del.Table, "delete from")
	if err != nil {
		return nil, err
	}
	scan, sc := b.tableScope(&del.Table, rel)
	plan, sc, err := b.joinFrom(scan, sc, del.Using)
	if err != nil {
		return nil, err
	}
	if plan, err = b.where(plan, sc, del.Where); err != nil {
		return nil, err
	}
	if len(del.Using) > 0 {
		plan = b.oneRowPerTarget(plan, scan)
	}
	// Keep every column: the writer needs the full old rows.
	proj := &logicalProject{input: plan}
	for _, c := range scan.cols {
		proj.exprs = append(proj.exprs, &colScalar{id: c.id, t: c.t, name: c.name})
		proj.cols = append(proj.cols, c)
	}
	source, returning, returningCols, err := b.finishDML(rel, proj, del.Returning, params)
	if err != nil {
		return nil, err
	}
	return &DeletePlan{Table: rel, Source: source, Returning: returning, ReturningColumns: returningCols}, nil
}

// finishDML binds an UPDATE's or DELETE's RETURNING list, settles the
// parameter types and lowers the plan that computes the changed rows.
func (b *binder) finishDML(rel *catalog.Relation, source logical, returningItems []ast.SelectItem, params *Params) (Plan, []expr.Expr, []OutputColumn, error) {
	returning, returningCols, err := b.bindReturning(rel, returningItems)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := b.params.finish(params); err != nil {
		return nil, nil, nil, err
	}
	plan, err := lowerBatch(optimize(source, batchMode))
	if err != nil {
		return nil, nil, nil, err
	}
	return plan, returning, returningCols, nil
}

// bindReturning binds a RETURNING list over rel's columns (expressions
// refer to column i of the table as input position i).
func (b *binder) bindReturning(rel *catalog.Relation, items []ast.SelectItem) ([]expr.Expr, []OutputColumn, error) {
	if len(items) == 0 {
		return nil, nil, nil
	}
	sc := &scope{}
	env := &columnEnv{pos: map[colID]int{}, names: map[colID]string{}}
	for i, c := range rel.Columns {
		col := b.newCol(c.Name, c.Type)
		sc.cols = append(sc.cols, scopeColumn{table: rel.Name, schema: rel.Schema, name: c.Name, id: col.id, t: c.Type, hidden: c.Hidden, tableID: rel.ID, attrNum: int16(i + 1)})
		env.pos[col.id] = i
		env.names[col.id] = c.Name
	}
	ctx := &exprContext{scope: sc, clause: "RETURNING"}
	var exprs []expr.Expr
	var out []OutputColumn
	for _, item := range items {
		var refs []ast.Expr
		var names []string
		if item.Star {
			cols, err := sc.star(item.Table, -1)
			if err != nil {
				return nil, nil, err
			}
			for _, c := range cols {
				refs = append(refs, &ast.ColumnRef{Parts: []string{c.name}, Pos: -1})
				names = append(names, c.name)
			}
		} else {
			name := item.Alias
			if name == "" {
				name = columnName(item.Expr)
			}
			refs, names = []ast.Expr{item.Expr}, []string{name}
		}
		for i, r := range refs {
			s, err := b.bindExpr(ctx, r)
			if err != nil {
				return nil, nil, err
			}
			if s, err = b.resolveUnknown(s); err != nil {
				return nil, nil, err
			}
			e, err := build(s, env)
			if err != nil {
				return nil, nil, err
			}
			oc := OutputColumn{Name: names[i], Type: e.Type()}
			if c, ok := s.(*colScalar); ok {
				oc.TableID, oc.AttrNum = rel.ID, int16(env.pos[c.id]+1)
			}
			exprs = append(exprs, e)
			out = append(out, oc)
		}
	}
	return exprs, out, nil
}
