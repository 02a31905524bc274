package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// div, gcd and lcm: the integral quotient and divisors.

func init() {
	register(custom(func(args []Expr) (Expr, error) {
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
	}, "(numeric, numeric) numeric"), "div")
	for _, name := range []string{"gcd", "lcm"} {
		lcm := name == "lcm"
		var rs []overloadList
		for _, t := range []types.T{types.Int32, types.Int64} {
			rs = append(rs, typed([]types.T{t, t}, t, func(args []Expr) (Expr, error) {
				return call(name, args, []types.T{t, t}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
					return gcdLcm(a[0].(int64), a[1].(int64), lcm, t)
				})
			}))
		}
		register(overloads(rs...), name)
	}
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
