package encoding

import (
	"encoding/binary"
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// EncodeRow appends the row value encoding of row (column types ts) to buf.
func EncodeRow(buf []byte, ts []types.T, row []types.Datum) []byte {
	bitmapAt := len(buf)
	for i := 0; i < (len(ts)+7)/8; i++ {
		buf = append(buf, 0)
	}
	for i, t := range ts {
		d := row[i]
		if d == nil {
			buf[bitmapAt+i/8] |= 1 << (i % 8)
			continue
		}
		buf = appendValue(buf, t, d)
	}
	return buf
}

func appendValue(buf []byte, t types.T, d types.Datum) []byte {
	switch t.Kind {
	case types.KindBool:
		if d.(bool) {
			return append(buf, 1)
		}
		return append(buf, 0)
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		return binary.AppendVarint(buf, d.(int64))
	case types.KindDate:
		return binary.AppendVarint(buf, int64(d.(types.Date)))
	case types.KindTimestamp, types.KindTimestampTZ:
		return binary.AppendVarint(buf, int64(d.(types.Timestamp)))
	case types.KindFloat32, types.KindFloat64:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(d.(float64)))
	case types.KindNumeric:
		return appendBytes(buf, []byte(d.(*apd.Decimal).String()))
	case types.KindBytea:
		return appendBytes(buf, d.([]byte))
	case types.KindInterval:
		iv := d.(types.Interval)
		buf = binary.AppendVarint(buf, int64(iv.Months))
		buf = binary.AppendVarint(buf, int64(iv.Days))
		return binary.AppendVarint(buf, iv.Micros)
	case types.KindUUID:
		u := d.(types.UUIDValue)
		return append(buf, u[:]...)
	case types.KindTime:
		return binary.AppendVarint(buf, int64(d.(types.TimeOfDay)))
	case types.KindJSONB:
		return appendBytes(buf, []byte(types.FormatJSONB(d.(*types.JSONValue))))
	case types.KindArray:
		return appendBytes(buf, types.AppendArrayBytes(nil, t, d.(types.Array)))
	default:
		return appendBytes(buf, []byte(d.(string)))
	}
}

func appendBytes(buf, v []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(v)))
	return append(buf, v...)
}

// DecodeRow decodes a row encoded by EncodeRow with the same column types.
func DecodeRow(ts []types.T, b []byte) ([]types.Datum, error) {
	row := make([]types.Datum, len(ts))
	return row, DecodeRowInto(row, ts, b)
}

// DecodeRowInto decodes into row, which must have len(ts) entries; it saves
// an allocation per row on scan paths.
func DecodeRowInto(row []types.Datum, ts []types.T, b []byte) error {
	nb := (len(ts) + 7) / 8
	if len(b) < nb {
		return errCorrupt("row", "truncated null bitmap")
	}
	bitmap, b := b[:nb], b[nb:]
	var err error
	for i, t := range ts {
		if bitmap[i/8]&(1<<(i%8)) != 0 {
			row[i] = nil
			continue
		}
		row[i], b, err = decodeValue(t, b)
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeValue(t types.T, b []byte) (types.Datum, []byte, error) {
	varint := func() (int64, error) {
		v, n := binary.Varint(b)
		if n <= 0 {
			return 0, errCorrupt("row", "bad varint")
		}
		b = b[n:]
		return v, nil
	}
	bytesVal := func() ([]byte, error) {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return nil, errCorrupt("row", "bad length")
		}
		v := b[n : n+int(l)]
		b = b[n+int(l):]
		return v, nil
	}
	switch t.Kind {
	case types.KindBool:
		if len(b) < 1 {
			return nil, nil, errCorrupt("row", "truncated bool")
		}
		return b[0] == 1, b[1:], nil
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		v, err := varint()
		return v, b, err
	case types.KindDate:
		v, err := varint()
		return types.Date(v), b, err
	case types.KindTimestamp, types.KindTimestampTZ:
		v, err := varint()
		return types.Timestamp(v), b, err
	case types.KindFloat32, types.KindFloat64:
		if len(b) < 8 {
			return nil, nil, errCorrupt("row", "truncated float")
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:], nil
	case types.KindNumeric:
		v, err := bytesVal()
		if err != nil {
			return nil, nil, err
		}
		d, _, err := apd.NewFromString(string(v))
		if err != nil {
			return nil, nil, errCorrupt("row", "bad numeric")
		}
		return d, b, nil
	case types.KindBytea:
		v, err := bytesVal()
		if err != nil {
			return nil, nil, err
		}
		return append([]byte(nil), v...), b, nil
	case types.KindInterval:
		m, err := varint()
		if err != nil {
			return nil, nil, err
		}
		d, err := varint()
		if err != nil {
			return nil, nil, err
		}
		us, err := varint()
		if err != nil {
			return nil, nil, err
		}
		return types.Interval{Months: int32(m), Days: int32(d), Micros: us}, b, nil
	case types.KindUUID:
		if len(b) < 16 {
			return nil, nil, errCorrupt("row", "truncated uuid")
		}
		return types.UUIDValue(b[:16]), b[16:], nil
	case types.KindTime:
		v, err := varint()
		return types.TimeOfDay(v), b, err
	case types.KindJSONB:
		v, err := bytesVal()
		if err != nil {
			return nil, nil, err
		}
		j, err := types.ParseJSONB(string(v))
		if err != nil {
			return nil, nil, errCorrupt("row", "bad jsonb")
		}
		return j, b, nil
	case types.KindArray:
		v, err := bytesVal()
		if err != nil {
			return nil, nil, err
		}
		a, _, err := types.DecodeArrayBytes(t, v)
		if err != nil {
			return nil, nil, errCorrupt("row", "bad array")
		}
		return a, b, nil
	default:
		v, err := bytesVal()
		if err != nil {
			return nil, nil, err
		}
		return string(v), b, nil
	}
}
