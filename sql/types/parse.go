package types

import (
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// ParseText is PostgreSQL's input function for t: it turns the text form of
// a value into its Datum, applying t's modifiers (numeric(p,s) rounding,
// varchar(n) length, char(n) padding). Errors are *pgerror.Error with
// PostgreSQL's SQLSTATE and message (22P02, 22003, 22007, 22008, 22001).
func ParseText(t T, s string) (Datum, error) {
	switch t.Kind {
	case KindBool:
		return parseBool(s)
	case KindInt16, KindInt32, KindInt64:
		return parseInt(t, s)
	case KindFloat32, KindFloat64:
		return parseFloat(t, s)
	case KindNumeric:
		d, err := parseNumeric(s)
		if err != nil {
			return nil, err
		}
		return ApplyNumericTypmod(t, d)
	case KindText, KindUnknown, KindName:
		return s, nil
	case KindQChar:
		if len(s) > 1 {
			return s[:1], nil
		}
		return s, nil
	case KindOid, KindRegclass, KindRegtype, KindRegproc, KindRegnamespace:
		return ParseOid(t, s)
	case KindVarchar, KindChar:
		return fitString(t, s, false)
	case KindBytea:
		return parseBytea(s)
	case KindDate:
		return ParseDate(s)
	case KindTimestamp, KindTimestampTZ:
		return ParseTimestamp(t, s)
	case KindInterval:
		return ParseInterval(s)
	case KindUUID:
		return ParseUUID(s)
	case KindTime:
		return ParseTime(s)
	case KindJSON:
		return ValidateJSON(s)
	case KindJSONB:
		return ParseJSONB(s)
	case KindArray:
		if t.Vector {
			return parseVector(t, s)
		}
		return ParseArray(t, s)
	}
	return nil, pgerror.Unsupported("type %s has no input function", t)
}

func parseBool(s string) (Datum, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v != "" {
		switch {
		case strings.HasPrefix("true", v), strings.HasPrefix("yes", v), v == "on", v == "1":
			return true, nil
		case strings.HasPrefix("false", v), strings.HasPrefix("no", v), len(v) >= 2 && strings.HasPrefix("off", v), v == "0":
			return false, nil
		}
	}
	return nil, errInvalidSyntax(Bool, s)
}

func parseInt(t T, s string) (Datum, error) {
	v := strings.TrimSpace(s)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value %q is out of range for type %s", s, baseName(t))
		}
		return nil, errInvalidSyntax(t, s)
	}
	lo, hi := t.IntRange()
	if n < lo || n > hi {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value %q is out of range for type %s", s, baseName(t))
	}
	return n, nil
}

func parseFloat(t T, s string) (Datum, error) {
	v := strings.TrimSpace(s)
	if v == "" || strings.ContainsAny(v, "xX_pP") {
		return nil, errInvalidSyntax(t, s)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "%q is out of range for type %s", v, baseName(t))
		}
		return nil, errInvalidSyntax(t, s)
	}
	if t.Kind == KindFloat32 {
		f32 := float32(f)
		if math.IsInf(float64(f32), 0) && !math.IsInf(f, 0) {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "%q is out of range for type %s", v, baseName(t))
		}
		f = float64(f32)
	}
	return f, nil
}

func parseNumeric(s string) (*apd.Decimal, error) {
	v := strings.TrimSpace(s)
	d, _, err := apd.NewFromString(v)
	if err != nil || d.Form == apd.NaNSignaling || strings.ContainsAny(v, "_") {
		return nil, errInvalidSyntax(Numeric, s)
	}
	// PostgreSQL's limits: 131072 digits before the point, 16383 after.
	if d.Form == apd.Finite && !d.IsZero() && (int64(d.Exponent)+d.NumDigits() > 131072 || d.Exponent < -16383) {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return NormalizeNumeric(d), nil
}

// NormalizeNumeric returns d with a non-negative exponent folded into the
// coefficient (so its scale is never negative, as PostgreSQL's dscale) and
// without a negative zero. It may return d itself.
func NormalizeNumeric(d *apd.Decimal) *apd.Decimal {
	if d.Form != apd.Finite {
		if d.Form == apd.NaN && d.Negative {
			r := *d
			r.Negative = false
			return &r
		}
		return d
	}
	if d.Exponent <= 0 && !(d.Negative && d.Coeff.Sign() == 0) {
		return d
	}
	r := new(apd.Decimal).Set(d)
	if r.Exponent > 0 {
		var mul apd.BigInt
		mul.Exp(apd.NewBigInt(10), apd.NewBigInt(int64(r.Exponent)), nil)
		r.Coeff.Mul(&r.Coeff, &mul)
		r.Exponent = 0
	}
	if r.Coeff.Sign() == 0 {
		r.Negative = false
	}
	return r
}

// numericCtx is the context for exact numeric arithmetic: enough digits
// that adds and multiplies of realistic values never round.
var numericCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(2000)
	c.Rounding = apd.RoundHalfUp
	c.MaxExponent = 1 << 20
	c.MinExponent = -(1 << 20)
	return c
}()

// NumericContext is the apd context numeric arithmetic uses.
func NumericContext() *apd.Context { return numericCtx }

// RoundNumeric rounds d to scale digits after the point, halves away from
// zero as PostgreSQL's round(numeric, int).
func RoundNumeric(d *apd.Decimal, scale int32) *apd.Decimal {
	if d.Form != apd.Finite {
		return d
	}
	r := new(apd.Decimal)
	if _, err := numericCtx.Quantize(r, d, -scale); err != nil {
		return d
	}
	return NormalizeNumeric(r)
}

// ApplyNumericTypmod rounds d to t's scale and checks it fits t's precision,
// as PostgreSQL does when storing into numeric(p,s).
func ApplyNumericTypmod(t T, d *apd.Decimal) (*apd.Decimal, error) {
	if t.Precision <= 0 || d.Form == apd.NaN {
		return d, nil
	}
	if d.Form == apd.Infinite {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", t.Precision, t.Scale)
	}
	r := RoundNumeric(d, t.Scale)
	if r.Coeff.Sign() != 0 {
		intDigits := int32(r.NumDigits()) + r.Exponent
		if intDigits > t.Precision-t.Scale {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
				WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.",
					t.Precision, t.Scale, t.Precision-t.Scale)
		}
	}
	return r, nil
}

// fitString applies varchar(n) and char(n) to s. An explicit cast
// truncates; input and assignment raise 22001 unless only spaces are cut.
func fitString(t T, s string, truncate bool) (string, error) {
	if t.Kind == KindQChar && len(s) > 1 {
		return s[:1], nil // "char" keeps the first byte, silently
	}
	if t.Width > 0 {
		n := 0
		for i := range s {
			if n == int(t.Width) {
				if !truncate && strings.TrimRight(s[i:], " ") != "" {
					return "", pgerror.New(pgerror.StringDataRightTruncation, "value too long for type %s", t)
				}
				s = s[:i]
				break
			}
			n++
		}
		if t.Kind == KindChar && n < int(t.Width) {
			s += strings.Repeat(" ", int(t.Width)-n)
		}
	}
	return s, nil
}

func parseBytea(s string) (Datum, error) {
	if strings.HasPrefix(s, `\x`) {
		h := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s[2:])
		b, err := hex.DecodeString(h)
		if err != nil {
			// PostgreSQL reads digit pairs: a bad digit is reported before
			// an odd count.
			for _, r := range h {
				if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
					return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%c\"", r)
				}
			}
			return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
		}
		return b, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) && s[i+1] <= '3' {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		return nil, errInvalidSyntax(Bytea, s)
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
