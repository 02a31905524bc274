package agg

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestJSONAgg(t *testing.T) {
	type row = []types.Datum
	checkFolds(t, []foldCase{
		{call("json_agg", false, types.Text), []row{{"a"}, {nil}}, `["a", null]`},
		{call("json_agg", false, types.ArrayOf(types.Int32)), []row{{types.Array{int64(1)}}, {types.Array{int64(2)}}}, "[[1], \n [2]]"},
	})
}
