package pgwire

import (
	"encoding/binary"
	"errors"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Binary formats of uuid (16 bytes), time (int64 microseconds since
// midnight), json (its text), jsonb (version byte 1, then its text) and
// one-dimensional arrays (array_send: int32 ndim, int32 has-nulls flag,
// int32 element OID, then per dimension int32 length and int32 lower
// bound, then per element an int32 length, -1 for NULL, and the element's
// binary form).

const jsonbVersion = 1

func appendBinaryExt(buf []byte, t types.T, d types.Datum) ([]byte, bool, error) {
	bad := func() ([]byte, bool, error) {
		return buf, true, pgerror.Internal("cannot encode %T as binary %s", d, t)
	}
	switch t.Kind {
	case types.KindUUID:
		u, ok := d.(types.UUIDValue)
		if !ok {
			return bad()
		}
		return append(buf, u[:]...), true, nil
	case types.KindTime:
		v, ok := d.(types.TimeOfDay)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint64(buf, uint64(v)), true, nil
	case types.KindJSON:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, v...), true, nil
	case types.KindJSONB:
		v, ok := d.(*types.JSONValue)
		if !ok {
			return bad()
		}
		buf = append(buf, jsonbVersion)
		return append(buf, types.FormatJSONB(v)...), true, nil
	case types.KindArray:
		a, ok := d.(types.Array)
		if !ok {
			return bad()
		}
		out, err := appendArrayBinary(buf, t, a)
		return out, true, err
	case types.KindRecord:
		a, ok := d.(types.Array)
		if !ok {
			return bad()
		}
		out, err := appendRecordBinary(buf, t, a)
		return out, true, err
	}
	return buf, false, nil
}

func appendArrayBinary(buf []byte, t types.T, a types.Array) ([]byte, error) {
	elem := t.ElemType()
	ndim, hasNull := 1, 0
	if len(a) == 0 {
		ndim = 0
	}
	for _, d := range a {
		if d == nil {
			hasNull = 1
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(ndim))
	buf = binary.BigEndian.AppendUint32(buf, uint32(hasNull))
	buf = binary.BigEndian.AppendUint32(buf, elem.OID())
	if ndim == 0 {
		return buf, nil
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(a)))
	buf = binary.BigEndian.AppendUint32(buf, uint32(t.LowerBound())) // 0 for int2vector, oidvector
	for _, d := range a {
		if d == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = AppendBinary(buf, elem, d); err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

func decodeBinaryExt(t types.T, b []byte) (types.Datum, bool, error) {
	switch t.Kind {
	case types.KindUUID:
		if len(b) != 16 {
			return nil, true, errBinaryLength
		}
		return types.UUIDValue(b), true, nil
	case types.KindTime:
		if len(b) != 8 {
			return nil, true, errBinaryLength
		}
		us := int64(binary.BigEndian.Uint64(b))
		if us < 0 || us > types.MicrosPerDay {
			return nil, true, pgerror.New(pgerror.DatetimeFieldOverflow, "time out of range")
		}
		return types.TimeOfDay(us), true, nil
	case types.KindJSON:
		if err := checkUTF8(b); err != nil {
			return nil, true, err
		}
		d, err := types.ValidateJSON(string(b))
		return d, true, err
	case types.KindJSONB:
		if len(b) == 0 || b[0] != jsonbVersion {
			return nil, true, pgerror.New(codeInvalidBinaryRepresentation, "unsupported jsonb version number %d", firstByte(b))
		}
		if err := checkUTF8(b[1:]); err != nil {
			return nil, true, err
		}
		d, err := types.ParseJSONB(string(b[1:]))
		return d, true, err
	case types.KindArray:
		d, err := decodeArrayBinary(t, b)
		return d, true, err
	}
	return nil, false, nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

func decodeArrayBinary(t types.T, b []byte) (types.Datum, error) {
	elem := t.ElemType()
	u32 := func() (uint32, error) {
		if len(b) < 4 {
			return 0, errBinaryLength
		}
		v := binary.BigEndian.Uint32(b)
		b = b[4:]
		return v, nil
	}
	ndim, err := u32()
	if err != nil {
		return nil, err
	}
	if _, err = u32(); err != nil { // has-nulls flag: recomputed
		return nil, err
	}
	oid, err := u32()
	if err != nil {
		return nil, err
	}
	if oid != elem.OID() {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "binary data has array element type %d instead of expected %d", oid, elem.OID())
	}
	switch ndim {
	case 0:
		if len(b) != 0 {
			return nil, errBinaryLength
		}
		return types.Array{}, nil
	case 1:
	default:
		if int32(ndim) < 0 || ndim > 6 {
			return nil, pgerror.New(codeInvalidBinaryRepresentation, "invalid number of dimensions: %d", int32(ndim))
		}
		return nil, pgerror.Unsupported("multidimensional arrays are not supported")
	}
	n, err := u32()
	if err != nil {
		return nil, err
	}
	if _, err = u32(); err != nil { // lower bound: Eddy's arrays start at 1
		return nil, err
	}
	if uint64(n)*4 > uint64(len(b)) {
		return nil, errBinaryLength
	}
	out := make(types.Array, n)
	for i := range out {
		l, err := u32()
		if err != nil {
			return nil, err
		}
		if l == 0xFFFFFFFF {
			continue
		}
		if uint64(l) > uint64(len(b)) {
			return nil, errBinaryLength
		}
		d, err := DecodeBinary(elem, b[:l])
		if err != nil {
			if errors.Is(err, errBinaryLength) {
				return nil, pgerror.New(codeInvalidBinaryRepresentation, "improper binary format in array element %d", i+1)
			}
			return nil, err
		}
		out[i] = d
		b = b[l:]
	}
	if len(b) != 0 {
		return nil, errBinaryLength
	}
	return out, nil
}

// appendRecordBinary is record_send: the field count, then per field its
// type oid and its length-prefixed binary value (-1 for NULL).
func appendRecordBinary(buf []byte, t types.T, a types.Array) ([]byte, error) {
	fields := t.Shape().Types
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(a)))
	for i, d := range a {
		ft := types.Text
		if i < len(fields) {
			ft = fields[i]
		}
		buf = binary.BigEndian.AppendUint32(buf, ft.OID())
		if d == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = AppendBinary(buf, ft, d); err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}
