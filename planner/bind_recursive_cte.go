package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// WITH RECURSIVE, as PostgreSQL evaluates it: the query of a recursive
// item is `non-recursive term UNION [ALL] recursive term`, where only the
// recursive term reads the item itself, once. The non-recursive term's
// rows seed the working table; each iteration runs the recursive term
// over the working table's rows, emits the new rows and makes them the
// next working table, until an iteration produces none. UNION (without
// ALL) drops rows equal to any row already emitted, seed included.
//
// The item's column types are the non-recursive term's; the recursive
// term must produce the same types (42804 otherwise, as PostgreSQL).

// workTableRef is the binding state of a recursive WITH item while its own
// query is bound.
type workTableRef struct {
	// inSeed: a reference now is in the non-recursive term (an error);
	// notUnion: the query is not of the UNION form (an error too).
	inSeed, notUnion bool
	label            int
	cols             []column
	refs             int
}

func errRecursive(format string, args ...any) *pgerror.Error {
	return pgerror.New(pgerror.InvalidRecursion, format, args...)
}

// bindRecursiveCTERef binds a FROM reference to an item of WITH RECURSIVE:
// the working table when it comes from inside the item's own recursive
// term, else the item's query (a recursive union when it reads itself).
func (b *binder) bindRecursiveCTERef(tn *ast.TableName, e *cteEnv) (logical, []scopeColumn, error) {
	name := e.cte.Name
	if w := e.work; w != nil {
		switch {
		case w.notUnion:
			return nil, nil, errRecursive("recursive query %q does not have the form non-recursive-term UNION [ALL] recursive-term", name)
		case w.inSeed:
			return nil, nil, errRecursive("recursive reference to query %q must not appear within its non-recursive term", name)
		}
		w.refs++
		if w.refs > 1 {
			return nil, nil, errRecursive("recursive reference to query %q must not appear more than once", name)
		}
		scan := &logicalWorkTableScan{workTable: w.label}
		for _, c := range w.cols {
			scan.cols = append(scan.cols, b.newCol(c.name, c.t))
		}
		return b.derivedTable(&boundQuery{plan: scan, cols: scan.cols}, name, tn.Alias)
	}
	q, err := b.bindRecursiveQuery(e)
	if err != nil {
		return nil, nil, err
	}
	return b.derivedTable(q, name, tn.Alias)
}

// bindRecursiveQuery binds the query of a WITH RECURSIVE item, with the
// item in scope for itself, and names its columns.
func (b *binder) bindRecursiveQuery(e *cteEnv) (*boundQuery, error) {
	saved := b.ctes
	b.ctes = e
	defer func() { b.ctes, e.work = saved, nil }()
	sel := e.cte.Query
	op := sel.SetOp
	if op == nil || op.Kind != ast.Union {
		// Not of the recursive form: fine as long as it does not read
		// itself.
		e.work = &workTableRef{notUnion: true}
		q, err := b.bindQuery(sel, nil, true)
		if err != nil {
			return nil, err
		}
		return b.nameCTEColumns(e, q)
	}
	if len(sel.With) > 0 {
		if err := b.defineCTEs(sel.With); err != nil {
			return nil, err
		}
	}
	e.work = &workTableRef{inSeed: true}
	seed, err := b.bindQuery(op.Left, nil, true)
	if err != nil {
		return nil, err
	}
	if seed, err = b.nameCTEColumns(e, seed); err != nil {
		return nil, err
	}
	work := &workTableRef{cols: seed.cols}
	n := &logicalRecursiveUnion{name: e.cte.Name, all: op.All, seed: seed.plan}
	for _, c := range seed.cols {
		n.cols = append(n.cols, b.newCol(c.name, c.t))
	}
	work.label = int(n.cols[0].id)
	n.workTable = work.label
	e.work = work
	rec, err := b.bindQuery(op.Right, nil, true)
	if err != nil {
		return nil, err
	}
	if work.refs == 0 {
		// WITH RECURSIVE on a query that does not read itself: a plain
		// UNION.
		e.work = &workTableRef{notUnion: true}
		q, err := b.bindQuery(sel, nil, true)
		if err != nil {
			return nil, err
		}
		return b.nameCTEColumns(e, q)
	}
	if len(sel.OrderBy) > 0 || sel.Limit != nil || sel.Offset != nil {
		return nil, pgerror.Unsupported("ORDER BY, LIMIT or OFFSET in a recursive query is not implemented")
	}
	if len(rec.cols) != len(seed.cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "each UNION query must have the same number of columns")
	}
	for i, c := range rec.cols {
		if c.t != seed.cols[i].t {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "recursive query %q column %d has type %s in non-recursive term but type %s overall",
				e.cte.Name, i+1, seed.cols[i].t, c.t).
				WithHint("Cast the output of the non-recursive term to the correct type.")
		}
	}
	if b.stream {
		return nil, pgerror.Unsupported("WITH RECURSIVE in materialized views is not supported yet")
	}
	n.recursive = rec.plan
	return &boundQuery{plan: n, cols: n.cols}, nil
}

// nameCTEColumns applies a WITH item's column list to q's columns.
func (b *binder) nameCTEColumns(e *cteEnv, q *boundQuery) (*boundQuery, error) {
	names := e.cte.Columns
	if len(names) > len(q.cols) {
		return nil, pgerror.New(pgerror.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", e.cte.Name, len(q.cols), len(names))
	}
	cols := make([]column, len(q.cols))
	copy(cols, q.cols)
	for i := range names {
		cols[i].name = names[i]
	}
	return &boundQuery{plan: q.plan, cols: cols}, nil
}
