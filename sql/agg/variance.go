package agg

import "github.com/eddy-db/eddy/sql/types"

// The standard deviations and variances: invertible, their state a count,
// a sum and a sum of squares in double precision (float_sum.go) or exactly
// in numeric (numeric_sum.go).

var varianceStatistics = map[string]statistic{
	"stddev": statStddevSamp, "stddev_samp": statStddevSamp, "stddev_pop": statStddevPop,
	"variance": statVarSamp, "var_samp": statVarSamp, "var_pop": statVarPop,
}

func init() {
	define(Definition{
		Invertible: true,
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) == 1 {
				switch argTypes[0].Kind {
				case types.KindInt16, types.KindInt32, types.KindInt64, types.KindNumeric:
					return types.Numeric, nil
				case types.KindFloat32, types.KindFloat64:
					return types.Float64, nil
				case types.KindUnknown:
					return types.Unknown, notUnique(name, argTypes)
				}
			}
			return types.Unknown, noSuchFunction(name, argTypes)
		},
		newAccumulator: func(name string, argTypes []types.T) Accumulator {
			stat := varianceStatistics[name]
			if k := argTypes[0].Kind; k == types.KindFloat32 || k == types.KindFloat64 {
				return &floatAccumulator{stat: stat}
			}
			return newNumericAccumulator(stat)
		},
	}, "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop")
}
