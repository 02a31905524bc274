package types

import (
	"testing"
)

// Orders from PostgreSQL: SELECT a < b for jsonb and arrays.
func TestCompareJSONBArrayUUIDTime(t *testing.T) {
	ints := ArrayOf(Int32)
	tests := []struct {
		t    T
		a, b string
		want int
	}{
		{JSONB, "[1,2]", "[3]", 1}, {JSONB, `{"a":1}`, "[1,2,3]", 1}, {JSONB, "1", `"a"`, 1},
		{JSONB, "null", "1", -1}, {JSONB, "true", "1", 1}, {JSONB, `{"b":1}`, `{"aa":1}`, 1},
		{JSONB, `"a"`, "[1]", -1}, {JSONB, "1.0", "1.00", 0}, {JSONB, `{"a":1,"b":2}`, `{"b":2,"a":1}`, 0},
		{ints, "{}", "{1}", -1}, {ints, "{1,2}", "{1,2,3}", -1}, {ints, "{1,NULL}", "{1,2}", 1},
		{ints, "{2}", "{1,5}", 1}, {ints, "{NULL}", "{NULL}", 0},
		{UUID, "00000000-0000-0000-0000-000000000001", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", -1},
		{TimeType, "23:00", "24:00", -1},
	}
	for _, tc := range tests {
		a, err := ParseText(tc.t, tc.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseText(tc.t, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := Compare(tc.t, a, b); got != tc.want {
			t.Errorf("%s %s vs %s: got %d, want %d", tc.t, tc.a, tc.b, got, tc.want)
		}
		if tc.want == 0 && Hash(tc.t, a) != Hash(tc.t, b) {
			t.Errorf("%s %s and %s are equal but hash apart", tc.t, tc.a, tc.b)
		}
	}
}
