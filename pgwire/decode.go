package pgwire

import (
	"time"

	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// errBinaryLength marks a binary value of the wrong size for its type.
var errBinaryLength = errors.New("pgwire: wrong binary value length")

// decodeParam decodes Bind parameter n (1-based) of type t.
// A text timestamptz without an offset is read in loc, the session's
// TimeZone; binary values are UTC microseconds whatever the zone.
func decodeParam(t types.T, format int16, raw []byte, n int, loc *time.Location) (types.Datum, error) {
	if raw == nil {
		return nil, nil
	}
	if format == 1 {
		d, err := DecodeBinary(t, raw)
		if errors.Is(err, errBinaryLength) {
			return nil, pgerror.New(pgerror.ProtocolViolation, "incorrect binary data format in bind parameter %d", n)
		}
		return d, err
	}
	if err := checkUTF8(raw); err != nil {
		return nil, err
	}
	if t.Kind == types.KindTimestampTZ || t.Kind == types.KindDate {
		return types.ParseTextIn(t, string(raw), loc)
	}
	return DecodeText(t, string(raw))
}

// checkUTF8 enforces client_encoding UTF8, as PostgreSQL does for all text
// it receives (NUL is never valid in text).
func checkUTF8(b []byte) error {
	for i := 0; i < len(b); {
		if b[i] == 0 {
			return pgerror.New(codeCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x00")
		}
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return pgerror.New(codeCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", b[i])
		}
		i += size
	}
	return nil
}

// DecodeBinary decodes a value in PostgreSQL's binary format for t. A value
// of the wrong length fails with an error matching errBinaryLength; an
// Unknown value becomes the string of its bytes.
func DecodeBinary(t types.T, b []byte) (types.Datum, error) {
	need := func(n int) error {
		if len(b) != n {
			return errBinaryLength
		}
		return nil
	}
	switch t.Kind {
	case types.KindBool:
		if err := need(1); err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case types.KindInt16:
		if err := need(2); err != nil {
			return nil, err
		}
		return int64(int16(binary.BigEndian.Uint16(b))), nil
	case types.KindInt32:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(int32(binary.BigEndian.Uint32(b))), nil
	case types.KindInt64:
		if err := need(8); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	case types.KindFloat32:
		if err := need(4); err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
	case types.KindFloat64:
		if err := need(8); err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case types.KindNumeric:
		return decodeNumericBinary(b)
	case types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint32(b)), nil
	case types.KindText, types.KindVarchar, types.KindChar, types.KindName, types.KindQChar:
		if err := checkUTF8(b); err != nil {
			return nil, err
		}
		return string(b), nil
	case types.KindUnknown:
		return string(b), nil
	case types.KindBytea:
		return append([]byte{}, b...), nil
	case types.KindDate:
		if err := need(4); err != nil {
			return nil, err
		}
		raw := int32(binary.BigEndian.Uint32(b))
		switch raw {
		case math.MaxInt32:
			return types.DatePosInfinity, nil
		case math.MinInt32:
			return types.DateNegInfinity, nil
		}
		days := int64(raw) + pgEpochDays
		if days < minDate || days > maxDate {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
		}
		return types.Date(days), nil
	case types.KindTimestamp, types.KindTimestampTZ:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
		switch us {
		case math.MaxInt64:
			return types.TimestampPosInfinity, nil
		case math.MinInt64:
			return types.TimestampNegInfinity, nil
		}
		if us < minTimestamp-pgEpochMicros || us > maxTimestamp-pgEpochMicros {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
		}
		return types.Timestamp(us + pgEpochMicros), nil
	case types.KindInterval:
		if err := need(16); err != nil {
			return nil, err
		}
		return types.Interval{
			Micros: int64(binary.BigEndian.Uint64(b)),
			Days:   int32(binary.BigEndian.Uint32(b[8:])),
			Months: int32(binary.BigEndian.Uint32(b[12:])),
		}, nil
	case types.KindUUID:
		if err := need(16); err != nil {
			return nil, err
		}
		return types.UUIDValue(b), nil
	case types.KindTime:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
		if us < 0 || us > types.MicrosPerDay {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "time out of range")
		}
		return types.TimeOfDay(us), nil
	case types.KindJSON:
		if err := checkUTF8(b); err != nil {
			return nil, err
		}
		return types.ValidateJSON(string(b))
	case types.KindJSONB:
		if len(b) == 0 || b[0] != jsonbVersion {
			return nil, pgerror.New(codeInvalidBinaryRepresentation, "unsupported jsonb version number %d", firstByte(b))
		}
		if err := checkUTF8(b[1:]); err != nil {
			return nil, err
		}
		return types.ParseJSONB(string(b[1:]))
	case types.KindArray:
		return decodeArrayBinary(t, b)
	}
	return nil, pgerror.Unsupported("binary format for type %s is not supported", t)
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// Ranges of binary dates and timestamps: from 4714-11-24 BC (Julian day 0),
// as in PostgreSQL, up to 5874897-12-31 for dates and, for timestamps, the
// end of 294246 (PostgreSQL reaches 294276, but Eddy counts microseconds
// from 1970 rather than 2000 in the same int64). Infinities are apart.
var (
	minDate          = types.DaysFromCivil(-4713, 11, 24)
	maxDate          = types.DaysFromCivil(5874897, 12, 31)
	maxTimestampDays = types.DaysFromCivil(294247, 1, 1) - 1
	minTimestamp     = minDate * types.MicrosPerDay
	maxTimestamp     = (maxTimestampDays+1)*types.MicrosPerDay - 1
)

// DecodeText parses s as PostgreSQL's text input for t, with sql/types'
// input functions (types.ParseText), so parameters and literals agree. It
// first rejects numeric text whose exponent PostgreSQL's numeric could not
// hold, which would otherwise be expanded digit by digit.
func DecodeText(t types.T, s string) (types.Datum, error) {
	if t.IsString() || t.Kind == types.KindJSON || t.Kind == types.KindJSONB || t.Kind == types.KindArray {
		if err := checkUTF8([]byte(s)); err != nil {
			return nil, err
		}
	}
	if t.Kind == types.KindNumeric {
		if err := checkNumericText(s); err != nil {
			return nil, err
		}
	}
	return types.ParseText(t, s)
}

// checkNumericText bounds the exponent of numeric input before anything
// expands it: "1e2000000000" must fail fast, not allocate gigabytes.
func checkNumericText(s string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexByte(v, 'e')
	if i < 0 || strings.HasPrefix(v, "inf") || strings.HasPrefix(v, "-inf") || strings.HasPrefix(v, "+inf") {
		return nil
	}
	mantissa := strings.TrimLeft(v[:i], "+-")
	intDigits, _, _ := strings.Cut(mantissa, ".")
	exp, err := strconv.ParseInt(v[i+1:], 10, 64)
	if err != nil {
		return nil // not a number at all: ParseText reports the syntax error
	}
	if exp > numericMaxIntDigits || exp < -numericMaxScale-int64(len(mantissa)) ||
		int64(len(intDigits))+exp > numericMaxIntDigits {
		return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return nil
}
