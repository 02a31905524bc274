package agg

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// ResultType resolves an aggregate call by name and argument types and
// returns PostgreSQL's result type for it. Unknown arguments (untyped
// literals) resolve as PostgreSQL does: to text where a text overload
// exists and is the only candidate, and to an "is not unique" error where
// several numeric overloads would fit.
func ResultType(name string, argTypes []types.T, star bool) (types.T, error) {
	name = strings.ToLower(name)
	if star {
		if name != "count" {
			// PostgreSQL looks up name() with no arguments.
			return types.Unknown, noSuchFunction(name, nil)
		}
		return types.Int64, nil
	}
	d, ok := Lookup(name)
	if !ok {
		return types.Unknown, noSuchFunction(name, argTypes)
	}
	return d.resultType(name, argTypes)
}

func isTextLike(t types.T) bool { return t.IsString() || t.Kind == types.KindUnknown }

func signature(name string, argTypes []types.T) string {
	var sb strings.Builder
	sb.WriteString(name)
	sb.WriteByte('(')
	for i, t := range argTypes {
		if i > 0 {
			sb.WriteString(", ")
		}
		// format_type prints char without a width as "character"; an
		// argument's modifiers are not part of the signature.
		sb.WriteString(types.T{Kind: t.Kind}.String())
	}
	sb.WriteByte(')')
	return sb.String()
}

func noSuchFunction(name string, argTypes []types.T) error {
	return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", signature(name, argTypes)).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

// notUnique is the error for an untyped literal that could match several
// overloads (sum('1')).
func notUnique(name string, argTypes []types.T) error {
	return pgerror.New(pgerror.AmbiguousFunction, "function %s is not unique", signature(name, argTypes)).
		WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
}
