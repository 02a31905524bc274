package agg

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func init() {
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				t := argTypes[0]
				switch t.Kind {
				case types.KindInt16, types.KindInt32, types.KindInt64, types.KindFloat32, types.KindFloat64,
					types.KindDate, types.KindTimestamp, types.KindTimestampTZ, types.KindInterval,
					types.KindUUID, types.KindTime, types.KindJSONB:
					return types.T{Kind: t.Kind}, nil
				case types.KindNumeric, types.KindChar:
					// The result keeps no length or precision modifier, as in
					// PostgreSQL, where aggregate results carry typmod -1.
					return types.T{Kind: t.Kind}, nil
				case types.KindText, types.KindVarchar, types.KindUnknown:
					// There is no max(varchar): it resolves to max(text).
					return types.Text, nil
				}
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(name string, argTypes []types.T) Accumulator {
			t := argTypes[0]
			if t.Kind == types.KindVarchar || t.Kind == types.KindUnknown {
				t = types.Text
			}
			return &minMaxAccumulator{name: name, max: name == "max", t: t}
		},
	}, "min", "max")
}

// minMaxAccumulator is min and max. Not invertible: a retraction is an
// error; streaming aggregation recomputes from the value multiset. On ties
// the later value wins, as in PostgreSQL's *_larger and *_smaller functions,
// which matters where equal values print differently (1.0 and 1.00, '1 day'
// and '24 hours').
type minMaxAccumulator struct {
	name  string
	max   bool
	t     types.T
	value types.Datum
}

func (a *minMaxAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible(a.name)
	}
	v := args[0]
	if v == nil {
		return nil
	}
	if a.value == nil {
		a.value = v
		return nil
	}
	c := types.Compare(a.t, a.value, v)
	if (a.max && c <= 0) || (!a.max && c >= 0) {
		a.value = v
	}
	return nil
}

func (a *minMaxAccumulator) Result() (types.Datum, error) { return a.value, nil }

func (a *minMaxAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.bool(a.value != nil)
	if a.value != nil {
		w.datum(a.t, a.value)
	}
	return w.buf, nil
}

func (a *minMaxAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.value = nil
	if r.bool() {
		a.value = r.datum(a.t)
	}
	return r.done()
}

func errNotInvertible(name string) error {
	return pgerror.Internal("agg: %s does not accept retractions", name)
}
