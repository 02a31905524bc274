package agg

import (
	"strings"

	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// json_agg is not invertible: streaming aggregation recomputes it from the
// input multiset, NULLs included.

func init() {
	define(Definition{
		KeepsNulls: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				return types.JSON, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(_ string, argTypes []types.T) Accumulator {
			t := argTypes[0]
			if t.Kind == types.KindUnknown {
				t = types.Text
			}
			return &jsonAggAccumulator{elem: t}
		},
	}, "json_agg")
}

// jsonAggAccumulator is json_agg: the values as json text, in arrival
// order, NULLs as null; arrays and records after the first start on a new
// line, as PostgreSQL's json_agg writes them.
type jsonAggAccumulator struct {
	elem  types.T
	items []string
}

func (a *jsonAggAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible("json_agg")
	}
	a.items = append(a.items, expr.JSONText(a.elem, args[0]))
	return nil
}

func (a *jsonAggAccumulator) Result() (types.Datum, error) {
	if len(a.items) == 0 {
		return nil, nil
	}
	sep := ", "
	if a.elem.Kind == types.KindArray || a.elem.Kind == types.KindRecord {
		sep = ", \n "
	}
	return "[" + strings.Join(a.items, sep) + "]", nil
}

func (a *jsonAggAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.uint(uint64(len(a.items)))
	for _, s := range a.items {
		w.bytes([]byte(s))
	}
	return w.buf, nil
}

func (a *jsonAggAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	n := r.uint()
	a.items = nil
	for i := uint64(0); i < n && r.err == nil; i++ {
		a.items = append(a.items, string(r.bytes()))
	}
	return r.done()
}
