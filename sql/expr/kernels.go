package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Typed views of arrays for the hot loops. valid is nil when the array has
// no NULLs, which is also what the Arrow builders' AppendValues expect.

func validity(a arrow.Array) []bool {
	if a.NullN() == 0 {
		return nil
	}
	v := make([]bool, a.Len())
	for i := range v {
		v[i] = a.IsValid(i)
	}
	return v
}

// intValues returns the values of an Int16/Int32/Int64 array as int64s.
func intValues(a arrow.Array) ([]int64, []bool) {
	switch x := a.(type) {
	case *array.Int64:
		return x.Int64Values(), validity(a)
	case *array.Int32:
		src := x.Int32Values()
		out := make([]int64, len(src))
		for i, v := range src {
			out[i] = int64(v)
		}
		return out, validity(a)
	case *array.Int16:
		src := x.Int16Values()
		out := make([]int64, len(src))
		for i, v := range src {
			out[i] = int64(v)
		}
		return out, validity(a)
	}
	return nil, nil
}

// floatValues returns the values of a Float32/Float64 array as float64s.
func floatValues(a arrow.Array) ([]float64, []bool) {
	switch x := a.(type) {
	case *array.Float64:
		return x.Float64Values(), validity(a)
	case *array.Float32:
		src := x.Float32Values()
		out := make([]float64, len(src))
		for i, v := range src {
			out[i] = float64(v)
		}
		return out, validity(a)
	}
	return nil, nil
}

// andValid combines two validity slices (nil = all valid).
func andValid(a, b []bool) []bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] && b[i]
	}
	return out
}

// buildInts makes an array of an integer kind's Arrow type.
func buildInts(dt arrow.DataType, vals []int64, valid []bool) arrow.Array {
	switch dt.ID() {
	case arrow.INT16:
		b := array.NewInt16Builder(mem)
		defer b.Release()
		v16 := make([]int16, len(vals))
		for i, v := range vals {
			v16[i] = int16(v)
		}
		b.AppendValues(v16, valid)
		return b.NewArray()
	case arrow.INT32:
		b := array.NewInt32Builder(mem)
		defer b.Release()
		v32 := make([]int32, len(vals))
		for i, v := range vals {
			v32[i] = int32(v)
		}
		b.AppendValues(v32, valid)
		return b.NewArray()
	}
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

func buildFloats(dt arrow.DataType, vals []float64, valid []bool) arrow.Array {
	if dt.ID() == arrow.FLOAT32 {
		b := array.NewFloat32Builder(mem)
		defer b.Release()
		v32 := make([]float32, len(vals))
		for i, v := range vals {
			v32[i] = float32(v)
		}
		b.AppendValues(v32, valid)
		return b.NewArray()
	}
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

func buildBools(vals []bool, valid []bool) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}
