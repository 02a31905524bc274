package expr

import (
	"slices"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Records (types.KindRecord): the anonymous composite a set-returning
// function of several columns gives when it is a whole target
// (SELECT _pg_expandarray(a)), and (record).field to read one field back.

// NewRecord builds a record of the given fields.
func NewRecord(names []string, fields []Expr) Expr {
	t := types.RecordOf(names, argTypes(fields))
	return &rowExpr{built: built{&origin{ctor: ctorRecord, names: slices.Clone(names), args: slices.Clone(fields)}}, name: "ROW", args: fields, t: t,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			return append(types.Array(nil), a...), nil
		}, display: func(args []Expr) string { return "ROW(" + joinExprs(args) + ")" }}
}

// NewFieldSelect is (e).field for a record e; a NULL record gives NULL.
func NewFieldSelect(e Expr, field string) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorFieldSelect, name: field, args: []Expr{e}})
	t := e.Type()
	if t.Kind != types.KindRecord {
		return nil, pgerror.New(pgerror.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", field, t)
	}
	shape := t.Shape()
	for i, name := range shape.Names {
		if name != field {
			continue
		}
		return &rowExpr{name: "field", args: []Expr{e}, t: shape.Types[i], strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				r := a[0].(types.Array)
				if i >= len(r) {
					return nil, nil
				}
				return r[i], nil
			}, display: func(args []Expr) string { return "(" + args[0].String() + ")." + field }}, nil
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "could not identify column %q in record data type", field)
}
