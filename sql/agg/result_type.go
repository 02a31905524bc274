package agg

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// ambiguousFunction is SQLSTATE 42725, raised when an untyped literal could
// match several overloads (sum('1')).
const ambiguousFunction pgerror.Code = pgerror.AmbiguousFunction

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
	if t, ok, err := moreResultType(name, argTypes); ok {
		return t, err
	}
	switch name {
	case "count":
		if len(argTypes) == 1 {
			return types.Int64, nil
		}
	case "sum":
		if len(argTypes) == 1 {
			switch argTypes[0].Kind {
			case types.KindInt16, types.KindInt32:
				return types.Int64, nil
			case types.KindInt64, types.KindNumeric:
				return types.Numeric, nil
			case types.KindFloat32:
				return types.Float32, nil
			case types.KindFloat64:
				return types.Float64, nil
			case types.KindInterval:
				return types.IntervalType, nil
			case types.KindUnknown:
				return types.Unknown, notUnique(name, argTypes)
			}
		}
	case "avg":
		if len(argTypes) == 1 {
			switch argTypes[0].Kind {
			case types.KindInt16, types.KindInt32, types.KindInt64, types.KindNumeric:
				return types.Numeric, nil
			case types.KindFloat32, types.KindFloat64:
				return types.Float64, nil
			case types.KindInterval:
				return types.IntervalType, nil
			case types.KindUnknown:
				return types.Unknown, notUnique(name, argTypes)
			}
		}
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		if len(argTypes) == 1 {
			switch argTypes[0].Kind {
			case types.KindInt16, types.KindInt32, types.KindInt64, types.KindNumeric:
				return types.Numeric, nil
			case types.KindFloat32, types.KindFloat64:
				return types.Float64, nil
			case types.KindUnknown:
				return types.Unknown, notUnique(name, argTypes)
			}
		}
	case "min", "max":
		if len(argTypes) == 1 {
			t := argTypes[0]
			switch t.Kind {
			case types.KindInt16, types.KindInt32, types.KindInt64, types.KindFloat32, types.KindFloat64,
				types.KindDate, types.KindTimestamp, types.KindTimestampTZ, types.KindInterval,
				types.KindUUID, types.KindTime, types.KindJSONB:
				return types.T{Kind: t.Kind}, nil
			case types.KindNumeric, types.KindChar:
				// The result keeps no length or precision modifier, as in
				// PostgreSQL, where aggregate results carry typmod -1.
				return types.T{Kind: t.Kind}, nil
			case types.KindText, types.KindVarchar, types.KindUnknown:
				// There is no max(varchar): it resolves to max(text).
				return types.Text, nil
			}
		}
	case "bool_and", "bool_or", "every":
		if len(argTypes) == 1 && (argTypes[0].Kind == types.KindBool || argTypes[0].Kind == types.KindUnknown) {
			return types.Bool, nil
		}
	case "string_agg":
		if len(argTypes) == 2 {
			a, b := argTypes[0], argTypes[1]
			if isTextLike(a) && isTextLike(b) {
				return types.Text, nil
			}
			if (a.Kind == types.KindBytea || a.Kind == types.KindUnknown) && (b.Kind == types.KindBytea || b.Kind == types.KindUnknown) &&
				(a.Kind == types.KindBytea || b.Kind == types.KindBytea) {
				return types.Bytea, nil
			}
		}
	case "array_agg":
		if t, ok := arrayAggResultType(argTypes); ok {
			return t, nil
		}
	case "jsonb_agg":
		if len(argTypes) == 1 {
			return types.JSONB, nil
		}
	case "jsonb_object_agg":
		if len(argTypes) == 2 {
			return types.JSONB, nil
		}
	default:
		return types.Unknown, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", signature(name, argTypes)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	return types.Unknown, noSuchFunction(name, argTypes)
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

func notUnique(name string, argTypes []types.T) error {
	return pgerror.New(ambiguousFunction, "function %s is not unique", signature(name, argTypes)).
		WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
}

// Invertible reports whether the aggregate's accumulator accepts
// retractions (Add with sign -1). Streaming aggregation keeps the input
// multiset of the others and recomputes them.
func Invertible(name string) bool {
	switch strings.ToLower(name) {
	case "count", "sum", "avg", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		return true
	}
	return false
}

// IsAggregate reports whether name is an aggregate function Eddy knows.
func IsAggregate(name string) bool {
	switch strings.ToLower(name) {
	case "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg", "array_agg",
		"jsonb_agg", "jsonb_object_agg", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
		"bit_and", "bit_or", "bit_xor", "json_agg":
		return true
	}
	return isRegression(strings.ToLower(name))
}

// The bitwise aggregates (bit_and, bit_or, bit_xor), json_agg, and the
// two-argument statistics (corr, covar_pop, covar_samp, regr_*). None is
// invertible: streaming aggregation recomputes them from the input
// multiset.

// moreResultType is ResultType for these aggregates; ok is false for
// any other name.
func moreResultType(name string, argTypes []types.T) (t types.T, ok bool, err error) {
	switch name {
	case "bit_and", "bit_or", "bit_xor":
		if len(argTypes) == 1 {
			switch k := argTypes[0].Kind; k {
			case types.KindInt16, types.KindInt32, types.KindInt64:
				return types.T{Kind: k}, true, nil
			case types.KindUnknown:
				return types.Unknown, true, notUnique(name, argTypes)
			}
		}
		return types.Unknown, true, noSuchFunction(name, argTypes)
	case "json_agg":
		if len(argTypes) == 1 {
			return types.JSON, true, nil
		}
		return types.Unknown, true, noSuchFunction(name, argTypes)
	}
	if !isRegression(name) {
		return types.Unknown, false, nil
	}
	if len(argTypes) != 2 || !isFloatable(argTypes[0]) || !isFloatable(argTypes[1]) {
		return types.Unknown, true, noSuchFunction(name, argTypes)
	}
	if name == "regr_count" {
		return types.Int64, true, nil
	}
	return types.Float64, true, nil
}
