package agg

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// floatAccumulator is sum, avg and the variance family over real and double
// precision. sum(real) adds in single precision and returns real, as
// PostgreSQL's float4pl; everything else is double precision. Variance uses
// the Youngs-Cramer update PostgreSQL uses (float8_accum), which can be run
// backwards, so the accumulator is invertible; NaN and infinities are
// counted apart from the finite values so that retracting them restores a
// finite result.
type floatAccumulator struct {
	stat                statistic
	single              bool
	n                   int64
	nan, posInf, negInf int64
	finite              int64
	sum                 float64 // of the finite values
	sxx                 float64 // sum of squared deviations of the finite values
}

var errFloatOverflow = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")

func (a *floatAccumulator) Add(args []types.Datum, sign int64) error {
	if args[0] == nil {
		return nil
	}
	v := args[0].(float64)
	a.n += sign
	switch {
	case math.IsNaN(v):
		a.nan += sign
		return nil
	case math.IsInf(v, 1):
		a.posInf += sign
		return nil
	case math.IsInf(v, -1):
		a.negInf += sign
		return nil
	}
	if sign < 0 {
		if a.finite > 1 {
			n := float64(a.finite)
			tmp := v*n - a.sum
			a.sxx -= tmp * tmp / (n * (n - 1))
			a.sxx = max(a.sxx, 0)
		}
		a.finite--
		a.sum = a.add(a.sum, -v)
		if a.finite == 0 {
			a.sum, a.sxx = 0, 0
		}
		return nil
	}
	a.finite++
	a.sum = a.add(a.sum, v)
	if math.IsInf(a.sum, 0) {
		return errFloatOverflow
	}
	if a.finite > 1 && a.stat.isVariance() {
		n := float64(a.finite)
		tmp := v*n - a.sum
		a.sxx += tmp * tmp / (n * (n - 1))
	}
	return nil
}

func (a *floatAccumulator) add(x, y float64) float64 {
	if a.single {
		return float64(float32(x) + float32(y))
	}
	return x + y
}

func (a *floatAccumulator) Result() (types.Datum, error) {
	switch a.stat {
	case statSum, statAvg:
		if a.n <= 0 {
			return nil, nil
		}
		switch {
		case a.nan > 0 || (a.posInf > 0 && a.negInf > 0):
			return math.NaN(), nil
		case a.posInf > 0:
			return math.Inf(1), nil
		case a.negInf > 0:
			return math.Inf(-1), nil
		}
		if a.stat == statSum {
			return a.sum, nil
		}
		return a.sum / float64(a.n), nil
	}
	sample := a.stat == statVarSamp || a.stat == statStddevSamp
	if a.n <= 0 || (sample && a.n <= 1) {
		return nil, nil
	}
	if a.nan > 0 || a.posInf > 0 || a.negInf > 0 {
		return math.NaN(), nil
	}
	d := float64(a.n)
	if sample {
		d--
	}
	v := a.sxx / d
	if a.stat == statStddevSamp || a.stat == statStddevPop {
		v = math.Sqrt(v)
	}
	return v, nil
}

func (a *floatAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.int(a.n)
	w.int(a.nan)
	w.int(a.posInf)
	w.int(a.negInf)
	w.int(a.finite)
	w.float(a.sum)
	w.float(a.sxx)
	return w.buf, nil
}

func (a *floatAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.n = r.int()
	a.nan = r.int()
	a.posInf = r.int()
	a.negInf = r.int()
	a.finite = r.int()
	a.sum = r.float()
	a.sxx = r.float()
	return r.done()
}
