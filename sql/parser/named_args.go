package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Named arguments (make_interval(days => 10)) are supported for the
// built-in functions whose parameter names PostgreSQL's catalog gives and
// Eddy resolves by position: they become positional here, with the
// parameters' defaults filling the gaps. Any other named call is
// unsupported.

type namedSignature struct {
	names    []string
	defaults []string // "" for a parameter without a default; else a literal
}

var namedSignatures = map[string]namedSignature{
	"make_interval": {
		names:    []string{"years", "months", "weeks", "days", "hours", "mins", "secs"},
		defaults: []string{"0", "0", "0", "0", "0", "0", "0.0"},
	},
	"make_date":        {names: []string{"year", "month", "day"}, defaults: []string{"", "", ""}},
	"make_timestamp":   {names: []string{"year", "month", "mday", "hour", "min", "sec"}, defaults: []string{"", "", "", "", "", ""}},
	"make_timestamptz": {names: []string{"year", "month", "mday", "hour", "min", "sec", "timezone"}, defaults: []string{"", "", "", "", "", "", "-"}},
}

// namedArgs converts f's arguments, placing named ones by parameter name.
func (c *converter) namedArgs(f *pg_query.FuncCall) []ast.Expr {
	named := false
	for _, a := range f.Args {
		if a.GetNamedArgExpr() != nil {
			named = true
		}
	}
	if !named {
		return c.exprs(f.Args)
	}
	names := c.names(f.Funcname)
	sig, ok := namedSignatures[names[len(names)-1]]
	if !ok || len(names) > 2 || len(names) == 2 && names[0] != "pg_catalog" {
		unsupported("named function argument")
	}
	slots := make([]ast.Expr, len(sig.names))
	positional := true
	for i, a := range f.Args {
		n := a.GetNamedArgExpr()
		if n == nil {
			if !positional || i >= len(slots) {
				unsupported("positional argument after a named one")
			}
			slots[i] = c.expr(a)
			continue
		}
		positional = false
		at := -1
		for j, p := range sig.names {
			if p == n.Name {
				at = j
			}
		}
		if at < 0 || slots[at] != nil {
			panic(pgerror.New(pgerror.UndefinedFunction, "function %s(%s => …) does not exist", names[len(names)-1], n.Name).
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts."))
		}
		slots[at] = c.expr(n.Arg)
	}
	// Trailing parameters left out take their defaults by being left out
	// (the functions accept fewer arguments); a gap takes its default.
	last := len(slots) - 1
	for last >= 0 && slots[last] == nil && sig.defaults[last] != "" {
		last--
	}
	out := slots[:last+1]
	for j, e := range out {
		if e != nil {
			continue
		}
		switch d := sig.defaults[j]; d {
		case "", "-":
			unsupported("call of %s without argument %s", names[len(names)-1], sig.names[j])
		case "0":
			out[j] = &ast.Literal{Kind: ast.LitInteger, Text: d}
		default:
			out[j] = &ast.Literal{Kind: ast.LitNumeric, Text: d}
		}
	}
	return out
}
