package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
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
			return pgerror.New(pgerror.DuplicateAlias, "WITH query name %q specified more than once", c.Name)
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
