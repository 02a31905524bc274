package encoding

import (
	"bytes"
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

// Keys of uuid, time, jsonb and arrays sort as types.Compare and decode
// back; rows round-trip exactly.
func TestKeysSortAsCompare(t *testing.T) {
	cases := []struct {
		t      types.T
		sorted []string
	}{
		{types.UUID, []string{"00000000-0000-0000-0000-000000000001", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "ffffffff-ffff-ffff-ffff-ffffffffffff"}},
		{types.TimeType, []string{"00:00", "12:34:56.789", "24:00"}},
		{types.JSONB, []string{"null", `""`, `"a"`, `"a\u0001"`, `"b"`, "-1", "1.5", "false", "true", "[]", "[9]", "[1,2]", `{}`, `{"a":1}`, `{"b":1}`, `{"a":1,"b":2}`}},
		{types.ArrayOf(types.Int32), []string{"{}", "{-5}", "{1}", "{1,2}", "{1,NULL}", "{2}", "{NULL}"}},
		{types.ArrayOf(types.Text), []string{"{}", `{""}`, `{"",a}`, "{a}", "{a,b}", "{ab}"}},
	}
	for _, c := range cases {
		var prev []byte
		for i, s := range c.sorted {
			d, err := types.ParseText(c.t, s)
			if err != nil {
				t.Fatalf("%s %q: %v", c.t, s, err)
			}
			k := AppendKey(nil, c.t, d)
			if i > 0 && bytes.Compare(prev, k) >= 0 {
				t.Errorf("%s: key of %q does not sort after %q", c.t, s, c.sorted[i-1])
			}
			prev = k
			back, rest, err := DecodeKey([]types.T{c.t}, k)
			if err != nil || len(rest) != 0 || types.Compare(c.t, back[0], d) != 0 {
				t.Errorf("%s %q: key decodes to %v, %v", c.t, s, back, err)
			}
			row := EncodeRow(nil, []types.T{c.t}, []types.Datum{d})
			got, err := DecodeRow([]types.T{c.t}, row)
			if err != nil || types.FormatText(c.t, got[0]) != types.FormatText(c.t, d) {
				t.Errorf("%s %q: row decodes to %v, %v", c.t, s, got, err)
			}
		}
	}
}
