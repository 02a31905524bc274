package encoding

import (
	"bytes"
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestAppendSortKeyOrder(t *testing.T) {
	texts := []types.Datum{nil, "", "a", "ab", "b"}
	ints := []types.Datum{nil, int64(-5), int64(0), int64(7)}
	for _, tc := range []struct {
		t      types.T
		values []types.Datum // ascending, NULL first
	}{{types.Text, texts}, {types.Int64, ints}} {
		for _, desc := range []bool{false, true} {
			for _, nullsFirst := range []bool{false, true} {
				// want is the values in ORDER BY order.
				var want []types.Datum
				nonNull := tc.values[1:]
				if desc {
					for i := len(nonNull) - 1; i >= 0; i-- {
						want = append(want, nonNull[i])
					}
				} else {
					want = append(want, nonNull...)
				}
				if nullsFirst {
					want = append([]types.Datum{nil}, want...)
				} else {
					want = append(want, nil)
				}
				for i := 1; i < len(want); i++ {
					a := AppendSortKey(nil, tc.t, want[i-1], desc, nullsFirst)
					b := AppendSortKey(nil, tc.t, want[i], desc, nullsFirst)
					if bytes.Compare(a, b) >= 0 {
						t.Errorf("%v desc=%v nullsFirst=%v: %v does not sort before %v", tc.t, desc, nullsFirst, want[i-1], want[i])
					}
				}
			}
		}
	}
}
