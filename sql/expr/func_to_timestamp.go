package expr

import (
	"math"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// to_timestamp and to_date: times read from Unix seconds or by a template.

func init() {
	register(overloads(
		typed([]types.T{types.Float64}, types.TimestampTZ, func(args []Expr) (Expr, error) {
			return call("to_timestamp", args, []types.T{types.Float64}, types.TimestampTZ, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return unixToTimestamp(a[0].(float64))
			})
		}),
		typed([]types.T{tText, tText}, types.TimestampTZ, func(args []Expr) (Expr, error) {
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
		})), "to_timestamp")
	register(textFunc("to_date", []types.T{tText, tText}, types.DateType, func(a []types.Datum) (types.Datum, error) {
		f, err := parseByTemplate(a[0].(string), a[1].(string))
		if err != nil {
			return nil, err
		}
		return types.Date(types.DaysFromCivil(f.year, f.month, f.day)), nil
	}), "to_date")
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
