package expr

import (
	"math"
	"os"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Version is what version() reports; clients parse the leading
// "PostgreSQL <major>.<minor>".
const Version = "PostgreSQL 15.0 (Eddy) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"

func nowMicros(ctx *Context) types.Timestamp {
	now := ctx.Now
	if now.IsZero() {
		now = time.Now()
	}
	return types.Timestamp(now.UnixMicro())
}

func ctxZone(ctx *Context) *time.Location {
	if ctx.TimeZone != nil {
		return ctx.TimeZone
	}
	return time.UTC
}

// session builds a volatile function of no arguments.
func session(name string, t types.T, fn func(ctx *Context) (types.Datum, error)) overloadList {
	return typed(nil, t, func(args []Expr) (Expr, error) {
		if len(args) != 0 {
			return nil, errNoMatch
		}
		return &rowExpr{name: name, t: t, volatile: true,
			fn: func(ctx *Context, _ []types.Datum) (types.Datum, error) { return fn(ctx) }}, nil
	})
}

func init() {
	register(session("now", types.TimestampTZ, func(ctx *Context) (types.Datum, error) { return nowMicros(ctx), nil }),
		"now", "current_timestamp", "transaction_timestamp", "statement_timestamp")
	register(session("clock_timestamp", types.TimestampTZ, func(*Context) (types.Datum, error) {
		return types.Timestamp(time.Now().UnixMicro()), nil
	}), "clock_timestamp")
	register(session("current_date", types.DateType, func(ctx *Context) (types.Datum, error) {
		t := time.UnixMicro(int64(nowMicros(ctx))).In(ctxZone(ctx))
		return types.Date(types.DaysFromCivil(int64(t.Year()), int64(t.Month()), int64(t.Day()))), nil
	}), "current_date")
	register(session("localtimestamp", types.TimestampType, func(ctx *Context) (types.Datum, error) {
		t := time.UnixMicro(int64(nowMicros(ctx))).In(ctxZone(ctx))
		_, off := t.Zone()
		return types.Timestamp(t.UnixMicro() + int64(off)*types.MicrosPerSecond), nil
	}), "localtimestamp")
	register(session("current_schema", types.Text, func(ctx *Context) (types.Datum, error) {
		if ctx.Session == nil {
			return "public", nil
		}
		return ctx.Session.CurrentSchema(), nil
	}), "current_schema")
	register(session("current_database", types.Text, func(ctx *Context) (types.Datum, error) {
		if ctx.Session == nil {
			return "eddy", nil
		}
		return ctx.Session.CurrentDatabase(), nil
	}), "current_database", "current_catalog")
	register(session("current_user", types.Text, func(ctx *Context) (types.Datum, error) {
		if ctx.Session == nil {
			return "eddy", nil
		}
		return ctx.Session.CurrentUser(), nil
	}), "current_user", "session_user", "user", "current_role")
	register(session("pg_backend_pid", types.Int32, func(ctx *Context) (types.Datum, error) {
		if ctx.Session == nil {
			return int64(os.Getpid()), nil
		}
		return int64(ctx.Session.BackendPID()), nil
	}), "pg_backend_pid")
	register(session("version", types.Text, func(*Context) (types.Datum, error) { return Version, nil }), "version")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) < 1 || len(args) > 2 {
			return nil, errNoMatch
		}
		params := []types.T{types.Text, types.Bool}[:len(args)]
		e, err := call("current_setting", args, params, types.Text, func(ctx *Context, a []types.Datum) (types.Datum, error) {
			name := strings.ToLower(a[0].(string))
			if ctx.Session != nil {
				if v, ok := ctx.Session.Setting(name); ok {
					return v, nil
				}
			}
			if len(a) == 2 && a[1].(bool) {
				return nil, nil
			}
			return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
		})
		if e != nil {
			e.(*rowExpr).volatile = true
		}
		return e, err
	}, "(text) text", "(text, boolean) text"), "current_setting")
	register(custom(func(args []Expr) (Expr, error) { return datePart("date_part", args) },
		"(text, timestamp without time zone) double precision", "(text, timestamp with time zone) double precision",
		"(text, interval) double precision", "(text, time without time zone) double precision"), "date_part")
	register(custom(func(args []Expr) (Expr, error) { return datePart("extract", args) },
		"(text, date) numeric", "(text, timestamp without time zone) numeric", "(text, timestamp with time zone) numeric",
		"(text, interval) numeric", "(text, time without time zone) numeric"), "extract")
	register(custom(dateTrunc, "(text, timestamp without time zone) timestamp without time zone",
		"(text, timestamp with time zone) timestamp with time zone", "(text, interval) interval"), "date_trunc")
	register(textFunc("make_date", []types.T{types.Int32, types.Int32, types.Int32}, types.DateType, func(a []types.Datum) (types.Datum, error) {
		y, m, d := a[0].(int64), a[1].(int64), a[2].(int64)
		if y < 0 {
			y++
		}
		if y == 0 || m < 1 || m > 12 || d < 1 || d > types.DaysInMonth(y, m) {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", a[0], m, d)
		}
		return types.Date(types.DaysFromCivil(y, m, d)), nil
	}), "make_date")
	register(custom(func(args []Expr) (Expr, error) {
		switch len(args) {
		case 1:
			e, err := call("age", args, []types.T{types.TimestampTZ}, types.IntervalType, func(ctx *Context, a []types.Datum) (types.Datum, error) {
				today := int64(nowMicros(ctx)) / types.MicrosPerDay * types.MicrosPerDay
				return age(types.Timestamp(today), a[0].(types.Timestamp)), nil
			})
			if e != nil {
				e.(*rowExpr).volatile = true
			}
			return e, err
		case 2:
			t := types.TimestampTZ
			if args[0].Type().Kind != types.KindTimestampTZ && args[1].Type().Kind != types.KindTimestampTZ {
				t = types.TimestampType
			}
			return zonedRow(call("age", args, []types.T{t, t}, types.IntervalType, func(ctx *Context, a []types.Datum) (types.Datum, error) {
				x, y := a[0].(types.Timestamp), a[1].(types.Timestamp)
				if t.Kind == types.KindTimestampTZ {
					x, y = types.UTCToLocal(x, ctxZone(ctx)), types.UTCToLocal(y, ctxZone(ctx))
				}
				return age(x, y), nil
			}))
		}
		return nil, errNoMatch
	}, "(timestamp with time zone) interval", "(timestamp without time zone, timestamp without time zone) interval", "(timestamp with time zone, timestamp with time zone) interval"), "age")
	register(overloads(custom(resolveNumericToChar, "(integer, text) text", "(bigint, text) text", "(real, text) text",
		"(double precision, text) text", "(numeric, text) text"), custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		k := args[0].Type().Kind
		switch k {
		case types.KindDate:
			k = types.KindTimestamp
		case types.KindTime:
			// As in PostgreSQL, time reaches to_char(interval) by its
			// implicit cast.
			k = types.KindInterval
		}
		if k != types.KindTimestamp && k != types.KindTimestampTZ && k != types.KindInterval {
			return nil, errNoMatch
		}
		return zonedRow(call("to_char", args, []types.T{{Kind: k}, types.Text}, types.Text, func(ctx *Context, a []types.Datum) (types.Datum, error) {
			if iv, ok := a[0].(types.Interval); ok {
				return toChar(fieldsOfInterval(iv), a[1].(string)), nil
			}
			ts := a[0].(types.Timestamp)
			if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
				return nil, nil
			}
			if k != types.KindTimestampTZ {
				return toChar(fieldsOf(ts), a[1].(string)), nil
			}
			zone := ctxZone(ctx)
			f := fieldsOf(types.UTCToLocal(ts, zone))
			f.hasTZ, f.tzAbbr, f.tzOff = true, types.ZoneAbbrev(ts, zone), types.ZoneOffset(ts, zone)
			return toChar(f, a[1].(string)), nil
		}))
	}, "(timestamp without time zone, text) text", "(timestamp with time zone, text) text", "(interval, text) text")), "to_char")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		k := args[0].Type().Kind
		switch k {
		case types.KindUnknown:
			k = types.KindDate
		case types.KindDate, types.KindTimestamp, types.KindTimestampTZ, types.KindInterval:
		default:
			return nil, errNoMatch
		}
		return call("isfinite", args, []types.T{{Kind: k}}, types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
			_, inf := infiniteDatum(a[0])
			return !inf, nil
		})
	}, "(date) boolean", "(timestamp without time zone) boolean", "(timestamp with time zone) boolean", "(interval) boolean"), "isfinite")
}

// tmFields is a broken-down timestamp.
type tmFields struct {
	year, month, day, hour, min, sec, micros int64
	dow, doy                                 int64
	interval                                 bool
	hasTZ                                    bool   // a timestamptz: TZ, OF, TZH, TZM apply
	tzAbbr                                   string // the zone's abbreviation
	tzOff                                    int64  // seconds east of UTC
}

func fieldsOf(ts types.Timestamp) tmFields {
	us := int64(ts)
	days := floorDivInt(us, types.MicrosPerDay)
	tod := us - days*types.MicrosPerDay
	y, m, d := types.CivilFromDays(days)
	return tmFields{
		year: y, month: m, day: d,
		hour: tod / types.MicrosPerHour, min: tod / types.MicrosPerMinute % 60, sec: tod / types.MicrosPerSecond % 60,
		micros: tod % types.MicrosPerSecond,
		dow:    ((days+4)%7 + 7) % 7,
		doy:    days - types.DaysFromCivil(y, 1, 1) + 1,
	}
}

func fieldsOfInterval(iv types.Interval) tmFields {
	us := iv.Micros
	return tmFields{
		year: int64(iv.Months / 12), month: int64(iv.Months % 12), day: int64(iv.Days),
		hour: us / types.MicrosPerHour, min: us / types.MicrosPerMinute % 60, sec: us / types.MicrosPerSecond % 60,
		micros: us % types.MicrosPerSecond, interval: true,
	}
}

// age is PostgreSQL's age(): field-wise differences with borrowing, so
// that months and years come out symbolic.
func age(a, b types.Timestamp) types.Interval {
	neg := a < b
	f1, f2 := fieldsOf(a), fieldsOf(b)
	us := (f1.hour-f2.hour)*types.MicrosPerHour + (f1.min-f2.min)*types.MicrosPerMinute +
		(f1.sec-f2.sec)*types.MicrosPerSecond + (f1.micros - f2.micros)
	day := f1.day - f2.day
	mon := f1.month - f2.month
	year := f1.year - f2.year
	if neg {
		us, day, mon, year = -us, -day, -mon, -year
	}
	for us < 0 {
		us += types.MicrosPerDay
		day--
	}
	for day < 0 {
		if neg {
			day += types.DaysInMonth(f1.year, f1.month)
		} else {
			day += types.DaysInMonth(f2.year, f2.month)
		}
		mon--
	}
	for mon < 0 {
		mon += 12
		year--
	}
	if neg {
		us, day, mon, year = -us, -day, -mon, -year
	}
	return types.Interval{Months: int32(year*12 + mon), Days: int32(day), Micros: us}
}

func datePart(name string, args []Expr) (Expr, error) {
	if len(args) != 2 {
		return nil, errNoMatch
	}
	k := args[1].Type().Kind
	switch k {
	case types.KindDate, types.KindTimestamp, types.KindTimestampTZ, types.KindInterval, types.KindTime:
	case types.KindUnknown:
		k = types.KindTimestampTZ
	default:
		return nil, errNoMatch
	}
	isDate := k == types.KindDate
	if isDate && name == "date_part" {
		k = types.KindTimestamp
	}
	ret := types.Float64
	if name == "extract" {
		ret = types.Numeric
	}
	e, err := call(name, args, []types.T{types.Text, {Kind: k}}, ret, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		field := strings.ToLower(a[0].(string))
		var num *apd.Decimal
		var err error
		if neg, inf := infiniteDatum(a[1]); inf {
			num, err = extractInfinite(field, neg, k)
			if num == nil || err != nil {
				return nil, err
			}
			if name == "extract" {
				return num, nil
			}
			if neg {
				return math.Inf(-1), nil
			}
			return math.Inf(1), nil
		}
		switch v := a[1].(type) {
		case types.Date:
			num, err = extractTS(field, types.Timestamp(int64(v)*types.MicrosPerDay), true)
		case types.Timestamp:
			if k == types.KindTimestampTZ {
				num, err = extractTSTZ(field, v, ctxZone(ctx))
				break
			}
			num, err = extractTS(field, v, false)
		case types.Interval:
			num, err = extractInterval(field, v)
		case types.TimeOfDay:
			num, err = extractTime(field, v)
		}
		if err != nil {
			return nil, err
		}
		if name == "extract" {
			return num, nil
		}
		f, _ := num.Float64()
		return f, nil
	})
	if k == types.KindTimestampTZ {
		return zonedRow(e, err)
	}
	return e, err
}

func errUnitUnsupported(field, t string) *pgerror.Error {
	return pgerror.New(pgerror.FeatureNotSupported, "unit %q not supported for type %s", field, t)
}

// secondsWithMicros is n microseconds as a numeric with scale 6.
func secondsWithMicros(us int64) *apd.Decimal { return apd.New(us, -6) }

func extractTS(field string, ts types.Timestamp, isDate bool) (*apd.Decimal, error) {
	f := fieldsOf(ts)
	i := func(n int64) (*apd.Decimal, error) { return apd.New(n, 0), nil }
	if isDate {
		switch field {
		case "hour", "minute", "second", "millisecond", "microsecond", "hours", "minutes", "seconds", "milliseconds", "microseconds":
			return nil, errUnitUnsupported(field, "date")
		case "epoch":
			return i(int64(ts) / types.MicrosPerSecond)
		}
	}
	switch strings.TrimSuffix(field, "s") {
	case "year", "y", "yr":
		if f.year <= 0 {
			return i(f.year - 1)
		}
		return i(f.year)
	case "month", "mon":
		return i(f.month)
	case "day":
		return i(f.day)
	case "hour", "h":
		return i(f.hour)
	case "minute", "min":
		return i(f.min)
	case "second", "sec":
		return secondsWithMicros(f.sec*types.MicrosPerSecond + f.micros), nil
	case "millisecond", "m":
		return apd.New(f.sec*types.MicrosPerSecond+f.micros, -3), nil
	case "microsecond", "u":
		return i(f.sec*types.MicrosPerSecond + f.micros)
	case "dow":
		return i(f.dow)
	case "isodow":
		if f.dow == 0 {
			return i(7)
		}
		return i(f.dow)
	case "doy":
		return i(f.doy)
	case "quarter":
		return i((f.month-1)/3 + 1)
	case "week":
		_, w := time.Date(int(f.year), time.Month(f.month), int(f.day), 0, 0, 0, 0, time.UTC).ISOWeek()
		return i(int64(w))
	case "isoyear":
		y, _ := time.Date(int(f.year), time.Month(f.month), int(f.day), 0, 0, 0, 0, time.UTC).ISOWeek()
		return i(int64(y))
	case "decade":
		return i(floorDivInt(f.year, 10))
	case "century":
		if f.year > 0 {
			return i((f.year + 99) / 100)
		}
		return i(-((99 - (f.year - 1)) / 100))
	case "millennium", "millennia":
		if f.year > 0 {
			return i((f.year + 999) / 1000)
		}
		return i(-((999 - (f.year - 1)) / 1000))
	case "epoch":
		return secondsWithMicros(int64(ts)), nil
	case "julian":
		return i(int64(ts)/types.MicrosPerDay + 2440588)
	case "timezone", "timezone_hour", "timezone_minute":
		return i(0)
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type timestamp without time zone", field)
}

func extractInterval(field string, iv types.Interval) (*apd.Decimal, error) {
	f := fieldsOfInterval(iv)
	i := func(n int64) (*apd.Decimal, error) { return apd.New(n, 0), nil }
	switch strings.TrimSuffix(field, "s") {
	case "year", "y", "yr":
		return i(f.year)
	case "month", "mon":
		return i(f.month)
	case "day":
		return i(f.day)
	case "hour", "h":
		return i(f.hour)
	case "minute", "min":
		return i(f.min)
	case "second", "sec":
		return secondsWithMicros(f.sec*types.MicrosPerSecond + f.micros), nil
	case "millisecond":
		return apd.New(f.sec*types.MicrosPerSecond+f.micros, -3), nil
	case "microsecond":
		return i(f.sec*types.MicrosPerSecond + f.micros)
	case "epoch":
		secs := int64(iv.Months/12)*365*86400 + int64(iv.Months%12)*30*86400 + int64(iv.Days)*86400
		// PostgreSQL counts a year as 365.25 days here.
		us := secs*types.MicrosPerSecond + int64(iv.Months/12)*21600*types.MicrosPerSecond + iv.Micros
		return secondsWithMicros(us), nil
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type interval", field)
}

func dateTrunc(args []Expr) (Expr, error) {
	if len(args) != 2 {
		return nil, errNoMatch
	}
	k := args[1].Type().Kind
	switch k {
	case types.KindDate, types.KindUnknown:
		k = types.KindTimestampTZ
	case types.KindTimestamp, types.KindTimestampTZ, types.KindInterval:
	default:
		return nil, errNoMatch
	}
	t := types.T{Kind: k}
	e, err := call("date_trunc", args, []types.T{types.Text, t}, t, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		field := strings.ToLower(a[0].(string))
		if iv, ok := a[1].(types.Interval); ok {
			return truncInterval(field, iv)
		}
		ts := a[1].(types.Timestamp)
		if k == types.KindTimestampTZ {
			return truncTimestampTZ(field, ts, ctxZone(ctx))
		}
		return truncTimestamp(field, ts, t)
	})
	if k == types.KindTimestampTZ {
		return zonedRow(e, err)
	}
	return e, err
}

// truncTimestamp is date_trunc on a wall-clock timestamp; t names the type
// in the error for an unknown unit.
func truncTimestamp(field string, ts types.Timestamp, t types.T) (types.Datum, error) {
	if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
		return ts, nil
	}
	f := fieldsOf(ts)
	us := int64(ts)
	day := func(y, m, d int64) types.Timestamp {
		return types.Timestamp(types.DaysFromCivil(y, m, d) * types.MicrosPerDay)
	}
	switch field {
	case "microseconds", "microsecond":
		return ts, nil
	case "milliseconds", "millisecond":
		return types.Timestamp(us - (f.micros % 1000)), nil
	case "second", "seconds":
		return types.Timestamp(us - f.micros), nil
	case "minute", "minutes":
		return types.Timestamp(us - f.micros - f.sec*types.MicrosPerSecond), nil
	case "hour", "hours":
		return types.Timestamp(us - f.micros - f.sec*types.MicrosPerSecond - f.min*types.MicrosPerMinute), nil
	case "day", "days":
		return day(f.year, f.month, f.day), nil
	case "week", "weeks":
		isodow := (f.dow+6)%7 + 0
		return types.Timestamp(int64(day(f.year, f.month, f.day)) - isodow*types.MicrosPerDay), nil
	case "month", "months":
		return day(f.year, f.month, 1), nil
	case "quarter":
		return day(f.year, (f.month-1)/3*3+1, 1), nil
	case "year", "years":
		return day(f.year, 1, 1), nil
	case "decade":
		return day(floorDivInt(f.year, 10)*10, 1, 1), nil
	case "century":
		return day(floorDivInt(f.year-1, 100)*100+1, 1, 1), nil
	case "millennium":
		return day(floorDivInt(f.year-1, 1000)*1000+1, 1, 1), nil
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type %s", field, t)
}

func truncInterval(field string, iv types.Interval) (types.Datum, error) {
	switch field {
	case "year", "years":
		return types.Interval{Months: iv.Months / 12 * 12}, nil
	case "month", "months":
		return types.Interval{Months: iv.Months}, nil
	case "day", "days":
		return types.Interval{Months: iv.Months, Days: iv.Days}, nil
	case "hour", "hours":
		return types.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros / types.MicrosPerHour * types.MicrosPerHour}, nil
	case "minute", "minutes":
		return types.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros / types.MicrosPerMinute * types.MicrosPerMinute}, nil
	case "second", "seconds":
		return types.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros / types.MicrosPerSecond * types.MicrosPerSecond}, nil
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type interval", field)
}

func yearAD(y int64) int64 {
	if y <= 0 {
		return 1 - y
	}
	return y
}

func monthName(f tmFields) string {
	if f.month < 1 || f.month > 12 {
		return "         "
	}
	return monthNames[f.month-1]
}
