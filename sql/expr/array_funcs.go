package expr

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Arrays: the ARRAY[...] constructor, subscripts, op ANY/ALL (array), the
// array operators (= and the other comparisons, ||, @>, <@, &&) and the
// array functions. Arrays are one-dimensional with lower bound 1
// (types.Array).

func isArray(t types.T) bool { return t.Kind == types.KindArray }

// NewArray is ARRAY[elems]: the elements meet at their common type, as in
// a CASE; an all-untyped list is text[].
func NewArray(elems []Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorArray, args: elems})
	if len(elems) == 0 {
		return nil, pgerror.New(pgerror.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
	}
	t, err := CommonType(argTypes(elems), "ARRAY")
	if err != nil {
		return nil, err
	}
	if isArray(t) {
		// Sub-ARRAY constructors of different lengths are PostgreSQL's
		// error whatever the values; matching ones would be a 2-D array.
		n := -1
		for _, e := range elems {
			if r, ok := e.(*rowExpr); ok && r.name == "ARRAY" {
				if n >= 0 && len(r.args) != n {
					return nil, pgerror.New(pgerror.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
				}
				n = len(r.args)
			}
		}
		return nil, pgerror.Unsupported("multidimensional arrays are not supported")
	}
	if !types.HasArrayType(t.Kind) {
		return nil, pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", t)
	}
	args, err := coerceAll(elems, t)
	if err != nil {
		return nil, err
	}
	return &rowExpr{name: "ARRAY", args: args, t: types.ArrayOf(t),
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			return append(types.Array(nil), a...), nil
		}, display: func(args []Expr) string { return "ARRAY[" + joinExprs(args) + "]" }}, nil
}

// NewSubscript is arr[index]: NULL when the index is out of bounds. A
// jsonb subscript is jsonb -> key.
func NewSubscript(arr, index Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorSubscript, args: []Expr{arr, index}})
	t := arr.Type()
	if t.Kind == types.KindJSONB {
		return newJSONBinary("->", arr, index)
	}
	if !isArray(t) {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", t)
	}
	idx, err := coerceArg(index, types.Int32)
	if err != nil {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "array subscript must have type integer")
	}
	lower := t.LowerBound()
	return &rowExpr{name: "subscript", args: []Expr{arr, idx}, t: t.ElemType(), strict: true,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			arr, i := a[0].(types.Array), a[1].(int64)-lower
			if i < 0 || i >= int64(len(arr)) {
				return nil, nil
			}
			return arr[i], nil
		}, display: func(args []Expr) string { return args[0].String() + "[" + args[1].String() + "]" }}, nil
}

// NewAnyAll is e op ANY (arr) or e op ALL (arr) for a comparison op: ANY
// is true if some element compares true, ALL if every one does; otherwise
// NULL when e or an element is NULL, as PostgreSQL's ScalarArrayOpExpr.
func NewAnyAll(op string, all bool, e, arr Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorAnyAll, name: op, flags: []bool{all}, args: []Expr{e, arr}})
	if op == "!=" {
		op = "<>"
	}
	switch op {
	case "=", "<>", "<", "<=", ">", ">=":
	default:
		return nil, pgerror.Unsupported("operator %s with ANY/ALL is not supported", op)
	}
	at := arr.Type()
	if at.Kind == types.KindUnknown {
		et := e.Type()
		if et.Kind == types.KindUnknown {
			et = types.Text
		}
		if arr, err = Coerce(arr, types.ArrayOf(types.T{Kind: et.Kind})); err != nil {
			return nil, err
		}
		at = arr.Type()
	}
	if !isArray(at) {
		return nil, pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires array on right side")
	}
	elem := at.ElemType()
	if e.Type().Kind == types.KindUnknown {
		if e, err = Coerce(e, types.T{Kind: elem.Kind}); err != nil {
			return nil, err
		}
	}
	ct, ok := comparisonType(e.Type(), elem)
	if !ok {
		return nil, errNoOperator(op, e.Type(), elem)
	}
	if e, err = coerceImplicit(e, ct); err != nil {
		return nil, err
	}
	if ct.Kind != elem.Kind {
		if arr, err = NewCast(arr, types.ArrayOf(ct)); err != nil {
			return nil, err
		}
	}
	word := "ANY"
	if all {
		word = "ALL"
	}
	return &rowExpr{name: word, args: []Expr{e, arr}, t: types.Bool,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			if a[1] == nil {
				return nil, nil
			}
			list := a[1].(types.Array)
			if len(list) == 0 {
				return all, nil
			}
			if a[0] == nil {
				return nil, nil
			}
			sawNull := false
			for _, d := range list {
				if d == nil {
					sawNull = true
					continue
				}
				r := cmpResult(op, types.Compare(ct, a[0], d))
				if r && !all {
					return true, nil
				}
				if !r && all {
					return false, nil
				}
			}
			if sawNull {
				return nil, nil
			}
			return all, nil
		}, display: func(args []Expr) string {
			return "(" + args[0].String() + " " + op + " " + word + " (" + args[1].String() + "))"
		}}, nil
}

// arrayCommon converts two array operands (or an array and an untyped
// literal) to one array type.
func arrayCommon(l, r Expr) (Expr, Expr, types.T, error) {
	var err error
	lt, rt := l.Type(), r.Type()
	switch {
	case lt.Kind == types.KindUnknown:
		l, err = Coerce(l, rt)
		return l, r, rt, err
	case rt.Kind == types.KindUnknown:
		r, err = Coerce(r, lt)
		return l, r, lt, err
	case !isArray(lt) || !isArray(rt):
		return nil, nil, types.Unknown, errNoMatch
	case lt.Elem == rt.Elem:
		return l, r, lt, nil
	}
	et, err := CommonType([]types.T{lt.ElemType(), rt.ElemType()}, "ARRAY")
	if err != nil {
		return nil, nil, types.Unknown, errNoMatch
	}
	t := types.ArrayOf(et)
	if l, err = NewCast(l, t); err != nil {
		return nil, nil, t, err
	}
	r, err = NewCast(r, t)
	return l, r, t, err
}

// newArrayBinary resolves the operators on arrays; ok is false when
// neither operand is an array.
func newArrayBinary(op string, l, r Expr) (Expr, bool, error) {
	lt, rt := l.Type(), r.Type()
	if !isArray(lt) && !isArray(rt) {
		return nil, false, nil
	}
	infix := func(t types.T, strict bool, args []Expr, fn func(a []types.Datum) (types.Datum, error)) (Expr, bool, error) {
		return &rowExpr{name: op, infix: true, args: args, t: t, strict: strict,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a) }}, true, nil
	}
	switch op {
	case "=", "<>", "<", "<=", ">", ">=", "@>", "<@", "&&":
		l2, r2, t, err := arrayCommon(l, r)
		if err == errNoMatch {
			return nil, true, errNoOperator(op, lt, rt)
		}
		if err != nil {
			return nil, true, err
		}
		elem := t.ElemType()
		return infix(types.Bool, true, []Expr{l2, r2}, func(a []types.Datum) (types.Datum, error) {
			x, y := a[0].(types.Array), a[1].(types.Array)
			switch op {
			case "@>":
				return arrayContains(elem, x, y), nil
			case "<@":
				return arrayContains(elem, y, x), nil
			case "&&":
				return arrayOverlaps(elem, x, y), nil
			}
			return cmpResult(op, types.CompareArray(t, x, y)), nil
		})
	case "||":
		var err error
		switch {
		case isArray(lt) && !isArray(rt) && rt.Kind != types.KindUnknown:
			if r, err = coerceArg(r, lt.ElemType()); err != nil {
				return nil, true, errNoOperator(op, lt, rt)
			}
			return infix(lt, false, []Expr{l, r}, func(a []types.Datum) (types.Datum, error) { return arrayAppend(a[0], a[1]), nil })
		case isArray(rt) && !isArray(lt) && lt.Kind != types.KindUnknown:
			if l, err = coerceArg(l, rt.ElemType()); err != nil {
				return nil, true, errNoOperator(op, lt, rt)
			}
			return infix(rt, false, []Expr{l, r}, func(a []types.Datum) (types.Datum, error) { return arrayPrepend(a[0], a[1]), nil })
		}
		l2, r2, t, err := arrayCommon(l, r)
		if err == errNoMatch {
			return nil, true, errNoOperator(op, lt, rt)
		}
		if err != nil {
			return nil, true, err
		}
		return infix(t, false, []Expr{l2, r2}, func(a []types.Datum) (types.Datum, error) { return arrayCat(a[0], a[1]), nil })
	}
	return nil, true, errNoOperator(op, lt, rt)
}

func arrayHas(elem types.T, a types.Array, d types.Datum) bool {
	for _, x := range a {
		if x != nil && types.Compare(elem, x, d) == 0 {
			return true
		}
	}
	return false
}

// arrayContains is a @> b: every element of b is in a; a NULL matches
// nothing.
func arrayContains(elem types.T, a, b types.Array) bool {
	for _, d := range b {
		if d == nil || !arrayHas(elem, a, d) {
			return false
		}
	}
	return true
}

func arrayOverlaps(elem types.T, a, b types.Array) bool {
	for _, d := range b {
		if d != nil && arrayHas(elem, a, d) {
			return true
		}
	}
	return false
}

func arrayAppend(a, d types.Datum) types.Datum {
	var arr types.Array
	if a != nil {
		arr = a.(types.Array)
	}
	out := make(types.Array, 0, len(arr)+1)
	return append(append(out, arr...), d)
}

func arrayPrepend(d, a types.Datum) types.Datum {
	var arr types.Array
	if a != nil {
		arr = a.(types.Array)
	}
	out := make(types.Array, 0, len(arr)+1)
	return append(append(out, d), arr...)
}

// arrayCat is array_cat: a NULL operand is the other one.
func arrayCat(a, b types.Datum) types.Datum {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	x, y := a.(types.Array), b.(types.Array)
	out := make(types.Array, 0, len(x)+len(y))
	return append(append(out, x...), y...)
}

// arrayArg accepts an array argument (an untyped literal is an error, as
// PostgreSQL cannot infer the array type from it either).
func arrayArg(fn string, args []Expr, i int) (types.T, error) {
	t := args[i].Type()
	if !isArray(t) {
		if t.Kind == types.KindUnknown {
			return t, pgerror.New(pgerror.IndeterminateDatatype, "could not determine polymorphic type because input has type unknown")
		}
		return t, errNoMatch
	}
	return t, nil
}

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_length", args, 0)
		if err != nil {
			return nil, err
		}
		return call("array_length", args, []types.T{t, types.Int32}, types.Int32, func(_ *Context, a []types.Datum) (types.Datum, error) {
			arr := a[0].(types.Array)
			if a[1].(int64) != 1 || len(arr) == 0 {
				return nil, nil
			}
			return int64(len(arr)), nil
		})
	}, "(anyarray, integer) integer"), "array_length")
	for _, name := range []string{"array_lower", "array_upper"} {
		upper := name == "array_upper"
		register(custom(func(args []Expr) (Expr, error) {
			if len(args) != 2 {
				return nil, errNoMatch
			}
			t, err := arrayArg(name, args, 0)
			if err != nil {
				return nil, err
			}
			lower := t.LowerBound()
			return call(name, args, []types.T{t, types.Int32}, types.Int32, func(_ *Context, a []types.Datum) (types.Datum, error) {
				arr := a[0].(types.Array)
				if a[1].(int64) != 1 || len(arr) == 0 {
					return nil, nil
				}
				if upper {
					return lower + int64(len(arr)) - 1, nil
				}
				return lower, nil
			})
		}, "(anyarray, integer) integer"), name)
	}
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t, err := arrayArg("cardinality", args, 0)
		if err != nil {
			return nil, err
		}
		return call("cardinality", args, []types.T{t}, types.Int32, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].(types.Array))), nil
		})
	}, "(anyarray) integer"), "cardinality")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 && len(args) != 3 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_position", args, 0)
		if err != nil {
			return nil, err
		}
		elem, x, err := elementArg(t, args[1])
		if err != nil {
			return nil, err
		}
		in := []Expr{args[0], x}
		if len(args) == 3 {
			s, err := coerceArg(args[2], types.Int32)
			if err != nil {
				return nil, err
			}
			in = append(in, s)
		}
		return &rowExpr{name: "array_position", args: in, t: types.Int32,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				start := int64(1)
				if len(a) == 3 {
					if a[2] == nil {
						return nil, pgerror.New(pgerror.NullValueNotAllowed, "initial position must not be null")
					}
					start = a[2].(int64)
				}
				for i, d := range a[0].(types.Array) {
					if int64(i+1) < start {
						continue
					}
					// IS NOT DISTINCT FROM: NULL finds NULL.
					if notDistinct(elem, d, a[1]) {
						return int64(i + 1), nil
					}
				}
				return nil, nil
			}}, nil
	}, "(anyarray, anyelement) integer", "(anyarray, anyelement, integer) integer"), "array_position")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_append", args, 0)
		if err != nil {
			return nil, err
		}
		x, err := coerceArg(args[1], t.ElemType())
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_append", args: []Expr{args[0], x}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return arrayAppend(a[0], a[1]), nil }}, nil
	}, "(anyarray, anyelement) anyarray"), "array_append")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_prepend", args, 1)
		if err != nil {
			return nil, err
		}
		x, err := coerceArg(args[0], t.ElemType())
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_prepend", args: []Expr{x, args[1]}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return arrayPrepend(a[0], a[1]), nil }}, nil
	}, "(anyelement, anyarray) anyarray"), "array_prepend")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		l, r, t, err := arrayCommon(args[0], args[1])
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_cat", args: []Expr{l, r}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return arrayCat(a[0], a[1]), nil }}, nil
	}, "(anyarray, anyarray) anyarray"), "array_cat")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_remove", args, 0)
		if err != nil {
			return nil, err
		}
		elem, x, err := elementArg(t, args[1])
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_remove", args: []Expr{args[0], x}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				out := types.Array{}
				for _, d := range a[0].(types.Array) {
					if notDistinct(elem, d, a[1]) {
						continue
					}
					out = append(out, d)
				}
				return out, nil
			}}, nil
	}, "(anyarray, anyelement) anyarray"), "array_remove")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 && len(args) != 3 {
			return nil, errNoMatch
		}
		in := make([]Expr, len(args))
		for i, a := range args {
			c, err := coerceArg(a, types.Text)
			if err != nil {
				return nil, err
			}
			in[i] = c
		}
		return &rowExpr{name: "string_to_array", args: in, t: types.ArrayOf(types.Text),
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return stringToArray(a), nil }}, nil
	}, "(text, text) text[]", "(text, text, text) text[]"), "string_to_array")
}

// resolveArrayToString is array_to_string(anyarray, text [, text]).
func resolveArrayToString(args []Expr) (Expr, error) {
	{
		if len(args) != 2 && len(args) != 3 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		if !isArray(t) {
			return nil, errNoMatch // catalog_funcs.go's text overload may take it
		}
		params := []types.T{t, types.Text, types.Text}[:len(args)]
		elem := t.ElemType()
		e, err := call("array_to_string", args, params, types.Text, nil)
		if err != nil {
			return nil, err
		}
		re := e.(*rowExpr)
		// NULL null_string means the same as none: not strict in it.
		re.strict = false
		re.fn = func(_ *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				return nil, nil
			}
			var parts []string
			for _, d := range a[0].(types.Array) {
				switch {
				case d != nil:
					parts = append(parts, types.FormatText(elem, d))
				case len(a) == 3 && a[2] != nil:
					parts = append(parts, a[2].(string))
				}
			}
			return strings.Join(parts, a[1].(string)), nil
		}
		return re, nil
	}
}

// stringToArray is string_to_array(s, delimiter [, null_string]): a NULL
// delimiter splits into characters, an empty one keeps s whole, an empty
// s is the empty array.
func stringToArray(a []types.Datum) types.Datum {
	if a[0] == nil {
		return nil
	}
	s := a[0].(string)
	if s == "" {
		return types.Array{}
	}
	var parts []string
	switch {
	case a[1] == nil:
		for _, r := range s {
			parts = append(parts, string(r))
		}
	case a[1].(string) == "":
		parts = []string{s}
	default:
		parts = strings.Split(s, a[1].(string))
	}
	out := make(types.Array, len(parts))
	for i, p := range parts {
		if len(a) == 3 && a[2] != nil && p == a[2].(string) {
			continue
		}
		out[i] = p
	}
	return out
}

// elementArg coerces the element argument of a search function
// (array_position, array_positions, array_remove) to the array's element
// kind, as PostgreSQL resolves anyelement against anyarray.
func elementArg(array types.T, arg Expr) (types.T, Expr, error) {
	elem := array.ElemType()
	x, err := coerceArg(arg, types.T{Kind: elem.Kind})
	return elem, x, err
}

// notDistinct is IS NOT DISTINCT FROM on array elements: the search
// functions find NULL elements when asked for NULL.
func notDistinct(elem types.T, a, b types.Datum) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return types.Compare(elem, a, b) == 0
}

// array_positions, array_replace and trim_array.

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_positions", args, 0)
		if err != nil {
			return nil, err
		}
		elem, x, err := elementArg(t, args[1])
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_positions", args: []Expr{args[0], x}, t: types.ArrayOf(types.Int32),
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				out := types.Array{}
				for i, d := range a[0].(types.Array) {
					// IS NOT DISTINCT FROM: NULL finds NULL.
					if notDistinct(elem, d, a[1]) {
						out = append(out, int64(i+1))
					}
				}
				return out, nil
			}}, nil
	}, "(anyarray, anyelement) integer[]"), "array_positions")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 3 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_replace", args, 0)
		if err != nil {
			return nil, err
		}
		elem := t.ElemType()
		from, err := coerceArg(args[1], elem)
		if err != nil {
			return nil, err
		}
		to, err := coerceArg(args[2], elem)
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_replace", args: []Expr{args[0], from, to}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				out := append(types.Array{}, a[0].(types.Array)...)
				for i, d := range out {
					if notDistinct(elem, d, a[1]) {
						out[i] = a[2]
					}
				}
				return out, nil
			}}, nil
	}, "(anyarray, anyelement, anyelement) anyarray"), "array_replace")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("trim_array", args, 0)
		if err != nil {
			return nil, err
		}
		return call("trim_array", args, []types.T{t, types.Int32}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			arr, n := a[0].(types.Array), a[1].(int64)
			if n < 0 || n > int64(len(arr)) {
				return nil, pgerror.New(pgerror.ArraySubscriptError, "number of elements to trim must be between 0 and %d", len(arr))
			}
			return append(types.Array{}, arr[:int64(len(arr))-n]...), nil
		})
	}, "(anyarray, integer) anyarray"), "trim_array")
}
