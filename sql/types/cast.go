package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// CastLevel is the weakest context in which PostgreSQL applies a cast
// (pg_cast.castcontext): an implicit cast is also an assignment and an
// explicit one.
type CastLevel uint8

const (
	CastNone       CastLevel = iota // no cast exists
	CastExplicit                    // only CAST(x AS t) and x::t
	CastAssignment                  // also on INSERT/UPDATE assignment
	CastImplicit                    // also in expressions (operators, UNION, CASE)
)

// numericRank orders the numeric kinds as PostgreSQL's implicit casts do:
// every kind casts implicitly to a higher one.
func numericRank(k Kind) int {
	switch k {
	case KindInt16:
		return 1
	case KindInt32:
		return 2
	case KindInt64:
		return 3
	case KindNumeric:
		return 4
	case KindFloat32:
		return 5
	case KindFloat64:
		return 6
	}
	return 0
}

// NumericRank exposes the implicit-cast order of the numeric kinds
// (int2 < int4 < int8 < numeric < float4 < float8), 0 for other kinds.
func NumericRank(k Kind) int { return numericRank(k) }

// CastContext is the context in which a cast from one type to another is
// allowed.
func CastContext(from, to T) CastLevel {
	if from.Kind == to.Kind {
		return CastImplicit
	}
	if from.Kind == KindUnknown {
		return CastImplicit
	}
	// Arrays, json, jsonb and time, where pg_cast differs from the general
	// rules below.
	if from.Kind == KindArray || to.Kind == KindArray {
		return arrayCastContext(from, to)
	}
	switch {
	case from.Kind == KindJSON && to.Kind == KindJSONB, from.Kind == KindJSONB && to.Kind == KindJSON:
		return CastAssignment
	case from.Kind == KindJSONB && (to.IsNumeric() || to.Kind == KindBool):
		return CastExplicit
	case from.Kind == KindTime && to.Kind == KindInterval:
		return CastImplicit
	case to.Kind == KindTime && (from.Kind == KindTimestamp || from.Kind == KindTimestampTZ || from.Kind == KindInterval):
		return CastAssignment
	}
	if l, ok := oidCastContext(from, to); ok {
		return l
	}
	if rf, rt := numericRank(from.Kind), numericRank(to.Kind); rf > 0 && rt > 0 {
		if rf < rt {
			return CastImplicit
		}
		return CastAssignment
	}
	if from.IsString() && to.IsString() {
		if to.Kind == KindText || (from.Kind == KindChar && to.Kind == KindVarchar) || to.Kind == KindVarchar {
			return CastImplicit
		}
		return CastAssignment
	}
	if to.IsString() {
		// Every type's output function gives an assignment cast to text.
		return CastAssignment
	}
	if from.IsString() {
		return CastExplicit
	}
	switch from.Kind {
	case KindBool:
		if to.Kind == KindInt32 {
			return CastExplicit
		}
	case KindInt32:
		if to.Kind == KindBool {
			return CastExplicit
		}
	case KindDate:
		if to.Kind == KindTimestamp || to.Kind == KindTimestampTZ {
			return CastImplicit
		}
	case KindTimestamp:
		switch to.Kind {
		case KindTimestampTZ:
			return CastImplicit
		case KindDate:
			return CastAssignment
		}
	case KindTimestampTZ:
		switch to.Kind {
		case KindTimestamp, KindDate:
			return CastAssignment
		}
	}
	return CastNone
}

// Cast converts d from one type to another with PostgreSQL's explicit cast
// semantics: varchar(n) truncates, integers narrow with a range check,
// floats round to integers half to even, numerics half away from zero.
// d must not be nil.
func Cast(d Datum, from, to T) (Datum, error) { return cast(d, from, to, true) }

// CastAssign converts d as PostgreSQL's assignment (INSERT, UPDATE) does:
// like Cast, except that a string too long for varchar(n) or char(n) is an
// error (22001) rather than truncated.
func CastAssign(d Datum, from, to T) (Datum, error) { return cast(d, from, to, false) }

func cast(d Datum, from, to T, explicit bool) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	switch {
	case from.Kind == KindArray && to.Kind == KindArray:
		return castArray(d.(Array), from, to, explicit)
	case from.Kind == KindJSON && to.Kind == KindJSONB:
		v, err := ParseJSONB(d.(string))
		return v, err
	case from.Kind == KindJSONB && to.Kind == KindJSON:
		return FormatJSONB(d.(*JSONValue)), nil
	case from.Kind == KindJSONB && (to.IsNumeric() || to.Kind == KindBool):
		return castFromJSONB(d.(*JSONValue), to)
	case from.Kind == KindTime && to.Kind == KindInterval:
		return Interval{Micros: int64(d.(TimeOfDay))}, nil
	case to.Kind == KindTime && (from.Kind == KindTimestamp || from.Kind == KindTimestampTZ):
		return timeFromTimestamp(d.(Timestamp))
	case to.Kind == KindTime && from.Kind == KindInterval:
		return timeFromInterval(d.(Interval)), nil
	}
	if from.IsString() || from.Kind == KindUnknown {
		s := d.(string)
		if from.Kind == KindChar {
			s = strings.TrimRight(s, " ")
		}
		if to.IsString() {
			return fitString(to, s, explicit)
		}
		return ParseText(to, s)
	}
	if to.IsString() || to.Kind == KindUnknown {
		var s string
		if b, ok := d.(bool); ok {
			s = strconv.FormatBool(b)
		} else {
			s = FormatText(from, d)
		}
		return fitString(to, s, explicit)
	}
	if to.IsOid() {
		return castToOid(d, from, to)
	}
	if from.IsOid() && to.IsInteger() {
		return castToInt(d, Int64, to)
	}
	switch to.Kind {
	case KindInt16, KindInt32, KindInt64:
		return castToInt(d, from, to)
	case KindFloat32, KindFloat64:
		var f float64
		switch x := d.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		case *apd.Decimal:
			f = numericToFloat(x)
			if x.Form == apd.Finite && (math.IsInf(f, 0) || f == 0 && !x.IsZero()) {
				// PostgreSQL's numeric_float8 reads the numeric's text.
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "%q is out of range for type %s", FormatText(Numeric, x), baseName(to))
			}
		default:
			return nil, errCannotCast(from, to)
		}
		if to.Kind == KindFloat32 {
			f32 := float32(f)
			if math.IsInf(float64(f32), 0) && !math.IsInf(f, 0) {
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
			}
			if f32 == 0 && f != 0 {
				return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
			}
			f = float64(f32)
		}
		return f, nil
	case KindNumeric:
		var n *apd.Decimal
		switch x := d.(type) {
		case int64:
			n = apd.New(x, 0)
		case float64:
			n = floatToNumeric(x, from.Kind == KindFloat32)
		case *apd.Decimal:
			n = x
		default:
			return nil, errCannotCast(from, to)
		}
		return ApplyNumericTypmod(to, n)
	case KindBool:
		if x, ok := d.(int64); ok && from.IsInteger() {
			return x != 0, nil
		}
		if b, ok := d.(bool); ok {
			return b, nil
		}
	case KindBytea:
		if b, ok := d.([]byte); ok {
			return b, nil
		}
	case KindDate:
		switch x := d.(type) {
		case Date:
			return x, nil
		case Timestamp:
			switch x {
			case TimestampPosInfinity:
				return DatePosInfinity, nil
			case TimestampNegInfinity:
				return DateNegInfinity, nil
			}
			return Date(floorDiv(int64(x), MicrosPerDay)), nil
		}
	case KindTimestamp, KindTimestampTZ:
		switch x := d.(type) {
		case Date:
			switch x {
			case DatePosInfinity:
				return TimestampPosInfinity, nil
			case DateNegInfinity:
				return TimestampNegInfinity, nil
			}
			return Timestamp(int64(x) * MicrosPerDay), nil
		case Timestamp:
			return x, nil
		}
	case KindInterval:
		if iv, ok := d.(Interval); ok {
			return iv, nil
		}
	}
	return nil, errCannotCast(from, to)
}

func errCannotCast(from, to T) *pgerror.Error {
	return pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", from, to)
}

func castToInt(d Datum, from, to T) (Datum, error) {
	lo, hi := to.IntRange()
	switch x := d.(type) {
	case int64:
		if x < lo || x > hi {
			return nil, errIntOutOfRange(to)
		}
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		r := math.RoundToEven(x)
		if math.IsNaN(r) || r < float64(lo) || r >= float64(hi)+1 {
			return nil, errIntOutOfRange(to)
		}
		return int64(r), nil
	case *apd.Decimal:
		if x.Form != apd.Finite {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot convert %s to %s", x.Text('f'), baseName(to))
		}
		r := RoundNumeric(x, 0)
		n, err := r.Int64()
		if err != nil || n < lo || n > hi {
			return nil, errIntOutOfRange(to)
		}
		return n, nil
	}
	return nil, errCannotCast(from, to)
}

func numericToFloat(x *apd.Decimal) float64 {
	switch x.Form {
	case apd.NaN, apd.NaNSignaling:
		return math.NaN()
	case apd.Infinite:
		if x.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, _ := strconv.ParseFloat(x.String(), 64)
	return f
}

// floatToNumeric keeps DBL_DIG (15) or FLT_DIG (6) significant digits, as
// PostgreSQL's float8_numeric and float4_numeric do.
func floatToNumeric(f float64, single bool) *apd.Decimal {
	switch {
	case math.IsNaN(f):
		return &apd.Decimal{Form: apd.NaN}
	case math.IsInf(f, 1):
		return &apd.Decimal{Form: apd.Infinite}
	case math.IsInf(f, -1):
		return &apd.Decimal{Form: apd.Infinite, Negative: true}
	}
	digits := 15
	if single {
		digits = 6
	}
	s := strconv.FormatFloat(f, 'g', digits, 64)
	d, _, _ := apd.NewFromString(s)
	// %g drops trailing zeros; PostgreSQL's result has no trailing
	// fractional zeros either, but keeps no negative exponent beyond them.
	var r apd.Decimal
	r.Reduce(d)
	return NormalizeNumeric(&r)
}
