package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestToChar(t *testing.T) {
	ts := func(y, m, d, hh, mi, ss int64) tmFields {
		return fieldsOf(types.Timestamp(types.DaysFromCivil(y, m, d)*types.MicrosPerDay +
			(hh*3600+mi*60+ss)*types.MicrosPerSecond))
	}
	for _, c := range []struct {
		f            tmFields
		format, want string
	}{
		{ts(1999, 7, 4, 0, 0, 0), "FMMonth FMDD, YYYY", "July 4, 1999"},
		{ts(2024, 1, 15, 0, 0, 0), "Month DD D ID", "January   15 2 1"},
		{ts(2023, 12, 31, 0, 0, 0), "YYYY \"Q\"Q WW IW DDD", "2023 Q4 53 52 365"},
		{ts(2021, 1, 3, 0, 0, 0), "WW IW IYYY", "01 53 2020"},
		{ts(2024, 1, 5, 13, 7, 8), "HH12 PM SSSS hh24:mi:ss", "01 PM 47228 13:07:08"},
		{ts(2024, 1, 2, 0, 0, 0), "FMDDth DDTH month", "2nd 02ND january  "},
		{ts(2024, 1, 1, 0, 0, 0), "J RM", "2460311 I   "},
		{ts(2024, 2, 29, 0, 0, 0), "FMDay, FMDD FMMonth YYYY", "Thursday, 29 February 2024"},
		{ts(2024, 1, 5, 0, 0, 0), "TZ", ""},
	} {
		if got := toChar(c.f, c.format); got != c.want {
			t.Errorf("to_char(%q) = %q, want %q", c.format, got, c.want)
		}
	}
}
