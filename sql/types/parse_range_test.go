package types

import (
	"math"
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Regressions from fuzzing pgwire. Expected strings are PostgreSQL 15's
// output for SELECT '<in>'::<type> (TimeZone UTC).
func TestParseFormatRanges(t *testing.T) {
	tests := []struct {
		t    T
		in   string
		want string // output, or SQLSTATE prefixed with "!"
	}{
		{IntervalType, "9227000000000 seconds", "!" + string(pgerror.DatetimeFieldOverflow)},
		{IntervalType, "1e308 seconds", "!" + string(pgerror.InvalidDatetimeFormat)},
		{IntervalType, "1e3", "!" + string(pgerror.InvalidDatetimeFormat)},
		{IntervalType, "3000000000 hours", "!" + string(pgerror.DatetimeFieldOverflow)},
		{IntervalType, "2562047788 hours", "2562047788:00:00"},
		{IntervalType, "9223372036854775807 us", "2562047788:00:54.775807"},
		{IntervalType, "9223372036854775807", "!" + string(pgerror.DatetimeFieldOverflow)},
		{IntervalType, "2147483648 days", "!" + string(pgerror.DatetimeFieldOverflow)},
		{IntervalType, "100000000 days 100000000000 hours", "!" + string(pgerror.DatetimeFieldOverflow)},
		{IntervalType, "-1 years +2 mons", "-10 mons"},
		{IntervalType, "-1 year 2 days", "-1 years +2 days"},
		{IntervalType, "-1 year -2 days 3 hours", "-1 years -2 days +03:00:00"},
		{IntervalType, "1 year -2 days -3 hours", "1 year -2 days -03:00:00"},
		{IntervalType, "1 mon -1 day", "1 mon -1 days"},
		{IntervalType, "2 days -3 hours", "2 days -03:00:00"},
		{DateType, "5874897-12-31", "5874897-12-31"},
		{DateType, "4475363-10-11", "4475363-10-11"},
		{DateType, "5874898-01-01", "!" + string(pgerror.DatetimeFieldOverflow)},
		{TimestampTZ, "0001-01-01 00:00:00+00 BC", "0001-01-01 00:00:00+00 BC"},
		{TimestampType, "294277-01-01", "!" + string(pgerror.DatetimeFieldOverflow)},
		{Float64, "1e15", "1e+15"}, {Float64, "-1e15", "-1e+15"}, {Float64, "123456789012345.6", "123456789012345.6"},
	}
	for _, tc := range tests {
		d, err := ParseText(tc.t, tc.in)
		got := ""
		if err != nil {
			got = "!" + string(pgerror.CodeOf(err))
		} else {
			got = FormatText(tc.t, d)
		}
		if got != tc.want {
			t.Errorf("%s %q: got %q, want %q", tc.t, tc.in, got, tc.want)
		}
	}
	// PostgreSQL prints the smallest interval with the magnitude of its
	// fields: SELECT '-9223372036854775808 us'::interval is out of range,
	// but the value arrives by arithmetic and binary input.
	if got := FormatInterval(Interval{Micros: math.MinInt64}); got != "-2562047788:00:54.775808" {
		t.Errorf("MinInt64 micros: %q", got)
	}
}
