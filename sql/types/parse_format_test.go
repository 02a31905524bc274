package types

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Expected strings are PostgreSQL 15's output for SELECT '<in>'::<type>.
func TestParseFormatUUIDTimeJSONArray(t *testing.T) {
	ints, texts := ArrayOf(Int32), ArrayOf(Text)
	tests := []struct {
		t    T
		in   string
		want string // output, or SQLSTATE prefixed with "!"
	}{
		{UUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{UUID, "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{UUID, "x", "!" + string(pgerror.InvalidTextRepresentation)}, {UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a1", "!" + string(pgerror.InvalidTextRepresentation)},
		{TimeType, "24:00:00", "24:00:00"}, {TimeType, "12:34:56.7891234", "12:34:56.789123"},
		{TimeType, "1:2", "01:02:00"}, {TimeType, "12:00:00 pm", "12:00:00"}, {TimeType, "12:30 am", "00:30:00"},
		{TimeType, "04:05:06.5 PST", "04:05:06.5"}, {TimeType, "2024-01-02 10:00", "10:00:00"},
		{TimeType, "25:00", "!" + string(pgerror.DatetimeFieldOverflow)},
		{JSONB, `{"b":1,"aa":[1,2.50,1e3,-0],"a":null,"c":"x\u00e9\n\""}`, `{"a": null, "b": 1, "c": "xé\n\"", "aa": [1, 2.50, 1000, 0]}`},
		{JSONB, `{"a" : [1,{"b":"\u00e9\t"}], "":0}`, `{"": 0, "a": [1, {"b": "é\t"}]}`},
		{JSONB, `{"a":1,"a":2}`, `{"a": 2}`}, {JSONB, `"\t\u0001/"`, `"\t\u0001/"`},
		{JSONB, "[]", "[]"}, {JSONB, "{}", "{}"}, {JSONB, `"\u0000"`, "!" + string(pgerror.UntranslatableCharacter)}, {JSONB, "[1,2", "!" + string(pgerror.InvalidTextRepresentation)},
		{JSONB, "x", "!" + string(pgerror.InvalidTextRepresentation)}, {JSONB, "01", "!" + string(pgerror.InvalidTextRepresentation)},
		{JSON, `  [1 , true]`, `  [1 , true]`}, {JSON, `"\u0000"`, `"\u0000"`}, {JSON, "{", "!" + string(pgerror.InvalidTextRepresentation)},
		{texts, `{ a , "b,c" , "" , "NULL", null }`, `{a,"b,c","","NULL",NULL}`},
		{texts, `{"a\\b"}`, `{"a\\b"}`}, {texts, `{a\"b}`, `{"a\"b"}`},
		{ints, "{ 1 , 2 }", "{1,2}"}, {ints, "  {}  ", "{}"},
		{ArrayOf(Numeric), `{"1.50",NaN}`, "{1.50,NaN}"}, {ArrayOf(Bool), "{t,f,NULL}", "{t,f,NULL}"},
		{ArrayOf(TimestampTZ), `{"2024-01-02 03:04:05+02"}`, `{"2024-01-02 01:04:05+00"}`},
		{ArrayOf(IntervalType), `{"1 day","-1 mons"}`, `{"1 day","-1 mons"}`},
		{ints, "{1,{2}}", "!" + string(pgerror.InvalidTextRepresentation)}, {ints, "{1,2}x", "!" + string(pgerror.InvalidTextRepresentation)}, {ints, "{1,2", "!" + string(pgerror.InvalidTextRepresentation)}, {ints, "{a}", "!" + string(pgerror.InvalidTextRepresentation)},
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
}
