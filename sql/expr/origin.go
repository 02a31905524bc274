package expr

import (
	"slices"

	"github.com/eddy-db/eddy/sql/types"
)

// A node whose evaluation is a Go closure chosen by overload resolution
// (a function, an operator, LIKE, IN, …) cannot be stored as such: its
// stored form is the constructor call that built it, and decoding calls
// the same constructor with the same arguments, so the overload is found
// again by name and argument types (codec.go). Every exported constructor
// records that call on the node it returns (stampOrigin); the outermost
// constructor wins, since replaying it rebuilds everything beneath.

// constructor names an exported constructor of this package. The names
// are the stored form: never renumber or rename one.
type constructor string

const (
	ctorFunc           constructor = "func"
	ctorBinary         constructor = "binary"
	ctorUnary          constructor = "unary"
	ctorAnd            constructor = "and"
	ctorOr             constructor = "or"
	ctorNot            constructor = "not"
	ctorIsNull         constructor = "is_null"
	ctorIsBool         constructor = "is_bool"
	ctorIsDistinct     constructor = "is_distinct"
	ctorBetween        constructor = "between"
	ctorInList         constructor = "in_list"
	ctorLike           constructor = "like"
	ctorCast           constructor = "cast"
	ctorCoerce         constructor = "coerce"
	ctorCoerceToBool   constructor = "coerce_to_bool"
	ctorIntervalFields constructor = "interval_fields_cast"
	ctorCase           constructor = "case"
	ctorCoalesce       constructor = "coalesce"
	ctorNullIf         constructor = "nullif"
	ctorGreatestLeast  constructor = "greatest_least"
	ctorAnyAll         constructor = "any_all"
	ctorArray          constructor = "array"
	ctorSubscript      constructor = "subscript"
	ctorFieldSelect    constructor = "field_select"
	ctorRecord         constructor = "record"
)

// constructors lists every constructor the codec can replay, for the
// test that walks them all.
var constructors = []constructor{
	ctorFunc, ctorBinary, ctorUnary, ctorAnd, ctorOr, ctorNot, ctorIsNull, ctorIsBool, ctorIsDistinct,
	ctorBetween, ctorInList, ctorLike, ctorCast, ctorCoerce, ctorCoerceToBool, ctorIntervalFields,
	ctorCase, ctorCoalesce, ctorNullIf, ctorGreatestLeast, ctorAnyAll, ctorArray, ctorSubscript,
	ctorFieldSelect, ctorRecord,
}

// origin is one constructor call: the constructor, its arguments as they
// were passed (before coercion; nil for an absent optional one) and its
// other parameters.
type origin struct {
	ctor  constructor
	name  string   // function, operator, test or field name; CoerceToBool's context
	names []string // NewRecord's field names
	// not, second: the boolean parameters in the constructor's order
	// (NewBetween: not, symmetric; NewLike: not, caseInsensitive;
	// NewAnyAll: all; NewGreatestLeast: greatest; NewIsNull…: not).
	flags []bool
	t     types.T // NewCast's and Coerce's target
	args  []Expr
	// whens is NewCase's number of WHEN arms: args are the operand, the
	// whens, the thens, the else.
	whens int
}

// built is embedded in the node types a constructor may return.
type built struct{ origin *origin }

func (b *built) setOrigin(o *origin) { b.origin = o }
func (b *built) builtBy() *origin    { return b.origin }

type stampable interface {
	setOrigin(*origin)
	builtBy() *origin
}

// stampOrigin records o on the node *e (deferred by each exported
// constructor, so it sees the result). A result that is one of its own
// arguments (Coerce to the type it has) keeps its own origin.
func stampOrigin(e *Expr, err *error, o origin) {
	if *err != nil || *e == nil {
		return
	}
	for _, a := range o.args {
		if a == *e {
			return
		}
	}
	if s, ok := (*e).(stampable); ok {
		o.args = slices.Clone(o.args)
		s.setOrigin(&o)
	}
}
