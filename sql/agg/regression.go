package agg

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// The two-argument statistics of (Y, X) pairs: corr, covar_pop,
// covar_samp and the regr_* functions. Not invertible: streaming
// aggregation recomputes them from the input multiset.

func init() {
	define(Definition{
		resultType: func(name string, argTypes []types.T) (types.T, error) {
			if len(argTypes) != 2 || !isFloatable(argTypes[0]) || !isFloatable(argTypes[1]) {
				return types.Unknown, noSuchFunction(name, argTypes)
			}
			if name == "regr_count" {
				return types.Int64, nil
			}
			return types.Float64, nil
		},
		newAccumulator: func(name string, _ []types.T) Accumulator { return &regrAccumulator{name: name} },
	}, "corr", "covar_pop", "covar_samp", "regr_count", "regr_avgx", "regr_avgy", "regr_sxx", "regr_syy",
		"regr_sxy", "regr_slope", "regr_intercept", "regr_r2")
}

func isFloatable(t types.T) bool { return t.IsNumeric() || t.Kind == types.KindUnknown }

// regrAccumulator is the two-argument statistics of (Y, X) pairs with
// neither NULL. It keeps PostgreSQL's float8_regr_accum state — N, Sx,
// Sxx, Sy, Syy, Sxy, updated by the Youngs-Cramer method — so that the
// results match PostgreSQL's to the last digit.
type regrAccumulator struct {
	name                     string
	n, sx, sxx, sy, syy, sxy float64
}

func toFloat(d types.Datum) float64 {
	switch v := d.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case *apd.Decimal:
		f, _ := v.Float64()
		return f
	}
	return math.NaN()
}

func (a *regrAccumulator) Add(args []types.Datum, sign int64) error {
	if sign < 0 {
		return errNotInvertible(a.name)
	}
	if args[0] == nil || args[1] == nil {
		return nil
	}
	y, x := toFloat(args[0]), toFloat(args[1])
	oldN := a.n
	a.n++
	a.sx += x
	a.sy += y
	if oldN > 0 {
		tmpX := float64(x*a.n) - a.sx
		tmpY := float64(y*a.n) - a.sy
		scale := 1.0 / float64(a.n*oldN)
		a.sxx += float64(float64(tmpX*tmpX) * scale)
		a.syy += float64(float64(tmpY*tmpY) * scale)
		a.sxy += float64(float64(tmpX*tmpY) * scale)
		if math.IsInf(a.sx, 0) || math.IsInf(a.sxx, 0) || math.IsInf(a.sy, 0) || math.IsInf(a.syy, 0) || math.IsInf(a.sxy, 0) {
			if !math.IsInf(x, 0) && !math.IsInf(y, 0) && !math.IsInf(a.sx-x, 0) && !math.IsInf(a.sy-y, 0) {
				return errFloatOverflow
			}
		}
		return nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		a.sxx, a.sxy = math.NaN(), math.NaN()
	}
	if math.IsNaN(y) || math.IsInf(y, 0) {
		a.syy, a.sxy = math.NaN(), math.NaN()
	}
	return nil
}

func (a *regrAccumulator) Result() (types.Datum, error) {
	if a.name == "regr_count" {
		return int64(a.n), nil
	}
	if a.n < 1 {
		return nil, nil
	}
	switch a.name {
	case "covar_pop":
		return a.sxy / a.n, nil
	case "covar_samp":
		if a.n < 2 {
			return nil, nil
		}
		return a.sxy / (a.n - 1), nil
	case "corr":
		if a.sxx == 0 || a.syy == 0 {
			return nil, nil
		}
		return a.sxy / math.Sqrt(a.sxx*a.syy), nil
	case "regr_avgx":
		return a.sx / a.n, nil
	case "regr_avgy":
		return a.sy / a.n, nil
	case "regr_sxx":
		return a.sxx, nil
	case "regr_syy":
		return a.syy, nil
	case "regr_sxy":
		return a.sxy, nil
	case "regr_slope":
		if a.sxx == 0 {
			return nil, nil
		}
		return a.sxy / a.sxx, nil
	case "regr_intercept":
		if a.sxx == 0 {
			return nil, nil
		}
		return (a.sy - a.sx*a.sxy/a.sxx) / a.n, nil
	case "regr_r2":
		if a.sxx == 0 {
			return nil, nil
		}
		if a.syy == 0 {
			return 1.0, nil
		}
		return (a.sxy * a.sxy) / (a.sxx * a.syy), nil
	}
	return nil, nil
}

func (a *regrAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	for _, f := range []float64{a.n, a.sx, a.sxx, a.sy, a.syy, a.sxy} {
		w.float(f)
	}
	return w.buf, nil
}

func (a *regrAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	for _, f := range []*float64{&a.n, &a.sx, &a.sxx, &a.sy, &a.syy, &a.sxy} {
		*f = r.float()
	}
	return r.done()
}
