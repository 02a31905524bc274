package encoding

import (
	"encoding/binary"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// A jsonb key is its type's rank in types.JSONType order plus one, then:
// nothing for null; the ordered bytes of a string; the ordered decimal of
// a number; a byte for a boolean; for an array its length as an ordered
// int and its elements; for an object its pair count and each key's
// ordered bytes followed by its value. Sizes come first because jsonb
// orders larger containers after smaller ones before looking inside.

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
