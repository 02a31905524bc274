package session

import (
	"time"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Location is the session's TimeZone, which timestamptz values are read
// and printed in (pgwire asks for it through an optional interface).
func (s *Session) Location() *time.Location {
	if loc, ok := types.LoadTimeZone(s.vars["timezone"]); ok {
		return loc
	}
	return time.UTC
}

// timeZoneInterval reads SET TIME ZONE INTERVAL '…' [HOUR TO MINUTE], an
// offset east of UTC; ok is false for any other value.
func timeZoneInterval(v ast.Expr) (zone string, ok bool, err error) {
	c, isCast := v.(*ast.Cast)
	if !isCast || c.Type.Name != "interval" {
		return "", false, nil
	}
	l, isLit := c.Expr.(*ast.Literal)
	if !isLit || l.Kind != ast.LitString {
		return "", false, nil
	}
	d, err := types.ParseInterval(l.Text)
	if err != nil {
		return "", true, err
	}
	iv := d.(types.Interval)
	if iv.Months != 0 || iv.Days != 0 {
		return "", true, pgerror.New(pgerror.InvalidParameterValue, "invalid interval value for time zone: month not allowed")
	}
	return types.FixedZone(iv.Micros / types.MicrosPerSecond).String(), true, nil
}
