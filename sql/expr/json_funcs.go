package expr

import (
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// jsonb operators and functions. Set-returning ones (jsonb_each,
// jsonb_object_keys, jsonb_array_elements) wait for set-returning
// functions in the planner.

var textArray = types.ArrayOf(types.Text)

func errJSONParam(format string, args ...any) error {
	return pgerror.New(pgerror.InvalidParameterValue, format, args...)
}

// newJSONBinary resolves the jsonb operators; ok is false when neither
// operand is jsonb (or json for -> and ->>).
func newJSONBinary(op string, l, r Expr) (Expr, error) {
	var err error
	lt := l.Type()
	if lt.Kind == types.KindJSON {
		// json's operators answer as jsonb's do, in json's type.
		if l, err = NewCast(l, types.JSONB); err != nil {
			return nil, err
		}
	}
	if l.Type().Kind == types.KindUnknown {
		if l, err = Coerce(l, types.JSONB); err != nil {
			return nil, err
		}
	}
	if l.Type().Kind != types.KindJSONB {
		return nil, errNoOperator(op, lt, r.Type())
	}
	rt := r.Type()
	mk := func(t types.T, right types.T, fn func(j *types.JSONValue, x types.Datum) (types.Datum, error)) (Expr, error) {
		rr, err := coerceArg(r, right)
		if err != nil {
			return nil, errNoOperator(op, lt, rt)
		}
		if lt.Kind == types.KindJSON && t.Kind == types.KindJSONB {
			t = types.JSON
		}
		outT := t
		return &rowExpr{name: op, infix: true, args: []Expr{l, rr}, t: outT, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				d, err := fn(a[0].(*types.JSONValue), a[1])
				if err == nil && d != nil && outT.Kind == types.KindJSON {
					d = types.FormatJSONB(d.(*types.JSONValue))
				}
				return d, err
			}}, nil
	}
	asText := func(v *types.JSONValue) types.Datum {
		switch {
		case v == nil || v.Type == types.JSONNull:
			return nil
		case v.Type == types.JSONString:
			return v.Str
		}
		return types.FormatJSONB(v)
	}
	asJSON := func(v *types.JSONValue) types.Datum {
		if v == nil {
			return nil
		}
		return v
	}
	intKey := rt.IsInteger()
	switch op {
	case "->", "->>":
		text := op == "->>"
		wrap := func(v *types.JSONValue) types.Datum {
			if text {
				return asText(v)
			}
			return asJSON(v)
		}
		t := types.JSONB
		if text {
			t = types.Text
		}
		if intKey {
			return mk(t, types.Int32, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
				if i := x.(int64); j.Type != types.JSONArray && j.Type != types.JSONObject && (i == 0 || i == -1) {
					// PostgreSQL stores a scalar as a one-element array, and
					// -> int reads it as one.
					return wrap(j), nil
				}
				return wrap(jsonIndex(j, x.(int64))), nil
			})
		}
		return mk(t, types.Text, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			return wrap(j.Get(x.(string))), nil
		})
	case "#>", "#>>":
		text := op == "#>>"
		t := types.JSONB
		if text {
			t = types.Text
		}
		return mk(t, textArray, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			v := jsonPath(j, x.(types.Array))
			if text {
				return asText(v), nil
			}
			return asJSON(v), nil
		})
	case "?":
		return mk(types.Bool, types.Text, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			return jsonExists(j, x.(string)), nil
		})
	case "?|", "?&":
		any := op == "?|"
		return mk(types.Bool, textArray, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			for _, k := range x.(types.Array) {
				if k == nil {
					continue
				}
				if jsonExists(j, k.(string)) == any {
					return any, nil
				}
			}
			return !any, nil
		})
	case "@>", "<@":
		return mk(types.Bool, types.JSONB, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			if op == "@>" {
				return types.JSONContains(j, x.(*types.JSONValue)), nil
			}
			return types.JSONContains(x.(*types.JSONValue), j), nil
		})
	case "||":
		return mk(types.JSONB, types.JSONB, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			return jsonConcat(j, x.(*types.JSONValue)), nil
		})
	case "#-":
		return mk(types.JSONB, textArray, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			return jsonDeletePath(j, x.(types.Array))
		})
	case "-":
		switch {
		case intKey:
			return mk(types.JSONB, types.Int32, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
				return jsonDeleteIndex(j, x.(int64))
			})
		case isArray(rt):
			return mk(types.JSONB, textArray, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
				var keys []string
				for _, k := range x.(types.Array) {
					if k != nil {
						keys = append(keys, k.(string))
					}
				}
				return jsonDeleteKeys(j, keys...)
			})
		}
		return mk(types.JSONB, types.Text, func(j *types.JSONValue, x types.Datum) (types.Datum, error) {
			return jsonDeleteKeys(j, x.(string))
		})
	}
	return nil, errNoOperator(op, lt, rt)
}

// isJSONOp reports whether op is one of the operators only jsonb has.
func isJSONOp(op string) bool {
	switch op {
	case "->", "->>", "#>", "#>>", "?", "?|", "?&":
		return true
	}
	return false
}

func jsonIndex(j *types.JSONValue, i int64) *types.JSONValue {
	if j.Type != types.JSONArray {
		return nil
	}
	n := int64(len(j.Elems))
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil
	}
	return j.Elems[i]
}

// jsonPath follows a #> path; nil when a step is missing.
func jsonPath(j *types.JSONValue, path types.Array) *types.JSONValue {
	for _, p := range path {
		if p == nil || j == nil {
			return nil
		}
		switch j.Type {
		case types.JSONObject:
			j = j.Get(p.(string))
		case types.JSONArray:
			i, err := strconv.ParseInt(strings.TrimSpace(p.(string)), 10, 64)
			if err != nil {
				return nil
			}
			j = jsonIndex(j, i)
		default:
			return nil
		}
	}
	return j
}

// jsonExists is jsonb ? key: an object's key, or a string element of an
// array (or the string itself, for a top-level string).
func jsonExists(j *types.JSONValue, k string) bool {
	switch j.Type {
	case types.JSONObject:
		return j.Get(k) != nil
	case types.JSONArray:
		for _, e := range j.Elems {
			if e.Type == types.JSONString && e.Str == k {
				return true
			}
		}
	case types.JSONString:
		return j.Str == k
	}
	return false
}

// jsonConcat is jsonb || jsonb: objects merge (the right wins), anything
// else concatenates as arrays, a non-array operand as a one-element array.
func jsonConcat(a, b *types.JSONValue) *types.JSONValue {
	if a.Type == types.JSONObject && b.Type == types.JSONObject {
		keys := append(append([]string{}, a.Keys...), b.Keys...)
		vals := append(append([]*types.JSONValue{}, a.Vals...), b.Vals...)
		return types.NewJSONObject(keys, vals)
	}
	elems := func(v *types.JSONValue) []*types.JSONValue {
		if v.Type == types.JSONArray {
			return v.Elems
		}
		return []*types.JSONValue{v}
	}
	return types.NewJSONArray(append(append([]*types.JSONValue{}, elems(a)...), elems(b)...))
}

func jsonDeleteKeys(j *types.JSONValue, keys ...string) (types.Datum, error) {
	drop := func(s string) bool {
		for _, k := range keys {
			if k == s {
				return true
			}
		}
		return false
	}
	switch j.Type {
	case types.JSONObject:
		var ks []string
		var vs []*types.JSONValue
		for i, k := range j.Keys {
			if !drop(k) {
				ks, vs = append(ks, k), append(vs, j.Vals[i])
			}
		}
		return types.NewJSONObject(ks, vs), nil
	case types.JSONArray:
		var out []*types.JSONValue
		for _, e := range j.Elems {
			if e.Type != types.JSONString || !drop(e.Str) {
				out = append(out, e)
			}
		}
		return types.NewJSONArray(out), nil
	}
	return nil, errJSONParam("cannot delete from scalar")
}

func jsonDeleteIndex(j *types.JSONValue, i int64) (types.Datum, error) {
	switch j.Type {
	case types.JSONObject:
		return nil, errJSONParam("cannot delete from object using integer index")
	case types.JSONArray:
		n := int64(len(j.Elems))
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return j, nil
		}
		out := append(append([]*types.JSONValue{}, j.Elems[:i]...), j.Elems[i+1:]...)
		return types.NewJSONArray(out), nil
	}
	return nil, errJSONParam("cannot delete from scalar")
}

// ToJSON converts a datum of type t to jsonb as to_jsonb does: numbers
// stay numbers (a non-finite float becomes a string), dates and times are
// ISO 8601 strings, arrays become arrays, NULL is null.
func ToJSON(t types.T, d types.Datum) *types.JSONValue {
	if d == nil {
		return types.JSONNullValue
	}
	switch v := d.(type) {
	case bool:
		return types.NewJSONBool(v)
	case int64:
		if t.IsOid() {
			break
		}
		return types.NewJSONNumber(apd.New(v, 0))
	case float64:
		s := types.FormatText(t, v)
		if n, err := types.ParseNumeric(s); err == nil && n.Form == apd.Finite {
			return types.NewJSONNumber(types.NormalizeNumeric(n))
		}
		return types.NewJSONString(s)
	case *apd.Decimal:
		if v.Form == apd.Finite {
			return types.NewJSONNumber(v)
		}
	case *types.JSONValue:
		return v
	case types.Array:
		elem := t.ElemType()
		out := make([]*types.JSONValue, len(v))
		for i, e := range v {
			out[i] = ToJSON(elem, e)
		}
		return types.NewJSONArray(out)
	case types.Timestamp:
		s := types.FormatText(t, v)
		if v != types.TimestampPosInfinity && v != types.TimestampNegInfinity {
			s = strings.Replace(s, " ", "T", 1)
			if t.Kind == types.KindTimestampTZ {
				s = strings.Replace(s, "+00", "+00:00", 1)
			}
		}
		return types.NewJSONString(s)
	case string:
		if t.Kind == types.KindJSON {
			if j, err := types.ParseJSONB(v); err == nil {
				return j
			}
		}
	}
	return types.NewJSONString(types.FormatText(t, d))
}

// untypedAsText gives untyped literals among function arguments type text, as
// PostgreSQL does for "any" parameters.
func untypedAsText(args []Expr) ([]Expr, error) {
	out := make([]Expr, len(args))
	for i, a := range args {
		if a.Type().Kind == types.KindUnknown {
			c, err := Coerce(a, types.Text)
			if err != nil {
				return nil, err
			}
			a = c
		}
		out[i] = a
	}
	return out, nil
}

func jsonbFunc(name string, params []types.T, ret types.T, fn func(a []types.Datum) (types.Datum, error)) overloadList {
	return typed(params, ret, func(args []Expr) (Expr, error) {
		return call(name, args, params, ret, func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a) })
	})
}

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 0 {
			return nil, errNoMatch
		}
		return &rowExpr{name: "gen_random_uuid", t: types.UUID, volatile: true,
			fn: func(*Context, []types.Datum) (types.Datum, error) { return types.NewRandomUUID(), nil }}, nil
	}, "() uuid"), "gen_random_uuid")
	register(custom(func(args []Expr) (Expr, error) {
		args, err := untypedAsText(args)
		if err != nil {
			return nil, err
		}
		if len(args)%2 != 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of jsonb_build_object() must consist of alternating keys and values.")
		}
		ts := argTypes(args)
		return &rowExpr{name: "jsonb_build_object", args: args, t: types.JSONB,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				keys := make([]string, 0, len(a)/2)
				vals := make([]*types.JSONValue, 0, len(a)/2)
				for i := 0; i < len(a); i += 2 {
					if a[i] == nil {
						return nil, errJSONParam("argument %d: key must not be null", i+1)
					}
					k := ToJSON(ts[i], a[i])
					if k.Type != types.JSONString && k.Type != types.JSONNumber && k.Type != types.JSONBool {
						return nil, errJSONParam("key value must be scalar, not array, composite, or json")
					}
					ks := types.FormatText(ts[i], a[i])
					if ts[i].Kind == types.KindBool {
						ks = strconv.FormatBool(a[i].(bool))
					}
					keys = append(keys, ks)
					vals = append(vals, ToJSON(ts[i+1], a[i+1]))
				}
				return types.NewJSONObject(keys, vals), nil
			}}, nil
	}, "(VARIADIC any) jsonb"), "jsonb_build_object")
	register(custom(func(args []Expr) (Expr, error) {
		args, err := untypedAsText(args)
		if err != nil {
			return nil, err
		}
		ts := argTypes(args)
		return &rowExpr{name: "jsonb_build_array", args: args, t: types.JSONB,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				out := make([]*types.JSONValue, len(a))
				for i, d := range a {
					out[i] = ToJSON(ts[i], d)
				}
				return types.NewJSONArray(out), nil
			}}, nil
	}, "(VARIADIC any) jsonb"), "jsonb_build_array")
	register(custom(func(args []Expr) (Expr, error) {
		args, err := untypedAsText(args)
		if err != nil || len(args) != 1 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		return &rowExpr{name: "to_jsonb", args: args, t: types.JSONB, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return ToJSON(t, a[0]), nil }}, nil
	}, "(anyelement) jsonb"), "to_jsonb")
	tJ := []types.T{types.JSONB}
	register(jsonbFunc("jsonb_array_length", tJ, types.Int32, func(a []types.Datum) (types.Datum, error) {
		j := a[0].(*types.JSONValue)
		switch j.Type {
		case types.JSONArray:
			return int64(len(j.Elems)), nil
		case types.JSONObject:
			return nil, errJSONParam("cannot get array length of a non-array")
		}
		return nil, errJSONParam("cannot get array length of a scalar")
	}), "jsonb_array_length")
	register(jsonbFunc("jsonb_typeof", tJ, types.Text, func(a []types.Datum) (types.Datum, error) {
		return types.JSONTypeOf(a[0].(*types.JSONValue)), nil
	}), "jsonb_typeof")
	for _, name := range []string{"jsonb_extract_path", "jsonb_extract_path_text"} {
		text := strings.HasSuffix(name, "_text")
		ret := types.JSONB
		if text {
			ret = types.Text
		}
		register(custom(func(args []Expr) (Expr, error) {
			if len(args) < 1 {
				return nil, errNoMatch
			}
			params := append([]types.T{types.JSONB}, repeatT(types.Text, len(args)-1)...)
			return call(name, args, params, ret, func(_ *Context, a []types.Datum) (types.Datum, error) {
				path := types.Array(a[1:])
				v := jsonPath(a[0].(*types.JSONValue), path)
				switch {
				case v == nil:
					return nil, nil
				case !text:
					return v, nil
				case v.Type == types.JSONNull:
					return nil, nil
				case v.Type == types.JSONString:
					return v.Str, nil
				}
				return types.FormatJSONB(v), nil
			})
		}, "(jsonb, VARIADIC text[]) "+ret.String()), name)
	}
	register(jsonbFunc("jsonb_strip_nulls", tJ, types.JSONB, func(a []types.Datum) (types.Datum, error) {
		return jsonStripNulls(a[0].(*types.JSONValue)), nil
	}), "jsonb_strip_nulls")
}

func jsonStripNulls(v *types.JSONValue) *types.JSONValue {
	switch v.Type {
	case types.JSONObject:
		var ks []string
		var vs []*types.JSONValue
		for i, k := range v.Keys {
			if v.Vals[i].Type != types.JSONNull {
				ks, vs = append(ks, k), append(vs, jsonStripNulls(v.Vals[i]))
			}
		}
		return types.NewJSONObject(ks, vs)
	case types.JSONArray:
		out := make([]*types.JSONValue, len(v.Elems))
		for i, e := range v.Elems {
			out[i] = jsonStripNulls(e)
		}
		return types.NewJSONArray(out)
	}
	return v
}
