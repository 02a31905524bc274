package agg

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/types"
)

// Accumulator state is encoded as a sequence of fields in a fixed order per
// accumulator: varints for integers, 8 bytes for floats, length-prefixed
// bytes for strings and big integers. There is no version byte: the
// encoding of an aggregate's state changes only together with a migration
// of the state tables that hold it.

var errCorruptState = errors.New("agg: corrupt accumulator state")

type stateWriter struct{ buf []byte }

func (w *stateWriter) int(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *stateWriter) uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *stateWriter) bool(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}
func (w *stateWriter) float(f float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(f))
}
func (w *stateWriter) bytes(b []byte) {
	w.uint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

// decimal writes a finite or special decimal: form, sign, exponent and the
// coefficient's magnitude.
func (w *stateWriter) decimal(d *apd.Decimal) {
	w.uint(uint64(d.Form))
	w.bool(d.Negative)
	w.int(int64(d.Exponent))
	w.bytes(d.Coeff.MathBigInt().Bytes())
}

// datum writes a non-NULL value of type t.
func (w *stateWriter) datum(t types.T, d types.Datum) {
	switch v := d.(type) {
	case bool:
		w.bool(v)
	case int64:
		w.int(v)
	case float64:
		w.float(v)
	case *apd.Decimal:
		w.decimal(v)
	case string:
		w.bytes([]byte(v))
	case []byte:
		w.bytes(v)
	case types.Date:
		w.int(int64(v))
	case types.Timestamp:
		w.int(int64(v))
	case types.Interval:
		w.int(int64(v.Months))
		w.int(int64(v.Days))
		w.int(v.Micros)
	case types.UUIDValue, types.TimeOfDay, *types.JSONValue, types.Array:
		w.bytes([]byte(types.FormatText(t, d)))
	}
}

type stateReader struct {
	buf []byte
	err error
}

func (r *stateReader) fail() { r.err = errCorruptState; r.buf = nil }

func (r *stateReader) int() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *stateReader) uint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *stateReader) bool() bool {
	if len(r.buf) < 1 {
		r.fail()
		return false
	}
	v := r.buf[0] != 0
	r.buf = r.buf[1:]
	return v
}

func (r *stateReader) float() float64 {
	if len(r.buf) < 8 {
		r.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.buf))
	r.buf = r.buf[8:]
	return v
}

func (r *stateReader) bytes() []byte {
	n := r.uint()
	if r.err != nil || uint64(len(r.buf)) < n {
		r.fail()
		return nil
	}
	b := append([]byte(nil), r.buf[:n]...)
	r.buf = r.buf[n:]
	return b
}

func (r *stateReader) decimal() *apd.Decimal {
	d := &apd.Decimal{}
	d.Form = apd.Form(r.uint())
	d.Negative = r.bool()
	d.Exponent = int32(r.int())
	d.Coeff.SetMathBigInt(new(big.Int).SetBytes(r.bytes()))
	return d
}

func (r *stateReader) datum(t types.T) types.Datum {
	switch t.Kind {
	case types.KindBool:
		return r.bool()
	case types.KindInt16, types.KindInt32, types.KindInt64:
		return r.int()
	case types.KindFloat32, types.KindFloat64:
		return r.float()
	case types.KindNumeric:
		return r.decimal()
	case types.KindBytea:
		return r.bytes()
	case types.KindDate:
		return types.Date(r.int())
	case types.KindTimestamp, types.KindTimestampTZ:
		return types.Timestamp(r.int())
	case types.KindInterval:
		m, d, us := r.int(), r.int(), r.int()
		return types.Interval{Months: int32(m), Days: int32(d), Micros: us}
	case types.KindUUID, types.KindTime, types.KindJSONB, types.KindArray:
		d, err := types.ParseText(t, string(r.bytes()))
		if err != nil {
			r.fail()
			return nil
		}
		return d
	}
	return string(r.bytes())
}

// done reports the first decoding error, or trailing garbage.
func (r *stateReader) done() error {
	if r.err == nil && len(r.buf) != 0 {
		return errCorruptState
	}
	return r.err
}
