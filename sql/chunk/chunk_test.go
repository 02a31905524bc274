package chunk

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// TestBuilderRoundTrip appends a row of every kind and reads it back through
// the Arrow arrays, with ops kept, and prints the chunk as operator tests
// write chunks.
func TestBuilderRoundTrip(t *testing.T) {
	num, _, _ := apd.NewFromString("12.50")
	ts := []types.T{types.Bool, types.Int16, types.Int32, types.Int64, types.Float32, types.Float64,
		types.Numeric, types.Text, types.Bytea, types.DateType, types.TimestampType, types.TimestampTZ, types.IntervalType}
	row := []types.Datum{true, int64(-3), int64(7), int64(1 << 40), 1.5, 2.25, num, "x", []byte{1, 2},
		types.Date(19000), types.Timestamp(1_700_000_000_000_000), types.Timestamp(0), types.Interval{Months: 1, Days: 2, Micros: 3}}
	nulls := make([]types.Datum, len(ts))
	b := NewBuilder(ts)
	b.Append(UpdateBefore, nulls)
	b.Append(UpdateAfter, row)
	c := b.Build()
	if c.Len() != 2 || c.Op(0) != UpdateBefore || c.Op(1) != UpdateAfter {
		t.Fatalf("ops = %v, want U- U+", c.Ops)
	}
	for j, want := range row {
		if got := c.Datum(0, j); got != nil {
			t.Errorf("column %d of the NULL row = %v", j, got)
		}
		got := c.Datum(1, j)
		if types.Compare(ts[j], got, want) != 0 {
			t.Errorf("column %d (%s) = %v, want %v", j, ts[j], got, want)
		}
	}
	if b.Len() != 0 {
		t.Errorf("builder keeps %d rows after Build", b.Len())
	}
	all := FromRows(ts[:2], [][]types.Datum{{false, int64(1)}})
	if all.Ops != nil || all.Op(0) != Insert {
		t.Errorf("an all-insert chunk carries ops %v", all.Ops)
	}
	if got, want := all.String(), "+ f 1\n"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
