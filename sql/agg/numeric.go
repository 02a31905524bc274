package agg

import (
	"math/big"

	"github.com/cockroachdb/apd/v3"
)

// PostgreSQL's numeric arithmetic is exact for addition, subtraction and
// multiplication; only division and square roots choose a result scale. The
// functions here replicate those choices (select_div_scale in numeric.c) so
// that avg, variance and stddev print exactly what PostgreSQL prints.

const (
	numericMinSigDigits = 16   // NUMERIC_MIN_SIG_DIGITS
	numericMaxScale     = 1000 // NUMERIC_MAX_DISPLAY_SCALE
	decDigits           = 4    // DEC_DIGITS: decimal digits per base-10000 digit
)

// exact is a context wide enough that sums and products of stored numerics
// never round.
var exact = apd.Context{Precision: 1 << 18, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Rounding: apd.RoundHalfUp}

// displayScale is PostgreSQL's dscale: the number of digits after the
// decimal point the value is shown with.
func displayScale(d *apd.Decimal) int32 {
	if d.Exponent < 0 {
		return -d.Exponent
	}
	return 0
}

// leadingBaseDigit returns the weight and value of the first non-zero
// base-10000 digit of d, as PostgreSQL's NumericVar holds it; (0, 0) for
// zero.
func leadingBaseDigit(d *apd.Decimal) (weight int32, digit int64) {
	if d.Coeff.Sign() == 0 {
		return 0, 0
	}
	s := d.Coeff.String()
	top := int32(len(s)) - 1 + d.Exponent // power of ten of the first digit
	weight = floorDiv(top, decDigits)
	n := int(top - weight*decDigits + 1) // decimal digits in the leading group
	for i := 0; i < n; i++ {
		digit *= 10
		if i < len(s) {
			digit += int64(s[i] - '0')
		}
	}
	return weight, digit
}

func floorDiv(a, b int32) int32 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// selectDivScale is PostgreSQL's select_div_scale: enough digits for 16
// significant digits in the quotient, and never fewer than either input's
// display scale.
func selectDivScale(a, b *apd.Decimal) int32 {
	w1, d1 := leadingBaseDigit(a)
	w2, d2 := leadingBaseDigit(b)
	qweight := w1 - w2
	if d1 <= d2 {
		qweight--
	}
	scale := numericMinSigDigits - qweight*decDigits
	scale = max(scale, displayScale(a), displayScale(b), 0)
	return min(scale, numericMaxScale)
}

var bigTen = big.NewInt(10)

func pow10(n int32) *big.Int {
	return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
}

// divide computes a / b rounded half away from zero to scale digits, as
// PostgreSQL's numeric_div does. b must be finite and non-zero; a finite.
func divide(a, b *apd.Decimal, scale int32) *apd.Decimal {
	num := new(big.Int).Abs(a.Coeff.MathBigInt())
	den := new(big.Int).Abs(b.Coeff.MathBigInt())
	// a/b * 10^scale = ca/cb * 10^(ea - eb + scale)
	if e := a.Exponent - b.Exponent + scale; e >= 0 {
		num.Mul(num, pow10(e))
	} else {
		den.Mul(den, pow10(-e))
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	out := &apd.Decimal{Exponent: -scale}
	out.Coeff.SetMathBigInt(q)
	out.Negative = (a.Negative != b.Negative) && q.Sign() != 0
	return out
}

// sqrtScaled computes the square root of non-negative x rounded half up to
// scale digits, as PostgreSQL's sqrt_var does.
func sqrtScaled(x *apd.Decimal, scale int32) *apd.Decimal {
	// floor(sqrt(x) * 10^(scale+1)) = floor(sqrt(floor(cx * 10^(ex + 2scale + 2))))
	v := new(big.Int).Set(x.Coeff.MathBigInt())
	if k := x.Exponent + 2*scale + 2; k >= 0 {
		v.Mul(v, pow10(k))
	} else {
		v.Quo(v, pow10(-k))
	}
	s := new(big.Int).Sqrt(v)
	last := new(big.Int)
	s.QuoRem(s, bigTen, last)
	if last.Int64() >= 5 {
		s.Add(s, big.NewInt(1))
	}
	out := &apd.Decimal{Exponent: -scale}
	out.Coeff.SetMathBigInt(s)
	return out
}

// withScale returns d re-expressed with exactly scale fractional digits.
// The caller guarantees no non-zero digit is dropped.
func withScale(d *apd.Decimal, scale int32) *apd.Decimal {
	out := new(apd.Decimal)
	if _, err := exact.Quantize(out, d, -scale); err != nil {
		return d
	}
	return out
}

var (
	decimalNaN    = &apd.Decimal{Form: apd.NaN}
	decimalPosInf = &apd.Decimal{Form: apd.Infinite}
	decimalNegInf = &apd.Decimal{Form: apd.Infinite, Negative: true}
)
