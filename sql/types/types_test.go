package types

import (
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Expected strings are PostgreSQL 15's output for SELECT '<in>'::<type>.
func TestParseFormat(t *testing.T) {
	tests := []struct {
		t    T
		in   string
		want string // output, or SQLSTATE prefixed with "!"
	}{
		{Bool, "yes", "t"}, {Bool, " off ", "f"}, {Bool, "maybe", "!" + string(pgerror.InvalidTextRepresentation)},
		{Int32, "  12 ", "12"}, {Int32, "abc", "!" + string(pgerror.InvalidTextRepresentation)}, {Int32, "2147483648", "!" + string(pgerror.NumericValueOutOfRange)},
		{Int16, "32768", "!" + string(pgerror.NumericValueOutOfRange)}, {Int64, "-9223372036854775808", "-9223372036854775808"},
		{Float64, "1e15", "1e+15"}, {Float64, "123456789012345", "123456789012345"},
		{Float64, "1e-5", "1e-05"}, {Float64, "0.0001", "0.0001"}, {Float64, "0.00001234", "1.234e-05"},
		{Float64, "123456789012345678", "1.2345678901234568e+17"}, {Float64, "-1.5e-7", "-1.5e-07"},
		{Float64, "1e100", "1e+100"}, {Float64, "NaN", "NaN"}, {Float64, "-Infinity", "-Infinity"},
		{Float64, "1e400", "!" + string(pgerror.NumericValueOutOfRange)}, {Float64, "0x10", "!" + string(pgerror.InvalidTextRepresentation)},
		{Float32, "1e-5", "1e-05"}, {Float32, "123456", "123456"}, {Float32, "1234567", "1.234567e+06"},
		{Float32, "0.1", "0.1"}, {Float32, "3.4e38", "3.4e+38"}, {Float32, "1.17549435e-38", "1.1754944e-38"},
		{Numeric, "-0", "0"}, {Numeric, "1e3", "1000"}, {Numeric, "1.5e-3", "0.0015"}, {Numeric, "1.50", "1.50"},
		{Numeric, "NaN", "NaN"}, {Numeric, "x", "!" + string(pgerror.InvalidTextRepresentation)},
		{T{Kind: KindNumeric, Precision: 5, Scale: 2}, "1.005", "1.01"},
		{T{Kind: KindNumeric, Precision: 5, Scale: 2}, "1000", "!" + string(pgerror.NumericValueOutOfRange)},
		{T{Kind: KindVarchar, Width: 2}, "abc", "!" + string(pgerror.StringDataRightTruncation)}, {T{Kind: KindVarchar, Width: 2}, "ab  ", "ab"},
		{T{Kind: KindChar, Width: 3}, "x", "x  "},
		{Bytea, `\x0aff`, `\x0aff`}, {Bytea, `ab\\`, `\x61625c`},
		{DateType, "2024-01-02", "2024-01-02"}, {DateType, "0001-12-31 BC", "0001-12-31 BC"},
		{DateType, "2024-02-30", "!" + string(pgerror.DatetimeFieldOverflow)}, {DateType, "2024-1-x", "!" + string(pgerror.InvalidDatetimeFormat)}, {DateType, "20240102", "2024-01-02"},
		{TimestampType, "2024-01-02 03:04:05.5", "2024-01-02 03:04:05.5"},
		{TimestampType, "2024-01-02T03:04:05", "2024-01-02 03:04:05"},
		{TimestampType, "2024-01-02 03:04:05+02", "2024-01-02 03:04:05"},
		{TimestampTZ, "2024-01-02 03:04:05+02", "2024-01-02 01:04:05+00"},
		{TimestampTZ, "2024-01-02 03:04:05Z", "2024-01-02 03:04:05+00"},
		{TimestampTZ, "2024-01-02 03:04:05.123456-05:30", "2024-01-02 08:34:05.123456+00"},
		{TimestampType, "infinity", "infinity"},
		{IntervalType, "1 day 02:03:04", "1 day 02:03:04"}, {IntervalType, "3 hours", "03:00:00"},
		{IntervalType, "1 year 2 mons", "1 year 2 mons"}, {IntervalType, "-1 day", "-1 days"},
		{IntervalType, "1 day -1 hour", "1 day -01:00:00"}, {IntervalType, "-1 day +1 hour", "-1 days +01:00:00"},
		{IntervalType, "-1 mon -1 day -1 hour", "-1 mons -1 days -01:00:00"},
		{IntervalType, "1.5 days", "1 day 12:00:00"}, {IntervalType, "1.5 mons", "1 mon 15 days"},
		{IntervalType, "-1:30", "-01:30:00"}, {IntervalType, "P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06"},
		{IntervalType, "1 week", "7 days"}, {IntervalType, "@ 2 days ago", "-2 days"}, {IntervalType, "0", "00:00:00"},
		{IntervalType, "1 fortnight", "!" + string(pgerror.InvalidDatetimeFormat)},
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
			t.Errorf("%s %q: got %q, want %q (err %v)", tc.t, tc.in, got, tc.want, err)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := ParseText(Int32, "abc")
	if err.Error() != `invalid input syntax for type integer: "abc"` {
		t.Error(err)
	}
	_, err = ParseText(Int32, "99999999999")
	if err.Error() != `value "99999999999" is out of range for type integer` {
		t.Error(err)
	}
	_, err = Cast(int64(40000), Int32, Int16)
	if err.Error() != "smallint out of range" {
		t.Error(err)
	}
}

// Expected values are PostgreSQL 15's for SELECT <v>::<from>::<to>.
func TestCast(t *testing.T) {
	num := func(s string) *apd.Decimal { d, _ := ParseNumeric(s); return d }
	tests := []struct {
		d        Datum
		from, to T
		want     string
	}{
		{2.5, Float64, Int32, "2"}, {3.5, Float64, Int32, "4"}, {-2.5, Float64, Int32, "-2"},
		{num("2.5"), Numeric, Int32, "3"}, {num("-2.5"), Numeric, Int32, "-3"},
		{1.0 / 3, Float64, Numeric, "0.333333333333333"}, {float64(float32(0.1)), Float32, Numeric, "0.1"},
		{true, Bool, Text, "true"}, {int64(1), Int32, Bool, "t"},
		{"abc", Text, T{Kind: KindVarchar, Width: 2}, "ab"},
		{int64(40000), Int32, Int16, "!" + string(pgerror.NumericValueOutOfRange)}, {math.NaN(), Float64, Int64, "!" + string(pgerror.NumericValueOutOfRange)},
		{1e300, Float64, Float32, "!" + string(pgerror.NumericValueOutOfRange)},
		{Timestamp(1704164645500000), TimestampType, DateType, "2024-01-02"},
		{Date(19724), DateType, TimestampTZ, "2024-01-02 00:00:00+00"},
		{"12", Text, Int32, "12"}, {"x", Text, Int32, "!" + string(pgerror.InvalidTextRepresentation)},
		{num("123.456"), Numeric, T{Kind: KindNumeric, Precision: 5, Scale: 1}, "123.5"},
	}
	for _, tc := range tests {
		d, err := Cast(tc.d, tc.from, tc.to)
		got := ""
		if err != nil {
			got = "!" + string(pgerror.CodeOf(err))
		} else {
			got = FormatText(tc.to, d)
		}
		if got != tc.want {
			t.Errorf("%v::%s::%s: got %q, want %q (%v)", tc.d, tc.from, tc.to, got, tc.want, err)
		}
	}
	if _, err := CastAssign("abc", Text, T{Kind: KindVarchar, Width: 2}); pgerror.CodeOf(err) != pgerror.StringDataRightTruncation {
		t.Errorf("assign: %v", err)
	}
}

func TestCompareHash(t *testing.T) {
	num := func(s string) *apd.Decimal { d, _ := ParseNumeric(s); return d }
	eq := []struct {
		t    T
		a, b Datum
	}{
		{Numeric, num("1.50"), num("1.5")}, {Numeric, num("0"), num("-0.00")},
		{Float64, 0.0, math.Copysign(0, -1)}, {Float64, math.NaN(), math.NaN()},
		{IntervalType, Interval{Months: 1}, Interval{Days: 30}}, {IntervalType, Interval{Days: 1}, Interval{Micros: 86400e6}},
		{T{Kind: KindChar}, "a  ", "a"},
	}
	for _, tc := range eq {
		if !Equal(tc.t, tc.a, tc.b) || Hash(tc.t, tc.a) != Hash(tc.t, tc.b) {
			t.Errorf("%s: %v and %v should be equal with equal hashes", tc.t, tc.a, tc.b)
		}
	}
	if Compare(Float64, math.NaN(), math.Inf(1)) != 1 || Compare(Numeric, num("NaN"), num("1e100")) != 1 {
		t.Error("NaN must sort above everything")
	}
	if Compare(Text, "abc", "abd") != -1 || Compare(Bool, false, true) != -1 {
		t.Error("ordering")
	}
}

func FuzzParseText(f *testing.F) {
	kinds := []T{Bool, Int16, Int32, Int64, Float32, Float64, Numeric, Text, Bytea, DateType, TimestampType, TimestampTZ, IntervalType}
	for _, s := range []string{"1", "-1.5", "NaN", "2024-01-02", "2024-01-02 03:04:05.5+02", "1 day 02:03:04", "P1Y", `\x00ff`, "t", "1e-7"} {
		for k := range kinds {
			f.Add(uint8(k), s)
		}
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		typ := kinds[int(k)%len(kinds)]
		d, err := ParseText(typ, s)
		if err != nil {
			if _, ok := err.(*pgerror.Error); !ok {
				t.Fatalf("non-pgerror %T %v", err, err)
			}
			return
		}
		out := FormatText(typ, d)
		d2, err := ParseText(typ, out)
		if err != nil {
			t.Fatalf("%s %q -> %q does not parse: %v", typ, s, out, err)
		}
		if typ.Kind == KindFloat64 || typ.Kind == KindFloat32 {
			if Compare(typ, d, d2) != 0 {
				t.Fatalf("%s %q -> %q changed value", typ, s, out)
			}
		}
		if out2 := FormatText(typ, d2); out2 != out {
			t.Fatalf("%s %q: %q then %q", typ, s, out, out2)
		}
	})
}
