package expr

import (
	"math"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// justify_*, make_timestamp(tz), to_timestamp, to_date, isfinite,
// date_bin and OVERLAPS.

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

	six := []types.T{types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Float64}
	register(textFunc("make_timestamp", six, types.TimestampType, func(a []types.Datum) (types.Datum, error) {
		return makeTimestamp(a)
	}), "make_timestamp")
	register(func(args []Expr) (Expr, error) {
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
	}, "make_timestamptz")

	register(overloads(
		func(args []Expr) (Expr, error) {
			return call("to_timestamp", args, []types.T{types.Float64}, types.TimestampTZ, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return unixToTimestamp(a[0].(float64))
			})
		},
		func(args []Expr) (Expr, error) {
			return zonedRow(call("to_timestamp", args, []types.T{tText, tText}, types.TimestampTZ, func(ctx *Context, a []types.Datum) (types.Datum, error) {
				f, err := parseByTemplate(a[0].(string), a[1].(string))
				if err != nil {
					return nil, err
				}
				local := types.Timestamp(types.DaysFromCivil(f.year, f.month, f.day)*types.MicrosPerDay +
					f.hour*types.MicrosPerHour + f.min*types.MicrosPerMinute + f.sec*types.MicrosPerSecond + f.micros)
				if f.hasTZ {
					return types.Timestamp(int64(local) - f.tzOff*types.MicrosPerSecond), nil
				}
				return types.LocalToUTC(local, ctxZone(ctx)), nil
			}))
		}), "to_timestamp")
	register(textFunc("to_date", []types.T{tText, tText}, types.DateType, func(a []types.Datum) (types.Datum, error) {
		f, err := parseByTemplate(a[0].(string), a[1].(string))
		if err != nil {
			return nil, err
		}
		return types.Date(types.DaysFromCivil(f.year, f.month, f.day)), nil
	}), "to_date")

	register(func(args []Expr) (Expr, error) {
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
	}, "isfinite")

	register(func(args []Expr) (Expr, error) {
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
	}, "date_bin")

	register(func(args []Expr) (Expr, error) {
		if len(args) != 4 {
			return nil, errNoMatch
		}
		t := types.TimestampType
		for _, a := range args {
			if a.Type().Kind == types.KindTimestampTZ {
				t = types.TimestampTZ
			}
		}
		e, err := call("overlaps", args, []types.T{t, t, t, t}, types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return overlaps(a), nil
		})
		if r, ok := e.(*rowExpr); ok {
			r.strict = false
		}
		return e, err
	}, "overlaps")
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

// unixToTimestamp is to_timestamp(double precision).
func unixToTimestamp(secs float64) (types.Datum, error) {
	switch {
	case math.IsNaN(secs):
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp cannot be NaN")
	case math.IsInf(secs, 1):
		return types.TimestampPosInfinity, nil
	case math.IsInf(secs, -1):
		return types.TimestampNegInfinity, nil
	}
	us := math.RoundToEven(secs * types.MicrosPerSecond)
	// PostgreSQL's range: 4714-11-24 BC to 294277 AD.
	if us < -210866803200*types.MicrosPerSecond || us >= 9224318016000*types.MicrosPerSecond {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%v\"", secs)
	}
	return types.Timestamp(int64(us)), nil
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

// overlaps is (s1, e1) OVERLAPS (s2, e2) with PostgreSQL's treatment of
// NULL ends and of reversed periods.
func overlaps(a []types.Datum) types.Datum {
	s1, e1, s2, e2 := a[0], a[1], a[2], a[3]
	norm := func(s, e types.Datum) (types.Datum, types.Datum) {
		switch {
		case s == nil:
			return e, nil
		case e != nil && e.(types.Timestamp) < s.(types.Timestamp):
			return e, s
		}
		return s, e
	}
	s1, e1 = norm(s1, e1)
	s2, e2 = norm(s2, e2)
	if s1 == nil || s2 == nil {
		return nil
	}
	t1, t2 := s1.(types.Timestamp), s2.(types.Timestamp)
	switch {
	case t1 > t2:
		if e2 == nil {
			return nil
		}
		if t1 < e2.(types.Timestamp) {
			return true
		}
		if e1 == nil {
			return nil
		}
		return false
	case t1 < t2:
		if e1 == nil {
			return nil
		}
		if t2 < e1.(types.Timestamp) {
			return true
		}
		if e2 == nil {
			return nil
		}
		return false
	}
	if e1 == nil || e2 == nil {
		return nil
	}
	return true
}

// parseByTemplate reads s by a to_date/to_timestamp template: the numeric
// fields (YYYY, MM, DD, HH24, HH12, MI, SS, MS, US, DDD, J), month and day
// names, AM/PM and TZH/TZM; other template characters skip one input
// character.
func parseByTemplate(s, format string) (tmFields, error) {
	f := tmFields{year: 1, month: 1, day: 1}
	pm, hasPM, hour12 := false, false, false
	doy, julian := int64(0), int64(-1)
	i := 0
	bad := func(what string) error {
		return pgerror.New(pgerror.InvalidDatetimeFormat, "invalid value %q for %q", strings.TrimSpace(s[min(i, len(s)):]), what).
			WithDetail("Value must be an integer.")
	}
	skipSpaces := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	readInt := func(name string, width int) (int64, error) {
		skipSpaces()
		start := i
		neg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') && (name == "YYYY" || name == "TZH") {
			neg = s[i] == '-'
			i++
			start = i
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && (width <= 0 || i-start < width) {
			i++
		}
		if i == start {
			return 0, bad(name)
		}
		var n int64
		for _, c := range s[start:i] {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		return n, nil
	}
	readName := func(names []string, abbrev bool) (int64, error) {
		skipSpaces()
		for k, n := range names {
			if abbrev {
				n = n[:3]
			}
			if len(s)-i >= len(n) && strings.EqualFold(s[i:i+len(n)], n) {
				i += len(n)
				return int64(k), nil
			}
		}
		return 0, pgerror.New(pgerror.InvalidDatetimeFormat, "invalid value %q for month or day name", s[i:])
	}
	for j := 0; j < len(format); {
		p := format[j:]
		if strings.HasPrefix(p, "FM") || strings.HasPrefix(p, "fm") || strings.HasPrefix(p, "FX") || strings.HasPrefix(p, "fx") {
			j += 2
			continue
		}
		kw, ok := matchDCH(p)
		if !ok {
			if format[j] == '"' {
				k := strings.IndexByte(format[j+1:], '"')
				if k < 0 {
					k = len(format) - j - 1
				}
				i += k
				j += k + 2
				continue
			}
			if format[j] == ' ' {
				skipSpaces()
			} else if i < len(s) {
				i++
			}
			j++
			continue
		}
		j += len(kw.name)
		var err error
		var n int64
		switch up := strings.ToUpper(kw.name); up {
		case "YYYY", "IYYY":
			n, err = readInt(up, 0)
			if n <= 0 && err == nil {
				n++
			}
			f.year = n
		case "YYY", "YY", "Y":
			n, err = readInt(up, len(up))
			if err == nil {
				switch len(up) {
				case 2:
					if n < 70 {
						n += 2000
					} else if n < 100 {
						n += 1900
					}
				case 3:
					if n < 100 {
						n += 2000
					} else if n < 1000 {
						n += 1000
					}
				case 1:
					n += 2000
				}
			}
			f.year = n
		case "MM":
			f.month, err = readInt(up, 2)
		case "DD":
			f.day, err = readInt(up, 2)
		case "DDD":
			doy, err = readInt(up, 3)
		case "J":
			julian, err = readInt(up, 0)
		case "HH24":
			f.hour, err = readInt(up, 2)
		case "HH", "HH12":
			f.hour, err = readInt(up, 2)
			hour12 = true
		case "MI":
			f.min, err = readInt(up, 2)
		case "SS":
			f.sec, err = readInt(up, 2)
		case "MS":
			start := i
			n, err = readInt(up, 3)
			for k := i - start; k < 3; k++ {
				n *= 10
			}
			f.micros = n * 1000
		case "US":
			start := i
			n, err = readInt(up, 6)
			for k := i - start; k < 6; k++ {
				n *= 10
			}
			f.micros = n
		case "MONTH", "MON":
			n, err = readName(monthNames, up == "MON")
			f.month = n + 1
		case "DAY", "DY":
			_, err = readName(dayNames, up == "DY")
		case "AM", "PM", "A.M.", "P.M.":
			skipSpaces()
			hasPM = true
			if i+len(up) <= len(s) {
				pm = strings.EqualFold(s[i:i+1], "P")
				i += len(up)
			}
		case "TZH":
			n, err = readInt(up, 2)
			f.hasTZ, f.tzOff = true, n*3600
		case "TZM":
			n, err = readInt(up, 2)
			if f.tzOff < 0 {
				n = -n
			}
			f.hasTZ, f.tzOff = true, f.tzOff+n*60
		default:
			return f, pgerror.New(pgerror.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", kw.name)
		}
		if err != nil {
			return f, err
		}
	}
	if hasPM || hour12 {
		if f.hour < 1 || f.hour > 12 {
			return f, pgerror.New(pgerror.InvalidDatetimeFormat, "hour \"%d\" is invalid for the 12-hour clock", f.hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		f.hour %= 12
		if pm {
			f.hour += 12
		}
	}
	if julian >= 0 {
		f.year, f.month, f.day = types.CivilFromDays(julian - 2440588)
	} else if doy > 0 {
		f.year, f.month, f.day = types.CivilFromDays(types.DaysFromCivil(f.year, 1, 1) + doy - 1)
	}
	if f.month < 1 || f.month > 12 || f.day < 1 || f.day > types.DaysInMonth(f.year, f.month) {
		return f, pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	if f.hour > 24 || f.min > 59 || f.sec > 60 {
		return f, pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return f, nil
}

func init() {
	// make_interval(years, months, weeks, days, hours, mins, secs), each
	// defaulting to zero (the parser fills in named arguments).
	params := []types.T{types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Int32, types.Float64}
	register(func(args []Expr) (Expr, error) {
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
	}, "make_interval")
}
