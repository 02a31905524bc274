package types

import "strings"

// Interval field restrictions (INTERVAL '2' HOUR, INTERVAL … YEAR TO
// MONTH), as PostgreSQL's interval typmod: a bare number in the input
// counts in the range's last field, and the value keeps only the fields
// down to that one (AdjustIntervalForTypmod).

// ParseIntervalFields is interval input under a field restriction
// ("HOUR", "DAY TO MINUTE", …; "" for none).
func ParseIntervalFields(s, fields string) (Datum, error) {
	if fields == "" {
		return ParseInterval(s)
	}
	last := fields
	if i := strings.LastIndex(fields, " TO "); i >= 0 {
		last = fields[i+4:]
	}
	v := strings.TrimSpace(s)
	if v != "" && strings.Trim(v, "+-.0123456789") == "" {
		unit := map[string]string{"YEAR": "years", "MONTH": "months", "DAY": "days", "HOUR": "hours", "MINUTE": "minutes", "SECOND": "seconds"}[last]
		if unit != "" {
			v += " " + unit
		}
	}
	d, err := ParseInterval(v)
	if err != nil {
		if v != s {
			// Report the input as written.
			return ParseInterval(s)
		}
		return nil, err
	}
	return RestrictInterval(d.(Interval), fields), nil
}

// RestrictInterval drops the fields below a restriction's last field.
func RestrictInterval(iv Interval, fields string) Interval {
	switch fields {
	case "YEAR":
		return Interval{Months: iv.Months / 12 * 12}
	case "MONTH", "YEAR TO MONTH":
		return Interval{Months: iv.Months}
	case "DAY":
		return Interval{Months: iv.Months, Days: iv.Days}
	case "HOUR", "DAY TO HOUR":
		iv.Micros = iv.Micros / MicrosPerHour * MicrosPerHour
	case "MINUTE", "HOUR TO MINUTE", "DAY TO MINUTE":
		iv.Micros = iv.Micros / MicrosPerMinute * MicrosPerMinute
	}
	return iv
}
