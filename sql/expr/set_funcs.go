package expr

import (
	"regexp"
	"strconv"

	"github.com/eddy-db/eddy/sql/types"
)

// Set-returning functions whose rows depend only on their arguments:
// jsonb_each, jsonb_each_text, jsonb_object_keys, jsonb_array_elements,
// jsonb_array_elements_text, regexp_matches and regexp_split_to_table.
// The planner types a call with ResolveSetFunc and casts the arguments to
// its Params; the executor evaluates them once and asks Rows for the
// whole result. (generate_series and unnest, which stream or read several
// arrays side by side, are the planner's and executor's own.)

// SetFuncColumn is one output column of a set-returning function.
type SetFuncColumn struct {
	Name string
	T    types.T
}

// SetFunc is a resolved set-returning function call.
type SetFunc struct {
	Params []types.T
	Cols   []SetFuncColumn
	// Rows computes the result rows from arguments of the Params types;
	// a NULL argument gives no rows (the functions are strict).
	Rows func(args []types.Datum) ([][]types.Datum, error)
}

type setFuncResolver func(argTypes []types.T) (*SetFunc, bool)

var setFuncs = map[string]setFuncResolver{}

// IsSetFunc reports whether name is one of these set-returning functions.
func IsSetFunc(name string) bool { _, ok := setFuncs[name]; return ok }

// ResolveSetFunc types a call of name with arguments of argTypes; 42883
// when no variant takes them.
func ResolveSetFunc(name string, argTypes []types.T) (*SetFunc, error) {
	if r, ok := setFuncs[name]; ok {
		for _, t := range argTypes {
			if t.Kind == types.KindJSON && name != "regexp_matches" && name != "regexp_split_to_table" {
				// json has its own json_* family; jsonb_* do not take it.
				return nil, errSetFunc(name, argTypes)
			}
		}
		if f, ok := r(argTypes); ok {
			return f, nil
		}
	}
	return nil, errSetFunc(name, argTypes)
}

func errSetFunc(name string, argTypes []types.T) error {
	names := make([]Expr, len(argTypes))
	for i, t := range argTypes {
		names[i] = NewConst(nil, t)
	}
	return errNoFunction(name, names)
}

// fits reports whether arguments of types ts can be passed as params.
func fits(ts, params []types.T) bool {
	if len(ts) != len(params) {
		return false
	}
	for i, t := range ts {
		if t.Kind == types.KindUnknown || t.Kind == params[i].Kind && t.Elem == params[i].Elem {
			continue
		}
		if types.CastContext(t, params[i]) != types.CastImplicit {
			return false
		}
	}
	return true
}

func init() {
	jsonText := func(v *types.JSONValue) types.Datum {
		switch v.Type {
		case types.JSONNull:
			return nil
		case types.JSONString:
			return v.Str
		}
		return types.FormatJSONB(v)
	}
	jsonb := []types.T{types.JSONB}
	for _, name := range []string{"jsonb_each", "jsonb_each_text"} {
		name := name
		valT := types.JSONB
		if name == "jsonb_each_text" {
			valT = types.Text
		}
		setFuncs[name] = func(ts []types.T) (*SetFunc, bool) {
			if !fits(ts, jsonb) {
				return nil, false
			}
			return &SetFunc{Params: jsonb, Cols: []SetFuncColumn{{"key", types.Text}, {"value", valT}},
				Rows: func(a []types.Datum) ([][]types.Datum, error) {
					j := a[0].(*types.JSONValue)
					if j.Type != types.JSONObject {
						return nil, errJSONParam("cannot call %s on a non-object", name)
					}
					rows := make([][]types.Datum, len(j.Keys))
					for i, k := range j.Keys {
						var v types.Datum = j.Vals[i]
						if valT.Kind == types.KindText {
							v = jsonText(j.Vals[i])
						}
						rows[i] = []types.Datum{k, v}
					}
					return rows, nil
				}}, true
		}
	}
	setFuncs["jsonb_object_keys"] = func(ts []types.T) (*SetFunc, bool) {
		if !fits(ts, jsonb) {
			return nil, false
		}
		return &SetFunc{Params: jsonb, Cols: []SetFuncColumn{{"jsonb_object_keys", types.Text}},
			Rows: func(a []types.Datum) ([][]types.Datum, error) {
				j := a[0].(*types.JSONValue)
				switch j.Type {
				case types.JSONObject:
				case types.JSONArray:
					return nil, errJSONParam("cannot call jsonb_object_keys on an array")
				default:
					return nil, errJSONParam("cannot call jsonb_object_keys on a scalar")
				}
				rows := make([][]types.Datum, len(j.Keys))
				for i, k := range j.Keys {
					rows[i] = []types.Datum{k}
				}
				return rows, nil
			}}, true
	}
	for _, name := range []string{"jsonb_array_elements", "jsonb_array_elements_text"} {
		valT := types.JSONB
		if name == "jsonb_array_elements_text" {
			valT = types.Text
		}
		setFuncs[name] = func(ts []types.T) (*SetFunc, bool) {
			if !fits(ts, jsonb) {
				return nil, false
			}
			return &SetFunc{Params: jsonb, Cols: []SetFuncColumn{{"value", valT}},
				Rows: func(a []types.Datum) ([][]types.Datum, error) {
					j := a[0].(*types.JSONValue)
					switch j.Type {
					case types.JSONArray:
					case types.JSONObject:
						return nil, errJSONParam("cannot extract elements from an object")
					default:
						return nil, errJSONParam("cannot extract elements from a scalar")
					}
					rows := make([][]types.Datum, len(j.Elems))
					for i, e := range j.Elems {
						var v types.Datum = e
						if valT.Kind == types.KindText {
							v = jsonText(e)
						}
						rows[i] = []types.Datum{v}
					}
					return rows, nil
				}}, true
		}
	}
	regexpSet := func(name string, col types.T, allowGlobal bool, rows func(re *regexp.Regexp, global bool, s string) [][]types.Datum) {
		cache := &regexCache{}
		setFuncs[name] = func(ts []types.T) (*SetFunc, bool) {
			params := repeatT(tText, len(ts))
			if len(ts) < 2 || len(ts) > 3 || !fits(ts, params) {
				return nil, false
			}
			return &SetFunc{Params: params, Cols: []SetFuncColumn{{name, col}},
				Rows: func(a []types.Datum) ([][]types.Datum, error) {
					flags := ""
					if len(a) == 3 {
						flags = a[2].(string)
					}
					global, ci, err := regexpFlags(flags, allowGlobal, name)
					if err != nil {
						return nil, err
					}
					p := a[1].(string)
					re, err := cache.get(strconv.FormatBool(ci)+"\x00"+p, func() (*regexp.Regexp, error) { return compileRegex(pgRegexSyntax(p), ci) })
					if err != nil {
						return nil, err
					}
					return rows(re, global, a[0].(string)), nil
				}}, true
		}
	}
	regexpSet("regexp_matches", types.ArrayOf(tText), true, func(re *regexp.Regexp, global bool, s string) [][]types.Datum {
		n := 1
		if global {
			n = -1
		}
		var rows [][]types.Datum
		for _, loc := range re.FindAllStringSubmatchIndex(s, n) {
			rows = append(rows, []types.Datum{matchGroups(s, loc)})
		}
		return rows
	})
	regexpSet("regexp_split_to_table", tText, false, func(re *regexp.Regexp, _ bool, s string) [][]types.Datum {
		var rows [][]types.Datum
		for _, p := range regexpSplit(re, s) {
			rows = append(rows, []types.Datum{p})
		}
		return rows
	})
}

// regexpSplit splits s at the matches of re as PostgreSQL's
// regexp_split_to_table does: a zero-length match at either end of s, or
// right after the previous match, does not split.
func regexpSplit(re *regexp.Regexp, s string) []string {
	var out []string
	start, prevEnd := 0, -1
	for _, m := range re.FindAllStringIndex(s, -1) {
		if m[0] == m[1] && (m[0] == 0 || m[0] == len(s) || m[0] == prevEnd) {
			continue
		}
		out = append(out, s[start:m[0]])
		start, prevEnd = m[1], m[1]
	}
	return append(out, s[start:])
}
