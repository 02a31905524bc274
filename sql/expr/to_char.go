package expr

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eddy-db/eddy/sql/types"
)

// to_char(timestamp|interval, text): PostgreSQL's DCH templates.
//
// A template is scanned left to right. At each position the optional
// prefixes FM (fill mode: no padding) and TM (translation mode: a no-op in
// the C locale) are consumed, then the longest keyword that matches
// (case-sensitively, as in PostgreSQL's table: "Month", "MONTH" and
// "month" differ) is replaced by its value, followed by an optional TH/th
// (ordinal suffix) or SP (ignored). "Quoted text" is literal (\" inside it
// is a quote), a backslash before a quote outputs the quote, and any other
// character is copied.

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dayNames   = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	romanMonth = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
)

// dchKeyword formats one template keyword; fm is fill mode.
type dchKeyword struct {
	name    string
	numeric bool // TH applies
	fn      func(f *tmFields, fm bool) string
}

var dchKeywords = buildDCHKeywords()

func buildDCHKeywords() []dchKeyword {
	num := func(width int, v func(f *tmFields) int64) func(f *tmFields, fm bool) string {
		return func(f *tmFields, fm bool) string {
			if fm {
				return strconv.FormatInt(v(f), 10)
			}
			return fmt.Sprintf("%0*d", width, v(f))
		}
	}
	name := func(pad int, v func(f *tmFields) string, casing func(string) string) func(f *tmFields, fm bool) string {
		return func(f *tmFields, fm bool) string {
			s := casing(v(f))
			if fm {
				return s
			}
			return fmt.Sprintf("%-*s", pad, s)
		}
	}
	same := func(s string) string { return s }
	lower, upper := strings.ToLower, strings.ToUpper
	month := func(f *tmFields) string { return monthName(*f) }
	mon := func(f *tmFields) string { return monthName(*f)[:3] }
	day := func(f *tmFields) string { return dayNames[f.dow] }
	dy := func(f *tmFields) string { return dayNames[f.dow][:3] }
	year := func(f *tmFields) int64 {
		if f.interval {
			return f.year
		}
		return yearAD(f.year)
	}
	isoYear := func(f *tmFields) int64 {
		y, _ := isoWeek(f)
		return yearAD(y)
	}
	hour12 := func(f *tmFields) int64 {
		if f.hour%12 == 0 {
			return 12
		}
		return f.hour % 12
	}
	marker := func(am, pm string) func(f *tmFields, fm bool) string {
		return func(f *tmFields, _ bool) string {
			if f.hour%24 < 12 {
				return am
			}
			return pm
		}
	}
	era := func(ad, bc string) func(f *tmFields, fm bool) string {
		return func(f *tmFields, _ bool) string {
			if f.year <= 0 && !f.interval {
				return bc
			}
			return ad
		}
	}
	century := func(f *tmFields) int64 {
		switch {
		case f.interval:
			return f.year / 100
		case f.year > 0:
			return (f.year-1)/100 + 1
		default:
			return f.year/100 - 1
		}
	}
	tz := func(casing func(string) string) func(f *tmFields, fm bool) string {
		return func(f *tmFields, _ bool) string {
			if !f.hasTZ {
				return ""
			}
			return casing(f.tzAbbr)
		}
	}
	kws := []dchKeyword{
		{"A.D.", false, era("A.D.", "B.C.")}, {"B.C.", false, era("A.D.", "B.C.")},
		{"a.d.", false, era("a.d.", "b.c.")}, {"b.c.", false, era("a.d.", "b.c.")},
		{"AD", false, era("AD", "BC")}, {"BC", false, era("AD", "BC")},
		{"ad", false, era("ad", "bc")}, {"bc", false, era("ad", "bc")},
		{"A.M.", false, marker("A.M.", "P.M.")}, {"P.M.", false, marker("A.M.", "P.M.")},
		{"a.m.", false, marker("a.m.", "p.m.")}, {"p.m.", false, marker("a.m.", "p.m.")},
		{"AM", false, marker("AM", "PM")}, {"PM", false, marker("AM", "PM")},
		{"am", false, marker("am", "pm")}, {"pm", false, marker("am", "pm")},
		{"CC", true, num(2, century)},
		{"MONTH", false, name(9, month, upper)}, {"Month", false, name(9, month, same)}, {"month", false, name(9, month, lower)},
		{"MON", false, name(0, mon, upper)}, {"Mon", false, name(0, mon, same)}, {"mon", false, name(0, mon, lower)},
		{"DAY", false, name(9, day, upper)}, {"Day", false, name(9, day, same)}, {"day", false, name(9, day, lower)},
		{"DY", false, name(0, dy, upper)}, {"Dy", false, name(0, dy, same)}, {"dy", false, name(0, dy, lower)},
		{"DDD", true, num(3, func(f *tmFields) int64 { return f.doy })},
		{"IDDD", true, num(3, func(f *tmFields) int64 {
			_, w := isoWeek(f)
			return (w-1)*7 + isoDow(f)
		})},
		{"DD", true, num(2, func(f *tmFields) int64 { return f.day })},
		{"D", true, num(0, func(f *tmFields) int64 { return f.dow + 1 })},
		{"ID", true, num(0, isoDow)},
		{"FF1", true, num(1, func(f *tmFields) int64 { return f.micros / 100000 })},
		{"FF2", true, num(2, func(f *tmFields) int64 { return f.micros / 10000 })},
		{"FF3", true, num(3, func(f *tmFields) int64 { return f.micros / 1000 })},
		{"FF4", true, num(4, func(f *tmFields) int64 { return f.micros / 100 })},
		{"FF5", true, num(5, func(f *tmFields) int64 { return f.micros / 10 })},
		{"FF6", true, num(6, func(f *tmFields) int64 { return f.micros })},
		{"HH24", true, num(2, func(f *tmFields) int64 { return f.hour })},
		{"HH12", true, num(2, hour12)},
		{"HH", true, num(2, hour12)},
		{"IW", true, num(2, func(f *tmFields) int64 { _, w := isoWeek(f); return w })},
		{"IYYY", true, num(4, isoYear)},
		{"IYY", true, num(3, func(f *tmFields) int64 { return isoYear(f) % 1000 })},
		{"IY", true, num(2, func(f *tmFields) int64 { return isoYear(f) % 100 })},
		{"I", true, num(1, func(f *tmFields) int64 { return isoYear(f) % 10 })},
		{"J", true, num(0, func(f *tmFields) int64 { return julianDay(f) })},
		{"MI", true, num(2, func(f *tmFields) int64 { return f.min })},
		{"MM", true, num(2, func(f *tmFields) int64 { return f.month })},
		{"MS", true, num(3, func(f *tmFields) int64 { return f.micros / 1000 })},
		{"OF", false, func(f *tmFields, _ bool) string {
			if !f.hasTZ {
				return ""
			}
			sign, off := "+", f.tzOff
			if off < 0 {
				sign, off = "-", -off
			}
			s := fmt.Sprintf("%s%02d", sign, off/3600)
			if m := off % 3600 / 60; m != 0 {
				s += fmt.Sprintf(":%02d", m)
			}
			return s
		}},
		{"Q", true, num(0, func(f *tmFields) int64 { return (f.month-1)/3 + 1 })},
		{"RM", false, name(4, func(f *tmFields) string { return romanOf(f.month) }, same)},
		{"rm", false, name(4, func(f *tmFields) string { return romanOf(f.month) }, lower)},
		{"SSSSS", true, num(0, secondsOfDay)},
		{"SSSS", true, num(0, secondsOfDay)},
		{"SS", true, num(2, func(f *tmFields) int64 { return f.sec })},
		{"TZH", false, func(f *tmFields, _ bool) string {
			if !f.hasTZ {
				return ""
			}
			sign, off := "+", f.tzOff
			if off < 0 {
				sign, off = "-", -off
			}
			return fmt.Sprintf("%s%02d", sign, off/3600)
		}},
		{"TZM", false, func(f *tmFields, _ bool) string {
			if !f.hasTZ {
				return ""
			}
			off := f.tzOff
			if off < 0 {
				off = -off
			}
			return fmt.Sprintf("%02d", off%3600/60)
		}},
		{"TZ", false, tz(upper)}, {"tz", false, tz(lower)},
		{"US", true, num(6, func(f *tmFields) int64 { return f.micros })},
		{"WW", true, num(2, func(f *tmFields) int64 { return (f.doy-1)/7 + 1 })},
		{"W", true, num(0, func(f *tmFields) int64 { return (f.day-1)/7 + 1 })},
		{"Y,YYY", true, func(f *tmFields, _ bool) string {
			y := year(f)
			return fmt.Sprintf("%d,%03d", y/1000, y%1000)
		}},
		{"YYYY", true, num(4, year)},
		{"YYY", true, num(3, func(f *tmFields) int64 { return year(f) % 1000 })},
		{"YY", true, num(2, func(f *tmFields) int64 { return year(f) % 100 })},
		{"Y", true, num(1, func(f *tmFields) int64 { return year(f) % 10 })},
	}
	// PostgreSQL also accepts the all-lowercase spelling of the numeric
	// keywords (yyyy, mm, dd, hh24, …).
	seen := map[string]bool{}
	for _, k := range kws {
		seen[k.name] = true
	}
	for _, k := range kws {
		if l := strings.ToLower(k.name); k.numeric && !seen[l] {
			seen[l] = true
			kws = append(kws, dchKeyword{l, k.numeric, k.fn})
		}
	}
	sort.SliceStable(kws, func(i, j int) bool { return len(kws[i].name) > len(kws[j].name) })
	return kws
}

// toChar formats f by a to_char template.
func toChar(f tmFields, format string) string {
	var sb strings.Builder
	for i := 0; i < len(format); {
		fm := false
		for {
			p := format[i:]
			if strings.HasPrefix(p, "FM") || strings.HasPrefix(p, "fm") {
				fm = true
			} else if !strings.HasPrefix(p, "TM") && !strings.HasPrefix(p, "tm") {
				break
			}
			i += 2
		}
		if i >= len(format) {
			break
		}
		if kw, ok := matchDCH(format[i:]); ok {
			out := kw.fn(&f, fm)
			i += len(kw.name)
			switch p := format[i:]; {
			case strings.HasPrefix(p, "TH") || strings.HasPrefix(p, "th"):
				if kw.numeric {
					th := ordinalSuffix(out)
					if p[0] == 'T' {
						th = strings.ToUpper(th)
					}
					out += th
				}
				i += 2
			case strings.HasPrefix(p, "SP") || strings.HasPrefix(p, "sp"):
				i += 2
			}
			sb.WriteString(out)
			continue
		}
		switch c := format[i]; {
		case c == '"':
			i++
			for i < len(format) && format[i] != '"' {
				if format[i] == '\\' && i+1 < len(format) {
					i++
				}
				sb.WriteByte(format[i])
				i++
			}
			i++
		case c == '\\' && i+1 < len(format) && format[i+1] == '"':
			sb.WriteByte('"')
			i += 2
		default:
			sb.WriteByte(c)
			i++
		}
	}
	return sb.String()
}

func matchDCH(p string) (dchKeyword, bool) {
	for _, k := range dchKeywords {
		if strings.HasPrefix(p, k.name) {
			return k, true
		}
	}
	return dchKeyword{}, false
}

// ordinalSuffix is "st", "nd", "rd" or "th" for a formatted number.
func ordinalSuffix(n string) string {
	if n == "" {
		return ""
	}
	last := n[len(n)-1]
	if len(n) > 1 && n[len(n)-2] == '1' {
		return "th"
	}
	switch last {
	case '1':
		return "st"
	case '2':
		return "nd"
	case '3':
		return "rd"
	}
	return "th"
}

func isoWeek(f *tmFields) (year, week int64) {
	y, w := time.Date(int(f.year), time.Month(f.month), int(f.day), 0, 0, 0, 0, time.UTC).ISOWeek()
	return int64(y), int64(w)
}

func isoDow(f *tmFields) int64 {
	if f.dow == 0 {
		return 7
	}
	return f.dow
}

func julianDay(f *tmFields) int64 {
	return types.DaysFromCivil(f.year, f.month, f.day) + 2440588
}

func secondsOfDay(f *tmFields) int64 { return f.hour*3600 + f.min*60 + f.sec }

func romanOf(m int64) string {
	if m < 1 || m > 12 {
		return ""
	}
	return romanMonth[m-1]
}
