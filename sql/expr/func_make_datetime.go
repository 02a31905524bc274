package expr

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// make_timestamp, make_timestamptz and make_interval: values built from
// their fields.

func init() {
	six := []types.T{types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Float64}
	register(textFunc("make_timestamp", six, types.TimestampType, func(a []types.Datum) (types.Datum, error) {
		return makeTimestamp(a)
	}), "make_timestamp")
	register(custom(func(args []Expr) (Expr, error) {
		params := append(append([]types.T{}, six...), types.Text)
		if len(args) == 6 {
			params = six
		}
		return zonedRow(call("make_timestamptz", args, params, types.TimestampTZ, func(ctx *Context, a []types.Datum) (types.Datum, error) {
			local, err := makeTimestamp(a[:6])
			if err != nil {
				return nil, err
			}
			zone := ctxZone(ctx)
			if len(a) == 7 {
				z, ok := types.LookupZone(a[6].(string))
				if !ok {
					return nil, pgerror.New(pgerror.InvalidParameterValue, "time zone %q not recognized", a[6].(string))
				}
				zone = z
			}
			return types.LocalToUTC(local.(types.Timestamp), zone), nil
		}))
	}, "(integer, integer, integer, integer, integer, double precision) timestamp with time zone", "(integer, integer, integer, integer, integer, double precision, text) timestamp with time zone"), "make_timestamptz")
	// make_interval(years, months, weeks, days, hours, mins, secs), each
	// defaulting to zero (the parser fills in named arguments).
	params := []types.T{types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Float64}
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) > len(params) {
			return nil, errNoMatch
		}
		return call("make_interval", args, params[:len(args)], types.IntervalType, func(_ *Context, a []types.Datum) (types.Datum, error) {
			var v [7]float64
			for i, d := range a {
				if i == 6 {
					v[i] = d.(float64)
				} else {
					v[i] = float64(d.(int64))
				}
			}
			months := v[0]*12 + v[1]
			days := v[2]*7 + v[3]
			us := math.RoundToEven((v[4]*3600+v[5]*60)*types.MicrosPerSecond + v[6]*types.MicrosPerSecond)
			if math.Abs(months) > math.MaxInt32 || math.Abs(days) > math.MaxInt32 || math.IsNaN(us) || math.Abs(us) > math.MaxInt64 {
				return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
			}
			return types.Interval{Months: int32(months), Days: int32(days), Micros: int64(us)}, nil
		})
	}, "(integer, integer, integer, integer, integer, integer, double precision) interval"), "make_interval")
}

func makeTimestamp(a []types.Datum) (types.Datum, error) {
	y, m, d, h, mi := a[0].(int64), a[1].(int64), a[2].(int64), a[3].(int64), a[4].(int64)
	sec := a[5].(float64)
	if y < 0 {
		y++
	}
	if y == 0 || m < 1 || m > 12 || d < 1 || d > types.DaysInMonth(y, m) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", a[0], m, d)
	}
	if h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || math.IsNaN(sec) ||
		h == 24 && (mi > 0 || sec > 0) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%02v", h, mi, sec)
	}
	us := int64(math.RoundToEven(sec * types.MicrosPerSecond))
	return types.Timestamp(types.DaysFromCivil(y, m, d)*types.MicrosPerDay + h*types.MicrosPerHour + mi*types.MicrosPerMinute + us), nil
}
