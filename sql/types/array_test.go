package types

import (
	"testing"
)

func TestArrayTypeNames(t *testing.T) {
	vc := T{Kind: KindVarchar, Width: 10}
	tests := []struct {
		t    T
		name string
		oid  uint32
		mod  int32
	}{
		{ArrayOf(Int32), "integer[]", 1007, -1}, {ArrayOf(Text), "text[]", 1009, -1},
		{ArrayOf(vc), "character varying(10)[]", 1015, 14}, {ArrayOf(UUID), "uuid[]", 2951, -1},
		{ArrayOf(TimestampTZ), "timestamp with time zone[]", 1185, -1}, {UUID, "uuid", 2950, -1},
		{JSONB, "jsonb", 3802, -1}, {TimeType, "time without time zone", 1083, -1},
	}
	for _, tc := range tests {
		if tc.t.String() != tc.name || tc.t.OID() != tc.oid || tc.t.Modifier() != tc.mod {
			t.Errorf("%v: got %s %d %d, want %s %d %d", tc.t, tc.t, tc.t.OID(), tc.t.Modifier(), tc.name, tc.oid, tc.mod)
		}
		if back, ok := FromOID(tc.oid); !ok || back.Kind != tc.t.Kind || back.Elem != tc.t.Elem {
			t.Errorf("FromOID(%d) = %v", tc.oid, back)
		}
	}
	if got, ok := FromName("_int8"); !ok || got != ArrayOf(Int64) {
		t.Errorf("_int8: %v", got)
	}
}
