package expr

import (
	"math"
	"math/bits"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

type kernel uint8

const (
	kernelNone kernel = iota
	kernelIntArith
	kernelFloatArith
	kernelIntCmp
	kernelFloatCmp
	kernelStringCmp
)

// Binary is a strict infix operator whose operands have been coerced to the
// operator's argument types. Integer and float arithmetic and comparisons of
// integers, floats and strings run in typed loops; the rest apply fn row by
// row.
type Binary struct {
	built
	Op          string
	Left, Right Expr
	T           types.T
	fn          func(a, b types.Datum) (types.Datum, error)
	kernel      kernel
}

func (b *Binary) Type() types.T    { return b.T }
func (b *Binary) children() []Expr { return []Expr{b.Left, b.Right} }
func (b *Binary) String() string {
	return "(" + b.Left.String() + " " + b.Op + " " + b.Right.String() + ")"
}

var _ Expr = (*Binary)(nil)

func (b *Binary) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	la, err := b.Left.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	ra, err := b.Right.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer ra.Release()
	switch b.kernel {
	case kernelIntArith:
		return b.evalIntArith(la, ra)
	case kernelFloatArith:
		return b.evalFloatArith(la, ra)
	case kernelIntCmp:
		lv, lvalid := intValues(la)
		rv, rvalid := intValues(ra)
		return cmpLoop(b.Op, lv, rv, andValid(lvalid, rvalid), func(x, y int64) int {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}), nil
	case kernelFloatCmp:
		lv, lvalid := floatValues(la)
		rv, rvalid := floatValues(ra)
		return cmpLoop(b.Op, lv, rv, andValid(lvalid, rvalid), types.CompareFloat), nil
	case kernelStringCmp:
		ls, rs := la.(*array.String), ra.(*array.String)
		valid := andValid(validity(la), validity(ra))
		n := la.Len()
		out := make([]bool, n)
		for i := 0; i < n; i++ {
			if valid == nil || valid[i] {
				out[i] = cmpResult(b.Op, strings.Compare(ls.Value(i), rs.Value(i)))
			}
		}
		return buildBools(out, valid), nil
	}
	n := in.Len()
	bl := newBuilder(b.T)
	defer bl.Release()
	bl.Reserve(n)
	lt, rt := b.Left.Type(), b.Right.Type()
	for i := 0; i < n; i++ {
		x, y := chunk.Datum(la, lt, i), chunk.Datum(ra, rt, i)
		if x == nil || y == nil {
			bl.AppendNull()
			continue
		}
		d, err := b.fn(x, y)
		if err != nil {
			return nil, err
		}
		chunk.AppendDatum(bl, b.T, d)
	}
	return bl.NewArray(), nil
}

func cmpLoop[V any](op string, lv, rv []V, valid []bool, cmp func(a, b V) int) arrow.Array {
	out := make([]bool, len(lv))
	switch op {
	case "<":
		for i := range out {
			out[i] = cmp(lv[i], rv[i]) < 0
		}
	case ">":
		for i := range out {
			out[i] = cmp(lv[i], rv[i]) > 0
		}
	default:
		for i := range out {
			out[i] = cmpResult(op, cmp(lv[i], rv[i]))
		}
	}
	return buildBools(out, valid)
}

func cmpResult(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func (b *Binary) evalIntArith(la, ra arrow.Array) (arrow.Array, error) {
	lv, lvalid := intValues(la)
	rv, rvalid := intValues(ra)
	valid := andValid(lvalid, rvalid)
	out := make([]int64, len(lv))
	lo, hi := b.T.IntRange()
	overflow := false
	switch b.Op {
	case "+":
		for i := range out {
			s := lv[i] + rv[i]
			overflow = overflow || ((lv[i] >= 0) == (rv[i] >= 0) && (s >= 0) != (lv[i] >= 0)) || s < lo || s > hi
			out[i] = s
		}
	case "-":
		for i := range out {
			s := lv[i] - rv[i]
			overflow = overflow || ((lv[i] >= 0) != (rv[i] >= 0) && (s >= 0) != (lv[i] >= 0)) || s < lo || s > hi
			out[i] = s
		}
	case "*":
		for i := range out {
			p, ok := mulInt64(lv[i], rv[i])
			overflow = overflow || !ok || p < lo || p > hi
			out[i] = p
		}
	default: // / and %
		for i := range out {
			if valid != nil && !valid[i] {
				continue
			}
			d, err := intDivMod(b.Op, lv[i], rv[i], b.T)
			if err != nil {
				return nil, err
			}
			out[i] = d.(int64)
		}
	}
	if overflow {
		// Only rows with both operands present count.
		for i := range out {
			if valid != nil && !valid[i] {
				continue
			}
			if _, err := intArith(b.Op, lv[i], rv[i], b.T); err != nil {
				return nil, err
			}
		}
	}
	return buildInts(b.T.ArrowType(), out, valid), nil
}

func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) || p/b != a {
		return p, false
	}
	return p, true
}

func intArith(op string, a, b int64, t types.T) (types.Datum, error) {
	lo, hi := t.IntRange()
	var r int64
	switch op {
	case "+":
		s, carry := bits.Add64(uint64(a), uint64(b), 0)
		_ = carry
		r = int64(s)
		if (a >= 0) == (b >= 0) && (r >= 0) != (a >= 0) {
			return nil, errIntRange(t)
		}
	case "-":
		r = a - b
		if (a >= 0) != (b >= 0) && (r >= 0) != (a >= 0) {
			return nil, errIntRange(t)
		}
	case "*":
		p, ok := mulInt64(a, b)
		if !ok {
			return nil, errIntRange(t)
		}
		r = p
	default:
		return intDivMod(op, a, b, t)
	}
	if r < lo || r > hi {
		return nil, errIntRange(t)
	}
	return r, nil
}

func intDivMod(op string, a, b int64, t types.T) (types.Datum, error) {
	if b == 0 {
		return nil, errDivByZero()
	}
	lo, _ := t.IntRange()
	if op == "%" {
		if b == -1 {
			return int64(0), nil
		}
		return a % b, nil
	}
	if b == -1 && a == lo {
		return nil, errIntRange(t)
	}
	return a / b, nil
}

func errIntRange(t types.T) *pgerror.Error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "%s out of range", types.T{Kind: t.Kind})
}

func errDivByZero() *pgerror.Error {
	return pgerror.New(pgerror.DivisionByZero, "division by zero")
}

func (b *Binary) evalFloatArith(la, ra arrow.Array) (arrow.Array, error) {
	lv, lvalid := floatValues(la)
	rv, rvalid := floatValues(ra)
	valid := andValid(lvalid, rvalid)
	out := make([]float64, len(lv))
	single := b.T.Kind == types.KindFloat32
	for i := range out {
		if valid != nil && !valid[i] {
			continue
		}
		d, err := floatArith(b.Op, lv[i], rv[i], single)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return buildFloats(b.T.ArrowType(), out, valid), nil
}

func floatArith(op string, a, b float64, single bool) (float64, error) {
	var r float64
	switch op {
	case "+":
		r = a + b
	case "-":
		r = a - b
	case "*":
		r = a * b
	case "/":
		if b == 0 {
			return 0, errDivByZero()
		}
		r = a / b
	case "^":
		return floatPow(a, b)
	}
	if single {
		r = float64(float32(r))
	}
	return r, checkFloat(r, math.IsInf(a, 0) || math.IsInf(b, 0), a == 0 || (op != "/" && b == 0) || (op == "/" && math.IsInf(b, 0)), op)
}

// checkFloat raises PostgreSQL's float overflow and underflow errors:
// an infinite result from finite inputs, or zero from nonzero inputs.
func checkFloat(r float64, infInput, zeroInput bool, op string) error {
	if math.IsInf(r, 0) && !infInput {
		return pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && !zeroInput && (op == "*" || op == "/") {
		return pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
	}
	return nil
}

func floatPow(a, b float64) (float64, error) {
	if a == 0 && b < 0 {
		return 0, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
	}
	if a < 0 && b != math.Trunc(b) {
		return 0, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(a, b)
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	}
	return r, nil
}

// Numeric arithmetic keeps PostgreSQL's result scales: the larger scale
// for + - %, the sum for *, select_div_scale for /.

func numericArith(op string, a, b *apd.Decimal) (types.Datum, error) {
	ctx := types.NumericContext()
	r := new(apd.Decimal)
	var err error
	switch op {
	case "+":
		_, err = ctx.Add(r, a, b)
	case "-":
		_, err = ctx.Sub(r, a, b)
	case "*":
		_, err = ctx.Mul(r, a, b)
	case "/":
		return numericDiv(a, b)
	case "%":
		if b.Form == apd.Finite && b.IsZero() {
			return nil, errDivByZero()
		}
		_, err = ctx.Rem(r, a, b)
	case "^":
		return numericPow(a, b)
	}
	if err != nil {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return types.NormalizeNumeric(r), nil
}

// numericWeight returns PostgreSQL's NBASE (10000) weight of the first
// nonzero base-10000 digit of d and that digit's value.
func numericWeight(d *apd.Decimal) (weight int64, first int64) {
	if d.IsZero() {
		return 0, 0
	}
	nd := d.NumDigits()
	adj := nd - 1 + int64(d.Exponent) // decimal exponent of the leading digit
	weight = floorDivInt(adj, 4)
	// Leading group holds decimal positions adj .. weight*4.
	count := adj - weight*4 + 1
	s := d.Coeff.String()
	if int64(len(s)) < count {
		s += strings.Repeat("0", int(count)-len(s))
	}
	for _, c := range s[:count] {
		first = first*10 + int64(c-'0')
	}
	return weight, first
}

func floorDivInt(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func numericScale(d *apd.Decimal) int64 {
	if d.Exponent < 0 {
		return int64(-d.Exponent)
	}
	return 0
}

func numericDiv(a, b *apd.Decimal) (types.Datum, error) {
	if b.Form == apd.Finite && b.IsZero() {
		return nil, errDivByZero()
	}
	if a.Form != apd.Finite || b.Form != apd.Finite {
		r := new(apd.Decimal)
		_, _ = types.NumericContext().Quo(r, a, b)
		return r, nil
	}
	w1, f1 := numericWeight(a)
	w2, f2 := numericWeight(b)
	qweight := w1 - w2
	if f1 < f2 {
		qweight--
	}
	rscale := 16 - qweight*4
	rscale = max(rscale, numericScale(a), numericScale(b), 0)
	rscale = min(rscale, 1000)
	ctx := types.NumericContext()
	q := new(apd.Decimal)
	if _, err := ctx.Quo(q, a, b); err != nil {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return types.RoundNumeric(q, int32(rscale)), nil
}

func numericPow(a, b *apd.Decimal) (types.Datum, error) {
	if a.IsZero() && b.Negative {
		return nil, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
	}
	if r, ok := numericIntPow(a, b); ok {
		return r, nil
	}
	ctx := types.NumericContext().WithPrecision(60)
	r := new(apd.Decimal)
	if _, err := ctx.Pow(r, a, b); err != nil {
		if a.Negative {
			return nil, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
		}
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return roundSig(r, max(numericScale(a), numericScale(b))), nil
}

// roundSig rounds a transcendental numeric result to PostgreSQL's
// precision: at least 16 significant digits and at least minScale digits
// after the point.
func roundSig(r *apd.Decimal, minScale int64) *apd.Decimal {
	if r.Form != apd.Finite {
		return r
	}
	est := int64(0)
	if !r.IsZero() {
		est = r.NumDigits() - 1 + int64(r.Exponent)
	}
	rscale := 16 - est
	rscale = min(max(rscale, minScale, 0), 1000)
	return types.RoundNumeric(r, int32(rscale))
}
