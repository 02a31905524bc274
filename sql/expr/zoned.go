package expr

// Expressions that read the session's TimeZone (Context.TimeZone).
//
// PostgreSQL marks them stable, not immutable: their result for the same
// arguments changes with SET TimeZone. They are therefore never folded at
// planning time (a prepared plan outlives a SET), and a timestamptz literal
// without an explicit offset stays text until the statement runs. Streaming
// views evaluate them in UTC (mview's runtime context), whatever zone the
// session that created the view had.

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// zonedConst is a timestamptz literal without an offset ('2024-01-02
// 03:04'), read in the TimeZone of the statement's execution.
type zonedConst struct {
	text string
	T    types.T
}

func (c *zonedConst) Type() types.T { return c.T }

func (c *zonedConst) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	d, err := types.ParseTimestampIn(c.T, c.text, ctxZone(ctx))
	if err != nil {
		return nil, err
	}
	return constArray(c.T, d, in.Len()), nil
}

func (c *zonedConst) String() string {
	return "'" + strings.ReplaceAll(c.text, "'", "''") + "'::" + c.T.String()
}

// zonedLiteral converts an Unknown literal to timestamptz when its instant
// depends on the TimeZone; ok is false for every other conversion, which
// the caller folds as usual. A malformed literal is an error at once.
func zonedLiteral(c *Const, to types.T, assign bool) (Expr, bool, error) {
	s, isText := c.Value.(string)
	if to.Kind != types.KindTimestampTZ || !isText || types.AbsoluteTimestampLiteral(s) {
		return nil, false, nil
	}
	if _, err := types.ParseTimestamp(to, s); err != nil {
		return nil, true, err
	}
	return &zonedConst{text: s, T: to}, true, nil
}

// zonedRow marks a function node as reading the TimeZone, so that
// ConstFold leaves it for execution.
func zonedRow(e Expr, err error) (Expr, error) {
	if r, ok := e.(*rowExpr); ok && err == nil {
		r.volatile = true
	}
	return e, err
}

// newZonedTimestampArith is timestamptz ± interval: months and days move
// the wall-clock date in the session's zone, so that adding '1 day' across
// a DST change keeps the time of day (23 or 25 hours), as PostgreSQL's
// timestamptz_pl_interval does; the time part is added as elapsed time.
func newZonedTimestampArith(op string, ts, iv Expr, ivFirst bool) (Expr, error) {
	args := []Expr{ts, iv}
	if ivFirst {
		args = []Expr{iv, ts}
	}
	return &rowExpr{name: op, infix: true, args: args, t: types.TimestampTZ, strict: true, volatile: true,
		fn: func(ctx *Context, a []types.Datum) (types.Datum, error) {
			x, y := a[0], a[1]
			if ivFirst {
				x, y = y, x
			}
			v := y.(types.Interval)
			if op == "-" {
				v = negInterval(v)
			}
			return zonedAddInterval(x.(types.Timestamp), v, ctxZone(ctx))
		}}, nil
}

func zonedAddInterval(ts types.Timestamp, iv types.Interval, loc *time.Location) (types.Datum, error) {
	if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
		return ts, nil
	}
	if iv.Months != 0 || iv.Days != 0 {
		local := types.UTCToLocal(ts, loc)
		moved, err := timestampAddInterval(local, types.Interval{Months: iv.Months, Days: iv.Days})
		if err != nil {
			return nil, err
		}
		ts = types.LocalToUTC(moved.(types.Timestamp), loc)
	}
	return timestampAddInterval(ts, types.Interval{Micros: iv.Micros})
}

func init() {
	register(custom(timezoneFunc, "(text, timestamp without time zone) timestamp with time zone",
		"(text, timestamp with time zone) timestamp without time zone", "(interval, timestamp without time zone) timestamp with time zone",
		"(interval, timestamp with time zone) timestamp without time zone"), "timezone")
}

// timezoneFunc is timezone(zone, ts), what AT TIME ZONE means: a
// timestamptz becomes the wall-clock timestamp in zone, a timestamp is
// read as wall-clock time in zone. zone is a name (an abbreviation, an IANA
// name or a POSIX string, whose offsets count west: 'UTC+2' is two hours
// behind UTC) or an interval east of UTC.
func timezoneFunc(args []Expr) (Expr, error) {
	if len(args) != 2 {
		return nil, errNoMatch
	}
	zoneT := types.Text
	if args[0].Type().Kind == types.KindInterval {
		zoneT = types.IntervalType
	}
	tsT := types.TimestampTZ
	switch args[1].Type().Kind {
	case types.KindTimestamp:
		tsT = types.TimestampType
	case types.KindTimestampTZ, types.KindUnknown, types.KindDate:
	default:
		return nil, errNoMatch
	}
	ret := types.TimestampType
	if tsT.Kind == types.KindTimestamp {
		ret = types.TimestampTZ
	}
	return call("timezone", args, []types.T{zoneT, tsT}, ret, func(_ *Context, a []types.Datum) (types.Datum, error) {
		loc, err := zoneArg(a[0])
		if err != nil {
			return nil, err
		}
		ts := a[1].(types.Timestamp)
		if tsT.Kind == types.KindTimestampTZ {
			return types.UTCToLocal(ts, loc), nil
		}
		return types.LocalToUTC(ts, loc), nil
	})
}

func zoneArg(d types.Datum) (*time.Location, error) {
	switch z := d.(type) {
	case types.Interval:
		if z.Months != 0 || z.Days != 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "interval time zone %q must not include months or days", types.FormatInterval(z))
		}
		return types.FixedZone(z.Micros / types.MicrosPerSecond), nil
	case string:
		if loc, ok := types.LookupZone(z); ok {
			return loc, nil
		}
		return nil, pgerror.New(pgerror.InvalidParameterValue, "time zone %q not recognized", z)
	}
	return nil, pgerror.Internal("timezone: unexpected zone %T", d)
}

// extractTSTZ is extract/date_part on a timestamptz: calendar fields of
// its wall-clock time in loc, the epoch of the instant itself, and the
// zone fields from loc's offset at that instant.
func extractTSTZ(field string, ts types.Timestamp, loc *time.Location) (*apd.Decimal, error) {
	off := types.ZoneOffset(ts, loc)
	switch field {
	case "epoch":
		return secondsWithMicros(int64(ts)), nil
	case "timezone":
		return apd.New(off, 0), nil
	case "timezone_hour":
		return apd.New(off/3600, 0), nil
	case "timezone_minute":
		return apd.New(off/60%60, 0), nil
	}
	return extractTS(field, types.UTCToLocal(ts, loc), false)
}

// truncTimestampTZ is date_trunc on a timestamptz, as PostgreSQL's
// timestamptz_trunc: the wall-clock time in loc is truncated; a result
// at a day or longer boundary is read back in loc (its offset may differ),
// a shorter one keeps the instant's own offset, so truncating within the
// repeated hour of a DST change stays in the half it was in.
func truncTimestampTZ(field string, ts types.Timestamp, loc *time.Location) (types.Datum, error) {
	if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
		return ts, nil
	}
	off := types.ZoneOffset(ts, loc) * types.MicrosPerSecond
	d, err := truncTimestamp(field, types.Timestamp(int64(ts)+off), types.TimestampTZ)
	if err != nil {
		return nil, err
	}
	local := d.(types.Timestamp)
	switch field {
	case "microseconds", "microsecond", "milliseconds", "millisecond", "second", "seconds", "minute", "minutes", "hour", "hours":
		return types.Timestamp(int64(local) - off), nil
	}
	return types.LocalToUTC(local, loc), nil
}
