package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// (start, end) OVERLAPS (start, end) over timestamps, with or without time
// zone (dates and times cast to them).

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 4 {
			return nil, errNoMatch
		}
		t := types.TimestampType
		for _, a := range args {
			if a.Type().Kind == types.KindTimestampTZ {
				t = types.TimestampTZ
			}
		}
		e, err := call("overlaps", args, []types.T{t, t, t, t}, types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return overlaps(a), nil
		})
		if r, ok := e.(*rowExpr); ok {
			r.strict = false
		}
		return e, err
	}, "(timestamp without time zone, timestamp without time zone, timestamp without time zone, timestamp without time zone) boolean", "(timestamp with time zone, timestamp with time zone, timestamp with time zone, timestamp with time zone) boolean"), "overlaps")
}

// overlaps is (s1, e1) OVERLAPS (s2, e2) with PostgreSQL's treatment of
// NULL ends and of reversed periods.
func overlaps(a []types.Datum) types.Datum {
	s1, e1, s2, e2 := a[0], a[1], a[2], a[3]
	norm := func(s, e types.Datum) (types.Datum, types.Datum) {
		switch {
		case s == nil:
			return e, nil
		case e != nil && e.(types.Timestamp) < s.(types.Timestamp):
			return e, s
		}
		return s, e
	}
	s1, e1 = norm(s1, e1)
	s2, e2 = norm(s2, e2)
	if s1 == nil || s2 == nil {
		return nil
	}
	t1, t2 := s1.(types.Timestamp), s2.(types.Timestamp)
	switch {
	case t1 > t2:
		if e2 == nil {
			return nil
		}
		if t1 < e2.(types.Timestamp) {
			return true
		}
		if e1 == nil {
			return nil
		}
		return false
	case t1 < t2:
		if e1 == nil {
			return nil
		}
		if t2 < e1.(types.Timestamp) {
			return true
		}
		if e2 == nil {
			return nil
		}
		return false
	}
	if e1 == nil || e2 == nil {
		return nil
	}
	return true
}
