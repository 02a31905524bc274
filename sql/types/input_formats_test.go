package types

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
)

func TestInputFormats(t *testing.T) {
	for _, c := range []struct {
		t    T
		in   string
		want string // output, or "!SQLSTATE"
	}{
		{DateType, "Jan 15 2024", "2024-01-15"},
		{DateType, "15 January 2024", "2024-01-15"},
		{DateType, "January 15, 2024", "2024-01-15"},
		{DateType, "sept 3 2021", "2021-09-03"},
		{DateType, "janu 3 2021", "!" + string(pgerror.InvalidDatetimeFormat)},
		{DateType, "Feb 30 2024", "!" + string(pgerror.DatetimeFieldOverflow)},
		{TimestampType, "Feb 29 2024 10:30", "2024-02-29 10:30:00"},
		{IntervalType, "1-2", "1 year 2 mons"},
		{IntervalType, "-1-2 3 days", "-1 years -2 mons +3 days"},
		{IntervalType, "1-12", "!" + string(pgerror.IntervalFieldOverflow)},
		{TimeType, "noon", "!" + string(pgerror.InvalidDatetimeFormat)},
		{TimeType, "allballs", "00:00:00"},
		{Bytea, `\xZZ`, "!" + string(pgerror.InvalidParameterValue)},
		{Bytea, `\x123`, "!" + string(pgerror.InvalidParameterValue)},
	} {
		d, err := ParseText(c.t, c.in)
		got := ""
		if err != nil {
			got = "!" + string(pgerror.CodeOf(err))
		} else {
			got = FormatText(c.t, d)
		}
		if got != c.want {
			t.Errorf("%s %q = %s, want %s (%v)", c.t, c.in, got, c.want, err)
		}
	}
}

func TestIntervalFields(t *testing.T) {
	for _, c := range []struct{ in, fields, want string }{
		{"2", "HOUR", "02:00:00"},
		{"2", "YEAR TO MONTH", "2 mons"},
		{"1.5", "HOUR", "01:00:00"},
		{"1 day 2:03:04.5", "HOUR", "1 day 02:00:00"},
		{"1-2 3 4:05:06", "DAY TO MINUTE", "1 year 2 mons 3 days 04:05:00"},
		{"1-2 3 4:05:06", "YEAR", "1 year"},
		{"1 02:00", "", "1 day 02:00:00"},
	} {
		d, err := ParseIntervalFields(c.in, c.fields)
		if err != nil {
			t.Errorf("%q %s: %v", c.in, c.fields, err)
			continue
		}
		if got := FormatText(IntervalType, d); got != c.want {
			t.Errorf("%q %s = %s, want %s", c.in, c.fields, got, c.want)
		}
	}
}
