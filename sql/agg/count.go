package agg

import "github.com/eddy-db/eddy/sql/types"

func init() {
	define(Definition{
		Invertible: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				return types.Int64, nil
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(string, []types.T) Accumulator { return &countAccumulator{} },
	}, "count")
}

// countAccumulator is count(*) and count(x): the number of rows (with a
// non-NULL argument). Invertible; its result is 0, never NULL, over no rows.
type countAccumulator struct {
	star bool
	n    int64
}

func (a *countAccumulator) Add(args []types.Datum, sign int64) error {
	if !a.star && args[0] == nil {
		return nil
	}
	a.n += sign
	return nil
}

func (a *countAccumulator) Result() (types.Datum, error) { return a.n, nil }

func (a *countAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.int(a.n)
	return w.buf, nil
}

func (a *countAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.n = r.int()
	return r.done()
}
