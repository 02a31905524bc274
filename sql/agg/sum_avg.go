package agg

import "github.com/eddy-db/eddy/sql/types"

// sum and avg: invertible, their state a count and a sum kept in the
// argument's own arithmetic (int_sum.go, float_sum.go, numeric_sum.go,
// interval_sum.go hold the accumulators).

func init() {
	define(Definition{
		Invertible: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) != 1 {
				return types.Unknown, noSuchFunction(name, argTypes)
			}
			avg := name == "avg"
			switch argTypes[0].Kind {
			case types.KindInt16, types.KindInt32:
				if avg {
					return types.Numeric, nil
				}
				return types.Int64, nil
			case types.KindInt64, types.KindNumeric:
				return types.Numeric, nil
			case types.KindFloat32:
				if avg {
					return types.Float64, nil
				}
				return types.Float32, nil
			case types.KindFloat64:
				return types.Float64, nil
			case types.KindInterval:
				return types.IntervalType, nil
			case types.KindUnknown:
				return types.Unknown, notUnique(name, argTypes)
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(name string, argTypes []types.T) Accumulator {
			avg := name == "avg"
			stat := statSum
			if avg {
				stat = statAvg
			}
			switch t := argTypes[0]; t.Kind {
			case types.KindInt16, types.KindInt32, types.KindInt64:
				return &intSumAccumulator{avg: avg, bigint: !avg && t.Kind != types.KindInt64}
			case types.KindFloat32, types.KindFloat64:
				return &floatAccumulator{stat: stat, single: !avg && t.Kind == types.KindFloat32}
			case types.KindInterval:
				return &intervalAccumulator{avg: avg}
			}
			return newNumericAccumulator(stat)
		},
	}, "sum", "avg")
}
