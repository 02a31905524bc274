package planner

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

const (
	Union SetOpKind = iota
	Intersect
	Except
)

// SetOp combines Left's and Right's rows, which have the same column
// types. UNION ALL is every row of both; UNION the distinct ones;
// INTERSECT and EXCEPT the distinct rows of Left that are (are not) in
// Right, and with ALL as many copies as the counts allow (min(m, n) and
// max(m-n, 0)). Rows compare as GROUP BY compares them: NULLs equal. Batch
// plans only.
type SetOp struct {
	Node
	Kind        SetOpKind
	All         bool
	Left, Right Plan
}

// TableFunction produces the rows of a set-returning function in FROM.
// Its Args read no input columns: they are evaluated once (they may read
// parameters and, under an Apply, outer values). Batch plans only.
type TableFunction struct {
	Node
	// Name is the function: generate_series, or unnest (one output
	// column per array argument, read side by side, NULL-padded).
	Name string
	Args []expr.Expr
	// Add computes the next value of a series from a chunk of two columns
	// (the current value, the step), for the types without a native loop.
	Add expr.Expr
	// Ordinality (WITH ORDINALITY): the last output column, a bigint,
	// numbers the function's rows from 1.
	Ordinality bool
}

func (p *SetOp) Inputs() []Plan         { return []Plan{p.Left, p.Right} }
func (p *TableFunction) Inputs() []Plan { return nil }

var (
	_ Plan = (*SetOp)(nil)
	_ Plan = (*TableFunction)(nil)
)

// FrameBound is one end of a window frame.
type FrameBound uint8

const (
	UnboundedPreceding FrameBound = iota
	OffsetPreceding
	CurrentRow
	OffsetFollowing
	UnboundedFollowing
)

// WindowFrame is the rows an aggregate, first_value, last_value or
// nth_value sees for each row. Rows false is RANGE mode, where CURRENT ROW
// means the row's peers (equal on ORDER BY) and an offset bound is a value
// distance from the row's single ORDER BY key.
// The default frame is RANGE from UNBOUNDED PRECEDING to CURRENT ROW.
type WindowFrame struct {
	Rows                   bool
	Start, End             FrameBound
	StartOffset, EndOffset int64
	// StartValue and EndValue, for RANGE offset bounds, compute from each
	// input row the ORDER BY value at which its frame starts or ends.
	StartValue, EndValue expr.Expr
}

// WindowOrder is one ORDER BY entry of a window.
type WindowOrder struct {
	Expr       expr.Expr
	Desc       bool
	NullsFirst bool
}

// WindowFunc is one window function call. Aggregates take their Args
// (Star for count(*)) and Filter as in an Aggregate.
type WindowFunc struct {
	Name        string
	Args        []expr.Expr
	Star        bool
	Filter      expr.Expr
	PartitionBy []expr.Expr
	OrderBy     []WindowOrder
	Frame       WindowFrame
	Result      types.T
}

// Window computes window functions over its whole input, all expressions
// being over the input's columns. Output: the input's columns, then one
// per function. Batch plans only.
type Window struct {
	Node
	Input Plan
	Funcs []WindowFunc
}

func (p *Window) Inputs() []Plan { return []Plan{p.Input} }

var _ Plan = (*Window)(nil)
