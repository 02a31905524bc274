package pgwire

import (
	"encoding/hex"
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

// Binary forms of uuid, time, jsonb and arrays against PostgreSQL 15's
// send functions: SELECT encode(array_send('{1,NULL,3}'::int4[]), 'hex').
func TestBinaryFormatsMatchPostgres(t *testing.T) {
	tests := []struct {
		t    types.T
		text string
		hex  string
	}{
		{types.ArrayOf(types.Int32), "{1,NULL,3}", "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003"},
		{types.ArrayOf(types.Int32), "{}", "000000000000000000000017"},
		{types.ArrayOf(types.Text), `{a,"b c"}`, "0000000100000000000000190000000200000001000000016100000003622063"},
		{types.ArrayOf(types.DateType), "{2024-01-02}", "00000001000000000000043a0000000100000001000000040000223f"},
		{types.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11"},
		{types.TimeType, "12:34:56.789", "0000000a8be62608"},
		{types.JSONB, `{"b":1,"a":[true,null]}`, "017b2261223a205b747275652c206e756c6c5d2c202262223a20317d"},
	}
	for _, tc := range tests {
		d, err := DecodeText(tc.t, tc.text)
		if err != nil {
			t.Fatalf("%s %q: %v", tc.t, tc.text, err)
		}
		bin, err := AppendBinary(nil, tc.t, d)
		if err != nil {
			t.Fatalf("%s %q: %v", tc.t, tc.text, err)
		}
		if got := hex.EncodeToString(bin); got != tc.hex {
			t.Errorf("%s %q: binary %s, want %s", tc.t, tc.text, got, tc.hex)
		}
		want, _ := hex.DecodeString(tc.hex)
		d2, err := DecodeBinary(tc.t, want)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.t, tc.hex, err)
		}
		if a, b := types.FormatText(tc.t, d), types.FormatText(tc.t, d2); a != b {
			t.Errorf("%s: binary decoded to %q, text to %q", tc.t, b, a)
		}
	}
	// A wrong element type is an error, not a reinterpretation.
	raw, _ := hex.DecodeString("000000000000000000000019")
	if _, err := DecodeBinary(types.ArrayOf(types.Int32), raw); err == nil {
		t.Error("text[] binary accepted as int4[]")
	}
}
