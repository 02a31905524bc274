package types

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// FormatText renders d in PostgreSQL's text output format for t, with the
// server defaults DateStyle 'ISO, MDY', IntervalStyle postgres and TimeZone
// UTC. It must not be called with nil.
func FormatText(t T, d Datum) string {
	switch v := d.(type) {
	case bool:
		if v {
			return "t"
		}
		return "f"
	case int64:
		if t.Kind == KindRegtype {
			return formatRegtype(v)
		}
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat(v, t.Kind == KindFloat32)
	case *apd.Decimal:
		return formatNumeric(v)
	case string:
		return v
	case []byte:
		return formatBytea(v)
	case Date:
		return formatDate(v)
	case Timestamp:
		if t.Kind == KindTimestampTZ && v != TimestampPosInfinity && v != TimestampNegInfinity {
			s := formatTimestamp(v)
			if strings.HasSuffix(s, " BC") {
				return s[:len(s)-3] + "+00 BC"
			}
			return s + "+00"
		}
		return formatTimestamp(v)
	case Interval:
		return FormatInterval(v)
	case UUIDValue:
		return FormatUUID(v)
	case TimeOfDay:
		return FormatTime(v)
	case *JSONValue:
		return FormatJSONB(v)
	case Array:
		if t.Kind == KindRecord {
			return formatRecord(t, v)
		}
		if t.Vector {
			return formatVector(t, v)
		}
		return FormatArray(t, v)
	}
	return fmt.Sprint(d)
}

func formatFloat(f float64, single bool) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	bits, maxExp := 64, 15 // DBL_DIG
	if single {
		bits, maxExp = 32, 6 // FLT_DIG
	}
	// PostgreSQL 12+ with extra_float_digits > 0 prints the shortest digits
	// that read back exactly (Ryu), in exponent form when the decimal
	// exponent is below -4 or at least DBL_DIG (FLT_DIG for real).
	e := strconv.FormatFloat(f, 'e', -1, bits)
	_, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= maxExp {
		return e
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

func formatBytea(b []byte) string {
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 2+2*len(b))
	out[0], out[1] = '\\', 'x'
	for i, c := range b {
		out[2+2*i] = hexdigits[c>>4]
		out[3+2*i] = hexdigits[c&0xf]
	}
	return string(out)
}

// formatNumeric prints the value with its scale, as PostgreSQL prints
// numeric's dscale digits; NaN and the infinities by name.
func formatNumeric(v *apd.Decimal) string {
	switch v.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if v.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	return NormalizeNumeric(v).Text('f')
}

func formatDate(d Date) string {
	switch d {
	case DatePosInfinity:
		return "infinity"
	case DateNegInfinity:
		return "-infinity"
	}
	tm := time.Unix(int64(d)*86400, 0).UTC()
	return formatYear(tm, tm.Format("-01-02"))
}

func formatTimestamp(ts Timestamp) string {
	switch ts {
	case TimestampPosInfinity:
		return "infinity"
	case TimestampNegInfinity:
		return "-infinity"
	}
	tm := time.UnixMicro(int64(ts)).UTC()
	s := tm.Format("-01-02 15:04:05.999999")
	return formatYear(tm, s)
}

// formatYear prefixes the year and appends " BC" for years before 1 AD, as
// PostgreSQL does.
func formatYear(tm time.Time, rest string) string {
	y := tm.Year()
	if y <= 0 {
		return fmt.Sprintf("%04d%s BC", 1-y, rest)
	}
	return fmt.Sprintf("%04d%s", y, rest)
}

// FormatInterval renders an interval in IntervalStyle postgres. As in
// PostgreSQL, a part gets a "+" only when it is positive and the part
// before it negative ("-1 years +2 days"), and the time is printed as a
// sign and the magnitude of its hours, minutes and seconds.
func FormatInterval(iv Interval) string {
	var out []byte
	years, months := iv.Months/12, iv.Months%12
	before := false // the last part written was negative
	appendPart := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		if before && n > 0 {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, n, 10)
		out = append(out, ' ')
		out = append(out, unit...)
		if n != 1 { // PostgreSQL writes "-1 days"
			out = append(out, 's')
		}
		before = n < 0
	}
	appendPart(int64(years), "year")
	appendPart(int64(months), "mon")
	appendPart(int64(iv.Days), "day")
	if iv.Micros != 0 || len(out) == 0 {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		// The magnitude as unsigned, so that MinInt64 has one.
		us := uint64(iv.Micros)
		if iv.Micros < 0 {
			us = -us
			out = append(out, '-')
		} else if before {
			out = append(out, '+')
		}
		h := us / 3600e6
		m := (us / 60e6) % 60
		sec := (us / 1e6) % 60
		frac := us % 1e6
		out = append(out, fmt.Sprintf("%02d:%02d:%02d", h, m, sec)...)
		if frac != 0 {
			f := strconv.FormatUint(frac+1e6, 10)[1:]
			for len(f) > 0 && f[len(f)-1] == '0' {
				f = f[:len(f)-1]
			}
			out = append(out, '.')
			out = append(out, f...)
		}
	}
	return string(out)
}
