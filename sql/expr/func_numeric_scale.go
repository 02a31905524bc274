package expr

import (
	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// scale, min_scale and trim_scale: the digits after a numeric's point.

func init() {
	numericInt := func(name string, fn func(d *apd.Decimal) types.Datum) {
		register(custom(func(args []Expr) (Expr, error) {
			return call(name, args, []types.T{types.Numeric}, types.Int32, func(_ *Context, a []types.Datum) (types.Datum, error) {
				d := a[0].(*apd.Decimal)
				if d.Form != apd.Finite {
					return nil, nil
				}
				return fn(d), nil
			})
		}, "(numeric) integer"), name)
	}
	numericInt("scale", func(d *apd.Decimal) types.Datum { return int64(max(-d.Exponent, 0)) })
	numericInt("min_scale", func(d *apd.Decimal) types.Datum { return int64(max(-trimScale(d).Exponent, 0)) })
	register(custom(func(args []Expr) (Expr, error) {
		return call("trim_scale", args, []types.T{types.Numeric}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			d := a[0].(*apd.Decimal)
			if d.Form != apd.Finite {
				return d, nil
			}
			return trimScale(d), nil
		})
	}, "(numeric) numeric"), "trim_scale")
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
