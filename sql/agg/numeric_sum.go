package agg

import (
	"sort"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// statistic is what a sum-like accumulator returns.
type statistic uint8

const (
	statSum statistic = iota
	statAvg
	statVarSamp
	statVarPop
	statStddevSamp
	statStddevPop
)

func (s statistic) isVariance() bool { return s >= statVarSamp }

// numericAccumulator is sum and avg over numeric, and the variance and
// stddev family over integers and numeric. It is invertible: it keeps the
// row count, the exact sum (and sum of squares) of the finite values, the
// counts of NaN and of each infinity, and how many values have each display
// scale, so that a retraction restores the result's scale exactly as
// PostgreSQL would print it for the remaining rows.
type numericAccumulator struct {
	stat                statistic
	n                   int64
	nan, posInf, negInf int64
	sum                 apd.Decimal
	sumSquares          apd.Decimal
	scales              map[int32]int64
}

func newNumericAccumulator(stat statistic) *numericAccumulator {
	return &numericAccumulator{stat: stat, scales: map[int32]int64{}}
}

func (a *numericAccumulator) Add(args []types.Datum, sign int64) error {
	var d *apd.Decimal
	switch v := args[0].(type) {
	case nil:
		return nil
	case int64:
		d = apd.New(v, 0)
	case *apd.Decimal:
		d = v
	default:
		return pgerror.Internal("agg: numeric accumulator given %T", v)
	}
	a.n += sign
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		a.nan += sign
		return nil
	case apd.Infinite:
		if d.Negative {
			a.negInf += sign
		} else {
			a.posInf += sign
		}
		return nil
	}
	var err error
	if sign < 0 {
		_, err = exact.Sub(&a.sum, &a.sum, d)
	} else {
		_, err = exact.Add(&a.sum, &a.sum, d)
	}
	if err != nil {
		return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	if a.stat.isVariance() {
		var sq apd.Decimal
		if _, err := exact.Mul(&sq, d, d); err != nil {
			return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
		if sign < 0 {
			_, err = exact.Sub(&a.sumSquares, &a.sumSquares, &sq)
		} else {
			_, err = exact.Add(&a.sumSquares, &a.sumSquares, &sq)
		}
		if err != nil {
			return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	scale := displayScale(d)
	if a.scales[scale] += sign; a.scales[scale] == 0 {
		delete(a.scales, scale)
	}
	return nil
}

// maxScale is the largest display scale among the finite values.
func (a *numericAccumulator) maxScale() int32 {
	var m int32
	for s := range a.scales {
		m = max(m, s)
	}
	return m
}

func (a *numericAccumulator) Result() (types.Datum, error) {
	switch a.stat {
	case statSum, statAvg:
		if a.n <= 0 {
			return nil, nil
		}
		switch {
		case a.nan > 0 || (a.posInf > 0 && a.negInf > 0):
			return decimalNaN, nil
		case a.posInf > 0:
			return decimalPosInf, nil
		case a.negInf > 0:
			return decimalNegInf, nil
		}
		sum := withScale(&a.sum, a.maxScale())
		if a.stat == statSum {
			return sum, nil
		}
		n := apd.New(a.n, 0)
		return divide(sum, n, selectDivScale(sum, n)), nil
	}
	sample := a.stat == statVarSamp || a.stat == statStddevSamp
	if a.n <= 0 || (sample && a.n <= 1) {
		return nil, nil
	}
	if a.nan > 0 || a.posInf > 0 || a.negInf > 0 {
		return decimalNaN, nil
	}
	scale := a.maxScale()
	sum := withScale(&a.sum, scale)
	sumSquares := withScale(&a.sumSquares, 2*scale)
	n := apd.New(a.n, 0)
	// numerator = n * sum(x²) - sum(x)², exact, as numeric_stddev_internal.
	var numerator, square apd.Decimal
	exact.Mul(&numerator, n, sumSquares)
	exact.Mul(&square, sum, sum)
	exact.Sub(&numerator, &numerator, &square)
	if numerator.Sign() <= 0 {
		return apd.New(0, 0), nil
	}
	numerator.Set(withScale(&numerator, 2*scale))
	var denominator apd.Decimal
	if sample {
		denominator.SetInt64(a.n * (a.n - 1))
	} else {
		exact.Mul(&denominator, n, n)
	}
	rscale := selectDivScale(&numerator, &denominator)
	v := divide(&numerator, &denominator, rscale)
	if a.stat == statStddevSamp || a.stat == statStddevPop {
		v = sqrtScaled(v, rscale)
	}
	return v, nil
}

func (a *numericAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.int(a.n)
	w.int(a.nan)
	w.int(a.posInf)
	w.int(a.negInf)
	scales := make([]int32, 0, len(a.scales))
	for s := range a.scales {
		scales = append(scales, s)
	}
	sort.Slice(scales, func(i, j int) bool { return scales[i] < scales[j] })
	w.uint(uint64(len(scales)))
	for _, s := range scales {
		w.int(int64(s))
		w.int(a.scales[s])
	}
	w.decimal(&a.sum)
	if a.stat.isVariance() {
		w.decimal(&a.sumSquares)
	}
	return w.buf, nil
}

func (a *numericAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.n = r.int()
	a.nan = r.int()
	a.posInf = r.int()
	a.negInf = r.int()
	a.scales = map[int32]int64{}
	for i, n := 0, r.uint(); r.err == nil && uint64(i) < n; i++ {
		s := int32(r.int())
		a.scales[s] = r.int()
	}
	a.sum.Set(r.decimal())
	if a.stat.isVariance() {
		a.sumSquares.Set(r.decimal())
	}
	return r.done()
}
