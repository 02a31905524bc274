package expr

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// NewBinary resolves an infix operator as PostgreSQL does for the built-in
// types: Unknown literals take the other operand's type, numbers meet at
// the higher of int2 < int4 < int8 < numeric < float4 < float8 (float4
// with anything else is float8), and date/time operators follow
// PostgreSQL's operator catalog. 42883 when no operator matches.
func NewBinary(op string, l, r Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorBinary, name: op, args: []Expr{l, r}})
	switch strings.ToUpper(op) {
	case "!=":
		op = "<>"
	case "LIKE":
		op = "~~"
	case "NOT LIKE":
		op = "!~~"
	case "ILIKE":
		op = "~~*"
	case "NOT ILIKE":
		op = "!~~*"
	}
	if e, ok, err := newArrayJSONTimeBinary(op, l, r); ok {
		return e, err
	}
	switch op {
	case "=", "<>", "<", "<=", ">", ">=":
		return newComparison(op, l, r)
	case "+", "-", "*", "/", "%", "^":
		return newArith(op, l, r)
	case "||":
		return newConcat(l, r)
	case "~~", "!~~", "~~*", "!~~*":
		return NewLike(l, r, nil, op[0] == '!', strings.HasSuffix(op, "*"))
	case "~", "!~", "~*", "!~*":
		return newRegexMatch(op, l, r)
	case "&", "|", "#", "<<", ">>":
		return newBitwise(op, l, r)
	case "AND", "and":
		return NewAnd(l, r)
	case "OR", "or":
		return NewOr(l, r)
	}
	return nil, errNoOperator(op, l.Type(), r.Type())
}

// resolveUnknown gives an Unknown operand the other operand's type; two
// Unknowns become text.
func resolveUnknown(l, r Expr) (Expr, Expr, error) {
	lk, rk := l.Type().Kind == types.KindUnknown, r.Type().Kind == types.KindUnknown
	var err error
	switch {
	case lk && rk:
		if l, err = Coerce(l, types.Text); err != nil {
			return nil, nil, err
		}
		r, err = Coerce(r, types.Text)
	case lk:
		l, err = Coerce(l, types.T{Kind: r.Type().Kind})
	case rk:
		r, err = Coerce(r, types.T{Kind: l.Type().Kind})
	}
	return l, r, err
}

// numericCommon is the type two numbers meet at in an operator.
func numericCommon(a, b types.T) types.T {
	ra, rb := types.NumericRank(a.Kind), types.NumericRank(b.Kind)
	hi := a
	if rb > ra {
		hi = b
	}
	if hi.Kind == types.KindFloat32 && (a.Kind != types.KindFloat32 || b.Kind != types.KindFloat32) {
		return types.Float64
	}
	return types.T{Kind: hi.Kind}
}

func datetimeRank(k types.Kind) int {
	switch k {
	case types.KindDate:
		return 1
	case types.KindTimestamp:
		return 2
	case types.KindTimestampTZ:
		return 3
	}
	return 0
}

// comparisonType is the type both sides of a comparison are converted to.
func comparisonType(lt, rt types.T) (types.T, bool) {
	switch {
	case lt.IsOid() && rt.IsOid() && lt.Kind != rt.Kind,
		lt.IsOid() && rt.IsInteger(), lt.IsInteger() && rt.IsOid():
		return types.Oid, true // oids compare as oid, as in pg_operator
	case lt.IsNumeric() && rt.IsNumeric():
		return numericCommon(lt, rt), true
	case lt.IsString() && rt.IsString():
		if lt.Kind == types.KindChar && rt.Kind == types.KindChar {
			return types.T{Kind: types.KindChar}, true
		}
		return types.Text, true
	case datetimeRank(lt.Kind) > 0 && datetimeRank(rt.Kind) > 0:
		if datetimeRank(lt.Kind) >= datetimeRank(rt.Kind) {
			return types.T{Kind: lt.Kind}, true
		}
		return types.T{Kind: rt.Kind}, true
	case lt.Kind == rt.Kind:
		return types.T{Kind: lt.Kind}, true
	}
	return types.Unknown, false
}

func newComparison(op string, l, r Expr) (Expr, error) {
	l, r, err := resolveUnknown(l, r)
	if err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	ct, ok := comparisonType(lt, rt)
	if !ok {
		return nil, errNoOperator(op, lt, rt)
	}
	b := &Binary{Op: op, T: types.Bool}
	switch {
	case lt.IsInteger() && rt.IsInteger():
		b.kernel = kernelIntCmp
	case (ct.Kind == types.KindFloat64 || ct.Kind == types.KindFloat32) && !lt.IsInteger() && !rt.IsInteger() && lt.Kind != types.KindNumeric && rt.Kind != types.KindNumeric:
		b.kernel = kernelFloatCmp
	case ct.Kind == types.KindText && lt.Kind != types.KindChar && rt.Kind != types.KindChar:
		b.kernel = kernelStringCmp
	}
	if b.kernel == kernelNone || b.kernel == kernelFloatCmp && (lt.IsInteger() || rt.IsInteger()) {
		if l, err = coerceImplicit(l, ct); err != nil {
			return nil, err
		}
		if r, err = coerceImplicit(r, ct); err != nil {
			return nil, err
		}
	}
	b.Left, b.Right = l, r
	b.fn = func(x, y types.Datum) (types.Datum, error) { return cmpResult(op, types.Compare(ct, x, y)), nil }
	return b, nil
}

func newArith(op string, l, r Expr) (Expr, error) {
	lt0, rt0 := l.Type(), r.Type()
	if lt0.Kind == types.KindUnknown && rt0.Kind == types.KindUnknown {
		return nil, pgerror.New(pgerror.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	l, r, err := resolveUnknown(l, r)
	if err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	if lt.IsNumeric() && rt.IsNumeric() {
		ct := numericCommon(lt, rt)
		if op == "^" {
			if ct.Kind == types.KindNumeric {
				ct = types.Numeric
			} else {
				ct = types.Float64
			}
		}
		if op == "%" && (ct.Kind == types.KindFloat32 || ct.Kind == types.KindFloat64) {
			return nil, errNoOperator(op, lt, rt)
		}
		b := &Binary{Op: op, T: ct}
		switch {
		case ct.IsInteger():
			b.kernel = kernelIntArith
			b.fn = func(x, y types.Datum) (types.Datum, error) { return intArith(op, x.(int64), y.(int64), ct) }
			// Integer kinds share int64 datums: no conversion needed.
			b.Left, b.Right = l, r
			return b, nil
		case ct.Kind == types.KindFloat32 || ct.Kind == types.KindFloat64:
			b.kernel = kernelFloatArith
			single := ct.Kind == types.KindFloat32
			b.fn = func(x, y types.Datum) (types.Datum, error) { return floatArith(op, x.(float64), y.(float64), single) }
		default:
			b.fn = func(x, y types.Datum) (types.Datum, error) {
				return numericArith(op, x.(*apd.Decimal), y.(*apd.Decimal))
			}
		}
		if b.Left, err = coerceImplicit(l, ct); err != nil {
			return nil, err
		}
		if b.Right, err = coerceImplicit(r, ct); err != nil {
			return nil, err
		}
		return b, nil
	}
	return newDatetimeArith(op, l, r)
}

// newDatetimeArith covers the date, timestamp and interval operators.
func newDatetimeArith(op string, l, r Expr) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	lk, rk := lt.Kind, rt.Kind
	isSmallInt := func(k types.Kind) bool { return k == types.KindInt16 || k == types.KindInt32 }
	isTS := func(k types.Kind) bool { return k == types.KindTimestamp || k == types.KindTimestampTZ }
	mk := func(t types.T, fn func(x, y types.Datum) (types.Datum, error)) (Expr, error) {
		return &Binary{Op: op, Left: l, Right: r, T: t, fn: fn}, nil
	}
	toTS := func(e Expr, k types.Kind) (Expr, error) { return coerceImplicit(e, types.T{Kind: k}) }
	var err error
	switch {
	case lk == types.KindDate && isSmallInt(rk) && (op == "+" || op == "-"):
		return mk(types.DateType, func(x, y types.Datum) (types.Datum, error) {
			n := y.(int64)
			if op == "-" {
				n = -n
			}
			return dateAddDays(x.(types.Date), n)
		})
	case isSmallInt(lk) && rk == types.KindDate && op == "+":
		return mk(types.DateType, func(x, y types.Datum) (types.Datum, error) { return dateAddDays(y.(types.Date), x.(int64)) })
	case lk == types.KindDate && rk == types.KindDate && op == "-":
		return mk(types.Int32, func(x, y types.Datum) (types.Datum, error) {
			return int64(x.(types.Date)) - int64(y.(types.Date)), nil
		})
	case lk == types.KindTimestampTZ && rk == types.KindInterval && (op == "+" || op == "-"):
		return newZonedTimestampArith(op, l, r, false)
	case lk == types.KindInterval && rk == types.KindTimestampTZ && op == "+":
		return newZonedTimestampArith(op, r, l, true)
	case (lk == types.KindDate || isTS(lk)) && rk == types.KindInterval && (op == "+" || op == "-"):
		k := lk
		if k == types.KindDate {
			k = types.KindTimestamp
			if l, err = toTS(l, k); err != nil {
				return nil, err
			}
		}
		return mk(types.T{Kind: k}, func(x, y types.Datum) (types.Datum, error) {
			iv := y.(types.Interval)
			if op == "-" {
				iv = negInterval(iv)
			}
			return timestampAddInterval(x.(types.Timestamp), iv)
		})
	case lk == types.KindInterval && (rk == types.KindDate || isTS(rk)) && op == "+":
		k := rk
		if k == types.KindDate {
			k = types.KindTimestamp
			if r, err = toTS(r, k); err != nil {
				return nil, err
			}
		}
		return mk(types.T{Kind: k}, func(x, y types.Datum) (types.Datum, error) {
			return timestampAddInterval(y.(types.Timestamp), x.(types.Interval))
		})
	case datetimeRank(lk) > 0 && datetimeRank(rk) > 0 && (isTS(lk) || isTS(rk)) && op == "-":
		k := types.KindTimestamp
		if lk == types.KindTimestampTZ || rk == types.KindTimestampTZ {
			k = types.KindTimestampTZ
		}
		if l, err = toTS(l, k); err != nil {
			return nil, err
		}
		if r, err = toTS(r, k); err != nil {
			return nil, err
		}
		return mk(types.IntervalType, func(x, y types.Datum) (types.Datum, error) {
			return timestampDiff(x.(types.Timestamp), y.(types.Timestamp)), nil
		})
	case lk == types.KindInterval && rk == types.KindInterval && (op == "+" || op == "-"):
		return mk(types.IntervalType, func(x, y types.Datum) (types.Datum, error) {
			b := y.(types.Interval)
			if op == "-" {
				b = negInterval(b)
			}
			return addIntervals(x.(types.Interval), b)
		})
	case lk == types.KindInterval && rt.IsNumeric() && (op == "*" || op == "/"):
		if r, err = coerceImplicit(r, types.Float64); err != nil {
			return nil, err
		}
		return mk(types.IntervalType, func(x, y types.Datum) (types.Datum, error) {
			if op == "/" {
				return intervalDiv(x.(types.Interval), y.(float64))
			}
			return intervalMul(x.(types.Interval), y.(float64))
		})
	case lt.IsNumeric() && rk == types.KindInterval && op == "*":
		if l, err = coerceImplicit(l, types.Float64); err != nil {
			return nil, err
		}
		return mk(types.IntervalType, func(x, y types.Datum) (types.Datum, error) {
			return intervalMul(y.(types.Interval), x.(float64))
		})
	}
	return nil, errNoOperator(op, lt, rt)
}

func newConcat(l, r Expr) (Expr, error) {
	// An untyped literal beside a non-string is text ('a' || true).
	var err error
	if l.Type().Kind == types.KindUnknown && !r.Type().IsString() && r.Type().Kind != types.KindBytea {
		if l, err = Coerce(l, types.Text); err != nil {
			return nil, err
		}
	}
	if r.Type().Kind == types.KindUnknown && !l.Type().IsString() && l.Type().Kind != types.KindBytea {
		if r, err = Coerce(r, types.Text); err != nil {
			return nil, err
		}
	}
	l, r, err = resolveUnknown(l, r)
	if err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	if lt.Kind == types.KindBytea && rt.Kind == types.KindBytea {
		return &Binary{Op: "||", Left: l, Right: r, T: types.Bytea, fn: func(x, y types.Datum) (types.Datum, error) {
			a, b := x.([]byte), y.([]byte)
			out := make([]byte, 0, len(a)+len(b))
			return append(append(out, a...), b...), nil
		}}, nil
	}
	if !lt.IsString() && !rt.IsString() {
		return nil, errNoOperator("||", lt, rt)
	}
	// textcat, anytextcat, textanycat: the non-text side is cast to text.
	if l, err = NewCast(l, types.Text); err != nil {
		return nil, err
	}
	if r, err = NewCast(r, types.Text); err != nil {
		return nil, err
	}
	return &Binary{Op: "||", Left: l, Right: r, T: types.Text, fn: func(x, y types.Datum) (types.Datum, error) {
		return x.(string) + y.(string), nil
	}}, nil
}

func newBitwise(op string, l, r Expr) (Expr, error) {
	l, r, err := resolveUnknown(l, r)
	if err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	if !lt.IsInteger() || !rt.IsInteger() {
		return nil, errNoOperator(op, lt, rt)
	}
	t := numericCommon(lt, rt)
	if op == "<<" || op == ">>" {
		t = types.T{Kind: lt.Kind}
	}
	bitsOf := map[types.Kind]int64{types.KindInt16: 16, types.KindInt32: 32, types.KindInt64: 64}[t.Kind]
	return &Binary{Op: op, Left: l, Right: r, T: t, fn: func(x, y types.Datum) (types.Datum, error) {
		a, b := x.(int64), y.(int64)
		var v int64
		switch op {
		case "&":
			v = a & b
		case "|":
			v = a | b
		case "#":
			v = a ^ b
		case "<<":
			v = a << uint64(b&(bitsOf-1))
		case ">>":
			v = a >> uint64(b&(bitsOf-1))
		}
		// Shifts wrap within the type as PostgreSQL's do.
		switch t.Kind {
		case types.KindInt16:
			v = int64(int16(v))
		case types.KindInt32:
			v = int64(int32(v))
		}
		return v, nil
	}}, nil
}

// NewUnary resolves a prefix operator: - and + on numbers and intervals,
// @ (absolute value) and ~ (bitwise not) on integers.
func NewUnary(op string, e Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorUnary, name: op, args: []Expr{e}})
	if op == "|/" || op == "||/" {
		// The roots take double precision, untyped literals included.
		return newRoot(op, e)
	}
	t := e.Type()
	if t.Kind == types.KindUnknown {
		var err error
		if e, err = Coerce(e, types.Numeric); err != nil {
			// PostgreSQL reports ambiguity for an untyped literal.
			return nil, pgerror.New(pgerror.AmbiguousFunction, "operator is not unique: %s unknown", op)
		}
		t = e.Type()
	}
	mk := func(fn func(d types.Datum) (types.Datum, error)) (Expr, error) {
		return &rowExpr{name: op, infix: true, args: []Expr{e}, t: types.T{Kind: t.Kind}, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a[0]) }}, nil
	}
	switch op {
	case "+":
		if t.IsNumeric() || t.Kind == types.KindInterval {
			return e, nil
		}
	case "-", "@":
		switch {
		case t.IsInteger():
			return mk(func(d types.Datum) (types.Datum, error) {
				v := d.(int64)
				if op == "@" && v >= 0 {
					return v, nil
				}
				lo, _ := t.IntRange()
				if v == lo {
					return nil, errIntRange(t)
				}
				return -v, nil
			})
		case t.Kind == types.KindFloat32 || t.Kind == types.KindFloat64:
			return mk(func(d types.Datum) (types.Datum, error) {
				if op == "@" {
					return math.Abs(d.(float64)), nil
				}
				return -d.(float64), nil
			})
		case t.Kind == types.KindNumeric:
			return mk(func(d types.Datum) (types.Datum, error) {
				r := new(apd.Decimal)
				if op == "@" {
					r.Abs(d.(*apd.Decimal))
				} else {
					r.Neg(d.(*apd.Decimal))
				}
				return types.NormalizeNumeric(r), nil
			})
		case t.Kind == types.KindInterval && op == "-":
			return mk(func(d types.Datum) (types.Datum, error) { return negInterval(d.(types.Interval)), nil })
		}
	case "~":
		if t.IsInteger() {
			return mk(func(d types.Datum) (types.Datum, error) { return ^d.(int64), nil })
		}
	}
	return nil, errNoUnaryOperator(op, t)
}

// newArrayJSONTimeBinary resolves the operators of arrays, json, jsonb and time;
// ok is false when the operands are none of those and NewBinary goes on.
func newArrayJSONTimeBinary(op string, l, r Expr) (Expr, bool, error) {
	lt, rt := l.Type(), r.Type()
	lk, rk := lt.Kind, rt.Kind
	isJSON := func(k types.Kind) bool { return k == types.KindJSON || k == types.KindJSONB }
	switch {
	case isArray(lt) || isArray(rt):
		if isJSON(lk) {
			e, err := newJSONBinary(op, l, r)
			return e, true, err
		}
		return newArrayBinary(op, l, r)
	case isJSON(lk) && (isJSONOp(op) || op == "@>" || op == "<@" || op == "||" || op == "-" || op == "#-"):
		e, err := newJSONBinary(op, l, r)
		return e, true, err
	case lk == types.KindUnknown && isJSON(rk) && (op == "@>" || op == "<@" || op == "||"):
		l2, err := Coerce(l, types.JSONB)
		if err != nil {
			return nil, true, err
		}
		e, err := newJSONBinary(op, l2, r)
		return e, true, err
	case lk == types.KindTime || rk == types.KindTime:
		return newTimeArith(op, l, r)
	}
	return nil, false, nil
}
