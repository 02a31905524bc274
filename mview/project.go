package mview

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Project computes Exprs over each row of its input.
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
	for j, e := range p.exprs {
		arr, err := e.Eval(p.evalCtx, c)
		if err != nil {
			return err
		}
		cols[j] = arr
	}
	emit(&chunk.Chunk{
		Types: p.types,
		Batch: array.NewRecordBatch(chunk.Schema(p.types), cols, int64(c.Len())),
		Ops:   c.Ops,
	})
	return nil
}

func (p *Project) barrier(*Barrier, func(*chunk.Chunk)) error { return nil }
