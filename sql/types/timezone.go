package types

// # Time zones
//
// A timestamptz is an absolute instant (microseconds since 1970-01-01 UTC);
// only its text form, its casts to and from timestamp, date and text, and
// the calendar functions (date_trunc, extract, timestamptz ± interval)
// depend on a time zone: the session's TimeZone, passed in as a
// *time.Location. This file resolves zone names the way PostgreSQL does:
//
//   - LoadTimeZone is the TimeZone setting (check_timezone): a number of
//     hours east of UTC ('+02', '-3.5', SQL's sign), an IANA name matched
//     case-insensitively ('america/new_york' is America/New_York), or a
//     POSIX TZ string ('UTC+2', 'EST5EDT', '<+05>-05'), whose offsets count
//     west of UTC, so 'UTC+2' is two hours behind UTC.
//   - LookupZone is a zone written in a value or given to AT TIME ZONE: also
//     the fixed-offset abbreviations of PostgreSQL's Default set ('PST',
//     'CEST'), but no bare number of hours.
//
// The returned Location's String() is the canonical name SHOW TimeZone
// prints. Conversions from local wall time to an instant follow PostgreSQL
// (DetermineTimeZoneOffset): a time skipped by a forward DST jump is read
// with the offset before the jump, a time repeated by a backward jump with
// the offset after it.

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

var zoneCache sync.Map // lower-case setting → *time.Location

// LoadTimeZone resolves a value of the TimeZone setting. ok is false for a
// name PostgreSQL would reject ("invalid value for parameter").
func LoadTimeZone(name string) (loc *time.Location, ok bool) {
	key := "set:" + name
	if l, hit := zoneCache.Load(key); hit {
		return l.(*time.Location), true
	}
	defer func() {
		if ok {
			zoneCache.Store(key, loc)
		}
	}()
	s := strings.TrimSpace(name)
	if hours, isNum := parseHours(s); isNum {
		return FixedZone(int64(hours * 3600)), true
	}
	return lookupNamedZone(s)
}

// LookupZone resolves a zone named in a datetime value or given to AT TIME
// ZONE / timezone(): an abbreviation with a fixed offset, an IANA name or a
// POSIX TZ string.
func LookupZone(name string) (*time.Location, bool) {
	key := "in:" + name
	if l, hit := zoneCache.Load(key); hit {
		return l.(*time.Location), true
	}
	lower := strings.ToLower(strings.TrimSpace(name))
	if off, ok := zoneAbbrevs[lower]; ok {
		l := time.FixedZone(strings.ToUpper(lower), off)
		zoneCache.Store(key, l)
		return l, true
	}
	l, ok := lookupNamedZone(strings.TrimSpace(name))
	if ok {
		zoneCache.Store(key, l)
	}
	return l, ok
}

// FixedZone is the zone secondsEast of UTC, named as PostgreSQL names a
// numeric TimeZone setting: "<+05:30>-05:30".
func FixedZone(secondsEast int64) *time.Location {
	abs := secondsEast
	sign, inv := "+", "-"
	if abs < 0 {
		abs, sign, inv = -abs, "-", "+"
	}
	off := formatHMS(abs)
	return time.FixedZone("<"+sign+off+">"+inv+off, int(secondsEast))
}

// formatHMS prints seconds as HH[:MM[:SS]], leaving out zero tails.
func formatHMS(abs int64) string {
	var b []byte
	b = appendTwo(b, abs/3600)
	if abs%3600 != 0 {
		b = append(b, ':')
		b = appendTwo(b, abs/60%60)
		if abs%60 != 0 {
			b = append(b, ':')
			b = appendTwo(b, abs%60)
		}
	}
	return string(b)
}

func appendTwo(b []byte, n int64) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, n, 10)
}

// parseHours reads a plain decimal number of hours, as strtod does in
// check_timezone (SQL's sign: positive is east of UTC).
func parseHours(s string) (float64, bool) {
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return 0, false
	}
	for _, c := range body {
		if (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f > 24*7 || f < -24*7 {
		return 0, false
	}
	return f, true
}

func lookupNamedZone(s string) (*time.Location, bool) {
	if s == "" || strings.Contains(s, "..") || strings.HasPrefix(s, "/") || strings.EqualFold(s, "local") ||
		strings.HasPrefix(strings.ToLower(s), "right/") || strings.EqualFold(s, "posixrules") {
		return nil, false
	}
	if canon, ok := canonicalZoneName(s); ok {
		if l, err := time.LoadLocation(canon); err == nil {
			return l, true
		}
	}
	return posixZone(s)
}

// canonicalZoneName finds the IANA name spelled s in any case.
func canonicalZoneName(s string) (string, bool) {
	if !validZoneChars(s) {
		return "", false
	}
	if _, err := time.LoadLocation(s); err == nil {
		return s, true
	}
	if n, ok := systemZoneNames()[strings.ToLower(s)]; ok {
		return n, true
	}
	// Without a zoneinfo directory to list (time/tzdata embedded only),
	// guess the usual capitalisation.
	for _, c := range zoneNameGuesses(s) {
		if _, err := time.LoadLocation(c); err == nil {
			return c, true
		}
	}
	return "", false
}

func validZoneChars(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/_-+", c)) {
			return false
		}
	}
	return true
}

var systemZones = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, dir := range []string{os.Getenv("ZONEINFO"), "/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ"} {
		if dir == "" {
			continue
		}
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(dir, p)
			if err == nil && !strings.Contains(rel, ".") {
				if _, dup := out[strings.ToLower(rel)]; !dup {
					out[strings.ToLower(rel)] = filepath.ToSlash(rel)
				}
			}
			return nil
		})
		if len(out) > 0 {
			break
		}
	}
	return out
})

func systemZoneNames() map[string]string { return systemZones() }

func zoneNameGuesses(s string) []string {
	parts := strings.Split(s, "/")
	title := make([]string, len(parts))
	for i, p := range parts {
		words := []byte(strings.ToLower(p))
		up := true
		for j, c := range words {
			if up && c >= 'a' && c <= 'z' {
				words[j] = c - 'a' + 'A'
			}
			up = c == '_' || c == '-'
		}
		title[i] = string(words)
	}
	guesses := []string{strings.Join(title, "/"), strings.ToUpper(s)}
	if len(parts) > 1 {
		guesses = append(guesses, title[0]+"/"+strings.ToUpper(strings.Join(parts[1:], "/")))
	}
	return guesses
}

// posixZone reads a POSIX TZ string as PostgreSQL's tzparse does (an empty
// standard abbreviation is allowed, so '-05:30' is a zone five and a half
// hours east of UTC) and builds a Location from it; a DST abbreviation
// without rules gets the US rules of PostgreSQL's posixrules.
func posixZone(spec string) (*time.Location, bool) {
	s := spec
	stdName, s, ok := posixName(s)
	if !ok || s == "" {
		return nil, false
	}
	stdOff, s, ok := posixOffset(s)
	if !ok {
		return nil, false
	}
	footer := "<" + placeholder(stdName, "STD") + ">" + formatPosixOffset(stdOff)
	if s != "" {
		dstName, rest, ok := posixName(s)
		if !ok || dstName == "" {
			return nil, false
		}
		footer += "<" + dstName + ">"
		s = rest
		if s != "" && s[0] != ',' {
			dstOff, rest, ok := posixOffset(s)
			if !ok {
				return nil, false
			}
			footer += formatPosixOffset(dstOff)
			s = rest
		}
		if s == "" {
			s = ",M3.2.0,M11.1.0"
		}
		if !validPosixRules(s) {
			return nil, false
		}
		footer += s
	}
	l, err := time.LoadLocationFromTZData(strings.ToUpper(spec), tzifWithFooter(-stdOff, placeholder(stdName, "STD"), footer))
	if err != nil {
		return nil, false
	}
	return l, true
}

func placeholder(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

// posixName reads an abbreviation: letters, or anything inside <…>.
func posixName(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, "<") {
		i := strings.IndexByte(s, '>')
		if i < 0 {
			return "", "", false
		}
		return s[1:i], s[i+1:], true
	}
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	return s[:i], s[i:], true
}

// posixOffset reads [+-]hh[:mm[:ss]], seconds west of UTC.
func posixOffset(s string) (int64, string, bool) {
	sign := int64(1)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	var total int64
	for part := 0; part < 3; part++ {
		j := 0
		for j < len(s) && j < 3 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 0 {
			return 0, "", false
		}
		n, _ := strconv.ParseInt(s[:j], 10, 64)
		if part > 0 && n > 59 || part == 0 && n > 24*7 {
			return 0, "", false
		}
		total += n * []int64{3600, 60, 1}[part]
		s = s[j:]
		if s == "" || s[0] != ':' {
			break
		}
		s = s[1:]
	}
	return sign * total, s, true
}

func formatPosixOffset(west int64) string {
	if west < 0 {
		return "-" + formatHMS(-west)
	}
	return formatHMS(west)
}

func validPosixRules(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || strings.ContainsRune(",MJ./:+-", c)) {
			return false
		}
	}
	return strings.Count(s, ",") == 2
}

// tzifWithFooter builds a version 2 TZif file with no transitions and one
// local time type, whose footer TZ string then governs every instant.
func tzifWithFooter(eastSeconds int64, abbrev, footer string) []byte {
	header := func(typecnt, charcnt uint32) []byte {
		h := make([]byte, 44)
		copy(h, "TZif2")
		binary.BigEndian.PutUint32(h[36:], typecnt)
		binary.BigEndian.PutUint32(h[40:], charcnt)
		return h
	}
	chars := abbrev + "\x00"
	ttinfo := make([]byte, 6)
	binary.BigEndian.PutUint32(ttinfo, uint32(int32(eastSeconds)))
	var out []byte
	for range 2 { // the 32-bit block, then the 64-bit one
		out = append(out, header(1, uint32(len(chars)))...)
		out = append(out, ttinfo...)
		out = append(out, chars...)
	}
	return append(out, "\n"+footer+"\n"...)
}

// zoneAbbrevs are fixed-offset abbreviations of PostgreSQL's Default
// timezone_abbreviations set (seconds east of UTC) that values and AT TIME
// ZONE accept; the TimeZone setting does not.
var zoneAbbrevs = map[string]int{
	"utc": 0, "gmt": 0, "z": 0, "zulu": 0, "ut": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600,
	"ast": -4 * 3600, "adt": -3 * 3600, "nst": -(3*3600 + 1800), "ndt": -(2*3600 + 1800),
	"wet": 0, "west": 3600, "bst": 3600, "cet": 3600, "cest": 2 * 3600, "met": 3600, "mest": 2 * 3600,
	"eet": 2 * 3600, "eest": 3 * 3600, "msk": 3 * 3600, "ist": 2 * 3600,
	"jst": 9 * 3600, "kst": 9 * 3600, "hkt": 8 * 3600, "awst": 8 * 3600,
	"acst": 9*3600 + 1800, "acdt": 10*3600 + 1800, "aest": 10 * 3600, "aedt": 11 * 3600,
	"nzst": 12 * 3600, "nzdt": 13 * 3600,
}

// offsetAt is the zone's offset east of UTC, in seconds, at instant sec.
func offsetAt(loc *time.Location, sec int64) int64 {
	_, off := time.Unix(sec, 0).In(loc).Zone()
	return int64(off)
}

// LocalToUTC turns wall-clock microseconds in loc into an instant, as
// PostgreSQL resolves gaps and overlaps (see the file comment).
func LocalToUTC(local Timestamp, loc *time.Location) Timestamp {
	if local == TimestampPosInfinity || local == TimestampNegInfinity || loc == nil || loc == time.UTC {
		return local
	}
	sec := floorDiv(int64(local), MicrosPerSecond)
	before := offsetAt(loc, sec-2*86400)
	after := offsetAt(loc, sec+2*86400)
	var off int64
	switch {
	case before == after && offsetAt(loc, sec-before) == before:
		off = before
	case offsetAt(loc, sec-after) == after:
		off = after
	default: // a gap, or valid only with the earlier offset
		off = before
	}
	return Timestamp(int64(local) - off*MicrosPerSecond)
}

// UTCToLocal is the wall-clock time of instant ts in loc.
func UTCToLocal(ts Timestamp, loc *time.Location) Timestamp {
	if ts == TimestampPosInfinity || ts == TimestampNegInfinity || loc == nil || loc == time.UTC {
		return ts
	}
	return Timestamp(int64(ts) + offsetAt(loc, floorDiv(int64(ts), MicrosPerSecond))*MicrosPerSecond)
}

// ZoneOffset is loc's offset east of UTC, in seconds, at instant ts.
func ZoneOffset(ts Timestamp, loc *time.Location) int64 {
	if loc == nil || ts == TimestampPosInfinity || ts == TimestampNegInfinity {
		return 0
	}
	return offsetAt(loc, floorDiv(int64(ts), MicrosPerSecond))
}

// ZoneAbbrev is loc's abbreviation at instant ts (to_char's TZ).
func ZoneAbbrev(ts Timestamp, loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	name, _ := time.Unix(floorDiv(int64(ts), MicrosPerSecond), 0).In(loc).Zone()
	return name
}
