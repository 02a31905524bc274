package executor

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
)

// appendHashKey appends the bytes by which hash aggregation, DISTINCT and
// hash joins recognise equal values: two non-NULL values of comparable types
// produce the same bytes exactly when types.Equal says they are equal. So
// 1.0 and 1.00, 0.0 and -0.0, two NaNs, '1 day' and '24 hours', and char(n)
// values differing in trailing spaces each share one key; integers of every
// width share one form so that an int4 column joins an int8 one. A NULL has
// its own marker; callers decide whether NULLs match (GROUP BY: yes; join:
// no).
//
// Keys are not ordered; they only need to be injective per type.
func appendHashKey(buf []byte, t types.T, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch a := arr.(type) {
	case *array.Int64:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(i)))
	case *array.Int32:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.Int16:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.Float64:
		return appendFloatKey(buf, a.Value(i))
	case *array.Float32:
		return appendFloatKey(buf, float64(a.Value(i)))
	case *array.Boolean:
		if a.Value(i) {
			return append(buf, 1)
		}
		return append(buf, 0)
	case *array.String:
		s := a.Value(i)
		switch t.Kind {
		case types.KindNumeric:
			d, err := types.ParseNumeric(s)
			if err == nil {
				// The key encoding normalises scale, zero's sign and NaN.
				return encoding.AppendKey(buf, t, d)
			}
		case types.KindChar:
			s = strings.TrimRight(s, " ")
		case types.KindJSONB:
			if d, err := types.ParseJSONB(s); err == nil {
				// Equal jsonb numbers may differ in scale (1.0, 1.00).
				return encoding.AppendKey(buf, t, d)
			}
		}
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		return append(buf, s...)
	case *array.Binary:
		b := a.Value(i)
		buf = binary.AppendUvarint(buf, uint64(len(b)))
		return append(buf, b...)
	case *array.Date32:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.Timestamp:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.FixedSizeBinary: // uuid
		return append(buf, a.Value(i)...)
	case *array.Time64:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(i)))
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		days, micros := intervalSpan(types.Interval{Months: v.Months, Days: v.Days, Micros: v.Nanoseconds / 1000})
		buf = binary.LittleEndian.AppendUint64(buf, uint64(days))
		return binary.LittleEndian.AppendUint64(buf, uint64(micros))
	}
	return buf
}

// joinKey encodes one join side's key columns of a row as hash keys. In a
// join's equality a NULL key matches nothing, so a row with a NULL key
// column has no key.
type joinKey struct {
	cols  []int
	types []types.T // the side's column types, indexed by column
	buf   []byte
}

// of returns the key of row i of c, valid until the next call, and false
// when a key column is NULL.
func (k *joinKey) of(c *chunk.Chunk, i int) ([]byte, bool) {
	k.buf = k.buf[:0]
	for _, col := range k.cols {
		arr := c.Column(col)
		if arr.IsNull(i) {
			return nil, false
		}
		k.buf = appendHashKey(k.buf, k.types[col], arr, i)
	}
	return k.buf, true
}

func appendFloatKey(buf []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		f = math.NaN()
	case f == 0:
		f = 0
	}
	return binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
}

// intervalSpan is an interval's length as whole days, a month being 30,
// and the microseconds left over: PostgreSQL's interval equality.
func intervalSpan(iv types.Interval) (days, micros int64) {
	const microsPerDay = 86400e6
	days = int64(iv.Months)*30 + int64(iv.Days)
	q := iv.Micros / microsPerDay
	if iv.Micros%microsPerDay < 0 {
		q--
	}
	return days + q, iv.Micros - q*microsPerDay
}
