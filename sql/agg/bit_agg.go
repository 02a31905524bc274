package agg

import (
	"github.com/eddy-db/eddy/sql/types"
)

// bit_and, bit_or and bit_xor over the integer types. Not invertible:
// streaming aggregation recomputes them from the input multiset.

func init() {
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				switch k := argTypes[0].Kind; k {
				case types.KindInt16, types.KindInt32, types.KindInt64:
					return types.T{Kind: k}, nil
				case types.KindUnknown:
					return types.Unknown, notUnique(name, argTypes)
				}
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(name string, _ []types.T) Accumulator { return &bitAccumulator{name: name} },
	}, "bit_and", "bit_or", "bit_xor")
}

// bitAccumulator is bit_and, bit_or and bit_xor: NULL over no non-NULL
// rows.
type bitAccumulator struct {
	name  string
	seen  bool
	value int64
}

func (a *bitAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible(a.name)
	}
	if args[0] == nil {
		return nil
	}
	v := args[0].(int64)
	switch {
	case !a.seen:
		a.value = v
	case a.name == "bit_and":
		a.value &= v
	case a.name == "bit_or":
		a.value |= v
	default:
		a.value ^= v
	}
	a.seen = true
	return nil
}

func (a *bitAccumulator) Result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return a.value, nil
}

func (a *bitAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.bool(a.seen)
	w.int(a.value)
	return w.buf, nil
}

func (a *bitAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.seen = r.bool()
	a.value = r.int()
	return r.done()
}
