package types

import (
	"strings"
	"time"
)

// FormatTextIn is FormatText with the session's TimeZone: a timestamptz is
// printed as wall-clock time in loc followed by its offset in PostgreSQL's
// form (+01, +05:30, -04:56:02). A nil loc is UTC.
func FormatTextIn(t T, d Datum, loc *time.Location) string {
	if ts, ok := d.(Timestamp); ok && t.Kind == KindTimestampTZ && loc != nil && loc != time.UTC {
		return formatTimestampTZ(ts, loc)
	}
	return FormatText(t, d)
}

// AppendTextIn appends FormatTextIn's result to buf.
func AppendTextIn(buf []byte, t T, d Datum, loc *time.Location) []byte {
	return append(buf, FormatTextIn(t, d, loc)...)
}

func formatTimestampTZ(ts Timestamp, loc *time.Location) string {
	if ts == TimestampPosInfinity || ts == TimestampNegInfinity {
		return formatTimestamp(ts)
	}
	off := ZoneOffset(ts, loc)
	s := formatTimestamp(Timestamp(int64(ts) + off*MicrosPerSecond))
	zone := FormatOffset(off)
	if strings.HasSuffix(s, " BC") {
		return s[:len(s)-3] + zone + " BC"
	}
	return s + zone
}

// FormatOffset prints seconds east of UTC as PostgreSQL prints a
// timestamptz's offset: +HH, +HH:MM or +HH:MM:SS.
func FormatOffset(east int64) string {
	if east < 0 {
		return "-" + formatHMS(-east)
	}
	return "+" + formatHMS(east)
}

// ParseTextIn is ParseText with the session's TimeZone, which timestamptz
// input without an explicit zone and 'today' read. A nil loc is UTC.
func ParseTextIn(t T, s string, loc *time.Location) (Datum, error) {
	if loc == nil || loc == time.UTC {
		return ParseText(t, s)
	}
	switch t.Kind {
	case KindTimestamp, KindTimestampTZ:
		return ParseTimestampIn(t, s, loc)
	case KindDate:
		return parseDateIn(s, loc)
	}
	return ParseText(t, s)
}

// ZoneDependentCast reports whether casting from one type to another reads
// the session's TimeZone: those are the casts PostgreSQL marks stable
// rather than immutable (timestamptz to and from text, timestamp, date and
// time).
func ZoneDependentCast(from, to T) bool {
	switch {
	case from.Kind == KindTimestampTZ && to.Kind == KindTimestampTZ:
		return false
	case to.Kind == KindTimestampTZ:
		switch from.Kind {
		case KindTimestamp, KindDate, KindUnknown:
			return true
		}
		return from.IsString()
	case from.Kind == KindTimestampTZ:
		switch to.Kind {
		case KindTimestamp, KindDate, KindTime, KindUnknown:
			return true
		}
		return to.IsString()
	}
	return false
}

// AbsoluteTimestampLiteral reports whether the timestamptz literal s names
// the same instant in every TimeZone: it carries an offset or zone, or is
// infinity, epoch or now. Other literals are read when the statement runs.
func AbsoluteTimestampLiteral(s string) bool {
	f, err := parseDateTime(TimestampTZ, s, time.UTC)
	if err != nil {
		return true // the error does not depend on the zone either
	}
	return f.special != 0 || f.hasTZ
}

// CastIn is Cast with the session's TimeZone for the casts that read it
// (ZoneDependentCast). A nil loc is UTC.
func CastIn(d Datum, from, to T, loc *time.Location) (Datum, error) {
	return castIn(d, from, to, loc, true)
}

// CastAssignIn is CastAssign with the session's TimeZone.
func CastAssignIn(d Datum, from, to T, loc *time.Location) (Datum, error) {
	return castIn(d, from, to, loc, false)
}

func castIn(d Datum, from, to T, loc *time.Location, explicit bool) (Datum, error) {
	if d == nil || loc == nil || loc == time.UTC || !ZoneDependentCast(from, to) {
		return cast(d, from, to, explicit)
	}
	if to.Kind == KindTimestampTZ {
		switch x := d.(type) {
		case string:
			if from.Kind == KindChar {
				x = strings.TrimRight(x, " ")
			}
			return ParseTimestampIn(to, x, loc)
		case Timestamp: // from timestamp: wall-clock time in loc
			return LocalToUTC(x, loc), nil
		case Date:
			switch x {
			case DatePosInfinity:
				return TimestampPosInfinity, nil
			case DateNegInfinity:
				return TimestampNegInfinity, nil
			}
			return LocalToUTC(Timestamp(int64(x)*MicrosPerDay), loc), nil
		}
		return cast(d, from, to, explicit)
	}
	ts, ok := d.(Timestamp)
	if !ok {
		return cast(d, from, to, explicit)
	}
	if to.IsString() || to.Kind == KindUnknown {
		return fitString(to, formatTimestampTZ(ts, loc), explicit)
	}
	// timestamp, date and time: the wall-clock time in loc.
	return cast(UTCToLocal(ts, loc), TimestampType, to, explicit)
}
