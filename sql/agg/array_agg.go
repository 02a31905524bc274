package agg

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// array_agg, jsonb_agg and jsonb_object_agg collect their inputs in
// arrival order (the planner sorts them for an ORDER BY in the call).
// Not invertible: streaming aggregation recomputes them from the input
// multiset. NULL inputs are kept, as in PostgreSQL; over no rows the
// result is NULL.

func init() {
	define(Definition{
		KeepsNulls: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if t, ok := arrayAggResultType(argTypes); ok {
				return t, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: newArrayAggAccumulator,
	}, "array_agg")
	define(Definition{
		KeepsNulls: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				return types.JSONB, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: newArrayAggAccumulator,
	}, "jsonb_agg")
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 2 {
				return types.JSONB, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(_ string, argTypes []types.T) Accumulator {
			return &jsonObjectAggAccumulator{keyT: argTypes[0], valT: argTypes[1]}
		},
	}, "jsonb_object_agg")
}

func newArrayAggAccumulator(name string, argTypes []types.T) Accumulator {
	t := argTypes[0]
	if t.Kind == types.KindUnknown {
		t = types.Text
	}
	return &arrayAggAccumulator{name: name, elem: t, json: name == "jsonb_agg"}
}

// arrayAggResultType is array_agg(anyelement) → anyarray.
func arrayAggResultType(argTypes []types.T) (types.T, bool) {
	if len(argTypes) != 1 {
		return types.Unknown, false
	}
	t := argTypes[0]
	if t.Kind == types.KindUnknown {
		t = types.Text
	}
	if !types.HasArrayType(t.Kind) {
		return types.Unknown, false
	}
	return types.ArrayOf(t), true
}

type arrayAggAccumulator struct {
	name  string
	elem  types.T
	json  bool // jsonb_agg
	items types.Array
	seen  bool
}

func (a *arrayAggAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible(a.name)
	}
	a.items = append(a.items, args[0])
	a.seen = true
	return nil
}

func (a *arrayAggAccumulator) Result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	if a.json {
		out := make([]*types.JSONValue, len(a.items))
		for i, d := range a.items {
			out[i] = expr.ToJSON(a.elem, d)
		}
		return types.NewJSONArray(out), nil
	}
	return append(types.Array{}, a.items...), nil
}

func (a *arrayAggAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.bool(a.seen)
	w.bytes(types.AppendArrayBytes(nil, types.ArrayOf(a.elem), a.items))
	return w.buf, nil
}

func (a *arrayAggAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.seen = r.bool()
	raw := r.bytes()
	if err := r.done(); err != nil {
		return err
	}
	items, _, err := types.DecodeArrayBytes(types.ArrayOf(a.elem), raw)
	if err != nil {
		return errCorruptState
	}
	a.items = items
	return nil
}

// jsonObjectAggAccumulator is jsonb_object_agg(key, value): a NULL key is
// an error, and of duplicate keys the last wins.
type jsonObjectAggAccumulator struct {
	keyT, valT types.T
	keys       []string
	vals       []*types.JSONValue
	seen       bool
}

func (a *jsonObjectAggAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible("jsonb_object_agg")
	}
	if args[0] == nil {
		return errNullJSONKey()
	}
	k := types.FormatText(a.keyT, args[0])
	if a.keyT.Kind == types.KindBool {
		k = map[bool]string{true: "true", false: "false"}[args[0].(bool)]
	}
	a.keys = append(a.keys, k)
	a.vals = append(a.vals, expr.ToJSON(a.valT, args[1]))
	a.seen = true
	return nil
}

func (a *jsonObjectAggAccumulator) Result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return types.NewJSONObject(a.keys, a.vals), nil
}

// The state is a jsonb array of [key, value] pairs in arrival order.
func (a *jsonObjectAggAccumulator) MarshalBinary() ([]byte, error) {
	pairs := make([]*types.JSONValue, len(a.keys))
	for i, k := range a.keys {
		pairs[i] = types.NewJSONArray([]*types.JSONValue{types.NewJSONString(k), a.vals[i]})
	}
	w := stateWriter{}
	w.bool(a.seen)
	w.bytes([]byte(types.FormatJSONB(types.NewJSONArray(pairs))))
	return w.buf, nil
}

func (a *jsonObjectAggAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.seen = r.bool()
	raw := r.bytes()
	if err := r.done(); err != nil {
		return err
	}
	v, err := types.ParseJSONB(string(raw))
	if err != nil || v.Type != types.JSONArray {
		return errCorruptState
	}
	a.keys, a.vals = nil, nil
	for _, p := range v.Elems {
		if p.Type != types.JSONArray || len(p.Elems) != 2 || p.Elems[0].Type != types.JSONString {
			return errCorruptState
		}
		a.keys = append(a.keys, p.Elems[0].Str)
		a.vals = append(a.vals, p.Elems[1])
	}
	return nil
}

func errNullJSONKey() error {
	return pgerror.New(pgerror.InvalidParameterValue, "field name must not be null")
}
