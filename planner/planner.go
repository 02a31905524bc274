package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Options configure a Planner.
type Options struct {
	// SearchPath is where unqualified relation names are looked up, in
	// order; default ["public"].
	SearchPath []string
	// StreamingParallelism is the number of instances each stateful
	// operator of a new materialized view runs as (stream_fragments.go);
	// 0 or less is 1.
	StreamingParallelism int
}

// Planner plans statements against a catalog. It holds no per-statement
// state and is safe for concurrent use.
type Planner struct {
	cat  *catalog.Catalog
	opts Options
}

// New returns a planner over cat.
func New(cat *catalog.Catalog, opts Options) *Planner {
	if len(opts.SearchPath) == 0 {
		opts.SearchPath = []string{catalog.DefaultSchema}
	}
	return &Planner{cat: cat, opts: opts}
}

// Params collects the types of $1..$n. On input, Types holds the types the
// client declared (types.Unknown, or a short slice, for "infer it"); on
// return it holds one resolved type per parameter the statement uses, each
// declared type kept and the rest inferred from context as PostgreSQL does
// (a = $1 gives $1 a's type; a parameter alone in the target list is text).
// A parameter whose type nothing determines is error 42P18.
type Params struct {
	Types []types.T
}

// paramTable is the statement's parameter types while binding.
type paramTable struct {
	types    []types.T
	declared []bool
	max      int
}

func newParamTable(p *Params) *paramTable {
	pt := &paramTable{}
	if p != nil {
		for _, t := range p.Types {
			pt.types = append(pt.types, t)
			pt.declared = append(pt.declared, t.Kind != types.KindUnknown)
		}
	}
	return pt
}

func (pt *paramTable) use(index int) {
	if index > pt.max {
		pt.max = index
	}
	for len(pt.types) < index {
		pt.types = append(pt.types, types.Unknown)
		pt.declared = append(pt.declared, false)
	}
}

func (pt *paramTable) typ(index int) types.T {
	if index <= len(pt.types) {
		return pt.types[index-1]
	}
	return types.Unknown
}

// infer gives an undetermined parameter the type t.
func (pt *paramTable) infer(index int, t types.T) {
	pt.use(index)
	if t.Kind == types.KindUnknown || pt.types[index-1].Kind != types.KindUnknown {
		return
	}
	pt.types[index-1] = t
}

// finish checks every parameter has a type and reports them.
func (pt *paramTable) finish(p *Params) error {
	for i := 0; i < pt.max; i++ {
		if pt.types[i].Kind == types.KindUnknown {
			return pgerror.New(pgerror.IndeterminateDatatype, "could not determine data type of parameter $%d", i+1)
		}
	}
	if p != nil {
		p.Types = append(p.Types[:0], pt.types...)
	}
	return nil
}

// binder holds the state of planning one statement.
type binder struct {
	p      *Planner
	params *paramTable
	nextID colID
	// stream is set when planning a materialized view.
	stream bool
	// depends collects the ids of the relations read.
	depends []uint32
	// ctes are the WITH queries in scope, innermost first.
	ctes *cteEnv
	// viewDepth counts the views being expanded, to stop a cycle.
	viewDepth int
}

func (p *Planner) newBinder(params *Params) *binder {
	return &binder{p: p, params: newParamTable(params)}
}

func (b *binder) newCol(name string, t types.T) column {
	b.nextID++
	return column{id: b.nextID, name: name, t: t}
}

// PlanQuery plans a query as a batch plan. The root's Output is what the
// client sees.
func (p *Planner) PlanQuery(sel *ast.Select, params *Params) (Plan, error) {
	b := p.newBinder(params)
	q, err := b.bindQuery(sel, nil, true)
	if err != nil {
		return nil, err
	}
	if err := b.params.finish(params); err != nil {
		return nil, err
	}
	root := optimize(q.plan, batchMode)
	return lowerBatch(root)
}

// OutputColumn of a RETURNING list etc. is plan.go's OutputColumn.

// InsertPlan inserts Source's rows into Table.
type InsertPlan struct {
	Table *catalog.Relation
	// Source produces one column per table column in table order,
	// including a hidden _row_id as NULL for the writer to fill, with
	// defaults applied and values coerced with assignment casts.
	Source Plan
	// Returning is computed over the table's columns (all of them, in
	// table order) of each inserted row.
	Returning        []expr.Expr
	ReturningColumns []OutputColumn
	// OnConflict says what to do with a row that conflicts; nil: raise.
	OnConflict *OnConflictPlan
}

// OnConflictPlan is INSERT … ON CONFLICT: which constraint's conflicts it
// takes (the arbiter), and what it does with a row that conflicts on it.
// Conflicts on any other constraint raise as without ON CONFLICT.
type OnConflictPlan struct {
	Arbiter Arbiter
	// DoUpdate: the existing row is updated to Set, computed over the
	// existing row's columns followed by the proposed row's (EXCLUDED),
	// all table columns each, when Where (over the same) is true or nil.
	// Otherwise (DO NOTHING) the proposed row is skipped.
	DoUpdate bool
	Set      []expr.Expr
	Where    expr.Expr
}

// Arbiter names the constraint ON CONFLICT takes the conflicts of.
type Arbiter int

const (
	// ArbiterAny takes every constraint's conflicts (DO NOTHING without
	// a conflict target).
	ArbiterAny Arbiter = -2
	// ArbiterPrimaryKey is the table's primary key.
	ArbiterPrimaryKey Arbiter = -1
	// Arbiters from 0 are indexes into the table's Unique constraints.
)

// UpdatePlan updates Table's rows.
type UpdatePlan struct {
	Table *catalog.Relation
	// Source produces, for every matching row, the old row (all table
	// columns) followed by the new row (all table columns).
	Source Plan
	// Returning is computed over the new row's columns (table order).
	Returning        []expr.Expr
	ReturningColumns []OutputColumn
}

// DeletePlan deletes Table's rows.
type DeletePlan struct {
	Table *catalog.Relation
	// Source produces the full old rows (all table columns).
	Source Plan
	// Returning is computed over the deleted row's columns (table order).
	Returning        []expr.Expr
	ReturningColumns []OutputColumn
}

// MaterializedViewPlan is a materialized view's dataflow.
type MaterializedViewPlan struct {
	// Root stores the view; its RelationID is left 0 for the session to set.
	Root *Materialize
	// Columns are the view's columns: the visible ones, then the hidden
	// stream-key columns carried to store rows by.
	Columns []catalog.Column
	// Key is the stream key as indexes into Columns.
	Key []int
	// DependsOn are the ids of the relations the view reads, ascending.
	DependsOn []uint32
}
