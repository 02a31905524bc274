package expr

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// resolver binds one function name for given arguments, or reports that no
// overload matches by returning errNoFunction.
type resolver func(args []Expr) (Expr, error)

var functions = map[string]resolver{}

func register(r resolver, names ...string) {
	for _, n := range names {
		functions[n] = r
	}
}

// NewFunc resolves a scalar function call by name and argument types,
// applying implicit coercions to the chosen overload's parameter types;
// 42883 "function foo(integer) does not exist" when nothing matches.
func NewFunc(name string, args []Expr) (Expr, error) {
	lname := strings.ToLower(name)
	r, ok := functions[lname]
	if !ok {
		return nil, errNoFunction(lname, args)
	}
	e, err := r(args)
	if err == errNoMatch {
		return nil, errNoFunction(lname, args)
	}
	return e, err
}

var errNoMatch = pgerror.New(pgerror.UndefinedFunction, "no matching overload")

func errNoFunction(name string, args []Expr) *pgerror.Error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = a.Type().String()
	}
	return pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

var windowFunctions = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

// IsWindowFunction reports whether name is a window-only function.
func IsWindowFunction(name string) bool { return windowFunctions[strings.ToLower(name)] }

// call builds a strict function node after coercing args to params
// (implicitly); a count or coercion mismatch is errNoMatch.
func call(name string, args []Expr, params []types.T, ret types.T, fn rowFunc) (Expr, error) {
	if len(args) != len(params) {
		return nil, errNoMatch
	}
	coerced := make([]Expr, len(args))
	for i, a := range args {
		c, err := coerceArg(a, params[i])
		if err != nil {
			return nil, err
		}
		coerced[i] = c
	}
	return &rowExpr{name: name, args: coerced, t: ret, strict: true, fn: fn}, nil
}

// coerceArg converts a function argument to a parameter type implicitly;
// an Unknown literal that does not parse is the literal's error.
func coerceArg(a Expr, p types.T) (Expr, error) {
	at := a.Type()
	if at.Kind == p.Kind && at.Elem == p.Elem && at.Kind != types.KindChar {
		return a, nil
	}
	if at.Kind == types.KindUnknown {
		return Coerce(a, p)
	}
	if types.CastContext(at, p) != types.CastImplicit {
		return nil, errNoMatch
	}
	return Coerce(a, p)
}

// numericFamily picks the overload family for a numeric argument: the
// integer kind itself (when the function has integer overloads), numeric,
// or double precision.
func numericFamily(t types.T, hasInt bool) (types.T, bool) {
	switch {
	case t.IsInteger() && hasInt:
		return types.T{Kind: t.Kind}, true
	case t.Kind == types.KindNumeric:
		return types.Numeric, true
	case t.IsNumeric() || t.Kind == types.KindUnknown:
		return types.Float64, true
	}
	return types.Unknown, false
}

func argTypes(args []Expr) []types.T {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	return ts
}

func repeatT(t types.T, n int) []types.T {
	ts := make([]types.T, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}
