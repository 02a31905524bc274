package pgwire

import (
	"encoding/binary"
	"errors"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// One-dimensional arrays in binary are array_send's form: int32 ndim, int32
// has-nulls flag, int32 element OID, then per dimension int32 length and
// int32 lower bound, then per element an int32 length, -1 for NULL, and the
// element's binary form.

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
		var err error
		if buf, err = appendSizedBinary(buf, elem, d); err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// appendSizedBinary appends d's binary form after its int32 length, or
// length -1 for NULL, as an array element or a record field is sent.
func appendSizedBinary(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	if d == nil {
		return binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF), nil
	}
	at := len(buf)
	buf = append(buf, 0, 0, 0, 0)
	buf, err := AppendBinary(buf, t, d)
	if err != nil {
		return buf, err
	}
	binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	return buf, nil
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
		var err error
		if buf, err = appendSizedBinary(buf, ft, d); err != nil {
			return buf, err
		}
	}
	return buf, nil
}
