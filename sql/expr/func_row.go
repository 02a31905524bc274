package expr

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// row(a, b, …) is the row constructor ROW(a, b, …) (the parser writes it as
// this call): an anonymous record whose fields are named f1, f2, … as
// PostgreSQL names them (row_to_json(ROW(1, 'a')) is {"f1":1,"f2":"a"}).
// Unknown literals become text.
func init() {
	register(custom(func(args []Expr) (Expr, error) {
		names := make([]string, len(args))
		fields := make([]Expr, len(args))
		for i, a := range args {
			names[i] = "f" + strconv.Itoa(i+1)
			fields[i] = a
			if a.Type().Kind == types.KindUnknown {
				c, err := Coerce(a, tText)
				if err != nil {
					return nil, err
				}
				fields[i] = c
			}
		}
		return NewRecord(names, fields), nil
	}, "(VARIADIC any) record"), "row")
}

// row_to_json(record) is the record as a json object, keys in field order,
// written compactly as PostgreSQL writes it ({"f1":1,"f2":"a"}).
func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 || args[0].Type().Kind != types.KindRecord {
			return nil, errNoMatch
		}
		shape := args[0].Type().Shape()
		return &rowExpr{name: "row_to_json", args: args, t: types.JSON, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				var sb strings.Builder
				sb.WriteByte('{')
				for i, d := range a[0].(types.Array) {
					if i >= len(shape.Names) {
						break
					}
					if i > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(types.FormatJSONB(types.NewJSONString(shape.Names[i])))
					sb.WriteByte(':')
					writeCompactJSON(&sb, ToJSON(shape.Types[i], d))
				}
				sb.WriteByte('}')
				return sb.String(), nil
			}}, nil
	}, "(record) json"), "row_to_json")
}

// writeCompactJSON writes v as json's output does for a value built from
// SQL data: no white space between elements.
func writeCompactJSON(sb *strings.Builder, v *types.JSONValue) {
	switch v.Type {
	case types.JSONArray:
		sb.WriteByte('[')
		for i, e := range v.Elems {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCompactJSON(sb, e)
		}
		sb.WriteByte(']')
	case types.JSONObject:
		sb.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(types.FormatJSONB(types.NewJSONString(k)))
			sb.WriteByte(':')
			writeCompactJSON(sb, v.Vals[i])
		}
		sb.WriteByte('}')
	default:
		sb.WriteString(types.FormatJSONB(v))
	}
}
