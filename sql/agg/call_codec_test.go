package agg

import (
	"encoding/json"
	"testing"

	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// TestCallCodecEveryAggregate stores a call of every defined aggregate
// over the first argument types it accepts, with DISTINCT and a FILTER.
func TestCallCodecEveryAggregate(t *testing.T) {
	candidates := [][]types.T{
		{types.Int64}, {types.Float64}, {types.Numeric}, {types.Text, types.Text}, {types.Bool},
		{types.Float64, types.Float64}, {types.Text}, {types.JSONB}, {types.Text, types.Int32}, {types.IntervalType}, {},
	}
	filter, err := expr.NewBinary(">", expr.NewColumnRef(0, types.Int64, "a"), expr.NewConst("1", types.Unknown))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Names() {
		var c Call
		found := false
		for _, ts := range candidates {
			star := len(ts) == 0
			c = call(name, star, ts...)
			r, err := ResultType(name, ts, star)
			if err == nil {
				c.Result, found = r, true
				break
			}
		}
		if !found {
			t.Errorf("%s: no candidate argument types resolve", name)
			continue
		}
		c.Distinct = !c.Star
		c.Filter = filter
		enc, err := EncodeCall(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		blob, _ := json.Marshal(enc)
		var back EncodedCall
		if err := json.Unmarshal(blob, &back); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeCall(&back)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, blob, err)
		}
		if got.Name != c.Name || got.Star != c.Star || got.Distinct != c.Distinct || got.Result != c.Result ||
			len(got.Args) != len(c.Args) || got.Filter.String() != c.Filter.String() {
			t.Errorf("%s: decoded %+v, want %+v", name, got, c)
		}
	}
}

func TestCallCodecRefusesUnknownAggregate(t *testing.T) {
	if _, err := DecodeCall(&EncodedCall{Name: "no_such_aggregate", Result: expr.EncodeType(types.Int64)}); err == nil {
		t.Fatal("an aggregate this binary does not define decoded")
	}
	enc, err := EncodeCall(Call{Name: "count", Star: true, Result: types.Int64})
	if err != nil {
		t.Fatal(err)
	}
	enc.Result = expr.EncodeType(types.Text)
	if _, err := DecodeCall(enc); err == nil {
		t.Fatal("count(*) stored as returning text decoded")
	}
}
