package types

import "testing"

// Expected values are PostgreSQL 15's: SET TimeZone = <setting>; SHOW
// TimeZone; SELECT '2024-07-02 03:04:05+00'::timestamptz.
func TestLoadTimeZone(t *testing.T) {
	tests := []struct {
		setting, show, output string
	}{
		{"america/new_york", "America/New_York", "2024-07-01 23:04:05-04"},
		{"Europe/Berlin", "Europe/Berlin", "2024-07-02 05:04:05+02"},
		{"utc", "UTC", "2024-07-02 03:04:05+00"},
		{"gmt", "GMT", "2024-07-02 03:04:05+00"},
		{"est", "EST", "2024-07-01 22:04:05-05"},
		{"EST5EDT", "EST5EDT", "2024-07-01 23:04:05-04"},
		{"FOO5BAR", "FOO5BAR", "2024-07-01 23:04:05-04"}, // POSIX, US DST rules
		{"+02", "<+02>-02", "2024-07-02 05:04:05+02"},    // hours, east
		{"5", "<+05>-05", "2024-07-02 08:04:05+05"},
		{"-3.5", "<-03:30>+03:30", "2024-07-01 23:34:05-03:30"},
		{"-05:30", "-05:30", "2024-07-02 08:34:05+05:30"}, // POSIX, west
		{"UTC+2", "UTC+2", "2024-07-02 01:04:05-02"},
		{"Asia/Kolkata", "Asia/Kolkata", "2024-07-02 08:34:05+05:30"},
		{"America/St_Johns", "America/St_Johns", "2024-07-02 00:34:05-02:30"},
		{"Mars/Base", "", ""},
		{"PST", "", ""}, // an abbreviation, not a zone
		{"Z", "", ""},
		{"", "", ""},
		{"../etc/passwd", "", ""},
	}
	ts, err := ParseText(TimestampTZ, "2024-07-02 03:04:05+00")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		loc, ok := LoadTimeZone(tc.setting)
		if !ok {
			if tc.show != "" {
				t.Errorf("%q: rejected, want %s", tc.setting, tc.show)
			}
			continue
		}
		if tc.show == "" {
			t.Errorf("%q: accepted as %s, want an error", tc.setting, loc)
			continue
		}
		if loc.String() != tc.show {
			t.Errorf("%q: SHOW %s, want %s", tc.setting, loc, tc.show)
		}
		if got := FormatTextIn(TimestampTZ, ts, loc); got != tc.output {
			t.Errorf("%q: output %s, want %s", tc.setting, got, tc.output)
		}
	}
}

// Input in America/New_York, PostgreSQL 15's output.
func TestParseTimestampIn(t *testing.T) {
	ny, _ := LoadTimeZone("America/New_York")
	tests := []struct{ in, want string }{
		{"2024-01-02 03:04:05", "2024-01-02 03:04:05-05"},
		{"2024-03-10 02:30", "2024-03-10 03:30:00-04"}, // skipped: the offset before
		{"2024-11-03 01:30", "2024-11-03 01:30:00-05"}, // repeated: the offset after
		{"2024-01-02 03:04:05+00", "2024-01-01 22:04:05-05"},
		{"2024-01-02 03:04:05 Europe/Berlin", "2024-01-01 21:04:05-05"},
		{"2024-01-02 03:04:05 PST", "2024-01-02 06:04:05-05"},
		{"2024-01-02 03:04:05 UTC+2", "2024-01-02 00:04:05-05"},
		{"1800-01-02 03:04:05+00", "1800-01-01 22:08:03-04:56:02"},
		{"0044-03-15 12:00+00 BC", "0044-03-15 07:03:58-04:56:02 BC"},
		{"infinity", "infinity"},
	}
	for _, tc := range tests {
		d, err := ParseTimestampIn(TimestampTZ, tc.in, ny)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := FormatTextIn(TimestampTZ, d, ny); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Casts in Europe/Berlin, PostgreSQL 15's results.
func TestCastIn(t *testing.T) {
	berlin, _ := LoadTimeZone("Europe/Berlin")
	tz, _ := ParseText(TimestampTZ, "2024-03-30 23:30:00+00")
	tests := []struct {
		d        Datum
		from, to T
		want     string
	}{
		{tz, TimestampTZ, DateType, "2024-03-31"},
		{tz, TimestampTZ, TimestampType, "2024-03-31 00:30:00"},
		{tz, TimestampTZ, Text, "2024-03-31 00:30:00+01"},
		{"2024-03-31 02:30", Text, TimestampTZ, "2024-03-31 03:30:00+02"},
		{Date(DaysFromCivil(2024, 7, 1)), DateType, TimestampTZ, "2024-07-01 00:00:00+02"},
	}
	for _, tc := range tests {
		d, err := CastIn(tc.d, tc.from, tc.to, berlin)
		if err != nil {
			t.Errorf("%v::%s: %v", tc.d, tc.to, err)
			continue
		}
		if got := FormatTextIn(tc.to, d, berlin); got != tc.want {
			t.Errorf("%v::%s: got %s, want %s", tc.d, tc.to, got, tc.want)
		}
	}
}
