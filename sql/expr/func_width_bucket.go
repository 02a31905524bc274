package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// width_bucket(operand, low, high, count) over numeric or double precision.

func init() {
	register(overloads(
		custom(func(args []Expr) (Expr, error) {
			if len(args) != 4 || args[0].Type().Kind != types.KindNumeric && args[1].Type().Kind != types.KindNumeric && args[2].Type().Kind != types.KindNumeric {
				return nil, errNoMatch
			}
			return call("width_bucket", args, []types.T{types.Numeric, types.Numeric, types.Numeric, types.Int32}, types.Int32,
				func(_ *Context, a []types.Datum) (types.Datum, error) {
					return widthBucketNumeric(a[0].(*apd.Decimal), a[1].(*apd.Decimal), a[2].(*apd.Decimal), a[3].(int64))
				})
		}, "(numeric, numeric, numeric, integer) integer"),
		custom(func(args []Expr) (Expr, error) {
			return call("width_bucket", args, []types.T{types.Float64, types.Float64, types.Float64, types.Int32}, types.Int32,
				func(_ *Context, a []types.Datum) (types.Datum, error) {
					return widthBucketFloat(a[0].(float64), a[1].(float64), a[2].(float64), a[3].(int64))
				})
		}, "(double precision, double precision, double precision, integer) integer")), "width_bucket")
}

func errWidthBucket(msg string) error {
	return pgerror.New(pgerror.InvalidArgumentForWidthBucketFunction, "%s", msg)
}

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
