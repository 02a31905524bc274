package expr

import (
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// infiniteDatum reports whether d is an infinite date or timestamp, and
// its sign.
func infiniteDatum(d types.Datum) (neg, inf bool) {
	switch v := d.(type) {
	case types.Date:
		return v == types.DateNegInfinity, v == types.DatePosInfinity || v == types.DateNegInfinity
	case types.Timestamp:
		return v == types.TimestampNegInfinity, v == types.TimestampPosInfinity || v == types.TimestampNegInfinity
	}
	return false, false
}

// extractInfinite is extract/date_part of ±infinity, as PostgreSQL's
// NonFiniteTimestampTzPart: the unbounded fields (year, decade, century,
// millennium, julian, isoyear, epoch) are ±Infinity, the other known
// fields NULL (a nil result).
func extractInfinite(field string, neg bool, k types.Kind) (*apd.Decimal, error) {
	switch strings.TrimSuffix(field, "s") {
	case "year", "y", "yr", "decade", "century", "millennium", "millennia", "julian", "isoyear", "epoch":
		return &apd.Decimal{Form: apd.Infinite, Negative: neg}, nil
	case "month", "mon", "day", "hour", "h", "minute", "min", "second", "sec", "millisecond", "m",
		"microsecond", "u", "dow", "isodow", "doy", "quarter", "week", "timezone", "timezone_hour", "timezone_minute":
		if k == types.KindDate {
			switch strings.TrimSuffix(field, "s") {
			case "hour", "h", "minute", "min", "second", "sec", "millisecond", "m", "microsecond", "u":
				return nil, errUnitUnsupported(field, "date")
			}
		}
		return nil, nil
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type %s", field, types.T{Kind: k})
}

// extractTime is extract/date_part of a time of day.
func extractTime(field string, t types.TimeOfDay) (*apd.Decimal, error) {
	us := int64(t)
	switch field {
	case "hour", "hours", "h", "hr", "hrs":
		return apd.New(us/types.MicrosPerHour, 0), nil
	case "minute", "minutes", "min", "mins", "m":
		return apd.New(us/types.MicrosPerMinute%60, 0), nil
	case "second", "seconds", "sec", "secs", "s":
		return secondsWithMicros(us % types.MicrosPerMinute), nil
	case "millisecond", "milliseconds", "ms", "msec", "msecs":
		return apd.New(us%types.MicrosPerMinute, -3), nil
	case "microsecond", "microseconds", "us", "usec", "usecs":
		return apd.New(us%types.MicrosPerMinute, 0), nil
	case "epoch":
		return secondsWithMicros(us), nil
	case "day", "days", "month", "months", "year", "years", "dow", "doy", "quarter", "week", "decade", "century", "millennium",
		"isodow", "isoyear", "julian", "timezone", "timezone_hour", "timezone_minute":
		return nil, errUnitUnsupported(field, "time without time zone")
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "unit %q not recognized for type time without time zone", field)
}
