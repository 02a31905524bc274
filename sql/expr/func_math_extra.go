package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// cbrt, |/ and ||/, scale, min_scale, trim_scale, factorial and
// width_bucket.

func init() {
	register(func(args []Expr) (Expr, error) {
		return call("cbrt", args, []types.T{types.Float64}, types.Float64, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return glibcCbrt(a[0].(float64)), nil
		})
	}, "cbrt")
	numericInt := func(name string, fn func(d *apd.Decimal) types.Datum) {
		register(func(args []Expr) (Expr, error) {
			return call(name, args, []types.T{types.Numeric}, types.Int32, func(_ *Context, a []types.Datum) (types.Datum, error) {
				d := a[0].(*apd.Decimal)
				if d.Form != apd.Finite {
					return nil, nil
				}
				return fn(d), nil
			})
		}, name)
	}
	numericInt("scale", func(d *apd.Decimal) types.Datum { return int64(max(-d.Exponent, 0)) })
	numericInt("min_scale", func(d *apd.Decimal) types.Datum { return int64(max(-trimScale(d).Exponent, 0)) })
	register(func(args []Expr) (Expr, error) {
		return call("trim_scale", args, []types.T{types.Numeric}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			d := a[0].(*apd.Decimal)
			if d.Form != apd.Finite {
				return d, nil
			}
			return trimScale(d), nil
		})
	}, "trim_scale")
	register(func(args []Expr) (Expr, error) {
		return call("factorial", args, []types.T{types.Int64}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			n := a[0].(int64)
			if n < 0 {
				return nil, pgerror.New("2201E", "factorial of a negative number is undefined")
			}
			if n > 32177 {
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
			}
			r := apd.New(1, 0)
			for i := int64(2); i <= n; i++ {
				r.Coeff.Mul(&r.Coeff, apd.NewBigInt(i))
			}
			return r, nil
		})
	}, "factorial")
	register(overloads(
		func(args []Expr) (Expr, error) {
			if len(args) != 4 || args[0].Type().Kind != types.KindNumeric && args[1].Type().Kind != types.KindNumeric && args[2].Type().Kind != types.KindNumeric {
				return nil, errNoMatch
			}
			return call("width_bucket", args, []types.T{types.Numeric, types.Numeric, types.Numeric, types.Int32}, types.Int32,
				func(_ *Context, a []types.Datum) (types.Datum, error) {
					return widthBucketNumeric(a[0].(*apd.Decimal), a[1].(*apd.Decimal), a[2].(*apd.Decimal), a[3].(int64))
				})
		},
		func(args []Expr) (Expr, error) {
			return call("width_bucket", args, []types.T{types.Float64, types.Float64, types.Float64, types.Int32}, types.Int32,
				func(_ *Context, a []types.Datum) (types.Datum, error) {
					return widthBucketFloat(a[0].(float64), a[1].(float64), a[2].(float64), a[3].(int64))
				})
		}), "width_bucket")
}

// newMathUnary is |/ (square root) and ||/ (cube root) of float8.
func newMathUnary(op string, e Expr) (Expr, bool, error) {
	if op != "|/" && op != "||/" {
		return nil, false, nil
	}
	c, err := coerceArg(e, types.Float64)
	if err == errNoMatch {
		return nil, true, errNoUnaryOperator(op, e.Type())
	}
	if err != nil {
		return nil, true, err
	}
	return &rowExpr{name: op, infix: true, args: []Expr{c}, t: types.Float64, strict: true,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			v := a[0].(float64)
			if op == "||/" {
				return glibcCbrt(v), nil
			}
			if v < 0 {
				return nil, pgerror.New("2201F", "cannot take square root of a negative number")
			}
			return math.Sqrt(v), nil
		}}, true, nil
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

func trimScale(d *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal).Set(d)
	if r.IsZero() {
		r.Exponent = min(r.Exponent, 0)
		if r.Exponent < 0 {
			r.Exponent = 0
		}
		return r
	}
	for r.Exponent < 0 {
		var q, m apd.BigInt
		q.QuoRem(&r.Coeff, apd.NewBigInt(10), &m)
		if m.Sign() != 0 {
			break
		}
		r.Coeff.Set(&q)
		r.Exponent++
	}
	return r
}

func errWidthBucket(msg string) error { return pgerror.New("2201G", "%s", msg) }

func widthBucketFloat(x, lo, hi float64, count int64) (types.Datum, error) {
	if count <= 0 {
		return nil, errWidthBucket("count must be greater than zero")
	}
	if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) {
		return nil, errWidthBucket("operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, errWidthBucket("lower and upper bounds must be finite")
	}
	var r int64
	switch {
	case lo < hi:
		switch {
		case x < lo:
			r = 0
		case x >= hi:
			r = count + 1
		default:
			r = int64(float64(count)*((x-lo)/(hi-lo))) + 1
		}
	case lo > hi:
		switch {
		case x > lo:
			r = 0
		case x <= hi:
			r = count + 1
		default:
			r = int64(float64(count)*((lo-x)/(lo-hi))) + 1
		}
	default:
		return nil, errWidthBucket("lower bound cannot equal upper bound")
	}
	if r > math.MaxInt32 {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	}
	return r, nil
}

func widthBucketNumeric(x, lo, hi *apd.Decimal, count int64) (types.Datum, error) {
	if count <= 0 {
		return nil, errWidthBucket("count must be greater than zero")
	}
	if x.Form == apd.NaN || lo.Form == apd.NaN || hi.Form == apd.NaN {
		return nil, errWidthBucket("operand, lower bound, and upper bound cannot be NaN")
	}
	if lo.Form != apd.Finite || hi.Form != apd.Finite {
		return nil, errWidthBucket("lower and upper bounds must be finite")
	}
	ctx := apd.BaseContext.WithPrecision(1000)
	bucket := func(num1, num2 *apd.Decimal) int64 {
		// floor(num1 * count / num2) + 1
		var p, q, f apd.Decimal
		_, _ = ctx.Mul(&p, num1, apd.New(count, 0))
		_, _ = ctx.Quo(&q, &p, num2)
		_, _ = ctx.Floor(&f, &q)
		n, _ := f.Int64()
		return n + 1
	}
	var a, b apd.Decimal
	switch c := lo.Cmp(hi); {
	case c < 0:
		switch {
		case x.Cmp(lo) < 0:
			return int64(0), nil
		case x.Cmp(hi) >= 0:
			return count + 1, nil
		}
		_, _ = ctx.Sub(&a, x, lo)
		_, _ = ctx.Sub(&b, hi, lo)
	case c > 0:
		switch {
		case x.Cmp(lo) > 0:
			return int64(0), nil
		case x.Cmp(hi) <= 0:
			return count + 1, nil
		}
		_, _ = ctx.Sub(&a, lo, x)
		_, _ = ctx.Sub(&b, lo, hi)
	default:
		return nil, errWidthBucket("lower bound cannot equal upper bound")
	}
	return bucket(&a, &b), nil
}
