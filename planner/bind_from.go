package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// bindFrom binds a FROM list: comma-separated items are cross joins. An
// empty list is one row of no columns (SELECT without FROM).
func (b *binder) bindFrom(items []ast.TableExpr, outer *scope) (logical, *scope, error) {
	if len(items) == 0 {
		return &logicalValues{rows: [][]scalar{{}}}, &scope{parent: outer}, nil
	}
	var plan logical
	sc := &scope{parent: outer}
	for _, item := range items {
		// A LATERAL item (and a function) sees the items before it.
		left := &scope{parent: outer, cols: sc.cols}
		p, cols, err := b.bindTableExpr(item, outer, left)
		if err != nil {
			return nil, nil, err
		}
		if err := checkDuplicateTables(sc.cols, cols); err != nil {
			return nil, nil, err
		}
		sc.cols = append(sc.cols, cols...)
		if plan == nil {
			plan = p
		} else {
			plan = b.lateralJoin(InnerJoin, plan, p, nil)
		}
	}
	return plan, sc, nil
}

func checkDuplicateTables(have, add []scopeColumn) error {
	seen := map[string]bool{}
	for _, c := range have {
		if c.table != "" {
			seen[c.table] = true
		}
	}
	added := map[string]bool{}
	for _, c := range add {
		if c.table != "" && seen[c.table] && !added[c.table] {
			return pgerror.New(pgerror.DuplicateAlias, "table name %q specified more than once", c.table)
		}
	}
	return nil
}

// bindTableExpr binds one FROM item. outer is the enclosing query's scope;
// left, when not nil, is outer plus the FROM items before this one, which
// LATERAL items and functions see.
func (b *binder) bindTableExpr(te ast.TableExpr, outer, left *scope) (logical, []scopeColumn, error) {
	switch te := te.(type) {
	case *ast.TableName:
		if te.Schema == "" {
			if e := b.lookupCTE(te.Name); e != nil {
				return b.bindCTERef(te, e)
			}
		}
		return b.bindTableName(te)
	case *ast.Join:
		return b.bindJoin(te, outer, left)
	case *ast.Subquery:
		sc := outer
		if te.Lateral && left != nil {
			sc = left
		}
		q, err := b.bindQuery(te.Query, sc, true)
		if err != nil {
			return nil, nil, err
		}
		if te.Alias == nil {
			return nil, nil, pgerror.New(pgerror.SyntaxError, "subquery in FROM must have an alias")
		}
		return b.derivedTable(q, "", te.Alias)
	case *ast.FunctionTable:
		sc := outer
		if left != nil {
			sc = left
		}
		return b.bindTableFunc(te, sc)
	}
	return nil, nil, pgerror.Unsupported("FROM item %T is not supported yet", te)
}

// lookupRelation resolves a table name with the search path.
func (b *binder) lookupRelation(tn *ast.TableName) (*catalog.Relation, error) {
	rel, ok := b.p.cat.Lookup(tn.Schema, tn.Name, b.p.opts.SearchPath)
	if !ok {
		name := tn.Name
		if tn.Schema != "" {
			name = tn.Schema + "." + tn.Name
		}
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", name).WithPosition(position(tn.Pos))
	}
	return rel, nil
}

func (b *binder) bindTableName(tn *ast.TableName) (logical, []scopeColumn, error) {
	rel, err := b.lookupRelation(tn)
	if err != nil {
		return nil, nil, err
	}
	switch rel.Kind {
	case catalog.KindTable, catalog.KindMaterializedView:
		if rel.Unavailable != nil {
			return nil, nil, rel.Unavailable
		}
	case catalog.KindSource:
		if !b.stream {
			return nil, nil, pgerror.Unsupported("cannot query source %q directly; create a materialized view or table over it", rel.Name).WithPosition(position(tn.Pos))
		}
	case catalog.KindSystemView:
		if b.stream {
			return nil, nil, pgerror.Unsupported("materialized views cannot read system view %s", rel.QualifiedName()).WithPosition(position(tn.Pos))
		}
	case catalog.KindSequence:
		if b.stream {
			return nil, nil, pgerror.Unsupported("materialized views cannot read sequence %s", rel.QualifiedName()).WithPosition(position(tn.Pos))
		}
	case catalog.KindView:
		return b.bindView(tn, rel)
	default:
		return nil, nil, pgerror.New(pgerror.WrongObjectType, "%q is not a table", rel.Name).WithPosition(position(tn.Pos))
	}
	b.addDependency(rel.ID)
	table, schema := rel.Name, rel.Schema
	var aliases []string
	if tn.Alias != nil {
		table, schema = tn.Alias.Name, ""
		aliases = tn.Alias.Columns
	}
	scan := &logicalScan{rel: rel}
	var cols []scopeColumn
	visible := 0
	for i, c := range rel.Columns {
		col := b.newCol(c.Name, c.Type)
		col.hidden = c.Hidden
		col.tableID = rel.ID
		col.attrNum = int16(i + 1)
		name := c.Name
		if !c.Hidden {
			if visible < len(aliases) {
				name = aliases[visible]
			}
			visible++
		}
		scan.cols = append(scan.cols, col)
		cols = append(cols, scopeColumn{table: table, schema: schema, name: name, id: col.id, t: c.Type, hidden: c.Hidden, tableID: rel.ID, attrNum: int16(i + 1)})
	}
	if len(aliases) > visible {
		return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "table %q has %d columns available but %d columns specified", table, visible, len(aliases))
	}
	return scan, cols, nil
}

func (b *binder) addDependency(id uint32) {
	for _, d := range b.depends {
		if d == id {
			return
		}
	}
	b.depends = append(b.depends, id)
}

func (b *binder) bindJoin(j *ast.Join, outer, before *scope) (logical, []scopeColumn, error) {
	if j.Alias != nil {
		return nil, nil, pgerror.Unsupported("aliases on joins are not supported yet")
	}
	left, lcols, err := b.bindTableExpr(j.Left, outer, before)
	if err != nil {
		return nil, nil, err
	}
	var prior []scopeColumn
	if before != nil {
		prior = before.cols
	}
	lateral := &scope{parent: outer, cols: append(append([]scopeColumn{}, prior...), lcols...)}
	right, rcols, err := b.bindTableExpr(j.Right, outer, lateral)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDuplicateTables(lcols, rcols); err != nil {
		return nil, nil, err
	}
	join := &logicalJoin{left: left, right: right}
	switch j.Kind {
	case ast.InnerJoin, ast.CrossJoin:
		join.kind = InnerJoin
	case ast.LeftJoin:
		join.kind = LeftJoin
	case ast.RightJoin:
		join.kind = RightJoin
	case ast.FullJoin:
		join.kind = FullJoin
	}
	using := j.Using
	if j.Natural {
		using = nil
		for _, l := range lcols {
			if l.hidden || l.qualifiedOnly {
				continue
			}
			for _, r := range rcols {
				if !r.hidden && !r.qualifiedOnly && r.name == l.name {
					using = append(using, l.name)
					break
				}
			}
		}
	}
	combined := &scope{parent: outer, cols: append(append([]scopeColumn{}, lcols...), rcols...)}
	if len(using) == 0 {
		if j.On != nil {
			ctx := &exprContext{scope: combined, clause: "JOIN conditions", subqueries: &subqueryList{}}
			on, err := b.bindExpr(ctx, j.On)
			if err != nil {
				return nil, nil, err
			}
			if on, err = b.boolCondition(on, "JOIN/ON"); err != nil {
				return nil, nil, err
			}
			if len(ctx.subqueries.items) > 0 {
				// An inner join's condition may as well filter the joined
				// rows, after the subqueries' nodes.
				if join.kind != InnerJoin {
					return nil, nil, pgerror.Unsupported("subqueries in the condition of an outer join are not supported yet")
				}
				plan, cols, err := b.lateralOrJoin(join, combined.cols)
				if err != nil {
					return nil, nil, err
				}
				if plan, err = b.attachSubqueries(plan, ctx.subqueries, nil); err != nil {
					return nil, nil, err
				}
				return passThrough(&logicalFilter{input: plan, pred: on}, join.columns(), nil, nil), cols, nil
			}
			join.on = on
		}
		return b.lateralOrJoin(join, combined.cols)
	}
	// USING (c): the merged column comes first and is the only one an
	// unqualified name sees; each side's own stays reachable qualified.
	// A FULL JOIN's merged column is COALESCE(left, right), computed
	// above the join.
	var merged []scopeColumn
	var conds []scalar
	var coalesced []scalar
	var coalescedCols []column
	seen := map[string]bool{}
	for _, name := range using {
		if seen[name] {
			return nil, nil, pgerror.New(pgerror.DuplicateColumn, "column %q appears more than once in USING clause", name)
		}
		seen[name] = true
		li, err := findUsing(lcols, name, "left")
		if err != nil {
			return nil, nil, err
		}
		ri, err := findUsing(rcols, name, "right")
		if err != nil {
			return nil, nil, err
		}
		l, r := lcols[li], rcols[ri]
		lcols[li].qualifiedOnly = true
		rcols[ri].qualifiedOnly = true
		m := l
		if join.kind == RightJoin {
			m = r
		}
		m.table, m.schema, m.qualifiedOnly = "", "", false
		if join.kind == FullJoin {
			c, err := newCall(callScalar{op: opCoalesce, args: []scalar{&colScalar{id: l.id, t: l.t, name: l.name}, &colScalar{id: r.id, t: r.t, name: r.name}}})
			if err != nil {
				return nil, nil, err
			}
			col := b.newCol(name, c.typ())
			coalesced, coalescedCols = append(coalesced, c), append(coalescedCols, col)
			m.id, m.t, m.tableID, m.attrNum = col.id, col.t, 0, 0
		}
		merged = append(merged, m)
		eq, err := compareCall(cmpEQ, &colScalar{id: l.id, t: l.t, name: l.name}, &colScalar{id: r.id, t: r.t, name: r.name})
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, eq)
	}
	if join.on, err = andOf(conds); err != nil {
		return nil, nil, err
	}
	cols := append(append(merged, lcols...), rcols...)
	if join.kind == FullJoin {
		plan, cols, err := b.lateralOrJoin(join, cols)
		if err != nil {
			return nil, nil, err
		}
		return passThrough(plan, plan.columns(), coalesced, coalescedCols), cols, nil
	}
	return b.lateralOrJoin(join, cols)
}

func findUsing(cols []scopeColumn, name, side string) (int, error) {
	found := -1
	for i, c := range cols {
		if c.name != name || c.qualifiedOnly {
			continue
		}
		if found >= 0 {
			return -1, pgerror.New(pgerror.AmbiguousColumn, "common column name %q appears more than once in %s table", name, side)
		}
		found = i
	}
	if found < 0 {
		return -1, pgerror.New(pgerror.UndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, side)
	}
	return found, nil
}
