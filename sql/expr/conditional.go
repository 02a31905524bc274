package expr

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// Case is CASE WHEN c1 THEN r1 ... ELSE e END (a simple CASE x WHEN v is
// bound as WHEN x = v). Each result is evaluated only on the rows that
// select it, so an error in a branch not taken is never raised.
type Case struct {
	built
	Whens, Thens []Expr
	Else         Expr // never nil: NULL when absent
	T            types.T
}

func (c *Case) Type() types.T { return c.T }

func (c *Case) children() []Expr {
	out := append(append([]Expr{}, c.Whens...), c.Thens...)
	return append(out, c.Else)
}

func (c *Case) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for i := range c.Whens {
		sb.WriteString(" WHEN " + c.Whens[i].String() + " THEN " + c.Thens[i].String())
	}
	sb.WriteString(" ELSE " + c.Else.String() + " END")
	return sb.String()
}

// NewCase builds a searched CASE (operand nil) or a simple one (operand
// compared with each WHEN by =). The result type is CommonType of the THEN
// and ELSE results.
func NewCase(operand Expr, whens, thens []Expr, els Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorCase, whens: len(whens), args: append(append(append([]Expr{operand}, whens...), thens...), els)})
	conds := make([]Expr, len(whens))
	for i, w := range whens {
		var err error
		if operand != nil {
			if w, err = NewBinary("=", operand, w); err != nil {
				return nil, err
			}
		}
		if conds[i], err = CoerceToBool(w, "CASE/WHEN"); err != nil {
			return nil, err
		}
	}
	if els == nil {
		els = NewConst(nil, types.Unknown)
	}
	results := append(append([]Expr{}, thens...), els)
	ts := make([]types.T, len(results))
	for i, r := range results {
		ts[i] = r.Type()
	}
	t, err := CommonType(ts, "CASE")
	if err != nil {
		return nil, err
	}
	if results, err = coerceAll(results, t); err != nil {
		return nil, err
	}
	return &Case{Whens: conds, Thens: results[:len(thens)], Else: results[len(thens)], T: t}, nil
}

func (c *Case) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	n := in.Len()
	out := make([]types.Datum, n)
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
	}
	for w, cond := range c.Whens {
		if len(pending) == 0 {
			break
		}
		cv, err := evalRows(ctx, cond, in, pending)
		if err != nil {
			return nil, err
		}
		var hit, miss []int
		for k, i := range pending {
			if cv[k] == true {
				hit = append(hit, i)
			} else {
				miss = append(miss, i)
			}
		}
		vals, err := evalRows(ctx, c.Thens[w], in, hit)
		if err != nil {
			return nil, err
		}
		for k, i := range hit {
			out[i] = vals[k]
		}
		pending = miss
	}
	vals, err := evalRows(ctx, c.Else, in, pending)
	if err != nil {
		return nil, err
	}
	for k, i := range pending {
		out[i] = vals[k]
	}
	return datumsToArray(c.T, out), nil
}

// Coalesce returns its first non-NULL argument, evaluating each only on
// the rows still NULL.
type Coalesce struct {
	built
	Args []Expr
	T    types.T
}

func (c *Coalesce) Type() types.T    { return c.T }
func (c *Coalesce) children() []Expr { return c.Args }
func (c *Coalesce) String() string   { return "COALESCE(" + joinExprs(c.Args) + ")" }

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// NewCoalesce is COALESCE(args...), typed by CommonType.
func NewCoalesce(args []Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorCoalesce, args: args})
	t, args, err := unify(args, "COALESCE")
	if err != nil {
		return nil, err
	}
	return &Coalesce{Args: args, T: t}, nil
}

func unify(args []Expr, context string) (types.T, []Expr, error) {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	t, err := CommonType(ts, context)
	if err != nil {
		return t, nil, err
	}
	args, err = coerceAll(args, t)
	return t, args, err
}

func (c *Coalesce) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	n := in.Len()
	out := make([]types.Datum, n)
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
	}
	for _, a := range c.Args {
		if len(pending) == 0 {
			break
		}
		vals, err := evalRows(ctx, a, in, pending)
		if err != nil {
			return nil, err
		}
		var still []int
		for k, i := range pending {
			if vals[k] == nil {
				still = append(still, i)
			} else {
				out[i] = vals[k]
			}
		}
		pending = still
	}
	return datumsToArray(c.T, out), nil
}

// NewNullIf is NULLIF(a, b): NULL when a = b, else a.
func NewNullIf(a, b Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorNullIf, args: []Expr{a, b}})
	eq, err := newComparison("=", a, b)
	if err != nil {
		return nil, err
	}
	bin := eq.(*Binary)
	ct := bin.Left.Type()
	if bin.kernel == kernelIntCmp {
		ct = types.Int64
	}
	// PostgreSQL returns the left operand of the implied = operator, so a
	// promoted to b's type when the comparison casts it (NULLIF(1, 2.0)
	// is numeric); the cross-width integer comparisons cast nothing.
	if bin.kernel != kernelIntCmp || a.Type().Kind == types.KindUnknown {
		a = bin.Left
	}
	return &rowExpr{name: "NULLIF", args: []Expr{a, bin.Left, bin.Right}, t: a.Type(),
		fn: func(_ *Context, v []types.Datum) (types.Datum, error) {
			if v[1] != nil && v[2] != nil && types.Compare(ct, v[1], v[2]) == 0 {
				return nil, nil
			}
			return v[0], nil
		}, display: func(args []Expr) string { return "NULLIF(" + args[0].String() + ", " + args[2].String() + ")" }}, nil
}

// NewGreatestLeast is GREATEST(args...) or LEAST(args...): NULLs are
// ignored, NULL only when every argument is.
func NewGreatestLeast(greatest bool, args []Expr) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorGreatestLeast, flags: []bool{greatest}, args: args})
	name := "LEAST"
	if greatest {
		name = "GREATEST"
	}
	t, args, err := unify(args, name)
	if err != nil {
		return nil, err
	}
	return &rowExpr{name: name, args: args, t: t,
		fn: func(_ *Context, v []types.Datum) (types.Datum, error) {
			var best types.Datum
			for _, d := range v {
				if d == nil {
					continue
				}
				if best == nil {
					best = d
					continue
				}
				c := types.Compare(t, d, best)
				if (greatest && c > 0) || (!greatest && c < 0) {
					best = d
				}
			}
			return best, nil
		}}, nil
}

// NewInList is e [NOT] IN (list...): true on a match, else NULL if e or any
// element is NULL, else false.
func NewInList(e Expr, list []Expr, not bool) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorInList, flags: []bool{not}, args: append([]Expr{e}, list...)})
	all := append([]Expr{e}, list...)
	t, all, err := unify(all, "IN")
	if err != nil {
		// PostgreSQL falls back to comparing pairwise; report its error.
		for _, x := range list {
			if _, err2 := newComparison("=", e, x); err2 != nil {
				return nil, err2
			}
		}
		return nil, err
	}
	name := "IN"
	if not {
		name = "NOT IN"
	}
	return &rowExpr{name: name, args: all, t: types.Bool,
		fn: func(_ *Context, v []types.Datum) (types.Datum, error) {
			if v[0] == nil {
				return nil, nil
			}
			sawNull := false
			for _, d := range v[1:] {
				if d == nil {
					sawNull = true
					continue
				}
				if types.Compare(t, v[0], d) == 0 {
					return !not, nil
				}
			}
			if sawNull {
				return nil, nil
			}
			return not, nil
		}, display: func(args []Expr) string {
			return "(" + args[0].String() + " " + name + " (" + joinExprs(args[1:]) + "))"
		}}, nil
}

// NewBetween is e [NOT] BETWEEN [SYMMETRIC] lo AND hi, bound as PostgreSQL
// rewrites it: e >= lo AND e <= hi.
func NewBetween(e, lo, hi Expr, not, symmetric bool) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorBetween, flags: []bool{not, symmetric}, args: []Expr{e, lo, hi}})
	rng := func(lo, hi Expr) (Expr, error) {
		a, err := NewBinary(">=", e, lo)
		if err != nil {
			return nil, err
		}
		b, err := NewBinary("<=", e, hi)
		if err != nil {
			return nil, err
		}
		return NewAnd(a, b)
	}
	r, err := rng(lo, hi)
	if err != nil {
		return nil, err
	}
	if symmetric {
		r2, err := rng(hi, lo)
		if err != nil {
			return nil, err
		}
		if r, err = NewOr(r, r2); err != nil {
			return nil, err
		}
	}
	if not {
		return NewNot(r)
	}
	return r, nil
}
