package types

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Compare orders two non-NULL datums of type t as PostgreSQL's btree
// operators do: NaN sorts above every other float or numeric and equals
// itself, strings compare bytewise (the C collation), char(n) ignores
// trailing spaces, and intervals compare by their span with a month of 30
// days. NULL handling is the caller's.
func Compare(t T, a, b Datum) int {
	switch x := a.(type) {
	case int64:
		return cmp3(x, b.(int64))
	case float64:
		return CompareFloat(x, b.(float64))
	case string:
		y := b.(string)
		if t.Kind == KindChar {
			x, y = strings.TrimRight(x, " "), strings.TrimRight(y, " ")
		}
		return strings.Compare(x, y)
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case *apd.Decimal:
		return CompareNumeric(x, b.(*apd.Decimal))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	case Date:
		return cmp3(x, b.(Date))
	case Timestamp:
		return cmp3(x, b.(Timestamp))
	case Interval:
		d1, r1 := intervalSpan(x)
		d2, r2 := intervalSpan(b.(Interval))
		if c := cmp3(d1, d2); c != 0 {
			return c
		}
		return cmp3(r1, r2)
	case UUIDValue:
		y := b.(UUIDValue)
		return bytes.Compare(x[:], y[:])
	case TimeOfDay:
		return cmp3(int64(x), int64(b.(TimeOfDay)))
	case *JSONValue:
		return CompareJSON(x, b.(*JSONValue))
	case Array:
		return CompareArray(t, x, b.(Array))
	}
	panic("types: Compare of unsupported datum")
}

// Equal reports whether Compare(t, a, b) == 0.
func Equal(t T, a, b Datum) bool { return Compare(t, a, b) == 0 }

func cmp3[N int64 | Date | Timestamp](a, b N) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareFloat orders floats with NaN above everything, equal to itself.
func CompareFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareNumeric orders numerics with NaN above +Infinity.
func CompareNumeric(a, b *apd.Decimal) int {
	an, bn := a.Form == apd.NaN, b.Form == apd.NaN
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return a.Cmp(b)
}

// intervalSpan is an interval's length as whole days (a month being 30)
// and the microseconds left over, normalized so that comparing the pairs
// compares the spans.
func intervalSpan(iv Interval) (days, micros int64) {
	days = int64(iv.Months)*30 + int64(iv.Days)
	days += floorDiv(iv.Micros, MicrosPerDay)
	micros = iv.Micros - floorDiv(iv.Micros, MicrosPerDay)*MicrosPerDay
	return days, micros
}

// Hash hashes a non-NULL datum of type t consistently with Equal: numerics
// equal in value but not in scale, floats -0 and 0, intervals of the same
// span and char(n) values differing in trailing spaces hash alike. The hash
// is stable across processes.
func Hash(t T, d Datum) uint64 {
	h := fnv.New64a()
	var buf [16]byte
	switch x := d.(type) {
	case int64:
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:8])
	case float64:
		switch {
		case math.IsNaN(x):
			x = math.NaN()
		case x == 0:
			x = 0
		}
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		h.Write(buf[:8])
	case string:
		if t.Kind == KindChar {
			x = strings.TrimRight(x, " ")
		}
		h.Write([]byte(x))
	case bool:
		if x {
			buf[0] = 1
		}
		h.Write(buf[:1])
	case *apd.Decimal:
		var r apd.Decimal
		r.Reduce(x)
		if r.IsZero() {
			r.Negative, r.Exponent = false, 0
		}
		h.Write([]byte(r.String()))
	case []byte:
		h.Write(x)
	case Date:
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:8])
	case Timestamp:
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:8])
	case Interval:
		days, micros := intervalSpan(x)
		binary.LittleEndian.PutUint64(buf[:], uint64(days))
		binary.LittleEndian.PutUint64(buf[8:], uint64(micros))
		h.Write(buf[:])
	case UUIDValue:
		h.Write(x[:])
	case TimeOfDay:
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:8])
	case *JSONValue:
		return mix64(hashJSON(x))
	case Array:
		return mix64(hashArray(t, x))
	}
	return mix64(h.Sum64())
}

// mix64 is a finalizer that spreads FNV's weak low bits.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}
