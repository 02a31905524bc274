package agg

import (
	"math"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// intervalAccumulator is sum and avg over interval. Months, days and
// microseconds are summed apart, as interval_pl does, in wider integers so
// that a retraction can undo an intermediate overflow; the result must fit
// an interval. avg divides as interval_div does. Invertible.
type intervalAccumulator struct {
	avg          bool
	n            int64
	months, days int64
	micros       int128
}

func (a *intervalAccumulator) Add(args []types.Datum, sign int64) error {
	if args[0] == nil {
		return nil
	}
	iv := args[0].(types.Interval)
	if sign < 0 {
		a.n--
		a.months -= int64(iv.Months)
		a.days -= int64(iv.Days)
		a.micros.sub(iv.Micros)
	} else {
		a.n++
		a.months += int64(iv.Months)
		a.days += int64(iv.Days)
		a.micros.add(iv.Micros)
	}
	return nil
}

var errIntervalOutOfRange = pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")

func (a *intervalAccumulator) Result() (types.Datum, error) {
	if a.n <= 0 {
		return nil, nil
	}
	micros, ok := a.micros.int64()
	if !ok || a.months != int64(int32(a.months)) || a.days != int64(int32(a.days)) {
		return nil, errIntervalOutOfRange
	}
	sum := types.Interval{Months: int32(a.months), Days: int32(a.days), Micros: micros}
	if !a.avg {
		return sum, nil
	}
	return divideInterval(sum, float64(a.n)), nil
}

// divideInterval is PostgreSQL 15's interval_div: whole months and days
// divide separately and their fractions cascade down to days and time,
// rounded to microseconds.
func divideInterval(span types.Interval, factor float64) types.Interval {
	const daysPerMonth, secsPerDay = 30, 86400
	tsRound := func(j float64) float64 { return math.RoundToEven(j*1e6) / 1e6 }
	var result types.Interval
	result.Months = int32(float64(span.Months) / factor)
	result.Days = int32(float64(span.Days) / factor)
	monthRemainderDays := (float64(span.Months)/factor - float64(result.Months)) * daysPerMonth
	monthRemainderDays = tsRound(monthRemainderDays)
	secRemainder := (float64(span.Days)/factor - float64(result.Days) +
		monthRemainderDays - float64(int32(monthRemainderDays))) * secsPerDay
	secRemainder = tsRound(secRemainder)
	if math.Abs(secRemainder) >= secsPerDay {
		result.Days += int32(secRemainder / secsPerDay)
		secRemainder -= float64(int32(secRemainder/secsPerDay)) * secsPerDay
	}
	result.Days += int32(monthRemainderDays)
	result.Micros = int64(math.RoundToEven(float64(span.Micros)/factor + secRemainder*1e6))
	return result
}

func (a *intervalAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.int(a.n)
	w.int(a.months)
	w.int(a.days)
	w.int(a.micros.hi)
	w.uint(a.micros.lo)
	return w.buf, nil
}

func (a *intervalAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.n = r.int()
	a.months = r.int()
	a.days = r.int()
	a.micros.hi = r.int()
	a.micros.lo = r.uint()
	return r.done()
}
