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
// split in halves, recursively, until the failing rows stand alone, so a
// chunk with k bad rows of n costs about k·log2(n) more evaluations of
// small chunks. It relies on evaluation being row by row deterministic, as
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
	rows := make([]int, in.Len())
	for i := range rows {
		rows[i] = i
	}
	values := make([]types.Datum, in.Len())
	var rowErrs []RowError
	if err := evalSplitting(ctx, e, in, rows, err, values, &rowErrs); err != nil {
		return nil, nil, err
	}
	return datumsToArray(e.Type(), values), rowErrs, nil
}

// evalSplitting evaluates e over the given rows of in, whose evaluation
// together failed with failed, by halves, storing each row's value in
// values (NULL for a row that fails alone) and appending the failures.
func evalSplitting(ctx *Context, e Expr, in *chunk.Chunk, rows []int, failed error, values []types.Datum, rowErrs *[]RowError) error {
	if len(rows) == 1 {
		*rowErrs = append(*rowErrs, RowError{Row: rows[0], Err: pgerror.From(failed)})
		return nil
	}
	mid := len(rows) / 2
	for _, half := range [][]int{rows[:mid], rows[mid:]} {
		sub := subChunk(in, half)
		arr, err := e.Eval(ctx, sub)
		sub.Batch.Release()
		switch {
		case err == nil:
			t := e.Type()
			for k, i := range half {
				values[i] = chunk.Datum(arr, t, k)
			}
			arr.Release()
		case IsRowError(err):
			if err := evalSplitting(ctx, e, in, half, err, values, rowErrs); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return nil
}
