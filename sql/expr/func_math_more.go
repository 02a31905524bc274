package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// More of PostgreSQL's mathematical functions: div, gcd, lcm, the
// trigonometric functions (in radians), degrees and radians.

func floatFunc(name string, nargs int, fn func(a []float64) (float64, error)) resolver {
	return func(args []Expr) (Expr, error) {
		return call(name, args, repeatT(types.Float64, nargs), types.Float64, func(_ *Context, a []types.Datum) (types.Datum, error) {
			fs := make([]float64, len(a))
			for i, d := range a {
				fs[i] = d.(float64)
			}
			return fn(fs)
		})
	}
}

// errFloatDomain is PostgreSQL's error for an argument outside a function's
// domain (asin(2)).
func errFloatDomain() error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "input is out of range")
}

func init() {
	register(func(args []Expr) (Expr, error) {
		return call("div", args, []types.T{types.Numeric, types.Numeric}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(*apd.Decimal), a[1].(*apd.Decimal)
			if y.Form == apd.Finite && y.IsZero() {
				return nil, errDivByZero()
			}
			q := new(apd.Decimal)
			ctx := types.NumericContext().WithPrecision(1000)
			if _, err := ctx.QuoInteger(q, x, y); err != nil {
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
			}
			return types.RoundNumeric(q, 0), nil
		})
	}, "div")
	for _, name := range []string{"gcd", "lcm"} {
		lcm := name == "lcm"
		var rs []resolver
		for _, t := range []types.T{types.Int32, types.Int64} {
			rs = append(rs, func(args []Expr) (Expr, error) {
				return call(name, args, []types.T{t, t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
					return gcdLcm(a[0].(int64), a[1].(int64), lcm, t)
				})
			})
		}
		register(overloads(rs...), name)
	}
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

// gcdLcm is gcd(a, b) or lcm(a, b) of type t; the result's sign is
// positive, and a result outside t's range is 22003 as in PostgreSQL.
func gcdLcm(a, b int64, lcm bool, t types.T) (types.Datum, error) {
	g := func(x, y int64) int64 {
		for y != 0 {
			x, y = y, x%y
		}
		return x
	}
	abs := func(x int64) (int64, bool) {
		if x == math.MinInt64 {
			return 0, false
		}
		if x < 0 {
			return -x, true
		}
		return x, true
	}
	if !lcm {
		r := g(a, b)
		if r, ok := abs(r); ok && (t.Kind != types.KindInt32 || r <= math.MaxInt32) {
			return r, nil
		}
		return nil, errIntRange(t)
	}
	if a == 0 || b == 0 {
		return int64(0), nil
	}
	x, ok1 := abs(a / g(a, b))
	y, ok2 := abs(b)
	if !ok1 || !ok2 {
		return nil, errIntRange(t)
	}
	r := x * y
	if x != 0 && r/x != y || t.Kind == types.KindInt32 && r > math.MaxInt32 {
		return nil, errIntRange(t)
	}
	return r, nil
}

// numericIntPow is numeric ^ numeric for an integral exponent, as
// PostgreSQL's power_var_int: computed exactly enough and rounded to
// max(16, the base's scale) digits after the point
// (power(2::numeric, 10) is 1024.0000000000000000). ok is false when the
// exponent is not integral or the result would be too large.
func numericIntPow(a, b *apd.Decimal) (*apd.Decimal, bool) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		return nil, false
	}
	var exp apd.Decimal
	exp.Reduce(b)
	if exp.Exponent < 0 {
		return nil, false
	}
	fa, err1 := a.Float64()
	fb, err2 := b.Float64()
	if err1 != nil || err2 != nil || math.Abs(fb) > 1e6 {
		return nil, false
	}
	rscale := min(max(16, numericScale(a)), 1000)
	if exp.IsZero() {
		return types.RoundNumeric(apd.New(1, 0), int32(rscale)), true
	}
	digits := 0.0
	if fa != 0 {
		digits = math.Abs(fb * math.Log10(math.Abs(fa)))
	}
	if digits > 10000 {
		return nil, false
	}
	ctx := types.NumericContext().WithPrecision(uint32(digits) + uint32(rscale) + 20)
	r := new(apd.Decimal)
	if _, err := ctx.Pow(r, a, b); err != nil {
		return nil, false
	}
	return types.RoundNumeric(r, int32(rscale)), true
}
