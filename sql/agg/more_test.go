package agg

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestMoreAggregates(t *testing.T) {
	type row = []types.Datum
	pairs := []row{{int64(1), num("10.5")}, {int64(5), num("3")}, {int64(3), num("7.25")}, {int64(10), num("1")},
		{nil, num("2")}, {int64(7), num("4.5")}, {int64(2), num("9")}}
	for _, c := range []struct {
		call Call
		rows []row
		want string
	}{
		{call("corr", false, types.Int32, types.Numeric), pairs, "-0.9319922395375195"},
		{call("covar_samp", false, types.Int32, types.Numeric), pairs, "-11.55"},
		{call("regr_count", false, types.Int32, types.Numeric), pairs, "6"},
		{call("regr_intercept", false, types.Int32, types.Numeric), pairs, "9.732928915850055"},
		{call("regr_r2", false, types.Int32, types.Numeric), pairs, "0.8686095345581613"},
		{call("corr", false, types.Float64, types.Float64), []row{{1.0, 2.0}}, "NULL"},
		{call("regr_count", false, types.Float64, types.Float64), nil, "0"},
		{call("bit_and", false, types.Int32), []row{{int64(12)}, {nil}, {int64(10)}}, "8"},
		{call("bit_or", false, types.Int16), []row{{int64(12)}, {int64(3)}}, "15"},
		{call("bit_xor", false, types.Int64), nil, "NULL"},
		{call("json_agg", false, types.Text), []row{{"a"}, {nil}}, `["a", null]`},
		{call("json_agg", false, types.ArrayOf(types.Int32)), []row{{types.Array{int64(1)}}, {types.Array{int64(2)}}}, "[[1], \n [2]]"},
	} {
		a, err := NewAccumulator(c.call)
		if err != nil {
			t.Fatalf("%s: %v", c.call.Name, err)
		}
		for _, r := range c.rows {
			if err := a.Add(r, 1); err != nil {
				t.Fatalf("%s: %v", c.call.Name, err)
			}
		}
		// The state survives a round trip.
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		a2, _ := NewAccumulator(c.call)
		if err := a2.UnmarshalBinary(b); err != nil {
			t.Fatalf("%s: %v", c.call.Name, err)
		}
		if got := resultText(t, c.call, a2); got != c.want {
			t.Errorf("%s = %s, want %s", c.call.Name, got, c.want)
		}
	}
	if _, err := ResultType("bit_and", []types.T{types.Numeric}, false); err == nil {
		t.Error("bit_and(numeric) resolved")
	}
	if _, err := ResultType("corr", []types.T{types.Text, types.Int32}, false); err == nil {
		t.Error("corr(text, integer) resolved")
	}
}
