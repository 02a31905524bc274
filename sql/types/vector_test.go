package types

import "testing"

func TestVectorText(t *testing.T) {
	d, err := ParseText(Int2Vector, " 1  3 2")
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatText(Int2Vector, d); got != "1 3 2" {
		t.Errorf("int2vector text = %q, want %q", got, "1 3 2")
	}
	if got := FormatText(ArrayOf(Int16), d); got != "{1,3,2}" {
		t.Errorf("int2[] text = %q", got)
	}
	if Int2Vector.OID() != 22 || OidVector.OID() != 30 || Int2Vector.String() != "int2vector" || OidVector.String() != "oidvector" {
		t.Errorf("vector oids and names: %d %d %s %s", Int2Vector.OID(), OidVector.OID(), Int2Vector, OidVector)
	}
	if Int2Vector.LowerBound() != 0 || ArrayOf(Int16).LowerBound() != 1 {
		t.Error("lower bounds")
	}
	if got, ok := FromOID(30); !ok || got != OidVector {
		t.Errorf("FromOID(30) = %v", got)
	}
}

func TestRecordText(t *testing.T) {
	rt := RecordOf([]string{"x", "n"}, []T{Text, Int32})
	if rt != RecordOf([]string{"x", "n"}, []T{Text, Int32}) {
		t.Error("equal shapes must give equal types")
	}
	if rt == RecordOf([]string{"x", "n"}, []T{Int32, Int32}) {
		t.Error("different shapes must give different types")
	}
	for _, c := range []struct {
		r    Array
		want string
	}{
		{Array{"a", int64(1)}, "(a,1)"},
		{Array{nil, int64(2)}, "(,2)"},
		{Array{"", nil}, `("",)`},
		{Array{`say "hi"`, int64(3)}, `("say ""hi""",3)`},
	} {
		if got := FormatText(rt, c.r); got != c.want {
			t.Errorf("record text of %v = %s, want %s", c.r, got, c.want)
		}
	}
	b := AppendArrayBytes(nil, rt, Array{"a b", int64(7)})
	back, rest, err := DecodeArrayBytes(rt, b)
	if err != nil || len(rest) != 0 || CompareArray(rt, back, Array{"a b", int64(7)}) != 0 {
		t.Errorf("record bytes round trip: %v %v %v", back, rest, err)
	}
}
