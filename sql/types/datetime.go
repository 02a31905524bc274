package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Infinite dates and timestamps are kept at the extremes of their ranges,
// where PostgreSQL keeps them too, so that they sort first and last.
const (
	DateNegInfinity      Date      = math.MinInt32
	DatePosInfinity      Date      = math.MaxInt32
	TimestampNegInfinity Timestamp = math.MinInt64
	TimestampPosInfinity Timestamp = math.MaxInt64
)

const (
	MicrosPerSecond = 1_000_000
	MicrosPerMinute = 60 * MicrosPerSecond
	MicrosPerHour   = 60 * MicrosPerMinute
	MicrosPerDay    = 24 * MicrosPerHour
)

// maxTimestampDays is the last day of the last whole year whose every
// microsecond fits a Timestamp (294246-12-31); pgwire's binary range ends
// there too.
var maxTimestampDays = DaysFromCivil(294247, 1, 1) - 1

// DaysFromCivil is the number of days from 1970-01-01 to the proleptic
// Gregorian date y-m-d, with year 0 being 1 BC.
func DaysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// CivilFromDays inverts DaysFromCivil.
func CivilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// DaysInMonth is the number of days of month m of year y (astronomical).
func DaysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

type dateTimeFields struct {
	y, m, d       int64
	micros        int64 // time of day
	hasTZ         bool
	offsetSeconds int64
	// zone is a named zone given in the value ('… America/New_York'),
	// whose offset depends on the date; hasTZ is set with it.
	zone    *time.Location
	special int // -1 -infinity, +1 infinity
}

// ParseDate is date's input function.
func ParseDate(s string) (Datum, error) { return parseDateIn(s, time.UTC) }

func parseDateIn(s string, loc *time.Location) (Datum, error) {
	f, err := parseDateTime(DateType, s, loc)
	if err != nil {
		return nil, err
	}
	switch f.special {
	case 1:
		return DatePosInfinity, nil
	case -1:
		return DateNegInfinity, nil
	}
	return Date(DaysFromCivil(f.y, f.m, f.d)), nil
}

// ParseTimestamp is the input function of timestamp and timestamptz. A
// timestamptz without an explicit zone is read in UTC; timestamp ignores
// any zone given.
func ParseTimestamp(t T, s string) (Datum, error) { return ParseTimestampIn(t, s, time.UTC) }

// ParseTimestampIn is ParseTimestamp with the session's TimeZone: a
// timestamptz without an explicit zone is wall-clock time in loc.
func ParseTimestampIn(t T, s string, loc *time.Location) (Datum, error) {
	if loc == nil {
		loc = time.UTC
	}
	f, err := parseDateTime(t, s, loc)
	if err != nil {
		return nil, err
	}
	switch f.special {
	case 1:
		return TimestampPosInfinity, nil
	case -1:
		return TimestampNegInfinity, nil
	}
	us := DaysFromCivil(f.y, f.m, f.d)*MicrosPerDay + f.micros
	if t.Kind != KindTimestampTZ {
		return Timestamp(us), nil
	}
	switch {
	case f.zone != nil:
		return LocalToUTC(Timestamp(us), f.zone), nil
	case f.hasTZ:
		return Timestamp(us - f.offsetSeconds*MicrosPerSecond), nil
	}
	return LocalToUTC(Timestamp(us), loc), nil
}

func parseDateTime(t T, s string, loc *time.Location) (f dateTimeFields, err error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "infinity", "+infinity":
		f.special = 1
		return f, nil
	case "-infinity":
		f.special = -1
		return f, nil
	case "epoch":
		f.y, f.m, f.d = 1970, 1, 1
		f.hasTZ = true
		return f, nil
	case "now", "today", "tomorrow", "yesterday":
		now := time.Now().In(loc)
		f.y, f.m, f.d = int64(now.Year()), int64(now.Month()), int64(now.Day())
		switch v {
		case "now":
			_, off := now.Zone()
			f.hasTZ, f.offsetSeconds = true, int64(off)
			f.micros = int64(now.Hour())*MicrosPerHour + int64(now.Minute())*MicrosPerMinute +
				int64(now.Second())*MicrosPerSecond + int64(now.Nanosecond()/1000)
		case "tomorrow", "yesterday":
			days := DaysFromCivil(f.y, f.m, f.d) + 1
			if v == "yesterday" {
				days -= 2
			}
			f.y, f.m, f.d = CivilFromDays(days)
		}
		return f, nil
	}
	bad := func() (dateTimeFields, error) { return f, errInvalidSyntax(t, s) }
	bc := false
	if strings.HasSuffix(v, " bc") {
		bc, v = true, strings.TrimSpace(v[:len(v)-3])
	} else if strings.HasSuffix(v, " ad") {
		v = strings.TrimSpace(v[:len(v)-3])
	}
	// Split the date from the rest at the first space or 'T'.
	datePart, rest := v, ""
	if i := strings.IndexAny(v, " t"); i >= 0 {
		datePart, rest = v[:i], strings.TrimSpace(v[i+1:])
	}
	if y, m, d, r, ok := textualMonthDate(v); ok {
		f.y, f.m, f.d, rest = y, m, d, r
	} else {
		switch {
		case strings.Count(datePart, "-") == 2:
			p := strings.Split(datePart, "-")
			if len(p[0]) < 3 && len(p[2]) >= 3 { // MM-DD-YYYY
				p[0], p[1], p[2] = p[2], p[0], p[1]
			}
			if f.y, f.m, f.d, err = atoi3(p[0], p[1], p[2]); err != nil {
				return bad()
			}
		case strings.Count(datePart, "/") == 2:
			p := strings.Split(datePart, "/")
			if len(p[0]) >= 3 { // YYYY/MM/DD
				f.y, f.m, f.d, err = atoi3(p[0], p[1], p[2])
			} else { // MDY
				f.y, f.m, f.d, err = atoi3(p[2], p[0], p[1])
			}
			if err != nil {
				return bad()
			}
		case len(datePart) == 8 && allDigits(datePart):
			if f.y, f.m, f.d, err = atoi3(datePart[:4], datePart[4:6], datePart[6:]); err != nil {
				return bad()
			}
		default:
			return bad()
		}
	}
	if f.y == 0 {
		return f, errFieldOverflow(s)
	}
	if bc {
		f.y = 1 - f.y
	}
	if f.m < 1 || f.m > 12 || f.d < 1 || f.d > DaysInMonth(f.y, f.m) || f.y < -4713 {
		return f, errFieldOverflow(s)
	}
	// date reaches 5874897 AD; timestamp as far as its microseconds since
	// 1970 hold, a little short of PostgreSQL's 294276 AD.
	switch {
	case t.Kind == KindDate && f.y > 5874897:
		return f, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: %q", s)
	case t.Kind != KindDate && DaysFromCivil(f.y, f.m, f.d) > maxTimestampDays:
		return f, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: %q", s)
	}
	if rest == "" {
		return f, nil
	}
	// Time of day, then an optional zone, possibly glued to the time.
	timePart, zone := rest, ""
	if i := strings.IndexAny(rest, "+-z "); i >= 0 {
		timePart, zone = rest[:i], strings.TrimSpace(rest[i:])
	} else if i := strings.IndexFunc(rest, func(r rune) bool { return r >= 'a' && r <= 'z' }); i >= 0 {
		timePart, zone = rest[:i], rest[i:]
	}
	if t.Kind == KindDate && timePart == "" {
		return bad()
	}
	us, ok := parseClock(timePart, false)
	if !ok {
		return bad()
	}
	if us < 0 {
		return f, errFieldOverflow(s)
	}
	f.micros = us
	if zone != "" {
		off, ok := parseZone(zone)
		if !ok {
			z, named := LookupZone(zone)
			if !named {
				return bad()
			}
			f.zone = z
		}
		f.hasTZ, f.offsetSeconds = true, off
	}
	return f, nil
}

func atoi3(a, b, c string) (int64, int64, int64, error) {
	x, err := strconv.ParseInt(a, 10, 64)
	if err != nil || a == "" || !allDigits(a) {
		return 0, 0, 0, strconv.ErrSyntax
	}
	y, err := strconv.ParseInt(b, 10, 64)
	if err != nil || !allDigits(b) {
		return 0, 0, 0, strconv.ErrSyntax
	}
	z, err := strconv.ParseInt(c, 10, 64)
	if err != nil || !allDigits(c) {
		return 0, 0, 0, strconv.ErrSyntax
	}
	return x, y, z, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clockOverflow is parseClock's result for an interval's hours beyond
// int64 microseconds.
const clockOverflow = math.MinInt64

// parseClock reads H:M[:S[.frac]] into microseconds. With interval set the
// hours are unbounded; otherwise an out-of-range field returns -1, true.
func parseClock(s string, interval bool) (int64, bool) {
	p := strings.Split(s, ":")
	if len(p) < 2 || len(p) > 3 {
		return 0, false
	}
	if !allDigits(p[0]) || !allDigits(p[1]) {
		return 0, false
	}
	h, _ := strconv.ParseInt(p[0], 10, 64)
	m, _ := strconv.ParseInt(p[1], 10, 64)
	var sec, frac int64
	if len(p) == 3 {
		secStr, fracStr, hasFrac := strings.Cut(p[2], ".")
		if !allDigits(secStr) || (hasFrac && fracStr != "" && !allDigits(fracStr)) {
			return 0, false
		}
		sec, _ = strconv.ParseInt(secStr, 10, 64)
		if hasFrac && fracStr != "" {
			// Round to microseconds, halves to even as PostgreSQL's rint.
			fv, _ := strconv.ParseFloat("0."+fracStr, 64)
			frac = int64(math.RoundToEven(fv * 1e6))
		}
	}
	if m > 59 || sec > 60 || (!interval && (h > 24 || (h == 24 && (m > 0 || sec > 0 || frac > 0)))) {
		if interval {
			return 0, false
		}
		return -1, true
	}
	rest := m*MicrosPerMinute + sec*MicrosPerSecond + frac
	if h > (math.MaxInt64-rest)/MicrosPerHour {
		// Only an interval gets here: clockOverflow tells its caller.
		return clockOverflow, true
	}
	return h*MicrosPerHour + rest, true
}

// parseZone reads Z, UTC, GMT, +HH, +HH:MM, +HHMM into seconds east of UTC.
func parseZone(z string) (int64, bool) {
	switch z {
	case "z", "utc", "gmt", "zulu":
		return 0, true
	}
	if len(z) < 2 || (z[0] != '+' && z[0] != '-') {
		return 0, false
	}
	sign := int64(1)
	if z[0] == '-' {
		sign = -1
	}
	body := strings.ReplaceAll(z[1:], ":", "")
	if !allDigits(body) {
		return 0, false
	}
	var h, m, sec int64
	switch len(body) {
	case 1, 2:
		h, _ = strconv.ParseInt(body, 10, 64)
	case 4:
		h, _ = strconv.ParseInt(body[:2], 10, 64)
		m, _ = strconv.ParseInt(body[2:], 10, 64)
	case 6:
		h, _ = strconv.ParseInt(body[:2], 10, 64)
		m, _ = strconv.ParseInt(body[2:4], 10, 64)
		sec, _ = strconv.ParseInt(body[4:], 10, 64)
	default:
		return 0, false
	}
	if h > 15 || m > 59 || sec > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + sec), true
}

// ParseInterval is interval's input function: PostgreSQL's verbose form
// ("1 year 2 mons 3 days 04:05:06", "3 hours", "@ 1 day ago") and ISO 8601
// durations ("P1Y2M3DT4H5M6S").
func ParseInterval(s string) (Datum, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	bad := pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type interval: %q", s)
	if v == "" {
		return nil, bad
	}
	var acc intervalAcc
	if v[0] == 'p' {
		if !acc.parseISO(v[1:]) {
			return nil, bad
		}
		return acc.result(s)
	}
	v = strings.TrimPrefix(v, "@")
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return nil, bad
	}
	ago := false
	for i := 0; i < len(fields); i++ {
		tok := fields[i]
		if tok == "ago" && i == len(fields)-1 {
			ago = true
			continue
		}
		if strings.Contains(tok, ":") {
			sign := int64(1)
			if tok[0] == '-' || tok[0] == '+' {
				if tok[0] == '-' {
					sign = -1
				}
				tok = tok[1:]
			}
			us, ok := parseClock(tok, true)
			if !ok {
				return nil, bad
			}
			if us == clockOverflow {
				acc.overflow = true
				continue
			}
			acc.addMicrosInt(sign * us)
			continue
		}
		if y, m, ok := yearMonthToken(tok); ok {
			// SQL-standard years-months: 1-2 is 1 year 2 months.
			if m > 11 || m < -11 {
				return nil, pgerror.New(pgerror.IntervalFieldOverflow, "interval field value out of range: %q", s)
			}
			acc.addMonths(float64(y*12 + m))
			continue
		}
		// A number, with its unit glued on or as the next field.
		j := 0
		// PostgreSQL takes no exponent here: "1e3 seconds" is a syntax error.
		for j < len(tok) && (tok[j] == '-' || tok[j] == '+' || tok[j] == '.' || (tok[j] >= '0' && tok[j] <= '9')) {
			j++
		}
		num, unit := tok[:j], tok[j:]
		n, err := strconv.ParseFloat(num, 64)
		if err != nil || num == "" {
			return nil, bad
		}
		if unit == "" && i+1 < len(fields) && fields[i+1] != "ago" && !strings.ContainsAny(fields[i+1][:1], "0123456789+-.") {
			i++
			unit = fields[i]
		}
		if unit == "" && i+1 < len(fields) && strings.Contains(fields[i+1], ":") {
			// A bare number before a time of day counts days (1 02:00).
			unit = "days"
		}
		if unit == "" {
			unit = "second"
		}
		if exact, err := strconv.ParseInt(num, 10, 64); err == nil && isMicrosUnit(unit) {
			// Whole microseconds past 2^53 must not round through float64.
			acc.addMicrosInt(exact)
			continue
		}
		if !acc.add(n, unit) {
			return nil, bad
		}
	}
	if ago {
		if acc.micros == math.MinInt64 {
			acc.overflow = true
		}
		acc.months, acc.days, acc.micros = -acc.months, -acc.days, -acc.micros
	}
	return acc.result(s)
}

type intervalAcc struct {
	months, days, micros int64
	// overflow is set once any field leaves its range; result reports it.
	overflow bool
}

// addMicros adds a (rounded) count of microseconds, noting overflow
// rather than wrapping.
func (a *intervalAcc) addMicros(f float64) {
	f = math.RoundToEven(f)
	if math.IsNaN(f) || f >= 1<<63 || f < -(1<<63) {
		a.overflow = true
		return
	}
	a.addMicrosInt(int64(f))
}

func (a *intervalAcc) addMicrosInt(n int64) {
	sum := a.micros + n
	if (n > 0 && sum < a.micros) || (n < 0 && sum > a.micros) {
		a.overflow = true
		return
	}
	a.micros = sum
}

// addWhole adds n to *field, noting overflow of int64; result checks the
// narrower int32 ranges of months and days.
func (a *intervalAcc) addWhole(field *int64, n float64) {
	if n >= 1<<62 || n <= -(1<<62) || *field > 1<<62 || *field < -(1<<62) {
		a.overflow = true
		return
	}
	*field += int64(n)
}

func isMicrosUnit(unit string) bool {
	switch unit {
	case "microsecond", "microseconds", "us", "usec", "usecs", "microsecon":
		return true
	}
	return false
}

func (a *intervalAcc) add(n float64, unit string) bool {
	switch unit {
	case "microsecond", "microseconds", "us", "usec", "usecs", "microsecon":
		a.addMicros(n)
	case "millisecond", "milliseconds", "ms", "msec", "msecs":
		a.addMicros(n * 1000)
	case "second", "seconds", "s", "sec", "secs":
		a.addMicros(n * MicrosPerSecond)
	case "minute", "minutes", "m", "min", "mins":
		a.addMicros(n * MicrosPerMinute)
	case "hour", "hours", "h", "hr", "hrs":
		a.addMicros(n * MicrosPerHour)
	case "day", "days", "d":
		a.addDays(n)
	case "week", "weeks", "w":
		a.addDays(n * 7)
	case "month", "months", "mon", "mons":
		a.addMonths(n)
	case "year", "years", "y", "yr", "yrs":
		a.addMonths(n * 12)
	case "decade", "decades":
		a.addMonths(n * 120)
	case "century", "centuries", "c":
		a.addMonths(n * 1200)
	case "millennium", "millennia", "millenniums":
		a.addMonths(n * 12000)
	default:
		return false
	}
	return true
}

func (a *intervalAcc) addMonths(n float64) {
	whole := math.Trunc(n)
	a.addWhole(&a.months, whole)
	a.addDays((n - whole) * 30)
}

func (a *intervalAcc) addDays(n float64) {
	whole := math.Trunc(n)
	a.addWhole(&a.days, whole)
	a.addMicros((n - whole) * MicrosPerDay)
}

func (a *intervalAcc) parseISO(v string) bool {
	inTime := false
	for v != "" {
		if v[0] == 't' {
			inTime = true
			v = v[1:]
			continue
		}
		j := 0
		for j < len(v) && (v[j] == '-' || v[j] == '+' || v[j] == '.' || (v[j] >= '0' && v[j] <= '9')) {
			j++
		}
		if j == 0 || j == len(v) {
			return false
		}
		n, err := strconv.ParseFloat(v[:j], 64)
		if err != nil {
			return false
		}
		unit := v[j]
		v = v[j+1:]
		switch {
		case !inTime && unit == 'y':
			a.addMonths(n * 12)
		case !inTime && unit == 'm':
			a.addMonths(n)
		case !inTime && unit == 'w':
			a.addDays(n * 7)
		case !inTime && unit == 'd':
			a.addDays(n)
		case inTime && unit == 'h':
			a.add(n, "hour")
		case inTime && unit == 'm':
			a.add(n, "minute")
		case inTime && unit == 's':
			a.add(n, "second")
		default:
			return false
		}
	}
	return true
}

func (a *intervalAcc) result(s string) (Datum, error) {
	if a.overflow || a.months > math.MaxInt32 || a.months < math.MinInt32 || a.days > math.MaxInt32 || a.days < math.MinInt32 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval field value out of range: %q", s)
	}
	return Interval{Months: int32(a.months), Days: int32(a.days), Micros: a.micros}, nil
}

// textualMonthDate reads a date whose month is a name: "jan 15 2024",
// "january 15, 2024" or "15 january 2024" (v is lower case), and returns
// what follows it.
func textualMonthDate(v string) (y, m, d int64, rest string, ok bool) {
	toks := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	if len(toks) < 3 {
		return 0, 0, 0, "", false
	}
	var ds, ys string
	switch {
	case monthByName(toks[0]) > 0 && allDigits(toks[1]) && allDigits(toks[2]):
		m, ds, ys = monthByName(toks[0]), toks[1], toks[2]
	case allDigits(toks[0]) && monthByName(toks[1]) > 0 && allDigits(toks[2]):
		m, ds, ys = monthByName(toks[1]), toks[0], toks[2]
	default:
		return 0, 0, 0, "", false
	}
	if len(ds) > 2 { // "2024 jan 15": year first
		ds, ys = ys, ds
	}
	var err error
	if y, _, d, err = atoi3(ys, "1", ds); err != nil {
		return 0, 0, 0, "", false
	}
	return y, m, d, strings.Join(toks[3:], " "), true
}

// monthByName is 1–12 for a month's name, its three-letter abbreviation
// or "sept" (lower case), as PostgreSQL's date token table; else 0.
func monthByName(s string) int64 {
	if s == "sept" {
		return 9
	}
	for i, n := range []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"} {
		if s == n || s == n[:3] {
			return int64(i + 1)
		}
	}
	return 0
}

// yearMonthToken reads an interval's "Y-M" field ([+-]years-months); the
// sign applies to both.
func yearMonthToken(tok string) (y, m int64, ok bool) {
	sign := int64(1)
	if tok != "" && (tok[0] == '-' || tok[0] == '+') {
		if tok[0] == '-' {
			sign = -1
		}
		tok = tok[1:]
	}
	ys, ms, found := strings.Cut(tok, "-")
	if !found || ys == "" || ms == "" || !allDigits(ys) || !allDigits(ms) || len(ys) > 9 || len(ms) > 9 {
		return 0, 0, false
	}
	y, _ = strconv.ParseInt(ys, 10, 64)
	m, _ = strconv.ParseInt(ms, 10, 64)
	return sign * y, sign * m, true
}
