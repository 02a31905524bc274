package agg

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestRegressionAggregates(t *testing.T) {
	type row = []types.Datum
	pairs := []row{{int64(1), num("10.5")}, {int64(5), num("3")}, {int64(3), num("7.25")}, {int64(10), num("1")},
		{nil, num("2")}, {int64(7), num("4.5")}, {int64(2), num("9")}}
	checkFolds(t, []foldCase{
		{call("corr", false, types.Int32, types.Numeric), pairs, "-0.9319922395375195"},
		{call("covar_samp", false, types.Int32, types.Numeric), pairs, "-11.55"},
		{call("regr_count", false, types.Int32, types.Numeric), pairs, "6"},
		{call("regr_intercept", false, types.Int32, types.Numeric), pairs, "9.732928915850055"},
		{call("regr_r2", false, types.Int32, types.Numeric), pairs, "0.8686095345581613"},
		{call("corr", false, types.Float64, types.Float64), []row{{1.0, 2.0}}, "NULL"},
		{call("regr_count", false, types.Float64, types.Float64), nil, "0"},
	})
	if _, err := ResultType("corr", []types.T{types.Text, types.Int32}, false); err == nil {
		t.Error("corr(text, integer) resolved")
	}
}
