package expr

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// jsonb_set, jsonb_insert, #- (delete a path), jsonb_pretty, and the json
// (not jsonb) builders json_build_object and json_build_array.

func init() {
	textArr := types.ArrayOf(types.Text)
	register(custom(func(args []Expr) (Expr, error) {
		params := []types.T{types.JSONB, textArr, types.JSONB, types.Bool}
		if len(args) == 3 {
			params = params[:3]
		}
		return call("jsonb_set", args, params, types.JSONB, func(_ *Context, a []types.Datum) (types.Datum, error) {
			create := len(a) < 4 || a[3].(bool)
			return jsonSetPath(a[0].(*types.JSONValue), a[1].(types.Array), a[2].(*types.JSONValue), create, false, false)
		})
	}, "(jsonb, text[], jsonb) jsonb", "(jsonb, text[], jsonb, boolean) jsonb"), "jsonb_set")
	register(custom(func(args []Expr) (Expr, error) {
		params := []types.T{types.JSONB, textArr, types.JSONB, types.Bool}
		if len(args) == 3 {
			params = params[:3]
		}
		return call("jsonb_insert", args, params, types.JSONB, func(_ *Context, a []types.Datum) (types.Datum, error) {
			after := len(a) == 4 && a[3].(bool)
			return jsonSetPath(a[0].(*types.JSONValue), a[1].(types.Array), a[2].(*types.JSONValue), true, true, after)
		})
	}, "(jsonb, text[], jsonb) jsonb", "(jsonb, text[], jsonb, boolean) jsonb"), "jsonb_insert")
	register(jsonbFunc("jsonb_pretty", []types.T{types.JSONB}, types.Text, func(a []types.Datum) (types.Datum, error) {
		var sb strings.Builder
		writePrettyJSON(&sb, a[0].(*types.JSONValue), 0)
		return sb.String(), nil
	}), "jsonb_pretty")
	register(custom(func(args []Expr) (Expr, error) {
		args, err := untypedAsText(args)
		if err != nil {
			return nil, err
		}
		if len(args)%2 != 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of json_build_object() must consist of alternating keys and values.")
		}
		ts := argTypes(args)
		return &rowExpr{name: "json_build_object", args: args, t: types.JSON,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				var sb strings.Builder
				sb.WriteByte('{')
				for i := 0; i < len(a); i += 2 {
					if a[i] == nil {
						return nil, pgerror.New(pgerror.NullValueNotAllowed, "null value not allowed for object key")
					}
					if i > 0 {
						sb.WriteString(", ")
					}
					types.WriteJSONString(&sb, datumText(ts[i], a[i]))
					sb.WriteString(" : ")
					writeJSONDatum(&sb, ts[i+1], a[i+1])
				}
				sb.WriteByte('}')
				return sb.String(), nil
			}}, nil
	}, "(VARIADIC any) json"), "json_build_object")
	register(custom(func(args []Expr) (Expr, error) {
		args, err := untypedAsText(args)
		if err != nil {
			return nil, err
		}
		ts := argTypes(args)
		return &rowExpr{name: "json_build_array", args: args, t: types.JSON,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				var sb strings.Builder
				sb.WriteByte('[')
				for i, d := range a {
					if i > 0 {
						sb.WriteString(", ")
					}
					writeJSONDatum(&sb, ts[i], d)
				}
				sb.WriteByte(']')
				return sb.String(), nil
			}}, nil
	}, "(VARIADIC any) json"), "json_build_array")
}

// writeJSONDatum writes d as json's builders do: json text as it is,
// jsonb in its output form, anything else as to_json would.
func writeJSONDatum(sb *strings.Builder, t types.T, d types.Datum) {
	switch {
	case d == nil:
		sb.WriteString("null")
	case t.Kind == types.KindJSON:
		sb.WriteString(d.(string))
	case t.Kind == types.KindJSONB:
		sb.WriteString(types.FormatJSONB(d.(*types.JSONValue)))
	default:
		writeCompactJSON(sb, ToJSON(t, d))
	}
}

func errPathNotInteger(pos int, s string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", pos, s)
}

// jsonSetPath is jsonb_set (insert false) and jsonb_insert (insert true).
func jsonSetPath(j *types.JSONValue, path types.Array, v *types.JSONValue, create, insert, after bool) (types.Datum, error) {
	if j.Type != types.JSONArray && j.Type != types.JSONObject {
		return nil, errJSONParam("cannot set path in scalar")
	}
	for _, p := range path {
		if p == nil {
			return nil, errJSONParam("path element at position %d is null", 1)
		}
	}
	if len(path) == 0 {
		return j, nil
	}
	return setPathAt(j, path, 0, v, create, insert, after)
}

func setPathAt(j *types.JSONValue, path types.Array, level int, v *types.JSONValue, create, insert, after bool) (*types.JSONValue, error) {
	key := path[level].(string)
	last := level == len(path)-1
	switch j.Type {
	case types.JSONObject:
		keys := append([]string{}, j.Keys...)
		vals := append([]*types.JSONValue{}, j.Vals...)
		for i, k := range keys {
			if k != key {
				continue
			}
			if last {
				if insert {
					return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot replace existing key").
						WithHint("Try using the function jsonb_set to replace key value.")
				}
				vals[i] = v
			} else {
				nv, err := setPathAt(vals[i], path, level+1, v, create, insert, after)
				if err != nil {
					return nil, err
				}
				vals[i] = nv
			}
			return types.NewJSONObject(keys, vals), nil
		}
		if last && create {
			return types.NewJSONObject(append(keys, key), append(vals, v)), nil
		}
		return j, nil
	case types.JSONArray:
		idx, err := strconv.Atoi(strings.TrimSpace(key))
		if err != nil {
			return nil, errPathNotInteger(level+1, key)
		}
		n := len(j.Elems)
		if idx < 0 {
			if -idx > n {
				idx = -1 // before the first element
			} else {
				idx += n
			}
		}
		elems := append([]*types.JSONValue{}, j.Elems...)
		switch {
		case idx >= 0 && idx < n && last && insert:
			at := idx
			if after {
				at++
			}
			elems = append(elems[:at], append([]*types.JSONValue{v}, elems[at:]...)...)
		case idx >= 0 && idx < n && last:
			elems[idx] = v
		case idx >= 0 && idx < n:
			nv, err := setPathAt(elems[idx], path, level+1, v, create, insert, after)
			if err != nil {
				return nil, err
			}
			elems[idx] = nv
		case last && create && idx < 0:
			elems = append([]*types.JSONValue{v}, elems...)
		case last && create:
			elems = append(elems, v)
		default:
			return j, nil
		}
		return types.NewJSONArray(elems), nil
	}
	return j, nil
}

// jsonDeletePath is jsonb #- text[].
func jsonDeletePath(j *types.JSONValue, path types.Array) (types.Datum, error) {
	if j.Type != types.JSONArray && j.Type != types.JSONObject {
		return nil, errJSONParam("cannot delete path in scalar")
	}
	for i, p := range path {
		if p == nil {
			return nil, errJSONParam("path element at position %d is null", i+1)
		}
	}
	if len(path) == 0 {
		return j, nil
	}
	return deletePathAt(j, path, 0)
}

func deletePathAt(j *types.JSONValue, path types.Array, level int) (*types.JSONValue, error) {
	key := path[level].(string)
	last := level == len(path)-1
	switch j.Type {
	case types.JSONObject:
		for i, k := range j.Keys {
			if k != key {
				continue
			}
			keys := append([]string{}, j.Keys...)
			vals := append([]*types.JSONValue{}, j.Vals...)
			if last {
				return types.NewJSONObject(append(keys[:i], keys[i+1:]...), append(vals[:i], vals[i+1:]...)), nil
			}
			nv, err := deletePathAt(vals[i], path, level+1)
			if err != nil {
				return nil, err
			}
			vals[i] = nv
			return types.NewJSONObject(keys, vals), nil
		}
	case types.JSONArray:
		idx, err := strconv.Atoi(strings.TrimSpace(key))
		if err != nil {
			return nil, errPathNotInteger(level+1, key)
		}
		n := len(j.Elems)
		if idx < 0 {
			idx += n
		}
		if idx < 0 || idx >= n {
			return j, nil
		}
		elems := append([]*types.JSONValue{}, j.Elems...)
		if last {
			return types.NewJSONArray(append(elems[:idx], elems[idx+1:]...)), nil
		}
		nv, err := deletePathAt(elems[idx], path, level+1)
		if err != nil {
			return nil, err
		}
		elems[idx] = nv
		return types.NewJSONArray(elems), nil
	}
	return j, nil
}

// writePrettyJSON is jsonb_pretty's layout: four-space indentation, one
// element or key per line.
func writePrettyJSON(sb *strings.Builder, v *types.JSONValue, depth int) {
	indent := func(d int) { sb.WriteString(strings.Repeat("    ", d)) }
	switch v.Type {
	case types.JSONObject:
		if len(v.Keys) == 0 {
			sb.WriteString("{\n")
			indent(depth)
			sb.WriteString("}")
			return
		}
		sb.WriteString("{\n")
		for i, k := range v.Keys {
			if i > 0 {
				sb.WriteString(",\n")
			}
			indent(depth + 1)
			types.WriteJSONString(sb, k)
			sb.WriteString(": ")
			writePrettyJSON(sb, v.Vals[i], depth+1)
		}
		sb.WriteString("\n")
		indent(depth)
		sb.WriteString("}")
	case types.JSONArray:
		if len(v.Elems) == 0 {
			sb.WriteString("[\n")
			indent(depth)
			sb.WriteString("]")
			return
		}
		sb.WriteString("[\n")
		for i, e := range v.Elems {
			if i > 0 {
				sb.WriteString(",\n")
			}
			indent(depth + 1)
			writePrettyJSON(sb, e, depth+1)
		}
		sb.WriteString("\n")
		indent(depth)
		sb.WriteString("]")
	default:
		sb.WriteString(types.FormatJSONB(v))
	}
}

// JSONText is d as json text, the way json_agg and json_build_array write
// a value (NULL is null).
func JSONText(t types.T, d types.Datum) string {
	var sb strings.Builder
	writeJSONDatum(&sb, t, d)
	return sb.String()
}
