package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// cteEnv is one WITH query in scope. A reference binds the query afresh
// (new column ids) in the scope of its definition, so a CTE read twice is
// computed twice: the same rows, since Eddy's functions in queries are
// deterministic within a statement.
type cteEnv struct {
	parent *cteEnv
	cte    *ast.CTE
	// work is set while a WITH RECURSIVE item's own query is bound
	// (bind_recursive_cte.go).
	work *workTableRef
}

func (b *binder) defineCTEs(ctes []ast.CTE) error {
	seen := map[string]bool{}
	for i := range ctes {
		c := &ctes[i]
		if seen[c.Name] {
			return pgerror.New(pgerror.Code("42712"), "WITH query name %q specified more than once", c.Name)
		}
		seen[c.Name] = true
		b.ctes = &cteEnv{parent: b.ctes, cte: c}
	}
	return nil
}

func (b *binder) lookupCTE(name string) *cteEnv {
	for e := b.ctes; e != nil; e = e.parent {
		if e.cte.Name == name {
			return e
		}
	}
	return nil
}

// bindCTERef binds a FROM reference to a WITH query.
func (b *binder) bindCTERef(tn *ast.TableName, e *cteEnv) (logical, []scopeColumn, error) {
	if e.cte.Recursive {
		return b.bindRecursiveCTERef(tn, e)
	}
	saved := b.ctes
	b.ctes = e.parent // non-recursive: the query sees only earlier names
	q, err := b.bindQuery(e.cte.Query, nil, true)
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	names := e.cte.Columns
	if len(names) > len(q.cols) {
		return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", e.cte.Name, len(q.cols), len(names))
	}
	cols := make([]column, len(q.cols))
	copy(cols, q.cols)
	for i := range names {
		cols[i].name = names[i]
	}
	return b.derivedTable(&boundQuery{plan: q.plan, cols: cols}, e.cte.Name, tn.Alias)
}

// derivedTable names a bound query's columns as a FROM item: table is the
// default name, alias (optional) renames it and its leading columns.
func (b *binder) derivedTable(q *boundQuery, table string, alias *ast.Alias) (logical, []scopeColumn, error) {
	var names []string
	if alias != nil {
		table, names = alias.Name, alias.Columns
	}
	if len(names) > len(q.cols) {
		return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "table %q has %d columns available but %d columns specified", table, len(q.cols), len(names))
	}
	cols := make([]scopeColumn, len(q.cols))
	for i, c := range q.cols {
		name := c.name
		if i < len(names) {
			name = names[i]
		}
		cols[i] = scopeColumn{table: table, name: name, id: c.id, t: c.t, tableID: c.tableID, attrNum: c.attrNum}
	}
	return q.plan, cols, nil
}

var setOpNames = [...]string{"UNION", "INTERSECT", "EXCEPT"}

// bindSetOp binds UNION, INTERSECT and EXCEPT: each output column takes
// the common type of its two inputs (unknown literals become text), the
// inputs are cast to it, and the names come from the left input.
func (b *binder) bindSetOp(op *ast.SetOp, outer *scope) (*boundQuery, error) {
	name := setOpNames[op.Kind]
	l, err := b.bindQuery(op.Left, outer, false)
	if err != nil {
		return nil, err
	}
	r, err := b.bindQuery(op.Right, outer, false)
	if err != nil {
		return nil, err
	}
	if len(l.cols) != len(r.cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "each %s query must have the same number of columns", name)
	}
	n := &logicalSetOp{kind: setOpKind(op.Kind), all: op.All}
	var lx, rx []scalar
	lcast, rcast := false, false
	for i := range l.cols {
		lc, rc := l.cols[i], r.cols[i]
		t, err := commonType([]types.T{lc.t, rc.t}, name)
		if err != nil {
			return nil, err
		}
		if t.Kind == types.KindUnknown {
			t = types.Text
		}
		le, err := b.castColumn(lc, t)
		if err != nil {
			return nil, err
		}
		re, err := b.castColumn(rc, t)
		if err != nil {
			return nil, err
		}
		lcast = lcast || lc.t != t
		rcast = rcast || rc.t != t
		lx, rx = append(lx, le), append(rx, re)
		n.cols = append(n.cols, b.newCol(lc.name, t))
	}
	n.left, n.right = l.plan, r.plan
	if lcast {
		n.left = b.recast(l, lx)
	}
	if rcast {
		n.right = b.recast(r, rx)
	}
	if b.stream {
		return nil, pgerror.Unsupported("%s in materialized views is not supported yet", name)
	}
	return &boundQuery{plan: n, cols: n.cols}, nil
}

func (b *binder) castColumn(c column, t types.T) (scalar, error) {
	ref := &colScalar{id: c.id, t: c.t, name: c.name}
	if c.t == t {
		return ref, nil
	}
	return newCall("cast "+t.String(), []scalar{ref}, func(a []expr.Expr) (expr.Expr, error) { return mkCoerce(a[0], t) })
}

// recast projects q's columns through exprs, one new column each.
func (b *binder) recast(q *boundQuery, exprs []scalar) logical {
	p := &logicalProject{input: q.plan, exprs: exprs}
	for i, c := range q.cols {
		p.cols = append(p.cols, b.newCol(c.name, exprs[i].typ()))
	}
	return p
}
