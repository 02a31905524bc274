package encoding

import (
	"bytes"
	"math"
	"math/rand"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

func dec(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestKeyOrder checks that each list, already in SQL order, encodes to
// strictly increasing keys (or equal keys where the values are equal).
func TestKeyOrder(t *testing.T) {
	tests := []struct {
		typ    types.T
		values []types.Datum
	}{
		{types.Int64, []types.Datum{nil, int64(math.MinInt64), int64(-1), int64(0), int64(1), int64(math.MaxInt64)}},
		{types.Float64, []types.Datum{nil, math.Inf(-1), -1e300, -1.5, -1e-300, 0.0, 1e-300, 2.5, math.Inf(1), math.NaN()}},
		{types.Text, []types.Datum{nil, "", "\x00", "\x00\x00", "a", "a\x00", "a\x00b", "ab", "b"}},
		{types.Bool, []types.Datum{nil, false, true}},
		{types.Numeric, []types.Datum{nil, dec("-Infinity"), dec("-1000"), dec("-12.3"), dec("-12.25"), dec("-0.001"), dec("0"), dec("0.001"), dec("0.12"), dec("0.123"), dec("1"), dec("12.25"), dec("12.3"), dec("1000"), dec("Infinity"), dec("NaN")}},
		{types.DateType, []types.Datum{nil, types.Date(-100000), types.Date(0), types.Date(19000)}},
		{types.IntervalType, []types.Datum{nil, types.Interval{Months: -1}, types.Interval{Days: -1}, types.Interval{}, types.Interval{Micros: 1}, types.Interval{Days: 1}, types.Interval{Months: 1, Micros: 1}}},
	}
	for _, tc := range tests {
		var prev []byte
		for i, v := range tc.values {
			k := AppendKey(nil, tc.typ, v)
			if i > 0 && bytes.Compare(prev, k) >= 0 {
				t.Errorf("%s: key of %v does not sort after key of %v", tc.typ, v, tc.values[i-1])
			}
			prev = k
			got, rest, err := DecodeKey([]types.T{tc.typ}, k)
			if err != nil || len(rest) != 0 {
				t.Fatalf("%s: decode %v: %v (rest %x)", tc.typ, v, err, rest)
			}
			if !bytes.Equal(AppendKey(nil, tc.typ, got[0]), k) {
				t.Errorf("%s: %v does not round-trip, got %v", tc.typ, v, got[0])
			}
		}
	}
}

func TestNumericKeysNormalise(t *testing.T) {
	for _, pair := range [][2]string{{"1.0", "1.00"}, {"100", "1E+2"}, {"-0.50", "-0.5"}, {"0.000", "0"}} {
		a := AppendKey(nil, types.Numeric, dec(pair[0]))
		b := AppendKey(nil, types.Numeric, dec(pair[1]))
		if !bytes.Equal(a, b) {
			t.Errorf("%s and %s encode differently", pair[0], pair[1])
		}
	}
	if !bytes.Equal(AppendKey(nil, types.Float64, math.Copysign(0, -1)), AppendKey(nil, types.Float64, 0.0)) {
		t.Error("-0 and 0 encode differently")
	}
}

func TestRandomIntKeysSortLikeValues(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	ts := []types.T{types.Int64, types.Text}
	for i := 0; i < 10000; i++ {
		a := []types.Datum{rng.Int63n(20) - 10, string(rune('a' + rng.Intn(3)))}
		b := []types.Datum{rng.Int63n(20) - 10, string(rune('a' + rng.Intn(3)))}
		want := 0
		switch {
		case a[0].(int64) < b[0].(int64):
			want = -1
		case a[0].(int64) > b[0].(int64):
			want = 1
		case a[1].(string) < b[1].(string):
			want = -1
		case a[1].(string) > b[1].(string):
			want = 1
		}
		if got := bytes.Compare(EncodeKey(nil, ts, a), EncodeKey(nil, ts, b)); got != want {
			t.Fatalf("compare %v %v = %d, want %d", a, b, got, want)
		}
	}
}

func TestRowRoundTrip(t *testing.T) {
	ts := []types.T{types.Bool, types.Int16, types.Int64, types.Float32, types.Numeric, types.Text, types.Bytea, types.DateType, types.TimestampTZ, types.IntervalType}
	rows := [][]types.Datum{
		{true, int64(-5), int64(1 << 40), 1.5, dec("123.4500"), "héllo", []byte{0, 1}, types.Date(-3), types.Timestamp(1700000000000000), types.Interval{Months: 1, Days: -2, Micros: 3}},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{false, int64(0), int64(-1), math.Inf(-1), dec("-0.0"), "", []byte{}, types.Date(0), types.Timestamp(-1), types.Interval{}},
	}
	for _, row := range rows {
		b := EncodeRow(nil, ts, row)
		got, err := DecodeRow(ts, b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(EncodeRow(nil, ts, got), b) {
			t.Errorf("row %v round-trips to %v", row, got)
		}
		if row[4] != nil && got[4].(*apd.Decimal).String() != row[4].(*apd.Decimal).String() {
			t.Errorf("numeric scale lost: %v -> %v", row[4], got[4])
		}
	}
}

func FuzzDecodeKey(f *testing.F) {
	ts := []types.T{types.Int64, types.Text, types.Numeric, types.Float64, types.IntervalType,
		types.UUID, types.TimeType, types.JSONB, types.ArrayOf(types.Int32)}
	j, err := types.ParseJSONB(`{"a":[1.50,"x",null,true]}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(EncodeKey(nil, ts, []types.Datum{int64(1), "x", dec("1.5"), 2.0, types.Interval{Days: 1},
		types.UUIDValue(make([]byte, 16)), types.TimeOfDay(1), j, types.Array{int64(1), nil}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		row, rest, err := DecodeKey(ts, b)
		if err != nil {
			return
		}
		again := EncodeKey(nil, ts, row)
		row2, _, err := DecodeKey(ts, again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !bytes.Equal(EncodeKey(nil, ts, row2), again) {
			t.Fatalf("unstable round trip for %x (rest %x)", b, rest)
		}
	})
}

func FuzzDecodeRow(f *testing.F) {
	ts := []types.T{types.Int64, types.Text, types.Numeric, types.Bool,
		types.UUID, types.TimeType, types.JSONB, types.ArrayOf(types.Text)}
	f.Add(EncodeRow(nil, ts, []types.Datum{int64(1), "x", dec("1.5"), true,
		types.UUIDValue{1}, types.TimeOfDay(1), types.JSONNullValue, types.Array{"a", nil}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeRow(ts, b) // must not panic
	})
}

func TestKeyLenFindsTheEndOfLeadingColumns(t *testing.T) {
	ts := []types.T{types.Int64, types.Text, types.Bytea, types.Numeric, types.Bool}
	rows := [][]types.Datum{
		{int64(7), "a\x00b", []byte{0, 1, 0xff}, dec("-12.5"), true},
		{nil, "", nil, nil, nil},
		{int64(-1), "zzz", []byte{}, dec("0"), false},
	}
	for _, row := range rows {
		for n := 0; n <= len(ts); n++ {
			prefix := EncodeKey(nil, ts[:n], row[:n])
			key := EncodeKey(append([]byte(nil), prefix...), ts[n:], row[n:])
			got, err := KeyLen(ts[:n], key)
			if err != nil {
				t.Fatalf("KeyLen(%d columns of %v): %v", n, row, err)
			}
			if got != len(prefix) {
				t.Errorf("KeyLen(%d columns of %v) = %d, want %d", n, row, got, len(prefix))
			}
		}
	}
	if _, err := KeyLen([]types.T{types.Text}, []byte{1, 'a'}); err == nil {
		t.Errorf("KeyLen of an unterminated string: no error")
	}
}
