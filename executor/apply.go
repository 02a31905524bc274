package executor

import (
	"context"
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Apply evaluates a subquery once per input row: it binds the row's
// OuterColumns after the outer values already bound (expr.Context.Outer),
// builds the subquery's operators over the same storage reader and runs
// them. It is the fallback for correlated subqueries and LATERAL items
// that the planner could not turn into joins, so it must be right for any
// subquery rather than fast.
//
// Runs are memoised by the exact outer values (their text, not SQL
// equality: 1.0 and 1.00 may give different answers), so an uncorrelated
// subquery runs once and a correlated one once per distinct outer row.
//
// Scalar: NULL for no row, error 21000 for more than one (raised when the
// second row arrives, as PostgreSQL does). Exists reads at most one chunk.
// Any/All fold the subquery's boolean column with three-valued OR/AND.
// Inner/Left emit, per input row in order, the pairs with every subquery
// row (Left: one NULL-extended row when there are none).
type Apply struct {
	plan     *planner.Apply
	input    Operator
	reader   storage.Reader
	ectx     *expr.Context
	inTypes  []types.T
	subTypes []types.T
	outTypes []types.T

	cache   map[string]applyResult
	keyBuf  []byte
	pending []*chunk.Chunk
}

// applyResult is one run's outcome: a value, or the rows of a LATERAL item.
type applyResult struct {
	value types.Datum
	rows  [][]types.Datum
}

var _ Operator = (*Apply)(nil)

// NewApply returns an Apply of p reading r; it builds the input now and the
// subquery per run.
func NewApply(p *planner.Apply, r storage.Reader, ectx *expr.Context) (*Apply, error) {
	in, err := build(p.Input, r, ectx)
	if err != nil {
		return nil, err
	}
	return &Apply{
		plan:     p,
		input:    in,
		reader:   r,
		ectx:     ectx,
		inTypes:  planner.Types(p.Input),
		subTypes: planner.Types(p.Subquery),
		outTypes: planner.Types(p),
		cache:    map[string]applyResult{},
	}, nil
}

// outerKey is the exact identity of row i's outer values.
func (a *Apply) outerKey(c *chunk.Chunk, i int) ([]types.Datum, string) {
	vals := make([]types.Datum, len(a.plan.OuterColumns))
	a.keyBuf = a.keyBuf[:0]
	for k, col := range a.plan.OuterColumns {
		d := chunk.Datum(c.Column(col), a.inTypes[col], i)
		vals[k] = d
		if d == nil {
			a.keyBuf = append(a.keyBuf, 0)
			continue
		}
		s := types.FormatText(a.inTypes[col], d)
		a.keyBuf = append(a.keyBuf, 1)
		a.keyBuf = binary.AppendUvarint(a.keyBuf, uint64(len(s)))
		a.keyBuf = append(a.keyBuf, s...)
	}
	return vals, string(a.keyBuf)
}

// run evaluates the subquery with the given outer values.
func (a *Apply) run(ctx context.Context, vals []types.Datum) (applyResult, error) {
	inner := *a.ectx
	inner.Outer = append(append([]types.Datum{}, a.ectx.Outer...), vals...)
	op, err := build(a.plan.Subquery, a.reader, &inner)
	if err != nil {
		return applyResult{}, err
	}
	defer op.Close()
	var res applyResult
	sawNull := false
	for {
		c, err := op.Next(ctx)
		if err != nil {
			return applyResult{}, err
		}
		if c == nil {
			break
		}
		switch a.plan.Kind {
		case planner.ApplyExists:
			return applyResult{value: true}, nil
		case planner.ApplyScalar:
			if len(res.rows)+c.Len() > 1 {
				return applyResult{}, pgerror.New(pgerror.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
			res.rows = append(res.rows, c.Row(0))
		case planner.ApplyArray:
			for i := 0; i < c.Len(); i++ {
				res.rows = append(res.rows, []types.Datum{c.Datum(i, 0)})
			}
		case planner.ApplyAny, planner.ApplyAll:
			want := a.plan.Kind == planner.ApplyAny // the value that decides
			for i := 0; i < c.Len(); i++ {
				d := c.Datum(i, 0)
				if d == nil {
					sawNull = true
					continue
				}
				if d.(bool) == want {
					return applyResult{value: want}, nil
				}
			}
		default:
			for i := 0; i < c.Len(); i++ {
				res.rows = append(res.rows, c.Row(i))
			}
		}
	}
	switch a.plan.Kind {
	case planner.ApplyExists:
		res.value = false
	case planner.ApplyScalar:
		if len(res.rows) == 1 {
			res.value = res.rows[0][0]
		}
		res.rows = nil
	case planner.ApplyAny, planner.ApplyAll:
		if !sawNull {
			res.value = a.plan.Kind == planner.ApplyAll
		}
	case planner.ApplyArray:
		arr := make(types.Array, len(res.rows))
		for i, row := range res.rows {
			arr[i] = row[0]
		}
		res.value, res.rows = arr, nil
	}
	return res, nil
}

func (a *Apply) result(ctx context.Context, c *chunk.Chunk, i int) (applyResult, error) {
	vals, key := a.outerKey(c, i)
	if r, ok := a.cache[key]; ok {
		return r, nil
	}
	if err := checkContext(ctx); err != nil {
		return applyResult{}, err
	}
	r, err := a.run(ctx, vals)
	if err != nil {
		return applyResult{}, err
	}
	a.cache[key] = r
	return r, nil
}

func (a *Apply) Next(ctx context.Context) (*chunk.Chunk, error) {
	for {
		if len(a.pending) > 0 {
			c := a.pending[0]
			a.pending = a.pending[1:]
			return c, nil
		}
		c, err := a.input.Next(ctx)
		if err != nil || c == nil {
			return nil, err
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		switch a.plan.Kind {
		case planner.ApplyInner, planner.ApplyLeft:
			if err := a.lateral(ctx, c); err != nil {
				return nil, err
			}
		default:
			t := a.outTypes[len(a.outTypes)-1]
			b := array.NewBuilder(mem, t.ArrowType())
			for i := 0; i < c.Len(); i++ {
				r, err := a.result(ctx, c, i)
				if err != nil {
					b.Release()
					return nil, err
				}
				chunk.AppendDatum(b, t, r.value)
			}
			cols := make([]arrow.Array, 0, len(a.outTypes))
			for j := range a.inTypes {
				cols = append(cols, c.Column(j))
			}
			cols = append(cols, b.NewArray())
			b.Release()
			return newChunk(a.outTypes, cols, c.Len()), nil
		}
	}
}

// lateral queues the pairs of c's rows with their subquery rows.
func (a *Apply) lateral(ctx context.Context, c *chunk.Chunk) error {
	b := chunk.NewBuilder(a.outTypes)
	row := make([]types.Datum, len(a.outTypes))
	nulls := make([]types.Datum, len(a.subTypes))
	for i := 0; i < c.Len(); i++ {
		r, err := a.result(ctx, c, i)
		if err != nil {
			return err
		}
		subRows := r.rows
		if len(subRows) == 0 && a.plan.Kind == planner.ApplyLeft {
			subRows = [][]types.Datum{nulls}
		}
		for _, sr := range subRows {
			for j := range a.inTypes {
				row[j] = c.Datum(i, j)
			}
			copy(row[len(a.inTypes):], sr)
			b.Append(chunk.Insert, row)
			if b.Len() == chunkSize {
				a.pending = append(a.pending, b.Build())
			}
		}
	}
	if b.Len() > 0 {
		a.pending = append(a.pending, b.Build())
	}
	return nil
}

func (a *Apply) Close() {
	a.input.Close()
	a.cache, a.pending = nil, nil
}
