package executor

import (
	"context"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Column helpers shared by the operators: selection of rows by index
// (take), boolean masks to selections, and building chunks from arrays.

var mem = memory.DefaultAllocator

// newChunk wraps arrays of the given SQL types as an all-insert chunk.
func newChunk(ts []types.T, cols []arrow.Array, rows int) *chunk.Chunk {
	return &chunk.Chunk{Types: ts, Batch: array.NewRecordBatch(chunk.Schema(ts), cols, int64(rows))}
}

// emptyChunk is a chunk with no columns and n rows, the input over which
// constant expressions (VALUES, LIMIT $1, key prefixes) are evaluated.
func emptyChunk(n int) *chunk.Chunk {
	return newChunk(nil, nil, n)
}

// evalConstants evaluates expressions that read no columns, once.
func evalConstants(ectx *expr.Context, es []expr.Expr) ([]types.Datum, error) {
	in := emptyChunk(1)
	out := make([]types.Datum, len(es))
	for i, e := range es {
		arr, err := e.Eval(ectx, in)
		if err != nil {
			return nil, err
		}
		out[i] = chunk.Datum(arr, e.Type(), 0)
		arr.Release()
	}
	return out, nil
}

// selectTrue appends to sel the rows where mask (a boolean array) is true:
// false and NULL both drop a row.
func selectTrue(mask arrow.Array, sel []int32) ([]int32, error) {
	b, ok := mask.(*array.Boolean)
	if !ok {
		return nil, pgerror.Internal("executor: predicate produced %s, not boolean", mask.DataType())
	}
	n := b.Len()
	if b.NullN() == 0 {
		for i := 0; i < n; i++ {
			if b.Value(i) {
				sel = append(sel, int32(i))
			}
		}
		return sel, nil
	}
	for i := 0; i < n; i++ {
		if b.IsValid(i) && b.Value(i) {
			sel = append(sel, int32(i))
		}
	}
	return sel, nil
}

// selectRows returns the chunk of c's rows at sel, in that order; c itself
// when sel selects every row in order.
func selectRows(c *chunk.Chunk, sel []int32) *chunk.Chunk {
	if len(sel) == c.Len() {
		identity := true
		for i, s := range sel {
			if int(s) != i {
				identity = false
				break
			}
		}
		if identity {
			return c
		}
	}
	cols := make([]arrow.Array, len(c.Types))
	for j := range c.Types {
		cols[j] = take(c.Column(j), sel)
	}
	return newChunk(c.Types, cols, len(sel))
}

// sliceChunk is the zero-copy chunk of rows [i, j) of c.
func sliceChunk(c *chunk.Chunk, i, j int) *chunk.Chunk {
	if i == 0 && j == c.Len() {
		return c
	}
	return &chunk.Chunk{Types: c.Types, Batch: c.Batch.NewSlice(int64(i), int64(j))}
}

// nullArray is an array of n NULLs of SQL type t.
func nullArray(t types.T, n int) arrow.Array {
	b := array.NewBuilder(mem, t.ArrowType())
	defer b.Release()
	b.AppendNulls(n)
	return b.NewArray()
}

type valueArray[T any] interface {
	arrow.Array
	Value(int) T
}

type valueBuilder[T any] interface {
	array.Builder
	Append(T)
}

func takeValues[T any](a valueArray[T], b valueBuilder[T], sel []int32) {
	b.Reserve(len(sel))
	if a.NullN() == 0 {
		for _, i := range sel {
			if i < 0 {
				b.AppendNull()
				continue
			}
			b.Append(a.Value(int(i)))
		}
		return
	}
	for _, i := range sel {
		if i < 0 || a.IsNull(int(i)) {
			b.AppendNull()
			continue
		}
		b.Append(a.Value(int(i)))
	}
}

// take gathers the values of arr at the indexes in sel; an index of -1
// gives NULL (the missing side of an outer join).
func take(arr arrow.Array, sel []int32) arrow.Array {
	b := array.NewBuilder(mem, arr.DataType())
	defer b.Release()
	switch a := arr.(type) {
	case *array.Int64:
		takeValues[int64](a, b.(*array.Int64Builder), sel)
	case *array.Int32:
		takeValues[int32](a, b.(*array.Int32Builder), sel)
	case *array.Int16:
		takeValues[int16](a, b.(*array.Int16Builder), sel)
	case *array.Float64:
		takeValues[float64](a, b.(*array.Float64Builder), sel)
	case *array.Float32:
		takeValues[float32](a, b.(*array.Float32Builder), sel)
	case *array.Boolean:
		takeValues[bool](a, b.(*array.BooleanBuilder), sel)
	case *array.String:
		takeValues[string](a, b.(*array.StringBuilder), sel)
	case *array.Binary:
		takeValues[[]byte](a, b.(*array.BinaryBuilder), sel)
	case *array.Date32:
		takeValues[arrow.Date32](a, b.(*array.Date32Builder), sel)
	case *array.Timestamp:
		takeValues[arrow.Timestamp](a, b.(*array.TimestampBuilder), sel)
	case *array.MonthDayNanoInterval:
		takeValues[arrow.MonthDayNanoInterval](a, b.(*array.MonthDayNanoIntervalBuilder), sel)
	case *array.FixedSizeBinary: // uuid
		takeValues[[]byte](a, b.(*array.FixedSizeBinaryBuilder), sel)
	case *array.Time64:
		takeValues[arrow.Time64](a, b.(*array.Time64Builder), sel)
	default:
		b.AppendNulls(len(sel))
	}
	return b.NewArray()
}

// drain reads op to its end and returns everything it produced as one
// chunk (empty when it produced nothing): the input of the operators that
// must see all their input first (a join's build side, sort, window).
func drain(ctx context.Context, op Operator, ts []types.T) (*chunk.Chunk, error) {
	var chunks []*chunk.Chunk
	for {
		c, err := op.Next(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			break
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		chunks = append(chunks, c)
	}
	return concatChunks(ts, chunks)
}

// concatChunks joins chunks of the same types into one chunk.
func concatChunks(ts []types.T, cs []*chunk.Chunk) (*chunk.Chunk, error) {
	if len(cs) == 1 {
		return cs[0], nil
	}
	rows := 0
	for _, c := range cs {
		rows += c.Len()
	}
	cols := make([]arrow.Array, len(ts))
	for j, t := range ts {
		if len(cs) == 0 {
			cols[j] = nullArray(t, 0)
			continue
		}
		parts := make([]arrow.Array, len(cs))
		for i, c := range cs {
			parts[i] = c.Column(j)
		}
		arr, err := array.Concatenate(parts, mem)
		if err != nil {
			return nil, pgerror.Internal("executor: concatenate: %v", err)
		}
		cols[j] = arr
	}
	return newChunk(ts, cols, rows), nil
}
