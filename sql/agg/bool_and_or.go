package agg

import "github.com/eddy-db/eddy/sql/types"

func init() {
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 && (argTypes[0].Kind == types.KindBool || argTypes[0].Kind == types.KindUnknown) {
				return types.Bool, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(name string, _ []types.T) Accumulator {
			return &boolAccumulator{name: name, and: name != "bool_or"}
		},
	}, "bool_and", "every", "bool_or")
}

// boolAccumulator is bool_and (and its alias every) and bool_or: NULL over
// no non-NULL rows. Not invertible.
type boolAccumulator struct {
	name  string
	and   bool
	seen  bool
	value bool
}

func (a *boolAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible(a.name)
	}
	if args[0] == nil {
		return nil
	}
	v := args[0].(bool)
	switch {
	case !a.seen:
		a.value = v
	case a.and:
		a.value = a.value && v
	default:
		a.value = a.value || v
	}
	a.seen = true
	return nil
}

func (a *boolAccumulator) Result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return a.value, nil
}

func (a *boolAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.bool(a.seen)
	w.bool(a.value)
	return w.buf, nil
}

func (a *boolAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.seen = r.bool()
	a.value = r.bool()
	return r.done()
}
