package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// TableFunction produces the rows of generate_series(start, stop [,
// step]): start, start+step, … while not past stop (below it for a
// negative step). A NULL argument gives no rows; a zero step is error
// 22023. Integers count natively and stop before overflowing; numerics
// and timestamps step with the plan's Add expression, one value at a time,
// so that month steps behave as PostgreSQL's (Jan 31, Feb 28, Mar 28).
// The series is produced lazily, a chunk at a time.
type TableFunction struct {
	plan *planner.TableFunction
	ectx *expr.Context
	t    types.T

	started bool
	done    bool
	cur     types.Datum
	stop    types.Datum
	step    types.Datum
	up      bool
}

var _ Operator = (*TableFunction)(nil)

// NewTableFunction returns a TableFunction of p.
func NewTableFunction(p *planner.TableFunction, ectx *expr.Context) (Operator, error) {
	if p.Ordinality {
		return newOrdinality(p, ectx)
	}
	if p.Name == "unnest" {
		return &unnest{plan: p, ectx: ectx, types: planner.Types(p)}, nil
	}
	if p.Name == "generate_subscripts" || p.Name == "_pg_expandarray" {
		return &arrayElements{plan: p, ectx: ectx, types: planner.Types(p)}, nil
	}
	if expr.IsSetFunc(p.Name) {
		return &setFunction{plan: p, ectx: ectx, types: planner.Types(p)}, nil
	}
	if p.Name != "generate_series" {
		return nil, pgerror.Internal("executor: unknown table function %s", p.Name)
	}
	return &TableFunction{plan: p, ectx: ectx, t: p.Out[0].Type}, nil
}

func (f *TableFunction) start() error {
	args, err := evalConstants(f.ectx, f.plan.Args)
	if err != nil {
		return err
	}
	for _, a := range args {
		if a == nil {
			f.done = true
			return nil
		}
	}
	f.cur, f.stop = args[0], args[1]
	stepType := f.t
	switch {
	case len(args) == 3:
		f.step, stepType = args[2], f.plan.Args[2].Type()
	case f.t.IsInteger():
		f.step = int64(1)
	default:
		if f.step, err = types.ParseNumeric("1"); err != nil {
			return err
		}
	}
	var zero types.Datum = int64(0)
	switch {
	case stepType.Kind == types.KindInterval:
		zero = types.Interval{}
	case stepType.Kind == types.KindNumeric:
		if zero, err = types.ParseNumeric("0"); err != nil {
			return err
		}
	}
	sign := types.Compare(stepType, f.step, zero)
	if sign == 0 {
		return pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
	}
	f.up = sign > 0
	return nil
}

// past reports whether v is beyond stop.
func (f *TableFunction) past(v types.Datum) bool {
	c := types.Compare(f.t, v, f.stop)
	if f.up {
		return c > 0
	}
	return c < 0
}

func (f *TableFunction) next(v types.Datum) (types.Datum, bool, error) {
	if f.t.IsInteger() {
		x, s := v.(int64), f.step.(int64)
		n := x + s
		lo, hi := f.t.IntRange()
		if (s > 0 && n < x) || (s < 0 && n > x) || n < lo || n > hi {
			return nil, false, nil
		}
		return n, true, nil
	}
	row := chunk.FromRows([]types.T{f.t, stepTypeOf(f.plan)}, [][]types.Datum{{v, f.step}})
	arr, err := f.plan.Add.Eval(f.ectx, row)
	if err != nil {
		return nil, false, err
	}
	defer arr.Release()
	return chunk.Datum(arr, f.t, 0), true, nil
}

func stepTypeOf(p *planner.TableFunction) types.T {
	if len(p.Args) == 3 {
		return p.Args[2].Type()
	}
	return p.Out[0].Type
}

func (f *TableFunction) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !f.started {
		f.started = true
		if err := f.start(); err != nil {
			return nil, err
		}
	}
	if f.done {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder([]types.T{f.t})
	row := make([]types.Datum, 1)
	for b.Len() < chunkSize {
		if f.past(f.cur) {
			f.done = true
			break
		}
		row[0] = f.cur
		b.Append(chunk.Insert, row)
		n, ok, err := f.next(f.cur)
		if err != nil {
			return nil, err
		}
		if !ok {
			f.done = true
			break
		}
		f.cur = n
	}
	if b.Len() == 0 {
		return nil, nil
	}
	return b.Build(), nil
}

func (f *TableFunction) Close() { f.done = true }

// unnest produces the elements of its array arguments side by side, one
// row per index up to the longest array, NULL where an array is shorter or
// NULL.
type unnest struct {
	plan   *planner.TableFunction
	ectx   *expr.Context
	types  []types.T
	arrays []types.Array
	rows   int
	next   int
	done   bool
}

func (u *unnest) Next(ctx context.Context) (*chunk.Chunk, error) {
	if u.done {
		return nil, nil
	}
	if u.arrays == nil {
		args, err := evalConstants(u.ectx, u.plan.Args)
		if err != nil {
			return nil, err
		}
		u.arrays = make([]types.Array, len(args))
		for i, a := range args {
			if a != nil {
				u.arrays[i] = a.(types.Array)
			}
			u.rows = max(u.rows, len(u.arrays[i]))
		}
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder(u.types)
	row := make([]types.Datum, len(u.types))
	for ; u.next < u.rows && b.Len() < chunkSize; u.next++ {
		for i, arr := range u.arrays {
			row[i] = nil
			if u.next < len(arr) {
				row[i] = arr[u.next]
			}
		}
		b.Append(chunk.Insert, row)
	}
	if b.Len() == 0 {
		u.done = true
		return nil, nil
	}
	return b.Build(), nil
}

func (u *unnest) Close() { u.done = true }
