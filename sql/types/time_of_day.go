package types

import (
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// TimeOfDay is a time (without time zone) datum: microseconds since
// midnight, 0 through 24:00:00 inclusive as in PostgreSQL.
type TimeOfDay int64

// ParseTime is time's input function: H:M[:S[.frac]], with a date or a
// zone before or after it ignored as PostgreSQL ignores them, and the
// special values allballs and now.
func ParseTime(s string) (Datum, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "allballs":
		return TimeOfDay(0), nil
	case "":
		return nil, errInvalidSyntax(TimeType, s)
	}
	fields := strings.Fields(v)
	clock := ""
	for _, f := range fields {
		if strings.Contains(f, ":") {
			clock = f
			break
		}
	}
	if clock == "" {
		return nil, errInvalidSyntax(TimeType, s)
	}
	// A zone glued to the clock (12:00+02, 12:00z) is dropped.
	if i := strings.IndexAny(clock, "+-z"); i > 0 {
		clock = clock[:i]
	}
	pm, am := strings.HasSuffix(v, " pm"), strings.HasSuffix(v, " am")
	us, ok := parseClock(clock, false)
	if !ok {
		return nil, errInvalidSyntax(TimeType, s)
	}
	if us < 0 || us > MicrosPerDay {
		return nil, errFieldOverflow(s)
	}
	switch {
	case pm && us < 12*MicrosPerHour:
		us += 12 * MicrosPerHour
	case am && us >= 12*MicrosPerHour && us < 13*MicrosPerHour:
		us -= 12 * MicrosPerHour
	}
	return TimeOfDay(us), nil
}

// FormatTime prints HH:MM:SS with the fraction's trailing zeros dropped.
func FormatTime(t TimeOfDay) string {
	us := int64(t)
	s := fmt.Sprintf("%02d:%02d:%02d", us/MicrosPerHour, us/MicrosPerMinute%60, us/MicrosPerSecond%60)
	if frac := us % MicrosPerSecond; frac != 0 {
		f := strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
		s += "." + f
	}
	return s
}

// timeFromTimestamp is the time of day of a timestamp (its wall clock).
func timeFromTimestamp(ts Timestamp) (Datum, error) {
	if ts == TimestampPosInfinity || ts == TimestampNegInfinity {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	return TimeOfDay(int64(ts) - floorDiv(int64(ts), MicrosPerDay)*MicrosPerDay), nil
}

// timeFromInterval is time(interval): the interval's time part modulo a
// day, as PostgreSQL's interval_time.
func timeFromInterval(iv Interval) Datum {
	us := iv.Micros % MicrosPerDay
	if us < 0 {
		us += MicrosPerDay
	}
	return TimeOfDay(us)
}
