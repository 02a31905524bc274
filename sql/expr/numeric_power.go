package expr

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

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
