package expr

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// cbrt and the root operators |/ (square root) and ||/ (cube root).

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		return call("cbrt", args, []types.T{types.Float64}, types.Float64, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return glibcCbrt(a[0].(float64)), nil
		})
	}, "(double precision) double precision"), "cbrt")
}

// newRoot is |/ (square root) or ||/ (cube root) of float8.
func newRoot(op string, e Expr) (Expr, error) {
	c, err := coerceArg(e, types.Float64)
	if err == errNoMatch {
		return nil, errNoUnaryOperator(op, e.Type())
	}
	if err != nil {
		return nil, err
	}
	return &rowExpr{name: op, infix: true, args: []Expr{c}, t: types.Float64, strict: true,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			v := a[0].(float64)
			if op == "||/" {
				return glibcCbrt(v), nil
			}
			if v < 0 {
				return nil, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
			}
			return math.Sqrt(v), nil
		}}, nil
}

// glibcCbrt is glibc's cbrt (sysdeps/ieee754/dbl-64/s_cbrt.c), which
// PostgreSQL calls: its last digit differs from Go's math.Cbrt at times
// (cbrt(27) is 3.0000000000000004). The explicit float64 conversions keep
// the compiler from fusing multiply-adds.
func glibcCbrt(x float64) float64 {
	const cbrt2 = 1.2599210498948731648
	const sqrCbrt2 = 1.5874010519681994748
	factor := [5]float64{1.0 / sqrCbrt2, 1.0 / cbrt2, 1.0, cbrt2, sqrCbrt2}
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x + x
	}
	xm, xe := math.Frexp(math.Abs(x))
	u := float64(0.784932344976639262 - float64(0.145263899385486377*xm))
	u = float64(-1.83469277483613086 + float64(u*xm))
	u = float64(2.44693122563534430 + float64(u*xm))
	u = float64(-2.11499494167371287 + float64(u*xm))
	u = float64(1.50819193781584896 + float64(u*xm))
	u = float64(0.354895765043919860 + float64(u*xm))
	t2 := float64(float64(u*u) * u)
	ym := float64(float64(u*float64(t2+float64(2.0*xm))) / float64(float64(2.0*t2)+xm))
	ym = float64(ym * factor[2+xe%3])
	if x < 0 {
		ym = -ym
	}
	return math.Ldexp(ym, xe/3)
}
