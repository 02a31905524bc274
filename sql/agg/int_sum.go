package agg

import (
	"math/big"
	"math/bits"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// int128 is a two's complement 128-bit integer: wide enough that a sum of
// int64 values cannot overflow in any realistic number of rows, as
// PostgreSQL's int128 aggregate state.
type int128 struct {
	hi int64
	lo uint64
}

func (x *int128) add(v int64) {
	var carry uint64
	x.lo, carry = bits.Add64(x.lo, uint64(v), 0)
	x.hi += int64(carry) + (v >> 63)
}

func (x *int128) sub(v int64) {
	var borrow uint64
	x.lo, borrow = bits.Sub64(x.lo, uint64(v), 0)
	x.hi -= int64(borrow) + (v >> 63)
}

func (x int128) int64() (int64, bool) {
	if (x.hi == 0 && x.lo < 1<<63) || (x.hi == -1 && x.lo >= 1<<63) {
		return int64(x.lo), true
	}
	return 0, false
}

func (x int128) big() *big.Int {
	b := big.NewInt(x.hi)
	b.Lsh(b, 64)
	return b.Add(b, new(big.Int).SetUint64(x.lo))
}

func (x int128) decimal() *apd.Decimal {
	if v, ok := x.int64(); ok {
		return apd.New(v, 0)
	}
	d := new(apd.Decimal)
	b := x.big()
	d.Negative = b.Sign() < 0
	d.Coeff.SetMathBigInt(b.Abs(b))
	return d
}

// intSumAccumulator is sum and avg over smallint, integer and bigint. It
// keeps the row count and an exact 128-bit sum, so it is invertible and
// sum(bigint) never overflows. sum(smallint/integer) is bigint and fails
// with "bigint out of range" only if the final sum does not fit; sum(bigint)
// is numeric; avg is numeric with PostgreSQL's division scale.
type intSumAccumulator struct {
	avg    bool
	bigint bool // result is bigint (sum of int2/int4)
	n      int64
	sum    int128
}

func (a *intSumAccumulator) Add(args []types.Datum, sign int64) error {
	if args[0] == nil {
		return nil
	}
	v := args[0].(int64)
	if sign < 0 {
		a.sum.sub(v)
		a.n--
	} else {
		a.sum.add(v)
		a.n++
	}
	return nil
}

func (a *intSumAccumulator) Result() (types.Datum, error) {
	if a.n <= 0 {
		return nil, nil
	}
	if a.avg {
		sum, n := a.sum.decimal(), apd.New(a.n, 0)
		return divide(sum, n, selectDivScale(sum, n)), nil
	}
	if a.bigint {
		v, ok := a.sum.int64()
		if !ok {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
		}
		return v, nil
	}
	return a.sum.decimal(), nil
}

func (a *intSumAccumulator) MarshalBinary() ([]byte, error) {
	w := stateWriter{}
	w.int(a.n)
	w.int(a.sum.hi)
	w.uint(a.sum.lo)
	return w.buf, nil
}

func (a *intSumAccumulator) UnmarshalBinary(b []byte) error {
	r := stateReader{buf: b}
	a.n = r.int()
	a.sum.hi = r.int()
	a.sum.lo = r.uint()
	return r.done()
}
