package agg

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestBitAggregates(t *testing.T) {
	type row = []types.Datum
	checkFolds(t, []foldCase{
		{call("bit_and", false, types.Int32), []row{{int64(12)}, {nil}, {int64(10)}}, "8"},
		{call("bit_or", false, types.Int16), []row{{int64(12)}, {int64(3)}}, "15"},
		{call("bit_xor", false, types.Int64), nil, "NULL"},
	})
	if _, err := ResultType("bit_and", []types.T{types.Numeric}, false); err == nil {
		t.Error("bit_and(numeric) resolved")
	}
}
