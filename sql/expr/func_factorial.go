package expr

import (
	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// factorial(bigint), exact in numeric.

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		return call("factorial", args, []types.T{types.Int64}, types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			n := a[0].(int64)
			if n < 0 {
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "factorial of a negative number is undefined")
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
	}, "(bigint) numeric"), "factorial")
}
