package agg

import "github.com/eddy-db/eddy/sql/types"

func init() {
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 2 {
				a, b := argTypes[0], argTypes[1]
				if isTextLike(a) && isTextLike(b) {
					return types.Text, nil
				}
				if (a.Kind == types.KindBytea || a.Kind == types.KindUnknown) && (b.Kind == types.KindBytea || b.Kind == types.KindUnknown) &&
					(a.Kind == types.KindBytea || b.Kind == types.KindBytea) {
					return types.Bytea, nil
				}
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(_ string, argTypes []types.T) Accumulator {
			return &stringAggAccumulator{bytea: argTypes[0].Kind == types.KindBytea || argTypes[1].Kind == types.KindBytea}
		},
	}, "string_agg")
}

// stringAggAccumulator is string_agg(value, delimiter) over text or bytea:
// the non-NULL values joined, each after the first preceded by its own
// row's delimiter (a NULL delimiter adds nothing). NULL over no non-NULL
// values. Not invertible.
type stringAggAccumulator struct {
	bytea bool
	seen  bool
	buf   []byte
}

func (a *stringAggAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible("string_agg")
	}
	if args[0] == nil {
		return nil
	}
	if a.seen {
		a.buf = appendStringish(a.buf, args[1])
	}
	a.buf = appendStringish(a.buf, args[0])
	a.seen = true
	return nil
}

func appendStringish(buf []byte, d types.Datum) []byte {
	switch v := d.(type) {
	case string:
		return append(buf, v...)
	case []byte:
		return append(buf, v...)
	}
	return buf
}

func (a *stringAggAccumulator) Result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	if a.bytea {
		return append([]byte(nil), a.buf...), nil
	}
	return string(a.buf), nil
}

func (a *stringAggAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.bool(a.seen)
	w.bytes(a.buf)
	return w.buf, nil
}

func (a *stringAggAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.seen = r.bool()
	a.buf = r.bytes()
	return r.done()
}
