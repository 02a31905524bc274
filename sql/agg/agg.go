// Package agg owns aggregate functions: their result types and their
// accumulators, shared by batch aggregation (executor) and streaming
// aggregation (mview).
//
// Each aggregate is one Definition (definition.go), registered by the file
// of its family (count.go, sum_avg.go, variance.go, min_max.go,
// bool_and_or.go, string_agg.go, array_agg.go, json_agg.go, bit_agg.go,
// regression.go) with its result types, its accumulator and whether it is
// invertible; Lookup finds it by name. A Call is stored in a plan by the
// Definition's name, its expressions and result type (call_codec.go), and
// decoding resolves it again.
//
// An accumulator takes rows with a sign: +1 for an inserted row, -1 for a
// retracted one. Invertible aggregates (count, sum, avg, and the others
// whose state can subtract) accept retractions directly. The others (min,
// max, string_agg, array_agg, bool_and/or) are not invertible: streaming
// aggregation keeps the multiset of their inputs in a state table and
// recomputes them from it; batch aggregation only ever adds.
//
// Accumulator state encodes to bytes so mview can keep it in storage.
package agg

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Call is a bound aggregate call: func(DISTINCT args) FILTER (WHERE filter).
type Call struct {
	Name     string // lower case: count, sum, avg, min, max, …
	Star     bool   // count(*)
	Args     []expr.Expr
	Distinct bool
	Filter   expr.Expr // nil when absent
	Result   types.T
}

// Accumulator folds the argument values of one group.
type Accumulator interface {
	// Add folds one row's argument values with sign +1 or -1. Rows whose
	// FILTER is false are never passed. A strict aggregate ignores rows with
	// a NULL argument.
	Add(args []types.Datum, sign int64) error
	// Result is the aggregate's value for the rows folded so far.
	Result() (types.Datum, error)
	// MarshalBinary and UnmarshalBinary persist the state.
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}
