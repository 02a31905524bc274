package expr

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// date_bin(stride, source, origin): a timestamp rounded down to its bin.

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 3 {
			return nil, errNoMatch
		}
		t := types.TimestampType
		if args[1].Type().Kind == types.KindTimestampTZ || args[2].Type().Kind == types.KindTimestampTZ {
			t = types.TimestampTZ
		}
		return call("date_bin", args, []types.T{types.IntervalType, t, t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return dateBin(a[0].(types.Interval), a[1].(types.Timestamp), a[2].(types.Timestamp))
		})
	}, "(interval, timestamp without time zone, timestamp without time zone) timestamp without time zone", "(interval, timestamp with time zone, timestamp with time zone) timestamp with time zone"), "date_bin")
}

// dateBin is date_bin(stride, source, origin).
func dateBin(stride types.Interval, ts, origin types.Timestamp) (types.Datum, error) {
	if _, inf := infiniteDatum(ts); inf {
		return ts, nil
	}
	if _, inf := infiniteDatum(origin); inf {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "origin out of range")
	}
	if stride.Months != 0 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years")
	}
	s := int64(stride.Days)*types.MicrosPerDay + stride.Micros
	if s <= 0 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "stride must be greater than zero")
	}
	diff := int64(ts) - int64(origin)
	delta := diff - diff%s
	if diff < 0 && diff%s != 0 {
		delta -= s
	}
	return types.Timestamp(int64(origin) + delta), nil
}
