package encoding

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

const (
	keyNull    byte = 0x00
	keyNotNull byte = 0x01

	numericNegInf   byte = 0x01
	numericNegative byte = 0x02
	numericZero     byte = 0x03
	numericPositive byte = 0x04
	numericPosInf   byte = 0x05
	numericNaN      byte = 0x06
)

// EncodeKey appends the memcomparable encoding of row (of column types ts)
// to buf.
func EncodeKey(buf []byte, ts []types.T, row []types.Datum) []byte {
	for i, t := range ts {
		buf = AppendKey(buf, t, row[i])
	}
	return buf
}

// AppendKey appends the memcomparable encoding of one value.
func AppendKey(buf []byte, t types.T, d types.Datum) []byte {
	if d == nil {
		return append(buf, keyNull)
	}
	buf = append(buf, keyNotNull)
	switch t.Kind {
	case types.KindBool:
		if d.(bool) {
			return append(buf, 1)
		}
		return append(buf, 0)
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		return appendOrderedInt(buf, d.(int64))
	case types.KindDate:
		return appendOrderedInt(buf, int64(d.(types.Date)))
	case types.KindTimestamp, types.KindTimestampTZ:
		return appendOrderedInt(buf, int64(d.(types.Timestamp)))
	case types.KindFloat32, types.KindFloat64:
		return appendOrderedFloat(buf, d.(float64))
	case types.KindNumeric:
		return appendOrderedDecimal(buf, d.(*apd.Decimal))
	case types.KindBytea:
		return appendOrderedBytes(buf, d.([]byte))
	case types.KindInterval:
		return appendOrderedInterval(buf, d.(types.Interval))
	case types.KindUUID:
		u := d.(types.UUIDValue)
		return append(buf, u[:]...)
	case types.KindTime:
		return appendOrderedInt(buf, int64(d.(types.TimeOfDay)))
	case types.KindJSONB:
		return appendOrderedJSON(buf, d.(*types.JSONValue))
	case types.KindArray:
		return appendOrderedArray(buf, t.ElemType(), d.(types.Array))
	default: // text, varchar, char, unknown
		return appendOrderedBytes(buf, []byte(d.(string)))
	}
}

// DecodeKey decodes len(ts) values from the front of key and returns them
// with the remaining bytes.
func DecodeKey(ts []types.T, key []byte) ([]types.Datum, []byte, error) {
	row := make([]types.Datum, len(ts))
	var err error
	for i, t := range ts {
		row[i], key, err = decodeKeyValue(t, key)
		if err != nil {
			return nil, nil, err
		}
	}
	return row, key, nil
}

// KeyLen returns the length of the encoding of len(ts) values at the front
// of key, without decoding them: what a reader needs to find where a key's
// leading columns end (mview hashes them to a vnode).
func KeyLen(ts []types.T, key []byte) (int, error) {
	rest := key
	for _, t := range ts {
		if len(rest) == 0 {
			return 0, errCorrupt("key", "truncated")
		}
		if rest[0] == keyNull {
			rest = rest[1:]
			continue
		}
		if n := fixedKeyLen(t); n > 0 {
			if len(rest) < 1+n {
				return 0, errCorrupt("key", "truncated value")
			}
			rest = rest[1+n:]
			continue
		}
		var err error
		if orderedBytesKind(t) {
			rest, err = skipOrderedBytes(rest[1:])
		} else {
			_, rest, err = decodeKeyValue(t, rest)
		}
		if err != nil {
			return 0, err
		}
	}
	return len(key) - len(rest), nil
}

// orderedBytesKind reports whether values of t, of a kind of no fixed
// width, are encoded by appendOrderedBytes (AppendKey's default).
func orderedBytesKind(t types.T) bool {
	switch t.Kind {
	case types.KindNumeric, types.KindInterval, types.KindJSONB, types.KindArray:
		return false
	}
	return true
}

// skipOrderedBytes returns what follows an appendOrderedBytes encoding.
func skipOrderedBytes(b []byte) ([]byte, error) {
	for i := 0; i+1 < len(b); i++ {
		if b[i] != 0 {
			continue
		}
		switch b[i+1] {
		case 0xFF:
			i++
		case 0x01:
			return b[i+2:], nil
		default:
			return nil, errCorrupt("key", "bad string escape")
		}
	}
	return nil, errCorrupt("key", "unterminated string")
}

// fixedKeyLen is the length of a non-NULL value's encoding after its
// marker for the kinds encoded in a fixed width, 0 for the others.
func fixedKeyLen(t types.T) int {
	switch t.Kind {
	case types.KindBool:
		return 1
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace,
		types.KindDate, types.KindTimestamp, types.KindTimestampTZ, types.KindFloat32, types.KindFloat64, types.KindTime:
		return 8
	case types.KindUUID:
		return 16
	}
	return 0
}

func decodeKeyValue(t types.T, b []byte) (types.Datum, []byte, error) {
	if len(b) == 0 {
		return nil, nil, errCorrupt("key", "truncated")
	}
	marker := b[0]
	b = b[1:]
	if marker == keyNull {
		return nil, b, nil
	}
	switch t.Kind {
	case types.KindBool:
		if len(b) < 1 {
			return nil, nil, errCorrupt("key", "truncated bool")
		}
		return b[0] == 1, b[1:], nil
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace, types.KindDate, types.KindTimestamp, types.KindTimestampTZ:
		if len(b) < 8 {
			return nil, nil, errCorrupt("key", "truncated integer")
		}
		v := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
		switch t.Kind {
		case types.KindDate:
			return types.Date(v), b[8:], nil
		case types.KindTimestamp, types.KindTimestampTZ:
			return types.Timestamp(v), b[8:], nil
		}
		return v, b[8:], nil
	case types.KindFloat32, types.KindFloat64:
		if len(b) < 8 {
			return nil, nil, errCorrupt("key", "truncated float")
		}
		u := binary.BigEndian.Uint64(b)
		if u&(1<<63) != 0 {
			u ^= 1 << 63
		} else {
			u = ^u
		}
		return math.Float64frombits(u), b[8:], nil
	case types.KindNumeric:
		return decodeOrderedDecimal(b)
	case types.KindBytea:
		v, rest, err := decodeOrderedBytes(b)
		return v, rest, err
	case types.KindInterval:
		return decodeOrderedInterval(b)
	case types.KindUUID:
		if len(b) < 16 {
			return nil, nil, errCorrupt("key", "truncated uuid")
		}
		return types.UUIDValue(b[:16]), b[16:], nil
	case types.KindTime:
		if len(b) < 8 {
			return nil, nil, errCorrupt("key", "truncated time")
		}
		return types.TimeOfDay(int64(binary.BigEndian.Uint64(b) ^ (1 << 63))), b[8:], nil
	case types.KindJSONB:
		return decodeOrderedJSON(b, 0)
	case types.KindArray:
		return decodeOrderedArray(t.ElemType(), b)
	default:
		v, rest, err := decodeOrderedBytes(b)
		if err != nil {
			return nil, nil, err
		}
		return string(v), rest, nil
	}
}

func appendOrderedInt(buf []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(buf, uint64(v)^(1<<63))
}

func appendOrderedFloat(buf []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		// One canonical NaN, above +Infinity.
		return binary.BigEndian.AppendUint64(buf, math.MaxUint64)
	case f == 0:
		f = 0 // -0 == 0
	}
	u := math.Float64bits(f)
	if u&(1<<63) != 0 {
		u = ^u
	} else {
		u ^= 1 << 63
	}
	return binary.BigEndian.AppendUint64(buf, u)
}

// appendOrderedBytes escapes 0x00 as 0x00 0xFF and terminates with 0x00
// 0x01, so that a shorter string sorts before its extensions.
func appendOrderedBytes(buf, v []byte) []byte {
	for _, c := range v {
		if c == 0 {
			buf = append(buf, 0x00, 0xFF)
		} else {
			buf = append(buf, c)
		}
	}
	return append(buf, 0x00, 0x01)
}

func decodeOrderedBytes(b []byte) ([]byte, []byte, error) {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != 0 {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			return nil, nil, errCorrupt("key", "unterminated string")
		}
		switch b[i+1] {
		case 0xFF:
			out = append(out, 0)
			i++
		case 0x01:
			if out == nil {
				out = []byte{}
			}
			return out, b[i+2:], nil
		default:
			return nil, nil, errCorrupt("key", "bad string escape")
		}
	}
	return nil, nil, errCorrupt("key", "unterminated string")
}

// appendOrderedDecimal writes sign, then the exponent E and the significant
// digits D of the value 0.D × 10^E, with trailing zeros removed so that
// equal values encode equally. Negative values invert exponent and digits so
// that larger magnitudes sort first.
func appendOrderedDecimal(buf []byte, d *apd.Decimal) []byte {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(buf, numericNaN)
	case apd.Infinite:
		if d.Negative {
			return append(buf, numericNegInf)
		}
		return append(buf, numericPosInf)
	}
	if d.Coeff.Sign() == 0 {
		return append(buf, numericZero)
	}
	digits := d.Coeff.String()
	exp := int64(d.Exponent)
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	e := exp + int64(len(trimmed)) // value = 0.trimmed × 10^e
	if d.Negative {
		buf = append(buf, numericNegative)
		buf = binary.BigEndian.AppendUint32(buf, ^(uint32(int32(e)) ^ (1 << 31)))
		for i := 0; i < len(trimmed); i++ {
			buf = append(buf, ^trimmed[i])
		}
		return append(buf, 0xFF)
	}
	buf = append(buf, numericPositive)
	buf = binary.BigEndian.AppendUint32(buf, uint32(int32(e))^(1<<31))
	buf = append(buf, trimmed...)
	return append(buf, 0x00)
}

func decodeOrderedDecimal(b []byte) (types.Datum, []byte, error) {
	if len(b) < 1 {
		return nil, nil, errCorrupt("key", "truncated numeric")
	}
	sign := b[0]
	b = b[1:]
	switch sign {
	case numericZero:
		return apd.New(0, 0), b, nil
	case numericNaN:
		return &apd.Decimal{Form: apd.NaN}, b, nil
	case numericPosInf:
		return &apd.Decimal{Form: apd.Infinite}, b, nil
	case numericNegInf:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, b, nil
	case numericNegative, numericPositive:
	default:
		return nil, nil, errCorrupt("key", "bad numeric sign")
	}
	if len(b) < 4 {
		return nil, nil, errCorrupt("key", "truncated numeric")
	}
	u := binary.BigEndian.Uint32(b)
	neg := sign == numericNegative
	if neg {
		u = ^u
	}
	e := int64(int32(u ^ (1 << 31)))
	b = b[4:]
	term := byte(0x00)
	if neg {
		term = 0xFF
	}
	end := -1
	for i, c := range b {
		if c == term {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, nil, errCorrupt("key", "unterminated numeric")
	}
	digits := make([]byte, end)
	for i := 0; i < end; i++ {
		c := b[i]
		if neg {
			c = ^c
		}
		digits[i] = c
	}
	var coeff apd.BigInt
	if _, ok := coeff.SetString(string(digits), 10); !ok {
		return nil, nil, errCorrupt("key", "bad numeric digits")
	}
	d := apd.NewWithBigInt(&coeff, int32(e-int64(len(digits))))
	d.Negative = neg
	return d, b[end+1:], nil
}

var (
	microsPerDay   = big.NewInt(86400 * 1e6)
	microsPerMonth = big.NewInt(30 * 86400 * 1e6)
)

func appendOrderedInterval(buf []byte, iv types.Interval) []byte {
	span := new(big.Int).Mul(big.NewInt(int64(iv.Months)), microsPerMonth)
	span.Add(span, new(big.Int).Mul(big.NewInt(int64(iv.Days)), microsPerDay))
	span.Add(span, big.NewInt(iv.Micros))
	// The span fits in 96 bits; write it as a sign-flipped 128-bit integer.
	var raw [16]byte
	mag := new(big.Int).Abs(span).FillBytes(make([]byte, 16))
	if span.Sign() < 0 {
		// two's complement of the magnitude
		carry := byte(1)
		for i := 15; i >= 0; i-- {
			v := ^mag[i] + carry
			if carry == 1 && v != 0 {
				carry = 0
			}
			raw[i] = v
		}
	} else {
		copy(raw[:], mag)
	}
	raw[0] ^= 0x80
	buf = append(buf, raw[:]...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(iv.Months)^(1<<31))
	buf = binary.BigEndian.AppendUint32(buf, uint32(iv.Days)^(1<<31))
	return appendOrderedInt(buf, iv.Micros)
}

func decodeOrderedInterval(b []byte) (types.Datum, []byte, error) {
	if len(b) < 16+4+4+8 {
		return nil, nil, errCorrupt("key", "truncated interval")
	}
	b = b[16:]
	iv := types.Interval{
		Months: int32(binary.BigEndian.Uint32(b) ^ (1 << 31)),
		Days:   int32(binary.BigEndian.Uint32(b[4:]) ^ (1 << 31)),
		Micros: int64(binary.BigEndian.Uint64(b[8:]) ^ (1 << 63)),
	}
	return iv, b[16:], nil
}

// An array key is its elements in order, each a non-NULL element's key
// (whose marker is keyNotNull) or arrayNullElem, then arrayEnd: arrayEnd
// sorts below both, so a prefix sorts first, and a NULL element sorts above
// any value, as PostgreSQL's array comparison orders them.
const (
	arrayEnd      byte = 0x00
	arrayNullElem byte = 0x02
)

func appendOrderedArray(buf []byte, elem types.T, a types.Array) []byte {
	for _, e := range a {
		if e == nil {
			buf = append(buf, arrayNullElem)
			continue
		}
		buf = AppendKey(buf, elem, e)
	}
	return append(buf, arrayEnd)
}

func decodeOrderedArray(elem types.T, b []byte) (types.Datum, []byte, error) {
	out := types.Array{}
	for {
		if len(b) == 0 {
			return nil, nil, errCorrupt("key", "unterminated array")
		}
		switch b[0] {
		case arrayEnd:
			return out, b[1:], nil
		case arrayNullElem:
			out = append(out, nil)
			b = b[1:]
			continue
		}
		d, rest, err := decodeKeyValue(elem, b)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, d)
		b = rest
	}
}

func errCorrupt(what, why string) error {
	return fmt.Errorf("encoding: corrupt %s: %s", what, why)
}
