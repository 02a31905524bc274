package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func init() {
	register(unaryMath("abs", true, func(t types.T, d types.Datum) (types.Datum, error) {
		switch v := d.(type) {
		case int64:
			if v < 0 {
				lo, _ := t.IntRange()
				if v == lo {
					return nil, errIntRange(t)
				}
				return -v, nil
			}
			return v, nil
		case float64:
			return math.Abs(v), nil
		}
		return new(apd.Decimal).Abs(d.(*apd.Decimal)), nil
	}), "abs")
	register(unaryMath("ceil", false, roundingFunc(math.Ceil, apd.RoundCeiling)), "ceil", "ceiling")
	register(unaryMath("floor", false, roundingFunc(math.Floor, apd.RoundFloor)), "floor")
	register(unaryMath("sign", false, func(_ types.T, d types.Datum) (types.Datum, error) {
		switch v := d.(type) {
		case float64:
			switch {
			case v > 0:
				return 1.0, nil
			case v < 0:
				return -1.0, nil
			}
			return v * 0, nil
		}
		return apd.New(int64(d.(*apd.Decimal).Sign()), 0), nil
	}), "sign")
	register(roundResolver("round", math.RoundToEven, apd.RoundHalfUp), "round")
	register(roundResolver("trunc", math.Trunc, apd.RoundDown), "trunc")
	register(floatOrNumeric("sqrt", func(f float64) (float64, error) {
		if f < 0 {
			return 0, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
		}
		return math.Sqrt(f), nil
	}, func(d *apd.Decimal) (types.Datum, error) {
		if d.Negative && !d.IsZero() {
			return nil, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
		}
		r := new(apd.Decimal)
		if _, err := types.NumericContext().WithPrecision(60).Sqrt(r, d); err != nil {
			return nil, err
		}
		// sqrt's scale: 16 significant digits from half the argument's weight.
		w, _ := numericWeight(d)
		sweight := (w+1)*4/2 - 1
		return types.RoundNumeric(r, int32(max(16-sweight, numericScale(d), 0))), nil
	}), "sqrt")
	register(floatOrNumeric("exp", func(f float64) (float64, error) {
		r := math.Exp(f)
		if math.IsInf(r, 0) && !math.IsInf(f, 0) {
			return 0, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
		}
		return r, nil
	}, func(d *apd.Decimal) (types.Datum, error) {
		r := new(apd.Decimal)
		if _, err := types.NumericContext().WithPrecision(60).Exp(r, d); err != nil {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
		return roundSig(r, numericScale(d)), nil
	}), "exp")
	register(floatOrNumeric("ln", logFunc(math.Log, false), numericLog(false)), "ln")
	// log10 is log of one argument; only log takes a base.
	log10 := floatOrNumeric("log", logFunc(math.Log10, true), numericLog(true))
	register(log10, "log10")
	register(overloads(log10, typed([]types.T{types.Numeric, types.Numeric}, types.Numeric, func(args []Expr) (Expr, error) {
		return call("log", args, []types.T{types.Numeric, types.Numeric}, types.Numeric,
			func(_ *Context, a []types.Datum) (types.Datum, error) {
				b, x := a[0].(*apd.Decimal), a[1].(*apd.Decimal)
				if b.Sign() <= 0 || x.Sign() <= 0 {
					return nil, pgerror.New(pgerror.InvalidArgumentForLog, "cannot take logarithm of a negative number")
				}
				c := types.NumericContext().WithPrecision(60)
				lb, lx, r := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
				c.Ln(lb, b)
				c.Ln(lx, x)
				if lb.IsZero() {
					return nil, errDivByZero()
				}
				c.Quo(r, lx, lb)
				return roundSig(r, max(numericScale(b), numericScale(x))), nil
			})
	})), "log")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t := types.Float64
		if args[0].Type().Kind == types.KindNumeric || args[1].Type().Kind == types.KindNumeric {
			t = types.Numeric
		}
		return call("power", args, []types.T{t, t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			if t.Kind == types.KindNumeric {
				return numericPow(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
			}
			return floatPow(a[0].(float64), a[1].(float64))
		})
	}, "(double precision, double precision) double precision", "(numeric, numeric) numeric"), "power", "pow")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		lt, rt := args[0].Type(), args[1].Type()
		if lt.Kind == types.KindUnknown {
			lt = rt
		}
		if rt.Kind == types.KindUnknown {
			rt = lt
		}
		if !lt.IsNumeric() || !rt.IsNumeric() {
			return nil, errNoMatch
		}
		t := numericCommon(lt, rt)
		if !t.IsInteger() {
			t = types.Numeric
		}
		return call("mod", args, []types.T{t, t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			if t.IsInteger() {
				return intDivMod("%", a[0].(int64), a[1].(int64), t)
			}
			return numericArith("%", a[0].(*apd.Decimal), a[1].(*apd.Decimal))
		})
	}, "(smallint, smallint) smallint", "(integer, integer) integer", "(bigint, bigint) bigint", "(numeric, numeric) numeric"), "mod")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 0 {
			return nil, errNoMatch
		}
		return &rowExpr{name: "pi", t: types.Float64, fn: func(*Context, []types.Datum) (types.Datum, error) { return math.Pi, nil }}, nil
	}, "() double precision"), "pi")
}

// unaryMath resolves a one-argument function over the numeric family.
func unaryMath(name string, hasInt bool, fn func(t types.T, d types.Datum) (types.Datum, error)) overloadList {
	sigs := []string{"(double precision) double precision", "(numeric) numeric"}
	if hasInt {
		sigs = append(sigs, "(smallint) smallint", "(integer) integer", "(bigint) bigint")
	}
	return custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t, ok := numericFamily(args[0].Type(), hasInt)
		if !ok {
			return nil, errNoMatch
		}
		return call(name, args, []types.T{t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(t, a[0]) })
	}, sigs...)
}

func roundingFunc(f func(float64) float64, mode apd.Rounder) func(types.T, types.Datum) (types.Datum, error) {
	return func(_ types.T, d types.Datum) (types.Datum, error) {
		if v, ok := d.(float64); ok {
			return f(v), nil
		}
		return roundNumericMode(d.(*apd.Decimal), 0, mode), nil
	}
}

func roundNumericMode(d *apd.Decimal, scale int64, mode apd.Rounder) *apd.Decimal {
	if d.Form != apd.Finite {
		return d
	}
	c := *types.NumericContext()
	c.Rounding = mode
	r := new(apd.Decimal)
	if scale < 0 {
		// Round to tens, hundreds...: quantize there and restore scale 0.
		c.Quantize(r, d, int32(-scale))
		return types.NormalizeNumeric(r)
	}
	c.Quantize(r, d, int32(-scale))
	return types.NormalizeNumeric(r)
}

// roundResolver is round/trunc: (float8), (numeric), (numeric, int).
func roundResolver(name string, ff func(float64) float64, mode apd.Rounder) overloadList {
	return custom(func(args []Expr) (Expr, error) {
		switch len(args) {
		case 1:
			t, ok := numericFamily(args[0].Type(), false)
			if !ok {
				return nil, errNoMatch
			}
			return call(name, args, []types.T{t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
				if v, ok := a[0].(float64); ok {
					if name == "round" {
						return math.RoundToEven(v), nil
					}
					return ff(v), nil
				}
				return roundNumericMode(a[0].(*apd.Decimal), 0, mode), nil
			})
		case 2:
			return call(name, args, []types.T{types.Numeric, types.Int32}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return roundNumericMode(a[0].(*apd.Decimal), a[1].(int64), mode), nil
			})
		}
		return nil, errNoMatch
	}, "(double precision) double precision", "(numeric) numeric", "(numeric, integer) numeric")
}

func floatOrNumeric(name string, ff func(float64) (float64, error), nf func(*apd.Decimal) (types.Datum, error)) overloadList {
	return custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t, ok := numericFamily(args[0].Type(), false)
		if !ok {
			return nil, errNoMatch
		}
		return call(name, args, []types.T{t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			if v, ok := a[0].(float64); ok {
				return ff(v)
			}
			d := a[0].(*apd.Decimal)
			if d.Form == apd.NaN {
				return d, nil
			}
			return nf(d)
		})
	}, "(double precision) double precision", "(numeric) numeric")
}

func logFunc(f func(float64) float64, base10 bool) func(float64) (float64, error) {
	return func(v float64) (float64, error) {
		if v == 0 {
			return 0, pgerror.New(pgerror.InvalidArgumentForLog, "cannot take logarithm of zero")
		}
		if v < 0 {
			return 0, pgerror.New(pgerror.InvalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		return f(v), nil
	}
}

func numericLog(base10 bool) func(*apd.Decimal) (types.Datum, error) {
	return func(d *apd.Decimal) (types.Datum, error) {
		if d.IsZero() {
			return nil, pgerror.New(pgerror.InvalidArgumentForLog, "cannot take logarithm of zero")
		}
		if d.Negative {
			return nil, pgerror.New(pgerror.InvalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		c := types.NumericContext().WithPrecision(60)
		r := new(apd.Decimal)
		if base10 {
			c.Log10(r, d)
		} else {
			c.Ln(r, d)
		}
		return roundSig(r, numericScale(d)), nil
	}
}
