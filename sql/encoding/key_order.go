package encoding

import "github.com/eddy-db/eddy/sql/types"

// Markers of AppendSortKey: a NULL sorts before (nullsFirst) or after every
// value, whatever the direction.
const (
	sortNullFirst byte = 0x00
	sortNotNull   byte = 0x01
	sortNullLast  byte = 0x02
)

// AppendSortKey appends an encoding of d whose byte order is the order of
// ORDER BY d [DESC] [NULLS FIRST|LAST]. For DESC the bytes of the value's
// memcomparable encoding are inverted: every encoding AppendKey writes is
// prefix-free (fixed width or terminated), so inverting each byte reverses
// the order. The result is for ordering only; it is not decoded.
func AppendSortKey(buf []byte, t types.T, d types.Datum, desc, nullsFirst bool) []byte {
	if d == nil {
		if nullsFirst {
			return append(buf, sortNullFirst)
		}
		return append(buf, sortNullLast)
	}
	buf = append(buf, sortNotNull)
	start := len(buf)
	buf = AppendKey(buf, t, d)
	// Drop AppendKey's own not-NULL marker.
	buf = append(buf[:start], buf[start+1:]...)
	if desc {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf
}
