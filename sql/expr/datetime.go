package expr

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func errDateRange() *pgerror.Error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
}

func errTimestampRange() *pgerror.Error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
}

func dateAddDays(d types.Date, n int64) (types.Datum, error) {
	if d == types.DatePosInfinity || d == types.DateNegInfinity {
		return d, nil
	}
	r := int64(d) + n
	if r <= math.MinInt32 || r >= math.MaxInt32 {
		return nil, errDateRange()
	}
	return types.Date(r), nil
}

func negInterval(iv types.Interval) types.Interval {
	return types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
}

func addIntervals(a, b types.Interval) (types.Datum, error) {
	m := int64(a.Months) + int64(b.Months)
	d := int64(a.Days) + int64(b.Days)
	if m != int64(int32(m)) || d != int64(int32(d)) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	return types.Interval{Months: int32(m), Days: int32(d), Micros: a.Micros + b.Micros}, nil
}

// timestampAddInterval adds months first (clamping the day to the month's
// end, so Jan 31 + 1 month is Feb 29 or 28), then days, then time, as
// PostgreSQL's timestamp_pl_interval.
func timestampAddInterval(ts types.Timestamp, iv types.Interval) (types.Datum, error) {
	if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
		return ts, nil
	}
	us := int64(ts)
	if iv.Months != 0 || iv.Days != 0 {
		days := floorDivInt(us, types.MicrosPerDay)
		tod := us - days*types.MicrosPerDay
		if iv.Months != 0 {
			y, m, d := types.CivilFromDays(days)
			total := y*12 + (m - 1) + int64(iv.Months)
			y, m = floorDivInt(total, 12), total-floorDivInt(total, 12)*12+1
			d = min(d, types.DaysInMonth(y, m))
			days = types.DaysFromCivil(y, m, d)
		}
		days += int64(iv.Days)
		us = days*types.MicrosPerDay + tod
	}
	r := us + iv.Micros
	if (iv.Micros > 0 && r < us) || (iv.Micros < 0 && r > us) || r == math.MaxInt64 || r == math.MinInt64 {
		return nil, errTimestampRange()
	}
	return types.Timestamp(r), nil
}

// timestampDiff is timestamp - timestamp: whole days and the rest as time,
// as PostgreSQL's timestamp_mi (which applies justify_hours).
func timestampDiff(a, b types.Timestamp) types.Interval {
	d := int64(a) - int64(b)
	days := d / types.MicrosPerDay
	return types.Interval{Days: int32(days), Micros: d - days*types.MicrosPerDay}
}

// intervalMul is PostgreSQL's interval_mul: fractional months spill into
// days (30 per month) and fractional days into time.
func intervalMul(iv types.Interval, f float64) (types.Datum, error) {
	if math.IsNaN(f) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	monthsF := float64(iv.Months) * f
	daysF := float64(iv.Days) * f
	if math.Abs(monthsF) > math.MaxInt32 || math.Abs(daysF) > math.MaxInt32 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	months := math.Trunc(monthsF)
	monthRemDays := (monthsF - months) * 30
	days := math.Trunc(daysF)
	dayRem := daysF - days
	extraDays := math.Trunc(monthRemDays)
	secRem := (monthRemDays - extraDays + dayRem) * 86400
	secRem = math.RoundToEven(secRem*1e6) / 1e6
	if math.Abs(secRem) >= 86400 {
		extra := math.Trunc(secRem / 86400)
		days += extra
		secRem -= extra * 86400
	}
	days += extraDays
	micros := math.RoundToEven(float64(iv.Micros)*f + secRem*1e6)
	if math.Abs(micros) >= 9.2e18 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	return types.Interval{Months: int32(months), Days: int32(days), Micros: int64(micros)}, nil
}

// intervalDiv is PostgreSQL's interval_div.
func intervalDiv(iv types.Interval, f float64) (types.Datum, error) {
	if f == 0 {
		return nil, errDivByZero()
	}
	monthsF := float64(iv.Months) / f
	months := math.Trunc(monthsF)
	daysF := float64(iv.Days) / f
	days := math.Trunc(daysF)
	monthRemDays := (monthsF - months) * 30
	extraDays := math.Trunc(monthRemDays)
	secRem := (monthRemDays - extraDays + daysF - days) * 86400
	secRem = math.RoundToEven(secRem*1e6) / 1e6
	if math.Abs(secRem) >= 86400 {
		extra := math.Trunc(secRem / 86400)
		days += extra
		secRem -= extra * 86400
	}
	days += extraDays
	micros := math.RoundToEven(float64(iv.Micros)/f + secRem*1e6)
	return types.Interval{Months: int32(months), Days: int32(days), Micros: int64(micros)}, nil
}
