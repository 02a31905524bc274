package encoding

import (
	"encoding/binary"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// Keys of uuid, time, jsonb and arrays.
//
// A uuid is its 16 bytes and a time its microseconds as an ordered int.
//
// An array is its elements in order, each a non-NULL element's key (whose
// marker is keyNotNull) or arrayNullElem, then arrayEnd: arrayEnd sorts
// below both, so a prefix sorts first, and a NULL element sorts above any
// value, as PostgreSQL's array comparison orders them.
//
// A jsonb value is its type's rank in types.JSONType order plus one, then:
// nothing for null; the ordered bytes of a string; the ordered decimal of
// a number; a byte for a boolean; for an array its length as an ordered
// int and its elements; for an object its pair count and each key's
// ordered bytes followed by its value. Sizes come first because jsonb
// orders larger containers after smaller ones before looking inside.

const (
	arrayEnd      byte = 0x00
	arrayNullElem byte = 0x02
)

func appendKeyExt(buf []byte, t types.T, d types.Datum) ([]byte, bool) {
	switch t.Kind {
	case types.KindUUID:
		u := d.(types.UUIDValue)
		return append(buf, u[:]...), true
	case types.KindTime:
		return appendOrderedInt(buf, int64(d.(types.TimeOfDay))), true
	case types.KindJSONB:
		return appendOrderedJSON(buf, d.(*types.JSONValue)), true
	case types.KindArray:
		elem := t.ElemType()
		for _, e := range d.(types.Array) {
			if e == nil {
				buf = append(buf, arrayNullElem)
				continue
			}
			buf = AppendKey(buf, elem, e)
		}
		return append(buf, arrayEnd), true
	}
	return buf, false
}

func appendOrderedJSON(buf []byte, v *types.JSONValue) []byte {
	buf = append(buf, byte(v.Type)+1)
	switch v.Type {
	case types.JSONString:
		buf = appendOrderedBytes(buf, []byte(v.Str))
	case types.JSONNumber:
		buf = appendOrderedDecimal(buf, v.Num)
	case types.JSONBool:
		if v.Bool {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
	case types.JSONArray:
		buf = appendOrderedInt(buf, int64(len(v.Elems)))
		for _, e := range v.Elems {
			buf = appendOrderedJSON(buf, e)
		}
	case types.JSONObject:
		buf = appendOrderedInt(buf, int64(len(v.Keys)))
		for i, k := range v.Keys {
			buf = appendOrderedBytes(buf, []byte(k))
			buf = appendOrderedJSON(buf, v.Vals[i])
		}
	}
	return buf
}

func decodeKeyExt(t types.T, b []byte) (types.Datum, []byte, bool, error) {
	switch t.Kind {
	case types.KindUUID:
		if len(b) < 16 {
			return nil, nil, true, errCorrupt("key", "truncated uuid")
		}
		return types.UUIDValue(b[:16]), b[16:], true, nil
	case types.KindTime:
		if len(b) < 8 {
			return nil, nil, true, errCorrupt("key", "truncated time")
		}
		return types.TimeOfDay(int64(binary.BigEndian.Uint64(b) ^ (1 << 63))), b[8:], true, nil
	case types.KindJSONB:
		v, rest, err := decodeOrderedJSON(b, 0)
		return v, rest, true, err
	case types.KindArray:
		elem := t.ElemType()
		out := types.Array{}
		for {
			if len(b) == 0 {
				return nil, nil, true, errCorrupt("key", "unterminated array")
			}
			switch b[0] {
			case arrayEnd:
				return out, b[1:], true, nil
			case arrayNullElem:
				out = append(out, nil)
				b = b[1:]
				continue
			}
			d, rest, err := decodeKeyValue(elem, b)
			if err != nil {
				return nil, nil, true, err
			}
			out = append(out, d)
			b = rest
		}
	}
	return nil, nil, false, nil
}

func decodeOrderedJSON(b []byte, depth int) (*types.JSONValue, []byte, error) {
	if len(b) == 0 || depth > 10000 {
		return nil, nil, errCorrupt("key", "truncated jsonb")
	}
	typ := types.JSONType(b[0] - 1)
	b = b[1:]
	count := func() (int, error) {
		if len(b) < 8 {
			return 0, errCorrupt("key", "truncated jsonb")
		}
		n := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
		b = b[8:]
		if n < 0 || n > int64(len(b)) {
			return 0, errCorrupt("key", "bad jsonb size")
		}
		return int(n), nil
	}
	switch typ {
	case types.JSONNull:
		return types.JSONNullValue, b, nil
	case types.JSONString:
		s, rest, err := decodeOrderedBytes(b)
		if err != nil {
			return nil, nil, err
		}
		return types.NewJSONString(string(s)), rest, nil
	case types.JSONNumber:
		d, rest, err := decodeOrderedDecimal(b)
		if err != nil {
			return nil, nil, err
		}
		return types.NewJSONNumber(d.(*apd.Decimal)), rest, nil
	case types.JSONBool:
		if len(b) < 1 {
			return nil, nil, errCorrupt("key", "truncated jsonb")
		}
		return types.NewJSONBool(b[0] == 1), b[1:], nil
	case types.JSONArray:
		n, err := count()
		if err != nil {
			return nil, nil, err
		}
		elems := make([]*types.JSONValue, n)
		for i := range elems {
			if elems[i], b, err = decodeOrderedJSON(b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		return types.NewJSONArray(elems), b, nil
	case types.JSONObject:
		n, err := count()
		if err != nil {
			return nil, nil, err
		}
		keys := make([]string, n)
		vals := make([]*types.JSONValue, n)
		for i := range keys {
			k, rest, err := decodeOrderedBytes(b)
			if err != nil {
				return nil, nil, err
			}
			keys[i] = string(k)
			if vals[i], b, err = decodeOrderedJSON(rest, depth+1); err != nil {
				return nil, nil, err
			}
		}
		return types.NewJSONObject(keys, vals), b, nil
	}
	return nil, nil, errCorrupt("key", "bad jsonb type")
}

// Row values: a uuid is 16 bytes, a time a varint, jsonb its canonical
// text and an array its types.AppendArrayBytes form, both length-prefixed.

func appendValueExt(buf []byte, t types.T, d types.Datum) ([]byte, bool) {
	switch t.Kind {
	case types.KindUUID:
		u := d.(types.UUIDValue)
		return append(buf, u[:]...), true
	case types.KindTime:
		return binary.AppendVarint(buf, int64(d.(types.TimeOfDay))), true
	case types.KindJSONB:
		return appendBytes(buf, []byte(types.FormatJSONB(d.(*types.JSONValue)))), true
	case types.KindArray:
		return appendBytes(buf, types.AppendArrayBytes(nil, t, d.(types.Array))), true
	}
	return buf, false
}

func decodeValueExt(t types.T, b []byte) (types.Datum, []byte, bool, error) {
	bytesVal := func() ([]byte, []byte, error) {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return nil, nil, errCorrupt("row", "bad length")
		}
		return b[n : n+int(l)], b[n+int(l):], nil
	}
	switch t.Kind {
	case types.KindUUID:
		if len(b) < 16 {
			return nil, nil, true, errCorrupt("row", "truncated uuid")
		}
		return types.UUIDValue(b[:16]), b[16:], true, nil
	case types.KindTime:
		v, n := binary.Varint(b)
		if n <= 0 {
			return nil, nil, true, errCorrupt("row", "bad varint")
		}
		return types.TimeOfDay(v), b[n:], true, nil
	case types.KindJSONB:
		v, rest, err := bytesVal()
		if err != nil {
			return nil, nil, true, err
		}
		j, err := types.ParseJSONB(string(v))
		if err != nil {
			return nil, nil, true, errCorrupt("row", "bad jsonb")
		}
		return j, rest, true, nil
	case types.KindArray:
		v, rest, err := bytesVal()
		if err != nil {
			return nil, nil, true, err
		}
		a, _, err := types.DecodeArrayBytes(t, v)
		if err != nil {
			return nil, nil, true, errCorrupt("row", "bad array")
		}
		return a, rest, true, nil
	}
	return nil, nil, false, nil
}
