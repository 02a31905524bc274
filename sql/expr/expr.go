// Package expr owns bound scalar expressions and their evaluation: the one
// implementation of SQL scalar semantics that batch queries (executor) and
// streaming views (mview) share, so the two can never disagree.
//
// An Expr is evaluated a chunk at a time: Eval returns one Arrow array with a
// value per row of the input chunk. Kernels work column-wise; NULLs follow
// PostgreSQL's rules (strict functions return NULL on a NULL argument; AND,
// OR, CASE, COALESCE and IS [NOT] DISTINCT FROM are the non-strict ones).
//
// It owns the typing of expressions: the constructors (NewBinary, NewFunc,
// NewCase, Coerce, CommonType, ...) resolve operators and functions by
// argument types and insert PostgreSQL's implicit coercions, returning
// *pgerror.Error for type mistakes; ConstFold evaluates constant subtrees.
// Each scalar function registers all its overloads in one place, each with
// the signature it binds (functions.go): an overload whose parameters are
// exactly the argument types wins, otherwise they are tried in order; a
// name or signature registered twice panics at start, and
// testdata/signatures lists every signature.
// Value semantics (input, output, comparison, hashing, casts) live in
// sql/types. It does not own name resolution (planner) nor aggregate and
// window functions (sql/agg), though IsWindowFunction tells the binder
// where a window call goes (agg.IsAggregate does for aggregates).
//
// Batch queries fail on the first row error, as PostgreSQL does; streaming
// operators call EvalTolerant, which evaluates the chunk the same way and,
// only when that fails, finds the rows that fail and makes their values
// NULL (row_errors.go).
//
// Expressions have a stored form for the plans kept in the catalog
// (codec.go): leaves by their fields, every other node as the call of the
// exported constructor that built it (origin.go), so decoding resolves the
// same function or operator again by name and argument types; types are
// stored by name and modifiers (type_codec.go), never by Kind number or a
// record shape's position.
//
// Invariants: Eval never panics on user data and returns errors as
// *pgerror.Error; CASE, COALESCE, AND and OR evaluate later arguments only
// on the rows that need them, so an error in an untaken branch is never
// raised; the caller releases the array Eval returns.
package expr

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// Expr is a bound, typed scalar expression.
type Expr interface {
	// Type is the SQL type of the result.
	Type() types.T
	// Eval computes the expression for every row of in. The returned array
	// has in.Len() entries and the Arrow type of Type().
	Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error)
	// String prints the expression for EXPLAIN, with columns as #index or
	// their names.
	String() string
}

// Context carries what evaluation may depend on beyond the input rows.
type Context struct {
	// Now is the statement's transaction timestamp (now(), CURRENT_TIMESTAMP).
	Now time.Time
	// TimeZone is the session's TimeZone for timestamptz conversions.
	TimeZone *time.Location
	// Params are the bound values of $1..$n.
	Params []types.Datum
	// Outer holds the values of the enclosing query's columns that a
	// correlated subquery reads (OuterRef), bound by the operator that runs
	// the subquery once per outer row.
	Outer []types.Datum
	// Session answers current_setting, current_schema and friends; may be nil.
	Session SessionInfo
	// WorkTables holds, by label, the working tables of the WITH RECURSIVE
	// queries running: the rows their recursive term reads in the current
	// iteration. The executor's recursive union sets them.
	WorkTables map[int][]*chunk.Chunk
}

// SessionInfo is what session-dependent functions read.
type SessionInfo interface {
	Setting(name string) (string, bool)
	CurrentSchema() string
	CurrentDatabase() string
	CurrentUser() string
	BackendPID() int32
}

// ColumnRef reads column Index of the input chunk.
type ColumnRef struct {
	Index int
	T     types.T
	Name  string // for EXPLAIN only
}

func (c *ColumnRef) Type() types.T { return c.T }

func (c *ColumnRef) Eval(_ *Context, in *chunk.Chunk) (arrow.Array, error) {
	col := in.Column(c.Index)
	col.Retain()
	return col, nil
}

func (c *ColumnRef) String() string {
	if c.Name != "" {
		return c.Name
	}
	return fmt.Sprintf("#%d", c.Index)
}

// NewColumnRef refers to column index of type t.
func NewColumnRef(index int, t types.T, name string) *ColumnRef {
	return &ColumnRef{Index: index, T: t, Name: name}
}
