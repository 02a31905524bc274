package expr

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The trigonometric functions (in radians), degrees and radians, all of
// double precision.

func floatFunc(name string, nargs int, fn func(a []float64) (float64, error)) overloadList {
	return typed(repeatT(types.Float64, nargs), types.Float64, func(args []Expr) (Expr, error) {
		return call(name, args, repeatT(types.Float64, nargs), types.Float64, func(_ *Context, a []types.Datum) (types.Datum, error) {
			fs := make([]float64, len(a))
			for i, d := range a {
				fs[i] = d.(float64)
			}
			return fn(fs)
		})
	})
}

// errFloatDomain is PostgreSQL's error for an argument outside a function's
// domain (asin(2)).
func errFloatDomain() error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "input is out of range")
}

func init() {
	trig := map[string]func(float64) float64{
		"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "atan": math.Atan,
		"cot":     func(x float64) float64 { return 1 / math.Tan(x) },
		"degrees": func(x float64) float64 { return x * (180 / math.Pi) },
		"radians": func(x float64) float64 { return x * (math.Pi / 180) },
	}
	for name, f := range trig {
		register(floatFunc(name, 1, func(a []float64) (float64, error) { return f(a[0]), nil }), name)
	}
	for name, f := range map[string]func(float64) float64{"asin": math.Asin, "acos": math.Acos} {
		register(floatFunc(name, 1, func(a []float64) (float64, error) {
			if a[0] < -1 || a[0] > 1 {
				return 0, errFloatDomain()
			}
			return f(a[0]), nil
		}), name)
	}
	register(floatFunc("atan2", 2, func(a []float64) (float64, error) { return math.Atan2(a[0], a[1]), nil }), "atan2")
}
