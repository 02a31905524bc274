package planner

// This file is the one place the planner calls sql/expr's and sql/agg's
// constructors, so a change in their signatures is a change here only.

import (
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

func mkConst(d types.Datum, t types.T) expr.Expr { return expr.NewConst(d, t) }
func mkParam(index int, t types.T) expr.Expr     { return expr.NewParam(index, t) }

func isConstExpr(e expr.Expr) bool {
	_, ok := e.(*expr.Const)
	return ok
}

// constValue returns the value of a constant expression.
func constValue(e expr.Expr) (types.Datum, bool) {
	c, ok := e.(*expr.Const)
	if !ok {
		return nil, false
	}
	return c.Value, true
}

func constFold(e expr.Expr) (expr.Expr, error) { return expr.ConstFold(e, nil) }

func mkBinary(op string, l, r expr.Expr) (expr.Expr, error) { return expr.NewBinary(op, l, r) }
func mkUnary(op string, e expr.Expr) (expr.Expr, error)     { return expr.NewUnary(op, e) }
func mkAnd(args []expr.Expr) (expr.Expr, error)             { return expr.NewAnd(args...) }
func mkOr(args []expr.Expr) (expr.Expr, error)              { return expr.NewOr(args...) }
func mkNot(e expr.Expr) (expr.Expr, error)                  { return expr.NewNot(e) }

func mkIsNull(e expr.Expr, not bool) (expr.Expr, error) { return expr.NewIsNull(e, not), nil }

func mkIsBool(e expr.Expr, test ast.BoolTestKind, not bool) (expr.Expr, error) {
	return expr.NewIsBool(e, [...]string{"true", "false", "unknown"}[test], not)
}

func mkIsDistinct(l, r expr.Expr, not bool) (expr.Expr, error) { return expr.NewIsDistinct(l, r, not) }

// mkCast is an explicit cast (CAST, ::).
func mkCast(e expr.Expr, t types.T) (expr.Expr, error) { return expr.NewCast(e, t) }

// mkCoerce is an assignment cast (INSERT and UPDATE values).
func mkCoerce(e expr.Expr, t types.T) (expr.Expr, error) { return expr.Coerce(e, t) }

// mkBool checks a clause's condition is boolean, typing an untyped
// literal as boolean.
func mkBool(e expr.Expr, clause string) (expr.Expr, error) { return expr.CoerceToBool(e, clause) }

// commonType resolves the type of values that must agree; context names
// the construct for the error message.
func commonType(ts []types.T, context string) (types.T, error) { return expr.CommonType(ts, context) }

func mkCase(operand expr.Expr, whens [][2]expr.Expr, els expr.Expr) (expr.Expr, error) {
	conds := make([]expr.Expr, len(whens))
	results := make([]expr.Expr, len(whens))
	for i, w := range whens {
		conds[i], results[i] = w[0], w[1]
	}
	return expr.NewCase(operand, conds, results, els)
}

func mkCoalesce(args []expr.Expr) (expr.Expr, error) { return expr.NewCoalesce(args) }
func mkNullIf(l, r expr.Expr) (expr.Expr, error)     { return expr.NewNullIf(l, r) }
func mkGreatestLeast(greatest bool, args []expr.Expr) (expr.Expr, error) {
	return expr.NewGreatestLeast(greatest, args)
}
func mkInList(e expr.Expr, list []expr.Expr, not bool) (expr.Expr, error) {
	return expr.NewInList(e, list, not)
}
func mkBetween(e, low, high expr.Expr, not, symmetric bool) (expr.Expr, error) {
	return expr.NewBetween(e, low, high, not, symmetric)
}
func mkLike(e, pattern, escape expr.Expr, not, caseInsensitive bool) (expr.Expr, error) {
	return expr.NewLike(e, pattern, escape, not, caseInsensitive)
}

func mkFunc(name string, args []expr.Expr) (expr.Expr, error) { return expr.NewFunc(name, args) }

func isAggregate(name string) bool      { return agg.IsAggregate(name) }
func isWindowFunction(name string) bool { return expr.IsWindowFunction(name) }

// invertible reports whether an aggregate's state can take retractions
// directly; the others keep their input multiset in a second state table.
func invertible(name string) bool { return agg.Invertible(name) }

func aggResultType(name string, argTypes []types.T, star bool) (types.T, error) {
	return agg.ResultType(name, argTypes, star)
}
