package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Cast converts its input to type To, with explicit-cast semantics
// (varchar(n) truncates) or, for Assign, assignment semantics (22001 when a
// string is too long).
type Cast struct {
	built
	Input  Expr
	To     types.T
	Assign bool
}

func (c *Cast) Type() types.T { return c.To }

func (c *Cast) children() []Expr { return []Expr{c.Input} }

func (c *Cast) String() string {
	return "CAST(" + c.Input.String() + " AS " + c.To.String() + ")"
}

func (c *Cast) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	a, err := c.Input.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	from := c.Input.Type()
	// Widening integer casts and int to float8 need no checks.
	if from.IsInteger() && (c.To.Kind == types.KindInt64 || c.To.Kind == types.KindFloat64) {
		n := a.Len()
		if c.To.Kind == types.KindInt64 {
			vals, valid := intValues(a)
			b := array.NewInt64Builder(mem)
			defer b.Release()
			b.AppendValues(vals, valid)
			return b.NewArray(), nil
		}
		vals, valid := intValues(a)
		fs := make([]float64, n)
		for i, v := range vals {
			fs[i] = float64(v)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.AppendValues(fs, valid)
		return b.NewArray(), nil
	}
	n := a.Len()
	b := newBuilder(c.To)
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		d := chunk.Datum(a, from, i)
		if d != nil {
			if c.Assign {
				d, err = types.CastAssignIn(d, from, c.To, ctxZone(ctx))
			} else {
				d, err = types.CastIn(d, from, c.To, ctxZone(ctx))
			}
			if err != nil {
				return nil, err
			}
		}
		chunk.AppendDatum(b, c.To, d)
	}
	return b.NewArray(), nil
}

// NewCast is CAST(e AS to) / e::to. A literal is converted at once, so a
// malformed one is an error here, as in PostgreSQL; 42846 when no cast from
// e's type to to exists.
func NewCast(e Expr, to types.T) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorCast, t: to, args: []Expr{e}})
	if c, ok, err := catalogCast(e, to); ok {
		return c, err
	}
	from := e.Type()
	if types.CastContext(from, to) == types.CastNone {
		return nil, pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", from, to)
	}
	if c, ok := e.(*Const); ok && (from.Kind == types.KindUnknown || c.Value == nil) {
		if c.Value == nil {
			return NewConst(nil, to), nil
		}
		if z, ok, err := zonedLiteral(c, to, false); ok {
			return z, err
		}
		d, err := types.Cast(c.Value, from, to)
		if err != nil {
			return nil, err
		}
		return NewConst(d, to), nil
	}
	if p, ok := e.(*Param); ok && from.Kind == types.KindUnknown {
		return NewParam(p.Index, to), nil
	}
	if from == to {
		return e, nil
	}
	return &Cast{Input: e, To: to}, nil
}

// Coerce converts e to type to in an implicit or assignment context: the
// values of INSERT and UPDATE, the columns of UNION, the branches of CASE.
// An Unknown literal is parsed as to (22P02 if it is not a valid value);
// other conversions must exist as assignment casts, else 42804.
func Coerce(e Expr, to types.T) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorCoerce, t: to, args: []Expr{e}})
	from := e.Type()
	if from == to {
		return e, nil
	}
	if to.Kind == types.KindUnknown {
		return e, nil
	}
	if c, ok, err := catalogCast(e, to); ok {
		return c, err
	}
	if from.Kind == types.KindUnknown {
		switch x := e.(type) {
		case *Const:
			if x.Value == nil {
				return NewConst(nil, to), nil
			}
			if z, ok, err := zonedLiteral(x, to, true); ok {
				return z, err
			}
			d, err := types.CastAssign(x.Value, from, to)
			if err != nil {
				return nil, err
			}
			return NewConst(d, to), nil
		case *Param:
			return NewParam(x.Index, to), nil
		}
	}
	if types.CastContext(from, to) < types.CastAssignment {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "expression is of type %s but type %s is required", from, to).
			WithHint("You will need to rewrite or cast the expression.")
	}
	// Same kind without modifiers to enforce: no conversion to run.
	if from.Kind == to.Kind && from.Elem == to.Elem && to.Width == 0 && to.Precision == 0 {
		return e, nil
	}
	if c, ok := e.(*Const); ok {
		if c.Value == nil {
			return NewConst(nil, to), nil
		}
		d, err := types.CastAssign(c.Value, from, to)
		if err != nil {
			return nil, err
		}
		return NewConst(d, to), nil
	}
	return &Cast{Input: e, To: to, Assign: true}, nil
}

// coerceImplicit converts e to to for an operator or function argument,
// where only implicit casts apply.
func coerceImplicit(e Expr, to types.T) (Expr, error) {
	from := e.Type()
	if from.Kind == to.Kind && from.Elem == to.Elem || from.Kind == types.KindUnknown {
		if from.Kind == to.Kind && from.Kind != types.KindChar {
			return e, nil
		}
		return Coerce(e, types.T{Kind: to.Kind, Elem: to.Elem})
	}
	if types.CastContext(from, to) != types.CastImplicit {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "expression is of type %s but type %s is required", from, to)
	}
	return Coerce(e, types.T{Kind: to.Kind, Elem: to.Elem})
}

// CoerceToBool checks that e is a boolean condition (an Unknown literal is
// parsed as boolean), raising 42804 "argument of WHERE must be type boolean,
// not type integer" with context naming the clause (WHERE, HAVING, ON, AND,
// CASE/WHEN, ...).
func CoerceToBool(e Expr, context string) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorCoerceToBool, name: context, args: []Expr{e}})
	switch e.Type().Kind {
	case types.KindBool:
		return e, nil
	case types.KindUnknown:
		return Coerce(e, types.Bool)
	}
	return nil, pgerror.New(pgerror.DatatypeMismatch, "argument of %s must be type boolean, not type %s", context, e.Type())
}

// typeCategory is pg_type.typcategory, which decides what UNION, CASE and
// COALESCE can mix.
func typeCategory(k types.Kind) byte {
	switch k {
	case types.KindBool:
		return 'B'
	case types.KindInt16, types.KindInt32, types.KindInt64, types.KindNumeric, types.KindFloat32, types.KindFloat64,
		types.KindOid, types.KindRegclass, types.KindRegtype, types.KindRegproc, types.KindRegnamespace:
		return 'N'
	case types.KindText, types.KindVarchar, types.KindChar, types.KindName, types.KindQChar:
		return 'S'
	case types.KindDate, types.KindTimestamp, types.KindTimestampTZ:
		return 'D'
	case types.KindInterval:
		return 'T'
	case types.KindBytea, types.KindUUID, types.KindJSON, types.KindJSONB:
		return 'U'
	case types.KindTime:
		return 'D'
	case types.KindArray:
		return 'A'
	}
	return 'X'
}

// CommonType resolves the type of UNION/CASE/COALESCE/VALUES columns as
// PostgreSQL's select_common_type: Unknown inputs follow the others (all
// Unknown is text), all inputs must share a category, and the result is the
// one every input casts to implicitly (the preferred type when in doubt).
// context names the construct for the 42804 message ("CASE types integer
// and text cannot be matched").
func CommonType(ts []types.T, context string) (types.T, error) {
	var res types.T
	found := false
	for _, t := range ts {
		if t.Kind == types.KindUnknown {
			continue
		}
		if !found {
			res, found = t, true
			continue
		}
		if t == res {
			continue
		}
		if typeCategory(t.Kind) != typeCategory(res.Kind) {
			return types.Unknown, pgerror.New(pgerror.DatatypeMismatch, "%s types %s and %s cannot be matched", context, res, t)
		}
		switch {
		case t.Kind == res.Kind && t.Elem == res.Elem:
			// Same kind, different modifiers: the modifiers are dropped.
			res = types.T{Kind: t.Kind, Elem: t.Elem}
		case types.CastContext(res, t) == types.CastImplicit && types.CastContext(t, res) != types.CastImplicit:
			res = types.T{Kind: t.Kind}
		case types.CastContext(t, res) == types.CastImplicit && types.CastContext(res, t) != types.CastImplicit:
			res = types.T{Kind: res.Kind}
		case typeCategory(t.Kind) == 'S':
			res = types.Text
		default:
			return types.Unknown, pgerror.New(pgerror.DatatypeMismatch, "%s types %s and %s cannot be matched", context, res, t)
		}
	}
	if !found {
		return types.Text, nil
	}
	return res, nil
}

// coerceAll converts each expression to t with Coerce.
func coerceAll(es []Expr, t types.T) ([]Expr, error) {
	out := make([]Expr, len(es))
	for i, e := range es {
		c, err := Coerce(e, t)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
