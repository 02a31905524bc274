package pgwire

import (
	"time"

	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Epoch shifts between Eddy's datums (1970-01-01) and PostgreSQL's binary
// format (2000-01-01).
const (
	pgEpochDays   = 10957
	pgEpochMicros = pgEpochDays * 86400 * 1_000_000
)

// rowEncoder encodes DataRow values into one reused buffer, so a row costs
// no allocation beyond what FormatText makes.
type rowEncoder struct {
	// loc is the session's TimeZone, which timestamptz text is printed in.
	loc    *time.Location
	buf    []byte
	bounds []int
	values [][]byte
}

// encode returns the values of row i of ch in the given formats, valid until
// the next call, and their total size.
func (e *rowEncoder) encode(ch *chunk.Chunk, i int, cols []Column, formats []int16) ([][]byte, int, error) {
	e.buf = e.buf[:0]
	e.bounds = e.bounds[:0]
	for j, col := range cols {
		d := chunk.Datum(ch.Column(j), ch.Types[j], i)
		if d == nil {
			e.bounds = append(e.bounds, -1)
			continue
		}
		var err error
		if formats[j] == 1 {
			e.buf, err = AppendBinary(e.buf, col.Type, d)
		} else {
			e.buf = types.AppendTextIn(e.buf, col.Type, d, e.loc)
		}
		if err != nil {
			return nil, 0, err
		}
		e.bounds = append(e.bounds, len(e.buf))
	}
	e.values = e.values[:0]
	start := 0
	for _, end := range e.bounds {
		if end < 0 {
			e.values = append(e.values, nil)
			continue
		}
		e.values = append(e.values, e.buf[start:end:end])
		start = end
	}
	return e.values, len(e.buf) + 4*len(cols) + 2, nil
}

// AppendText appends d in PostgreSQL's text format for t (the server
// defaults DateStyle ISO, IntervalStyle postgres, TimeZone UTC).
func AppendText(buf []byte, t types.T, d types.Datum) []byte {
	return append(buf, types.FormatText(t, d)...)
}

// AppendBinary appends d in PostgreSQL's binary format for t. Unknown is
// sent as its text, like text.
func AppendBinary(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	bad := func() ([]byte, error) {
		return buf, pgerror.Internal("cannot encode %T as binary %s", d, t)
	}
	switch t.Kind {
	case types.KindBool:
		v, ok := d.(bool)
		if !ok {
			return bad()
		}
		if v {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case types.KindInt16, types.KindInt32, types.KindInt64:
		v, ok := d.(int64)
		if !ok {
			return bad()
		}
		if lo, hi := t.IntRange(); v < lo || v > hi {
			return buf, pgerror.New(pgerror.NumericValueOutOfRange, "value %d out of range for type %s", v, t)
		}
		switch t.Kind {
		case types.KindInt16:
			return binary.BigEndian.AppendUint16(buf, uint16(v)), nil
		case types.KindInt32:
			return binary.BigEndian.AppendUint32(buf, uint32(v)), nil
		}
		return binary.BigEndian.AppendUint64(buf, uint64(v)), nil
	case types.KindFloat32:
		v, ok := d.(float64)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(v))), nil
	case types.KindFloat64:
		v, ok := d.(float64)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v)), nil
	case types.KindNumeric:
		v, ok := d.(*apd.Decimal)
		if !ok {
			return bad()
		}
		return appendNumeric(buf, v)
	case types.KindText, types.KindVarchar, types.KindChar, types.KindUnknown:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, v...), nil
	case types.KindBytea:
		v, ok := d.([]byte)
		if !ok {
			return bad()
		}
		return append(buf, v...), nil
	case types.KindDate:
		v, ok := d.(types.Date)
		if !ok {
			return bad()
		}
		switch v {
		case types.DatePosInfinity:
			return binary.BigEndian.AppendUint32(buf, math.MaxInt32), nil
		case types.DateNegInfinity:
			return binary.BigEndian.AppendUint32(buf, 1<<31), nil
		}
		if int64(v) < minDate || int64(v) > maxDate {
			return buf, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
		}
		return binary.BigEndian.AppendUint32(buf, uint32(int32(v)-pgEpochDays)), nil
	case types.KindTimestamp, types.KindTimestampTZ:
		v, ok := d.(types.Timestamp)
		if !ok {
			return bad()
		}
		switch v {
		case types.TimestampPosInfinity:
			return binary.BigEndian.AppendUint64(buf, math.MaxInt64), nil
		case types.TimestampNegInfinity:
			return binary.BigEndian.AppendUint64(buf, 1<<63), nil
		}
		if int64(v) < minTimestamp || int64(v) > maxTimestamp {
			return buf, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
		}
		return binary.BigEndian.AppendUint64(buf, uint64(int64(v)-pgEpochMicros)), nil
	case types.KindInterval:
		v, ok := d.(types.Interval)
		if !ok {
			return bad()
		}
		buf = binary.BigEndian.AppendUint64(buf, uint64(v.Micros))
		buf = binary.BigEndian.AppendUint32(buf, uint32(v.Days))
		return binary.BigEndian.AppendUint32(buf, uint32(v.Months)), nil
	case types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		v, ok := d.(int64)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint32(buf, uint32(v)), nil
	case types.KindName, types.KindQChar:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, v...), nil
	case types.KindUUID:
		u, ok := d.(types.UUIDValue)
		if !ok {
			return bad()
		}
		return append(buf, u[:]...), nil
	case types.KindTime:
		v, ok := d.(types.TimeOfDay)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint64(buf, uint64(v)), nil
	case types.KindJSON:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, v...), nil
	case types.KindJSONB:
		v, ok := d.(*types.JSONValue)
		if !ok {
			return bad()
		}
		buf = append(buf, jsonbVersion)
		return append(buf, types.FormatJSONB(v)...), nil
	case types.KindArray:
		a, ok := d.(types.Array)
		if !ok {
			return bad()
		}
		return appendArrayBinary(buf, t, a)
	case types.KindRecord:
		a, ok := d.(types.Array)
		if !ok {
			return bad()
		}
		return appendRecordBinary(buf, t, a)
	}
	return bad()
}

// jsonbVersion is the first byte of jsonb's binary form (jsonb_send); the
// rest is the value's text.
const jsonbVersion = 1

// PostgreSQL's binary numeric: int16 ndigits, int16 weight, uint16 sign,
// int16 dscale, then ndigits base-10000 digits, most significant first; the
// value is sum(digit[i] * 10000^(weight-i)).
const (
	numericPos      = 0x0000
	numericNeg      = 0x4000
	numericNaN      = 0xC000
	numericPInf     = 0xD000
	numericNInf     = 0xF000
	numericMaxScale = 0x3FFF
	// Limits of PostgreSQL's numeric: 131072 digits before the point and
	// 16383 after.
	numericMaxIntDigits = 131072
)

func appendNumeric(buf []byte, d *apd.Decimal) ([]byte, error) {
	header := func(ndigits, weight int, sign uint16, dscale int) {
		buf = binary.BigEndian.AppendUint16(buf, uint16(ndigits))
		buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
		buf = binary.BigEndian.AppendUint16(buf, sign)
		buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		header(0, 0, numericNaN, 0)
		return buf, nil
	case apd.Infinite:
		if d.Negative {
			header(0, 0, numericNInf, 0)
		} else {
			header(0, 0, numericPInf, 0)
		}
		return buf, nil
	}
	if err := checkNumericRange(d); err != nil {
		return buf, err
	}
	digits := d.Coeff.String() // absolute value
	exp := int(d.Exponent)
	dscale := 0
	if exp < 0 {
		dscale = -exp
	} else {
		digits += strings.Repeat("0", exp)
		exp = 0
	}
	// Now value = digits * 10^-dscale. Split into integer and fraction parts,
	// padded to whole base-10000 groups.
	if len(digits) <= dscale {
		digits = strings.Repeat("0", dscale-len(digits)+1) + digits
	}
	intPart, fracPart := digits[:len(digits)-dscale], digits[len(digits)-dscale:]
	if pad := (4 - len(intPart)%4) % 4; pad > 0 {
		intPart = strings.Repeat("0", pad) + intPart
	}
	if pad := (4 - len(fracPart)%4) % 4; pad > 0 {
		fracPart += strings.Repeat("0", pad)
	}
	all := intPart + fracPart
	groups := make([]uint16, len(all)/4)
	for i := range groups {
		g := all[4*i : 4*i+4]
		groups[i] = uint16(g[0]-'0')*1000 + uint16(g[1]-'0')*100 + uint16(g[2]-'0')*10 + uint16(g[3]-'0')
	}
	weight := len(intPart)/4 - 1
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	sign := uint16(numericPos)
	if d.Negative && len(groups) > 0 {
		sign = numericNeg
	}
	if len(groups) == 0 {
		weight = 0
	}
	header(len(groups), weight, sign, dscale)
	for _, g := range groups {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf, nil
}

// checkNumericRange rejects finite values PostgreSQL's numeric cannot hold,
// before anything expands their exponent into digits.
func checkNumericRange(d *apd.Decimal) error {
	if d.Form != apd.Finite {
		return nil
	}
	if d.Exponent < -numericMaxScale {
		return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format").
			WithDetail("numeric scale %d is beyond the maximum of %d", -d.Exponent, numericMaxScale)
	}
	if d.Coeff.Sign() != 0 {
		intDigits := int64(d.NumDigits()) + int64(d.Exponent)
		if intDigits > numericMaxIntDigits {
			return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	return nil
}

// decodeNumericBinary parses PostgreSQL's binary numeric.
func decodeNumericBinary(b []byte) (*apd.Decimal, error) {
	if len(b) < 8 {
		return nil, errBinaryLength
	}
	ndigits := int(binary.BigEndian.Uint16(b[0:]))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(binary.BigEndian.Uint16(b[6:]))
	if len(b) != 8+2*ndigits {
		return nil, errBinaryLength
	}
	switch sign {
	case numericNaN:
		return &apd.Decimal{Form: apd.NaN}, nil
	case numericPInf:
		return &apd.Decimal{Form: apd.Infinite}, nil
	case numericNInf:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	case numericPos, numericNeg:
	default:
		return nil, pgerror.New(codeInvalidBinaryRepresentation, "invalid sign in external \"numeric\" value")
	}
	if dscale > numericMaxScale {
		return nil, pgerror.New(codeInvalidBinaryRepresentation, "invalid scale in external \"numeric\" value")
	}
	// value = coeff * 10^exp with coeff the concatenated groups and
	// exp = 4*(weight-ndigits+1); then fit it to exactly dscale fraction
	// digits, truncating digits beyond it as PostgreSQL does.
	var sb strings.Builder
	for i := range ndigits {
		g := binary.BigEndian.Uint16(b[8+2*i:])
		if g >= 10000 {
			return nil, pgerror.New(codeInvalidBinaryRepresentation, "invalid digit in external \"numeric\" value")
		}
		fmt.Fprintf(&sb, "%04d", g)
	}
	exp := 4 * (weight - ndigits + 1)
	if ndigits > 0 && exp+4*ndigits > numericMaxIntDigits+4 {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	coeff := sb.String()
	switch {
	case ndigits == 0:
		coeff, exp = "0", 0
	case exp > -dscale:
		coeff += strings.Repeat("0", exp+dscale)
	case exp < -dscale:
		drop := -dscale - exp
		if drop >= len(coeff) {
			coeff = "0"
		} else {
			coeff = coeff[:len(coeff)-drop]
		}
	}
	exp = -dscale
	var c big.Int
	if _, ok := c.SetString(coeff, 10); !ok {
		return nil, pgerror.Internal("numeric digits %q", coeff)
	}
	out := &apd.Decimal{Exponent: int32(exp)}
	out.Coeff.SetMathBigInt(&c)
	out.Negative = sign == numericNeg && out.Coeff.Sign() != 0
	return out, nil
}
