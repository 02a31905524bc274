package mview

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Project computes Exprs over each row of its input. An expression that
// fails on a row (division by zero, …) is NULL in that row, and its error
// recorded (view_errors.go); the retraction of the row gets the same NULL.
//
// Input: any change chunks. Retractions: every row keeps its op, so update
// pairs stay pairs (an UpdateBefore/UpdateAfter pair whose projected rows
// are equal is still forwarded; Materialize rewrites the same row). State:
// none. Ownership: each output chunk is new and shares no arrays the input
// may release.
type Project struct {
	exprs   []expr.Expr
	types   []types.T
	evalCtx *expr.Context
	errors  *rowErrorLog
}

// NewProject returns a Project computing exprs.
func NewProject(exprs []expr.Expr, evalCtx *expr.Context) *Project {
	ts := make([]types.T, len(exprs))
	for i, e := range exprs {
		ts[i] = e.Type()
	}
	return &Project{exprs: exprs, types: ts, evalCtx: evalCtx}
}

func (p *Project) chunk(_ int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	cols := make([]arrow.Array, len(p.exprs))
	var failed []expr.RowError
	for j, e := range p.exprs {
		arr, rowErrs, err := expr.EvalTolerant(p.evalCtx, e, c)
		if err != nil {
			for _, done := range cols[:j] {
				done.Release()
			}
			return err
		}
		failed = append(failed, rowErrs...)
		cols[j] = arr
	}
	p.errors.record(c, failed)
	emit(&chunk.Chunk{
		Types: p.types,
		Batch: array.NewRecordBatch(chunk.Schema(p.types), cols, int64(c.Len())),
		Ops:   c.Ops,
	})
	return nil
}

func (p *Project) barrier(b *Barrier, _ func(*chunk.Chunk)) error {
	p.errors.flush(b.Batch)
	return nil
}
