package expr

import (
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// ConstFold replaces every subtree that reads no column, no parameter and
// no volatile function with the Const it evaluates to, raising the errors
// that evaluation raises (so `1/0` fails at plan time, as in PostgreSQL).
// The arguments of CASE, COALESCE, AND and OR after the first are left
// alone unless the whole node is constant, since they may never run.
func ConstFold(e Expr, ctx *Context) (Expr, error) {
	if ctx == nil {
		ctx = &Context{}
	}
	if _, ok := e.(*Const); ok {
		return e, nil
	}
	if isConstant(e) {
		return evalConst(e, ctx)
	}
	p, ok := e.(parent)
	if !ok {
		return e, nil
	}
	kids := p.children()
	folded := make([]Expr, len(kids))
	changed := false
	for i, k := range kids {
		// Branches that may not run must not raise at plan time.
		if isLazyChild(e, i) {
			folded[i] = k
			continue
		}
		f, err := ConstFold(k, ctx)
		if err != nil {
			return nil, err
		}
		folded[i] = f
		changed = changed || f != k
	}
	if !changed {
		return e, nil
	}
	return withChildren(e, folded), nil
}

// isLazyChild reports whether child i of e runs only on some rows.
func isLazyChild(e Expr, i int) bool {
	switch e.(type) {
	case *Case, *Coalesce, *Logic:
		return i > 0
	}
	return false
}

func isConstant(e Expr) bool {
	switch x := e.(type) {
	case *Const:
		return true
	case *ColumnRef, *Param:
		return false
	case *rowExpr:
		if x.volatile {
			return false
		}
	case *Cast:
		// Reads the session's TimeZone, which a prepared plan outlives.
		if types.ZoneDependentCast(x.Input.Type(), x.To) {
			return false
		}
	}
	p, ok := e.(parent)
	if !ok {
		return false
	}
	for _, k := range p.children() {
		if !isConstant(k) {
			return false
		}
	}
	return true
}

// evalConst evaluates e over a one-row chunk with no columns.
func evalConst(e Expr, ctx *Context) (Expr, error) {
	in := chunk.FromRows(nil, [][]types.Datum{{}})
	a, err := e.Eval(ctx, in)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return NewConst(chunk.Datum(a, e.Type(), 0), e.Type()), nil
}

// withChildren is a shallow copy of e with its children replaced, in the
// order children() lists them.
func withChildren(e Expr, kids []Expr) Expr {
	switch x := e.(type) {
	case *rowExpr:
		c := *x
		c.args = kids
		return &c
	case *Binary:
		c := *x
		c.Left, c.Right = kids[0], kids[1]
		return &c
	case *Cast:
		c := *x
		c.Input = kids[0]
		return &c
	case *Logic:
		return &Logic{And: x.And, Args: kids}
	case *Not:
		return &Not{Input: kids[0]}
	case *IsNull:
		return &IsNull{Input: kids[0], Not: x.Not}
	case *Case:
		n := len(x.Whens)
		return &Case{Whens: kids[:n], Thens: kids[n : 2*n], Else: kids[2*n], T: x.T}
	case *Coalesce:
		return &Coalesce{Args: kids, T: x.T}
	}
	return e
}
