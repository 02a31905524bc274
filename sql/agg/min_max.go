package agg

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

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
