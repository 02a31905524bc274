package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// setFunction produces the rows of one of sql/expr's set-returning
// functions (jsonb_each, regexp_matches, …): it evaluates the arguments
// once, computes every row, and returns them a chunk at a time. A NULL
// argument gives no rows.
type setFunction struct {
	plan  *planner.TableFunction
	ectx  *expr.Context
	types []types.T
	rows  [][]types.Datum
	next  int
	ready bool
}

var _ Operator = (*setFunction)(nil)

func (f *setFunction) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !f.ready {
		f.ready = true
		args, err := evalConstants(f.ectx, f.plan.Args)
		if err != nil {
			return nil, err
		}
		for _, a := range args {
			if a == nil {
				return nil, nil
			}
		}
		argTypes := make([]types.T, len(f.plan.Args))
		for i, a := range f.plan.Args {
			argTypes[i] = a.Type()
		}
		fn, err := expr.ResolveSetFunc(f.plan.Name, argTypes)
		if err != nil {
			return nil, err
		}
		if f.rows, err = fn.Rows(args); err != nil {
			return nil, err
		}
	}
	if f.next >= len(f.rows) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder(f.types)
	for ; f.next < len(f.rows) && b.Len() < chunkSize; f.next++ {
		b.Append(chunk.Insert, f.rows[f.next])
	}
	return b.Build(), nil
}

func (f *setFunction) Close() { f.rows = nil }
