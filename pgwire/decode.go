package pgwire

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// errBinaryLength marks a binary value of the wrong size for its type.
var errBinaryLength = errors.New("pgwire: wrong binary value length")

// decodeParam decodes Bind parameter n (1-based) of type t.
func decodeParam(t types.T, format int16, raw []byte, n int) (types.Datum, error) {
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
	case types.KindText, types.KindVarchar, types.KindChar:
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
		days := int64(int32(binary.BigEndian.Uint32(b))) + pgEpochDays
		if days > math.MaxInt32 || days < minDate || days > maxDate {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
		}
		return types.Date(days), nil
	case types.KindTimestamp, types.KindTimestampTZ:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
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
	}
	return nil, pgerror.Unsupported("binary format for type %s is not supported", t)
}

// Ranges of the date and time types: from 4714-11-24 BC (Julian day 0), as
// in PostgreSQL, up to 5874897-12-31 for dates and, for timestamps, the end
// of 294246 (PostgreSQL reaches 294276, but Eddy counts microseconds from
// 1970 rather than 2000 in the same int64).
var (
	minDate          = civilDays(-4713, 11, 24)
	maxDate          = civilDays(5874897, 12, 31)
	maxTimestampDays = civilDays(294247, 1, 1) - 1
	minTimestamp     = minDate * microsPerDay
	maxTimestamp     = (maxTimestampDays+1)*microsPerDay - 1
)

const (
	microsPerSecond = 1_000_000
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// civilDays is the number of days from 1970-01-01 to the given proleptic
// Gregorian date (astronomical year numbering: 0 is 1 BC).
func civilDays(year, month, day int64) int64 {
	// Howard Hinnant's days_from_civil.
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 && year%400 != 0 {
		era--
	}
	yoe := year - era*400
	mp := (month + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysInMonth(year, month int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DecodeText parses s as PostgreSQL's text input for t. It accepts the
// common input forms of each type: what PostgreSQL prints, what drivers
// send, and the usual hand-written variants.
func DecodeText(t types.T, s string) (types.Datum, error) {
	switch t.Kind {
	case types.KindBool:
		return parseBool(s)
	case types.KindInt16, types.KindInt32, types.KindInt64:
		return parseInt(t, s)
	case types.KindFloat32, types.KindFloat64:
		return parseFloat(t, s)
	case types.KindNumeric:
		return parseNumeric(s)
	case types.KindText, types.KindVarchar, types.KindChar, types.KindUnknown:
		return s, nil
	case types.KindBytea:
		return parseBytea(s)
	case types.KindDate:
		return parseDate(s)
	case types.KindTimestamp, types.KindTimestampTZ:
		return parseTimestamp(t, s)
	case types.KindInterval:
		return parseInterval(s)
	}
	return nil, pgerror.Unsupported("text input for type %s is not supported", t)
}

func invalidInput(t types.T, s string) *pgerror.Error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type %s: %q", t, s)
}

func trimSpace(s string) string {
	return strings.Trim(s, " \t\n\r\v\f")
}

func parseBool(s string) (types.Datum, error) {
	v := strings.ToLower(trimSpace(s))
	// As PostgreSQL, any unambiguous prefix of the words is accepted.
	prefixOf := func(word string, min int) bool {
		return len(v) >= min && len(v) <= len(word) && word[:len(v)] == v
	}
	switch {
	case v == "1", prefixOf("true", 1), prefixOf("yes", 1), prefixOf("on", 2):
		return true, nil
	case v == "0", prefixOf("false", 1), prefixOf("no", 1), prefixOf("off", 2):
		return false, nil
	}
	return nil, invalidInput(types.Bool, s)
}

// parseInt accepts an optional sign, decimal digits or a 0x/0o/0b prefixed
// number, with single underscores between digits (PostgreSQL 16 syntax).
func parseInt(t types.T, s string) (types.Datum, error) {
	v := trimSpace(s)
	neg := false
	if v != "" && (v[0] == '+' || v[0] == '-') {
		neg = v[0] == '-'
		v = v[1:]
	}
	base := 10
	if len(v) > 2 && v[0] == '0' {
		switch v[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 10 {
			v = v[2:]
		}
	}
	digits, ok := stripUnderscores(v)
	if !ok {
		return nil, invalidInput(t, s)
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, outOfRange(t, s)
		}
		return nil, invalidInput(t, s)
	}
	lo, hi := t.IntRange()
	var n int64
	switch {
	case neg && u == uint64(1)<<63:
		n = math.MinInt64
	case u > math.MaxInt64:
		return nil, outOfRange(t, s)
	case neg:
		n = -int64(u)
	default:
		n = int64(u)
	}
	if n < lo || n > hi {
		return nil, outOfRange(t, s)
	}
	return n, nil
}

func outOfRange(t types.T, s string) *pgerror.Error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value %q is out of range for type %s", s, t)
}

// stripUnderscores removes single underscores between digits and reports
// whether the placement was valid.
func stripUnderscores(v string) (string, bool) {
	if v == "" || v[0] == '_' || v[len(v)-1] == '_' || strings.Contains(v, "__") {
		return "", false
	}
	if !strings.Contains(v, "_") {
		return v, true
	}
	return strings.ReplaceAll(v, "_", ""), true
}

func parseFloat(t types.T, s string) (types.Datum, error) {
	v := trimSpace(s)
	bits := 64
	if t.Kind == types.KindFloat32 {
		bits = 32
	}
	switch strings.ToLower(v) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	if !isDecimalNumber(v) {
		return nil, invalidInput(t, s)
	}
	f, err := strconv.ParseFloat(v, bits)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "%q is out of range for type %s", s, t)
		}
		return nil, invalidInput(t, s)
	}
	return f, nil
}

// isDecimalNumber matches [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?,
// the number syntax shared by float and numeric input (Go's parsers also
// take hex floats, underscores and a NaN payload, which PostgreSQL does not).
func isDecimalNumber(v string) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	digits := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
		digits++
	}
	if i < len(v) && v[i] == '.' {
		i++
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(v)
}

func parseNumeric(s string) (types.Datum, error) {
	v := trimSpace(s)
	switch strings.ToLower(v) {
	case "nan":
		return &apd.Decimal{Form: apd.NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return &apd.Decimal{Form: apd.Infinite}, nil
	case "-infinity", "-inf":
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	if !isDecimalNumber(v) {
		return nil, invalidInput(types.Numeric, s)
	}
	d, _, err := apd.NewFromString(v)
	if err != nil {
		// Only an exponent beyond int32 gets here.
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	if err := checkNumericRange(d); err != nil {
		return nil, err
	}
	if d.Exponent > 0 {
		// PostgreSQL keeps no negative scale: 1.5e3 is 1500, scale 0.
		var c apd.BigInt
		c.Exp(apd.NewBigInt(10), apd.NewBigInt(int64(d.Exponent)), nil)
		d.Coeff.Mul(&d.Coeff, &c)
		d.Exponent = 0
	}
	if d.Coeff.Sign() == 0 {
		d.Negative = false
	}
	return d, nil
}

func parseBytea(s string) (types.Datum, error) {
	if strings.HasPrefix(s, `\x`) || strings.HasPrefix(s, `\X`) {
		out := make([]byte, 0, (len(s)-2)/2)
		for i := 2; i < len(s); {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			if i+1 >= len(s) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			hi, ok1 := unhex(c)
			lo, ok2 := unhex(s[i+1])
			if !ok1 || !ok2 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit: %q", s[i:i+2])
			}
			out = append(out, hi<<4|lo)
			i += 2
		}
		return out, nil
	}
	// The traditional escape format: \\ is a backslash, \ooo an octal byte.
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, invalidInput(types.Bytea, s)
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// dateTime is a parsed date and time of day before conversion.
type dateTime struct {
	days   int64 // since 1970-01-01
	micros int64 // time of day, may reach 24:00:00 (and a leap second)
	// offset is the zone offset in seconds east of UTC, if hasZone.
	offset  int64
	hasZone bool
	hasTime bool
}

func parseDate(s string) (types.Datum, error) {
	dt, err := parseDateTime(s, types.DateType)
	if err != nil {
		return nil, err
	}
	if dt.days < minDate || dt.days > maxDate {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: %q", s)
	}
	return types.Date(dt.days), nil
}

func parseTimestamp(t types.T, s string) (types.Datum, error) {
	dt, err := parseDateTime(s, t)
	if err != nil {
		return nil, err
	}
	if dt.days < minDate || dt.days > maxTimestampDays {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: %q", s)
	}
	us := dt.days*microsPerDay + dt.micros
	if t.Kind == types.KindTimestampTZ && dt.hasZone {
		us -= dt.offset * microsPerSecond
	}
	// A timestamp without time zone ignores a zone in its input, as
	// PostgreSQL does; with time zone and none given, the session's
	// TimeZone applies, which pgwire takes to be UTC.
	if us < minTimestamp || us > maxTimestamp {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: %q", s)
	}
	return types.Timestamp(us), nil
}

// parseDateTime parses ISO 8601 style input:
//
//	YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][zone][ BC|AD]
//
// zone is Z, UTC, GMT or [+-]HH[[:]MM[[:]SS]], optionally after a space.
// "epoch" is 1970-01-01 00:00:00.
func parseDateTime(s string, t types.T) (dateTime, error) {
	v := trimSpace(s)
	bad := func() (dateTime, error) {
		return dateTime{}, pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type %s: %q", t, s)
	}
	outOfRange := func() (dateTime, error) {
		return dateTime{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: %q", s)
	}
	switch strings.ToLower(v) {
	case "epoch":
		return dateTime{hasZone: true}, nil
	case "infinity", "+infinity", "-infinity":
		return dateTime{}, pgerror.Unsupported("%s is not supported for type %s", strings.ToLower(v), t)
	}
	bc := false
	if n := len(v); n >= 3 && v[n-3] == ' ' {
		switch strings.ToUpper(v[n-2:]) {
		case "BC":
			bc = true
			v = trimSpace(v[:n-3])
		case "AD":
			v = trimSpace(v[:n-3])
		}
	}
	p := dtParser{s: v}
	year, ok := p.number(1, 7)
	if !ok || !p.consume('-') {
		return bad()
	}
	month, ok := p.number(1, 2)
	if !ok || !p.consume('-') {
		return bad()
	}
	day, ok := p.number(1, 2)
	if !ok {
		return bad()
	}
	if year == 0 || month < 1 || month > 12 {
		return outOfRange()
	}
	if bc {
		year = 1 - year
	}
	if day < 1 || day > daysInMonth(year, month) {
		return outOfRange()
	}
	dt := dateTime{days: civilDays(year, month, day)}

	if p.done() {
		return dt, nil
	}
	if p.peek() == 'T' || p.peek() == 't' || p.peek() == ' ' {
		p.i++
		p.skipSpaces()
	}
	if !p.done() && p.isDigit() {
		hour, ok := p.number(1, 2)
		if !ok || !p.consume(':') {
			return bad()
		}
		minute, ok := p.number(2, 2)
		if !ok {
			return bad()
		}
		var second, frac int64
		if p.consume(':') {
			if second, ok = p.number(2, 2); !ok {
				return bad()
			}
			if p.consume('.') {
				if frac, ok = p.fraction(); !ok {
					return bad()
				}
			}
		}
		if hour > 24 || minute > 59 || second > 60 || hour == 24 && (minute > 0 || second > 0 || frac > 0) {
			return outOfRange()
		}
		dt.hasTime = true
		dt.micros = hour*microsPerHour + minute*microsPerMinute + second*microsPerSecond + frac
	}
	p.skipSpaces()
	if !p.done() {
		offset, ok := p.zone()
		if !ok || !p.done() {
			return bad()
		}
		dt.offset, dt.hasZone = offset, true
	}
	return dt, nil
}

// dtParser walks date/time input.
type dtParser struct {
	s string
	i int
}

func (p *dtParser) done() bool    { return p.i >= len(p.s) }
func (p *dtParser) peek() byte    { return p.s[p.i] }
func (p *dtParser) isDigit() bool { return p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' }

func (p *dtParser) consume(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *dtParser) skipSpaces() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// number reads between min and max decimal digits.
func (p *dtParser) number(min, max int) (int64, bool) {
	start := p.i
	var n int64
	for p.isDigit() && p.i-start < max {
		n = n*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	if p.i-start < min || p.isDigit() {
		return 0, false
	}
	return n, true
}

// fraction reads the digits after a decimal point as microseconds, rounded
// half up as PostgreSQL rounds extra precision.
func (p *dtParser) fraction() (int64, bool) {
	start := p.i
	var us int64
	digits := 0
	roundUp := false
	for p.isDigit() {
		d := int64(p.s[p.i] - '0')
		switch {
		case digits < 6:
			us = us*10 + d
		case digits == 6:
			roundUp = d >= 5
		}
		digits++
		p.i++
	}
	if p.i == start {
		return 0, false
	}
	for n := digits; n < 6; n++ {
		us *= 10
	}
	if roundUp {
		us++
	}
	return us, true
}

// zone reads Z, UTC, GMT or a numeric offset, in seconds east of UTC.
func (p *dtParser) zone() (int64, bool) {
	rest := strings.ToUpper(p.s[p.i:])
	for _, name := range []string{"UTC", "GMT", "Z"} {
		if rest == name {
			p.i = len(p.s)
			return 0, true
		}
	}
	if p.done() || p.peek() != '+' && p.peek() != '-' {
		return 0, false
	}
	sign := int64(1)
	if p.peek() == '-' {
		sign = -1
	}
	p.i++
	hours, ok := p.number(1, 2)
	if !ok {
		return 0, false
	}
	var minutes, seconds int64
	if p.consume(':') || p.isDigit() {
		if minutes, ok = p.number(2, 2); !ok {
			return 0, false
		}
		if p.consume(':') || p.isDigit() {
			if seconds, ok = p.number(2, 2); !ok {
				return 0, false
			}
		}
	}
	if hours > 15 || minutes > 59 || seconds > 59 {
		return 0, false
	}
	return sign * (hours*3600 + minutes*60 + seconds), true
}

// intervalUnit is what one unit word contributes per unit.
type intervalUnit struct {
	months int64
	days   int64
	micros int64
}

var intervalUnits = func() map[string]intervalUnit {
	m := map[string]intervalUnit{}
	add := func(u intervalUnit, names ...string) {
		for _, n := range names {
			m[n] = u
		}
	}
	add(intervalUnit{micros: 1}, "microsecond", "microseconds", "us", "usec", "usecs", "useconds")
	add(intervalUnit{micros: 1000}, "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds")
	add(intervalUnit{micros: microsPerSecond}, "second", "seconds", "s", "sec", "secs")
	add(intervalUnit{micros: microsPerMinute}, "minute", "minutes", "m", "min", "mins")
	add(intervalUnit{micros: microsPerHour}, "hour", "hours", "h", "hr", "hrs")
	add(intervalUnit{days: 1}, "day", "days", "d")
	add(intervalUnit{days: 7}, "week", "weeks", "w")
	add(intervalUnit{months: 1}, "month", "months", "mon", "mons")
	add(intervalUnit{months: 12}, "year", "years", "y", "yr", "yrs")
	add(intervalUnit{months: 120}, "decade", "decades", "dec", "decs")
	add(intervalUnit{months: 1200}, "century", "centuries", "c", "cent")
	add(intervalUnit{months: 12000}, "millennium", "millennia", "millenniums", "mil", "mils")
	return m
}()

// intervalAcc accumulates an interval exactly, noting any overflow.
type intervalAcc struct {
	months, days, micros int64
	overflow             bool
}

// parseInterval parses PostgreSQL's interval input: "1 year 2 mons 3 days
// 04:05:06.7", "-1 days +02:00:00", "@ 1 hour ago", "1.5 hours", "3 weeks",
// SQL standard "1-2" and "1 2:03:04", and ISO 8601 "P1Y2M3DT4H5M6S".
func parseInterval(s string) (types.Datum, error) {
	v := strings.ToLower(trimSpace(s))
	var acc intervalAcc
	var ok bool
	if strings.HasPrefix(v, "p") || strings.HasPrefix(v, "-p") {
		ok = acc.iso8601(v)
	} else {
		ok = acc.postgres(v)
	}
	if !ok {
		return nil, pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type interval: %q", s)
	}
	if acc.overflow || acc.months != int64(int32(acc.months)) || acc.days != int64(int32(acc.days)) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval field value out of range: %q", s)
	}
	return types.Interval{Months: int32(acc.months), Days: int32(acc.days), Micros: acc.micros}, nil
}

// intervalNumber splits a decimal number of an interval field into its
// integer part and signed fraction.
func intervalNumber(num string) (whole int64, frac float64, ok bool) {
	if num == "" || strings.ContainsAny(num, "eE") || !isDecimalNumber(num) {
		return 0, 0, false
	}
	neg := num[0] == '-'
	digits := strings.TrimLeft(num, "+-")
	intPart, fracPart, _ := strings.Cut(digits, ".")
	if intPart != "" {
		u, err := strconv.ParseUint(intPart, 10, 63)
		if err != nil {
			return 0, 0, false
		}
		whole = int64(u)
	}
	if fracPart != "" {
		frac, _ = strconv.ParseFloat("0."+fracPart, 64)
	}
	if neg {
		whole, frac = -whole, -frac
	}
	return whole, frac, true
}

func (a *intervalAcc) addChecked(dst *int64, x, factor int64) {
	if a.overflow {
		return
	}
	hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(factor)))
	if hi != 0 || lo > math.MaxInt64 {
		a.overflow = true
		return
	}
	p := int64(lo)
	if (x < 0) != (factor < 0) {
		p = -p
	}
	sum := *dst + p
	if (p > 0 && sum < *dst) || (p < 0 && sum > *dst) {
		a.overflow = true
		return
	}
	*dst = sum
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// add adds whole+frac units of u. Fractions cascade down as in PostgreSQL:
// a fraction of a month is 30 days and a fraction of a day 24 hours; years
// and longer round to whole months.
func (a *intervalAcc) add(whole int64, frac float64, u intervalUnit) {
	switch {
	case u.months >= 12:
		a.addChecked(&a.months, whole, u.months)
		a.addChecked(&a.months, int64(math.Round(frac*float64(u.months))), 1)
	case u.months > 0:
		a.addChecked(&a.months, whole, u.months)
		a.addFractionalDays(frac * 30 * float64(u.months))
	case u.days > 0:
		a.addChecked(&a.days, whole, u.days)
		a.addFractionalDays(frac * float64(u.days))
	default:
		a.addChecked(&a.micros, whole, u.micros)
		a.addChecked(&a.micros, int64(math.Round(frac*float64(u.micros))), 1)
	}
}

func (a *intervalAcc) addFractionalDays(days float64) {
	whole := math.Trunc(days)
	a.addChecked(&a.days, int64(whole), 1)
	a.addChecked(&a.micros, int64(math.Round((days-whole)*microsPerDay)), 1)
}

func (a *intervalAcc) postgres(v string) bool {
	v = strings.TrimPrefix(v, "@")
	fields := strings.Fields(v)
	ago := false
	if n := len(fields); n > 0 && fields[n-1] == "ago" {
		ago, fields = true, fields[:n-1]
	}
	if len(fields) == 0 {
		return false
	}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch {
		case strings.Contains(f, ":"):
			us, ok := parseClock(f)
			if !ok {
				return false
			}
			a.addChecked(&a.micros, us, 1)
		case isYearMonth(f):
			neg := f[0] == '-'
			parts := strings.SplitN(strings.TrimLeft(f, "+-"), "-", 2)
			y, err1 := strconv.ParseInt(parts[0], 10, 32)
			m, err2 := strconv.ParseInt(parts[1], 10, 32)
			if err1 != nil || err2 != nil || m > 11 {
				return false
			}
			months := y*12 + m
			if neg {
				months = -months
			}
			a.addChecked(&a.months, months, 1)
		default:
			num, unit := splitNumberUnit(f)
			whole, frac, ok := intervalNumber(num)
			if !ok {
				return false
			}
			if unit == "" && i+1 < len(fields) {
				if u, known := intervalUnits[fields[i+1]]; known {
					a.add(whole, frac, u)
					i++
					continue
				}
				if strings.Contains(fields[i+1], ":") {
					// SQL standard "D H:M:S": a bare number before a time is days.
					a.add(whole, frac, intervalUnit{days: 1})
					continue
				}
				return false
			}
			if unit == "" {
				a.add(whole, frac, intervalUnit{micros: microsPerSecond})
				continue
			}
			u, known := intervalUnits[unit]
			if !known {
				return false
			}
			a.add(whole, frac, u)
		}
	}
	if ago {
		a.negate()
	}
	return true
}

// isYearMonth matches SQL standard [+-]Y-M.
func isYearMonth(f string) bool {
	g := strings.TrimLeft(f, "+-")
	if len(f)-len(g) > 1 {
		return false
	}
	i := strings.IndexByte(g, '-')
	if i <= 0 || i == len(g)-1 {
		return false
	}
	for j := 0; j < len(g); j++ {
		if j != i && (g[j] < '0' || g[j] > '9') {
			return false
		}
	}
	return true
}

// splitNumberUnit splits "10min" into "10" and "min".
func splitNumberUnit(f string) (string, string) {
	i := 0
	for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.' || f[i] == '-' || f[i] == '+' ||
		(f[i] == 'e' && i+1 < len(f) && (f[i+1] >= '0' && f[i+1] <= '9' || f[i+1] == '-' || f[i+1] == '+'))) {
		i++
	}
	return f[:i], f[i:]
}

// parseClock parses [+-]H:MM[:SS[.fraction]] into microseconds.
func parseClock(f string) (int64, bool) {
	neg := false
	if f != "" && (f[0] == '-' || f[0] == '+') {
		neg = f[0] == '-'
		f = f[1:]
	}
	parts := strings.Split(f, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	hours, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || parts[0] == "" || parts[0][0] == '+' || parts[0][0] == '-' || hours > math.MaxInt64/microsPerHour-1 {
		return 0, false
	}
	minutes, err := strconv.ParseUint(parts[1], 10, 8)
	if err != nil || len(parts[1]) != 2 || minutes > 59 {
		return 0, false
	}
	us := hours*microsPerHour + int64(minutes)*microsPerMinute
	if len(parts) == 3 {
		p := dtParser{s: parts[2]}
		sec, ok := p.number(2, 2)
		if !ok || sec > 59 {
			return 0, false
		}
		us += sec * microsPerSecond
		if p.consume('.') {
			frac, ok := p.fraction()
			if !ok {
				return 0, false
			}
			us += frac
		}
		if !p.done() {
			return 0, false
		}
	}
	if neg {
		us = -us
	}
	return us, true
}

// iso8601 parses P[nY][nM][nW][nD][T[nH][nM][nS]].
func (a *intervalAcc) iso8601(v string) bool {
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "p")
	if v == "" {
		return false
	}
	inTime := false
	for v != "" {
		if v[0] == 't' {
			if inTime {
				return false
			}
			inTime = true
			v = v[1:]
			continue
		}
		num, rest := splitNumberUnit(v)
		whole, frac, ok := intervalNumber(num)
		if !ok || rest == "" {
			return false
		}
		var u intervalUnit
		switch rest[0] {
		case 'y':
			u = intervalUnit{months: 12}
		case 'm':
			if inTime {
				u = intervalUnit{micros: microsPerMinute}
			} else {
				u = intervalUnit{months: 1}
			}
		case 'w':
			u = intervalUnit{days: 7}
		case 'd':
			u = intervalUnit{days: 1}
		case 'h':
			u = intervalUnit{micros: microsPerHour}
		case 's':
			u = intervalUnit{micros: microsPerSecond}
		default:
			return false
		}
		if inTime != (rest[0] == 'h' || rest[0] == 's' || rest[0] == 'm' && inTime) {
			return false
		}
		a.add(whole, frac, u)
		v = rest[1:]
	}
	if neg {
		a.negate()
	}
	return true
}

func (a *intervalAcc) negate() {
	if a.micros == math.MinInt64 {
		a.overflow = true
	}
	a.months, a.days, a.micros = -a.months, -a.days, -a.micros
}
