package expr

import "github.com/eddy-db/eddy/sql/types"

// NewIntervalFieldsCast is e::INTERVAL <fields> (INTERVAL '2' HOUR): text
// is read under the restriction, and an interval keeps only the fields
// down to its last one.
func NewIntervalFieldsCast(e Expr, fields string) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorIntervalFields, name: fields, args: []Expr{e}})
	if t := e.Type(); t.Kind == types.KindUnknown || t.IsString() {
		in, err := coerceArg(e, types.Text)
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "interval " + fields, args: []Expr{in}, t: types.IntervalType, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				return types.ParseIntervalFields(a[0].(string), fields)
			}}, nil
	}
	c, err := NewCast(e, types.IntervalType)
	if err != nil {
		return nil, err
	}
	return &rowExpr{name: "interval " + fields, args: []Expr{c}, t: types.IntervalType, strict: true,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			return types.RestrictInterval(a[0].(types.Interval), fields), nil
		}}, nil
}
