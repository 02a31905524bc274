package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// justify_hours, justify_days and justify_interval: an interval with its
// hours carried into days and its days into months.

func init() {
	register(textFunc("justify_hours", []types.T{types.IntervalType}, types.IntervalType, func(a []types.Datum) (types.Datum, error) {
		return justifyHours(a[0].(types.Interval)), nil
	}), "justify_hours")
	register(textFunc("justify_days", []types.T{types.IntervalType}, types.IntervalType, func(a []types.Datum) (types.Datum, error) {
		return justifyDays(a[0].(types.Interval)), nil
	}), "justify_days")
	register(textFunc("justify_interval", []types.T{types.IntervalType}, types.IntervalType, func(a []types.Datum) (types.Datum, error) {
		return justifyInterval(a[0].(types.Interval)), nil
	}), "justify_interval")
}

func justifyHours(iv types.Interval) types.Interval {
	d := iv.Micros / types.MicrosPerDay
	iv.Days += int32(d)
	iv.Micros -= d * types.MicrosPerDay
	switch {
	case iv.Days > 0 && iv.Micros < 0:
		iv.Micros += types.MicrosPerDay
		iv.Days--
	case iv.Days < 0 && iv.Micros > 0:
		iv.Micros -= types.MicrosPerDay
		iv.Days++
	}
	return iv
}

func justifyDays(iv types.Interval) types.Interval {
	m := iv.Days / 30
	iv.Months += m
	iv.Days -= m * 30
	switch {
	case iv.Months > 0 && iv.Days < 0:
		iv.Days += 30
		iv.Months--
	case iv.Months < 0 && iv.Days > 0:
		iv.Days -= 30
		iv.Months++
	}
	return iv
}

// justifyInterval is PostgreSQL's interval_justify_interval.
func justifyInterval(iv types.Interval) types.Interval {
	d := iv.Micros / types.MicrosPerDay
	iv.Micros -= d * types.MicrosPerDay
	iv.Days += int32(d)
	m := iv.Days / 30
	iv.Days -= m * 30
	iv.Months += m
	switch {
	case iv.Months > 0 && (iv.Days < 0 || iv.Days == 0 && iv.Micros < 0):
		iv.Days += 30
		iv.Months--
	case iv.Months < 0 && (iv.Days > 0 || iv.Days == 0 && iv.Micros > 0):
		iv.Days -= 30
		iv.Months++
	}
	switch {
	case iv.Days > 0 && iv.Micros < 0:
		iv.Micros += types.MicrosPerDay
		iv.Days--
	case iv.Days < 0 && iv.Micros > 0:
		iv.Micros -= types.MicrosPerDay
		iv.Days++
	}
	return iv
}
