package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// resolver binds one function name for given arguments, or reports that no
// overload matches by returning errNoMatch.
type resolver func(args []Expr) (Expr, error)

// signature is one overload as PostgreSQL would print it: the parameter
// types' names, with pseudo-types ("any", "anyelement", "anyarray",
// "VARIADIC any") where the resolver decides the types, and the result
// type's name.
type signature struct {
	params []string
	result string
}

func (s signature) String() string { return "(" + strings.Join(s.params, ", ") + ") " + s.result }

// overload is a resolver and the signatures it binds.
type overload struct {
	sigs []signature
	bind resolver
}

// overloadList is every overload of one function, in the order they are
// tried when no overload's parameters are exactly the argument types.
type overloadList []overload

// overloads joins overload lists, earlier ones tried first.
func overloads(lists ...overloadList) overloadList {
	var all overloadList
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// resolve binds args with the first overload that matches, in order.
func (l overloadList) resolve(args []Expr) (Expr, error) {
	for _, o := range l {
		if e, err := o.bind(args); err != errNoMatch {
			return e, err
		}
	}
	return nil, errNoMatch
}

// custom is a resolver that makes its own choices, with the signatures it
// binds written out: "(text, integer) text", "(VARIADIC any) text".
func custom(bind resolver, sigs ...string) overloadList {
	o := overload{bind: bind}
	for _, s := range sigs {
		o.sigs = append(o.sigs, parseSignature(s))
	}
	return overloadList{o}
}

func parseSignature(s string) signature {
	close := strings.LastIndexByte(s, ')')
	if !strings.HasPrefix(s, "(") || close < 0 {
		panic(fmt.Sprintf("expr: malformed signature %q", s))
	}
	var params []string
	if inner := s[1:close]; inner != "" {
		params = strings.Split(inner, ", ")
	}
	return signature{params: params, result: strings.TrimSpace(s[close+1:])}
}

// typed is one overload with concrete parameter and result types.
func typed(params []types.T, ret types.T, bind resolver) overloadList {
	sig := signature{result: ret.String()}
	for _, p := range params {
		sig.params = append(sig.params, typeName(p))
	}
	return overloadList{{sigs: []signature{sig}, bind: bind}}
}

// typeName is t's name without modifiers, as in a function signature.
func typeName(t types.T) string {
	return types.T{Kind: t.Kind, Elem: t.Elem, Vector: t.Vector}.String()
}

var functions = map[string]overloadList{}

// register makes list the overloads of each of names. All overloads of one
// name register together, so which is tried first never depends on the
// order files initialise in; a name registered twice, or two overloads
// with the same parameter types, is a bug found at start.
func register(list overloadList, names ...string) {
	seen := map[string]bool{}
	for _, o := range list {
		for _, s := range o.sigs {
			key := strings.Join(s.params, ", ")
			if seen[key] {
				panic(fmt.Sprintf("expr: two overloads of %s(%s)", names[0], key))
			}
			seen[key] = true
		}
	}
	for _, n := range names {
		if _, dup := functions[n]; dup {
			panic(fmt.Sprintf("expr: function %s registered twice; register all its overloads in one place", n))
		}
		functions[n] = list
	}
}

// NewFunc resolves a scalar function call by name and argument types,
// applying implicit coercions to the chosen overload's parameter types;
// 42883 "function foo(integer) does not exist" when nothing matches. An
// overload whose parameter types are exactly the argument types is chosen
// first; otherwise the overloads are tried in their registered order.
func NewFunc(name string, args []Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorFunc, name: name, args: args})
	lname := strings.ToLower(name)
	list, ok := functions[lname]
	if !ok {
		return nil, errNoFunction(lname, args)
	}
	if exact := list.exactMatch(args); exact != nil {
		if e, err := exact(args); err != errNoMatch {
			return e, err
		}
	}
	e, err := list.resolve(args)
	if err == errNoMatch {
		return nil, errNoFunction(lname, args)
	}
	return e, err
}

// exactMatch is the resolver of the overload whose parameters are exactly
// the argument types, or nil.
func (l overloadList) exactMatch(args []Expr) resolver {
	for _, o := range l {
	sigs:
		for _, s := range o.sigs {
			if len(s.params) != len(args) {
				continue
			}
			for i, a := range args {
				if a.Type().Kind == types.KindUnknown || typeName(a.Type()) != s.params[i] {
					continue sigs
				}
			}
			return o.bind
		}
	}
	return nil
}

// Signatures lists every registered function overload, one
// "name(parameter types) result" a line, sorted.
func Signatures() []string {
	var out []string
	for name, list := range functions {
		for _, o := range list {
			for _, s := range o.sigs {
				out = append(out, name+s.String())
			}
		}
	}
	sort.Strings(out)
	return out
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
