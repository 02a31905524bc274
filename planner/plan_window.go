package planner

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
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

var frameBoundNames = [...]string{UnboundedPreceding: "UNBOUNDED PRECEDING", OffsetPreceding: "PRECEDING", CurrentRow: "CURRENT ROW", OffsetFollowing: "FOLLOWING", UnboundedFollowing: "UNBOUNDED FOLLOWING"}

// String is the bound as SQL writes it, without the offset of an offset bound.
func (b FrameBound) String() string { return frameBoundNames[b] }

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
