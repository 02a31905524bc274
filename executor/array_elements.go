package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// arrayElements produces the rows of the table functions that walk one
// array: generate_subscripts(array, dim [, reverse]), the array's
// subscripts from its lower bound (0 for int2vector and oidvector, else
// 1), in reverse order when asked; and information_schema._pg_expandarray
// (array), each element x with its position n counted from 1. A NULL
// array, or a dimension other than 1, gives no rows.
type arrayElements struct {
	plan  *planner.TableFunction
	ectx  *expr.Context
	types []types.T

	started bool
	arr     types.Array
	lower   int64
	reverse bool
	next    int
}

var _ Operator = (*arrayElements)(nil)

func (f *arrayElements) start() error {
	f.started = true
	args, err := evalConstants(f.ectx, f.plan.Args)
	if err != nil {
		return err
	}
	if args[0] == nil {
		return nil
	}
	if len(args) > 1 && (args[1] == nil || args[1].(int64) != 1) {
		return nil
	}
	f.arr = args[0].(types.Array)
	f.lower = f.plan.Args[0].Type().LowerBound()
	f.reverse = len(args) > 2 && args[2] != nil && args[2].(bool)
	return nil
}

func (f *arrayElements) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !f.started {
		if err := f.start(); err != nil {
			return nil, err
		}
	}
	if f.next >= len(f.arr) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder(f.types)
	row := make([]types.Datum, len(f.types))
	for ; f.next < len(f.arr) && b.Len() < chunkSize; f.next++ {
		i := f.next
		if f.reverse {
			i = len(f.arr) - 1 - f.next
		}
		if f.plan.Name == "generate_subscripts" {
			row[0] = f.lower + int64(i)
		} else {
			row[0], row[1] = f.arr[i], int64(i+1)
		}
		b.Append(chunk.Insert, row)
	}
	return b.Build(), nil
}

func (f *arrayElements) Close() { f.next = len(f.arr) }
