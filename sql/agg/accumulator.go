package agg

import (
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// NewAccumulator returns an empty accumulator for c. It resolves c the way
// ResultType does and fails the same way for calls PostgreSQL would reject.
// DISTINCT is not the accumulator's concern: the caller passes each
// distinct argument tuple once per group.
func NewAccumulator(c Call) (Accumulator, error) {
	name := strings.ToLower(c.Name)
	argTypes := make([]types.T, len(c.Args))
	for i, e := range c.Args {
		argTypes[i] = e.Type()
	}
	if _, err := ResultType(name, argTypes, c.Star); err != nil {
		return nil, err
	}
	if name == "count" {
		return &countAccumulator{star: c.Star}, nil
	}
	if acc, ok := moreAccumulator(name, argTypes); ok {
		return acc, nil
	}
	t := argTypes[0]
	switch name {
	case "sum", "avg":
		avg := name == "avg"
		stat := statSum
		if avg {
			stat = statAvg
		}
		switch t.Kind {
		case types.KindInt16, types.KindInt32, types.KindInt64:
			return &intSumAccumulator{avg: avg, bigint: !avg && t.Kind != types.KindInt64}, nil
		case types.KindFloat32, types.KindFloat64:
			return &floatAccumulator{stat: stat, single: !avg && t.Kind == types.KindFloat32}, nil
		case types.KindInterval:
			return &intervalAccumulator{avg: avg}, nil
		}
		return newNumericAccumulator(stat), nil
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		stat := map[string]statistic{
			"stddev": statStddevSamp, "stddev_samp": statStddevSamp, "stddev_pop": statStddevPop,
			"variance": statVarSamp, "var_samp": statVarSamp, "var_pop": statVarPop,
		}[name]
		if t.Kind == types.KindFloat32 || t.Kind == types.KindFloat64 {
			return &floatAccumulator{stat: stat}, nil
		}
		return newNumericAccumulator(stat), nil
	case "min", "max":
		if t.Kind == types.KindVarchar || t.Kind == types.KindUnknown {
			t = types.Text
		}
		return &minMaxAccumulator{name: name, max: name == "max", t: t}, nil
	case "bool_and", "every", "bool_or":
		return &boolAccumulator{name: name, and: name != "bool_or"}, nil
	case "string_agg":
		return &stringAggAccumulator{bytea: t.Kind == types.KindBytea || argTypes[1].Kind == types.KindBytea}, nil
	case "array_agg", "jsonb_agg":
		if t.Kind == types.KindUnknown {
			t = types.Text
		}
		return &arrayAggAccumulator{name: name, elem: t, json: name == "jsonb_agg"}, nil
	case "jsonb_object_agg":
		return &jsonObjectAggAccumulator{keyT: t, valT: argTypes[1]}, nil
	}
	return nil, noSuchFunction(name, argTypes)
}

// moreAccumulator is NewAccumulator for these aggregates.
func moreAccumulator(name string, argTypes []types.T) (Accumulator, bool) {
	switch name {
	case "bit_and", "bit_or", "bit_xor":
		return &bitAccumulator{name: name}, true
	case "json_agg":
		t := argTypes[0]
		if t.Kind == types.KindUnknown {
			t = types.Text
		}
		return &jsonAggAccumulator{elem: t}, true
	}
	if isRegression(name) {
		return &regrAccumulator{name: name}, true
	}
	return nil, false
}
