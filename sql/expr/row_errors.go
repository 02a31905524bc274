package expr

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// RowError is the error one row of a chunk raised when an expression was
// evaluated over it.
type RowError struct {
	// Row is the row's index in the chunk.
	Row int
	Err *pgerror.Error
}

// IsRowError reports whether err is an error a row's data caused (division
// by zero, overflow, invalid input or cast, a bad jsonb path, …) rather than
// a bug or a failure of the server: a *pgerror.Error of any class but
// internal error (XX), insufficient resources (53), operator intervention
// (57) and system error (58).
func IsRowError(err error) bool {
	var pe *pgerror.Error
	if !errors.As(err, &pe) || len(pe.Code) != 5 {
		return false
	}
	switch pe.Code[:2] {
	case "XX", "53", "57", "58":
		return false
	}
	return true
}

// EvalTolerant evaluates e over in as Eval does, except that a row whose
// evaluation fails with a row error (IsRowError) gets NULL, and its error is
// returned in rowErrs, in row order; every other row gets its value. Any
// other error fails the whole evaluation.
//
// The chunk is evaluated column-wise as by Eval; only when that fails is it
// evaluated again in blocks of 64 rows (zero-copy slices), and a block that
// fails in halves, recursively, until the failing rows stand alone: a
// chunk with k bad rows costs one more evaluation of the chunk and about
// k·12 evaluations of small slices. It relies on evaluation being row by row deterministic, as
// every expression a streaming plan may hold is (functions that move with
// time or chance are refused there): so the retraction of a row yields the
// same NULL as its insertion did.
func EvalTolerant(ctx *Context, e Expr, in *chunk.Chunk) (arrow.Array, []RowError, error) {
	arr, err := e.Eval(ctx, in)
	if err == nil {
		return arr, nil, nil
	}
	if !IsRowError(err) {
		return nil, nil, err
	}
	values := make([]types.Datum, in.Len())
	var rowErrs []RowError
	// Blocks first, then halves of the blocks that fail: a few bad rows
	// cost a little more than one evaluation of the chunk, where halving
	// the whole chunk would evaluate most rows again for each bad row.
	for lo := 0; lo < in.Len(); lo += toleranceBlock {
		hi := min(lo+toleranceBlock, in.Len())
		if err := evalSplitting(ctx, e, in, lo, hi, nil, values, &rowErrs); err != nil {
			return nil, nil, err
		}
	}
	return datumsToArray(e.Type(), values), rowErrs, nil
}

// toleranceBlock is the rows of the blocks a chunk whose evaluation failed
// is evaluated in again.
const toleranceBlock = 64

// evalSplitting evaluates e over rows [lo, hi) of in: as a whole when
// failed is nil, else (their evaluation together failed with failed) by halves (zero-copy slices of in), storing
// each row's value in values (NULL for a row that fails alone) and
// appending the failures in row order.
func evalSplitting(ctx *Context, e Expr, in *chunk.Chunk, lo, hi int, failed error, values []types.Datum, rowErrs *[]RowError) error {
	if failed != nil && hi-lo == 1 {
		*rowErrs = append(*rowErrs, RowError{Row: lo, Err: pgerror.From(failed)})
		return nil
	}
	parts := [][2]int{{lo, hi}} // not evaluated yet: as a whole
	if failed != nil {
		mid := lo + (hi-lo)/2
		parts = [][2]int{{lo, mid}, {mid, hi}}
	}
	for _, half := range parts {
		sub := &chunk.Chunk{Types: in.Types, Batch: in.Batch.NewSlice(int64(half[0]), int64(half[1]))}
		if in.Ops != nil {
			sub.Ops = in.Ops[half[0]:half[1]]
		}
		arr, err := e.Eval(ctx, sub)
		sub.Batch.Release()
		switch {
		case err == nil:
			t := e.Type()
			for i := half[0]; i < half[1]; i++ {
				values[i] = chunk.Datum(arr, t, i-half[0])
			}
			arr.Release()
		case IsRowError(err):
			if err := evalSplitting(ctx, e, in, half[0], half[1], err, values, rowErrs); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return nil
}
