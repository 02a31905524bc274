package expr

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// Logic is AND or OR over two or more boolean arguments with SQL's
// three-valued logic. Arguments are evaluated left to right and each only on
// the rows whose result is not yet decided (false for AND, true for OR), so
// `x <> 0 AND 10 / x > 1` never divides by zero.
type Logic struct {
	built
	And  bool
	Args []Expr
}

func (l *Logic) Type() types.T    { return types.Bool }
func (l *Logic) children() []Expr { return l.Args }

func (l *Logic) String() string {
	op := " OR "
	if l.And {
		op = " AND "
	}
	parts := make([]string, len(l.Args))
	for i, a := range l.Args {
		parts[i] = a.String()
	}
	return "(" + strings.Join(parts, op) + ")"
}

// NewAnd is arg1 AND arg2 AND ...; 42804 if an argument is not boolean.
func NewAnd(args ...Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorAnd, args: args})
	return newLogic(true, args)
}

// NewOr is arg1 OR arg2 OR ...; 42804 if an argument is not boolean.
func NewOr(args ...Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorOr, args: args})
	return newLogic(false, args)
}

func newLogic(and bool, args []Expr) (Expr, error) {
	ctx := "OR"
	if and {
		ctx = "AND"
	}
	var flat []Expr
	for _, a := range args {
		a, err := CoerceToBool(a, ctx)
		if err != nil {
			return nil, err
		}
		if inner, ok := a.(*Logic); ok && inner.And == and {
			flat = append(flat, inner.Args...)
		} else {
			flat = append(flat, a)
		}
	}
	if len(flat) == 1 {
		return flat[0], nil
	}
	return &Logic{And: and, Args: flat}, nil
}

func (l *Logic) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	n := in.Len()
	first, err := l.Args[0].Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	fb := first.(*array.Boolean)
	vals := make([]bool, n)
	valid := make([]bool, n)
	for i := 0; i < n; i++ {
		valid[i] = fb.IsValid(i)
		vals[i] = valid[i] && fb.Value(i)
	}
	first.Release()
	// decided: the row's value is the dominant one (false for AND, true for OR).
	dominant := !l.And
	for _, arg := range l.Args[1:] {
		var rows []int
		for i := 0; i < n; i++ {
			if !(valid[i] && vals[i] == dominant) {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			break
		}
		var next *array.Boolean
		if len(rows) == n {
			a, err := arg.Eval(ctx, in)
			if err != nil {
				return nil, err
			}
			next = a.(*array.Boolean)
		} else {
			sub := subChunk(in, rows)
			a, err := arg.Eval(ctx, sub)
			sub.Batch.Release()
			if err != nil {
				return nil, err
			}
			next = a.(*array.Boolean)
		}
		for k, i := range rows {
			switch {
			case next.IsValid(k) && next.Value(k) == dominant:
				vals[i], valid[i] = dominant, true
			case next.IsNull(k):
				valid[i] = false
			}
			// Otherwise the argument is the neutral value: keep the row's.
		}
		next.Release()
	}
	return buildBools(vals, valid), nil
}

// Not is NOT e: NULL stays NULL.
type Not struct {
	built
	Input Expr
}

// NewNot is NOT e; 42804 if e is not boolean.
func NewNot(e Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorNot, args: []Expr{e}})
	e, err = CoerceToBool(e, "NOT")
	if err != nil {
		return nil, err
	}
	return &Not{Input: e}, nil
}

func (n *Not) Type() types.T    { return types.Bool }
func (n *Not) children() []Expr { return []Expr{n.Input} }
func (n *Not) String() string   { return "(NOT " + n.Input.String() + ")" }

func (n *Not) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	a, err := n.Input.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	b := a.(*array.Boolean)
	vals := make([]bool, b.Len())
	for i := range vals {
		vals[i] = !b.Value(i)
	}
	return buildBools(vals, validity(a)), nil
}

// IsNull is e IS [NOT] NULL.
type IsNull struct {
	built
	Input Expr
	Not   bool
}

// NewIsNull is e IS NULL, or e IS NOT NULL when not is set.
func NewIsNull(e Expr, not bool) Expr {
	if e.Type().Kind == types.KindUnknown {
		if c, err := Coerce(e, types.Text); err == nil {
			e = c
		}
	}
	return &IsNull{Input: e, Not: not}
}

func (n *IsNull) Type() types.T    { return types.Bool }
func (n *IsNull) children() []Expr { return []Expr{n.Input} }

func (n *IsNull) String() string {
	if n.Not {
		return "(" + n.Input.String() + " IS NOT NULL)"
	}
	return "(" + n.Input.String() + " IS NULL)"
}

func (n *IsNull) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	a, err := n.Input.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	vals := make([]bool, a.Len())
	for i := range vals {
		vals[i] = a.IsNull(i) != n.Not
	}
	return buildBools(vals, nil), nil
}

// NewIsBool is e IS [NOT] TRUE / FALSE / UNKNOWN, never NULL.
func NewIsBool(e Expr, test string, not bool) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorIsBool, name: test, flags: []bool{not}, args: []Expr{e}})
	e, err = CoerceToBool(e, "IS "+strings.ToUpper(test))
	if err != nil {
		return nil, err
	}
	test = strings.ToLower(test)
	name := "IS " + strings.ToUpper(test)
	if not {
		name = "IS NOT " + strings.ToUpper(test)
	}
	return &rowExpr{name: name, postfix: true, args: []Expr{e}, t: types.Bool,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			var r bool
			switch test {
			case "true":
				r = a[0] == true
			case "false":
				r = a[0] == false
			default:
				r = a[0] == nil
			}
			return r != not, nil
		}}, nil
}

// NewIsDistinct is l IS [NOT] DISTINCT FROM r: equality where NULL equals
// NULL, never NULL itself.
func NewIsDistinct(l, r Expr, not bool) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorIsDistinct, flags: []bool{not}, args: []Expr{l, r}})
	eq, err := newComparison("=", l, r)
	if err != nil {
		return nil, err
	}
	b := eq.(*Binary)
	ct := b.Left.Type()
	if b.kernel == kernelIntCmp {
		ct = types.Int64
	}
	name := "IS DISTINCT FROM"
	if not {
		name = "IS NOT DISTINCT FROM"
	}
	return &rowExpr{name: name, infix: true, args: []Expr{b.Left, b.Right}, t: types.Bool,
		fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
			var same bool
			switch {
			case a[0] == nil || a[1] == nil:
				same = a[0] == nil && a[1] == nil
			default:
				same = types.Compare(ct, a[0], a[1]) == 0
			}
			return same == not, nil
		}}, nil
}
