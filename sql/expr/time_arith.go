package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// newTimeArith is time ± interval and time - time; other operators on
// time (the comparisons) are NewBinary's.
func newTimeArith(op string, l, r Expr) (Expr, bool, error) {
	var err error
	if l.Type().Kind == types.KindUnknown || r.Type().Kind == types.KindUnknown {
		if op != "+" && op != "-" {
			return nil, false, nil
		}
		// time - 'literal' reads the literal as a time in PostgreSQL only
		// when that resolves; interval is the usual intent.
		if l.Type().Kind == types.KindUnknown {
			l, err = Coerce(l, types.IntervalType)
		} else {
			r, err = Coerce(r, types.IntervalType)
		}
		if err != nil {
			return nil, true, err
		}
	}
	lk, rk := l.Type().Kind, r.Type().Kind
	mk := func(t types.T, fn func(x, y types.Datum) (types.Datum, error)) (Expr, bool, error) {
		return &Binary{Op: op, Left: l, Right: r, T: t, fn: fn}, true, nil
	}
	wrap := func(us int64) types.Datum {
		us %= types.MicrosPerDay
		if us < 0 {
			us += types.MicrosPerDay
		}
		return types.TimeOfDay(us)
	}
	switch {
	case lk == types.KindTime && rk == types.KindInterval && (op == "+" || op == "-"):
		return mk(types.TimeType, func(x, y types.Datum) (types.Datum, error) {
			d := y.(types.Interval).Micros % types.MicrosPerDay
			if op == "-" {
				d = -d
			}
			return wrap(int64(x.(types.TimeOfDay)) + d), nil
		})
	case lk == types.KindInterval && rk == types.KindTime && op == "+":
		return mk(types.TimeType, func(x, y types.Datum) (types.Datum, error) {
			return wrap(int64(y.(types.TimeOfDay)) + x.(types.Interval).Micros%types.MicrosPerDay), nil
		})
	case lk == types.KindDate && rk == types.KindTime && op == "+":
		return mk(types.TimestampType, func(x, y types.Datum) (types.Datum, error) {
			return dateAtTime(x.(types.Date), y.(types.TimeOfDay)), nil
		})
	case lk == types.KindTime && rk == types.KindDate && op == "+":
		return mk(types.TimestampType, func(x, y types.Datum) (types.Datum, error) {
			return dateAtTime(y.(types.Date), x.(types.TimeOfDay)), nil
		})
	case lk == types.KindTime && rk == types.KindTime && op == "-":
		return mk(types.IntervalType, func(x, y types.Datum) (types.Datum, error) {
			return types.Interval{Micros: int64(x.(types.TimeOfDay)) - int64(y.(types.TimeOfDay))}, nil
		})
	}
	return nil, false, nil
}

// dateAtTime is date + time: the timestamp at that time of day.
func dateAtTime(d types.Date, t types.TimeOfDay) types.Timestamp {
	switch d {
	case types.DatePosInfinity:
		return types.TimestampPosInfinity
	case types.DateNegInfinity:
		return types.TimestampNegInfinity
	}
	return types.Timestamp(int64(d)*types.MicrosPerDay + int64(t))
}
