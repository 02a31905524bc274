package planner

// This file is the one place the planner calls sql/expr's and sql/agg's
// constructors, so a change in their signatures is a change here only:
// buildCall builds every callScalar, and the mk* functions are the rest.

import (
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func mkConst(d types.Datum, t types.T) expr.Expr { return expr.NewConst(d, t) }
func mkParam(index int, t types.T) expr.Expr     { return expr.NewParam(index, t) }

func mkColumnRef(pos int, t types.T, name string) expr.Expr { return expr.NewColumnRef(pos, t, name) }
func mkOuterRef(slot int, t types.T, name string) expr.Expr { return expr.NewOuterRef(slot, t, name) }

// mkBinary is l op r, op an operator symbol.
func mkBinary(op string, l, r expr.Expr) (expr.Expr, error) { return expr.NewBinary(op, l, r) }

// buildCall constructs c over args (built from c.args).
func buildCall(c *callScalar, a []expr.Expr) (expr.Expr, error) {
	not := c.flags.has(flagNot)
	switch c.op {
	case opCompare:
		return expr.NewBinary(c.cmp.String(), a[0], a[1])
	case opBinary:
		return expr.NewBinary(c.name, a[0], a[1])
	case opUnary:
		return expr.NewUnary(c.name, a[0])
	case opAnd:
		return expr.NewAnd(a...)
	case opOr:
		return expr.NewOr(a...)
	case opNot:
		return expr.NewNot(a[0])
	case opIsNull:
		return expr.NewIsNull(a[0], not), nil
	case opIsBool:
		return expr.NewIsBool(a[0], boolTestNames[c.test], not)
	case opIsDistinct:
		return expr.NewIsDistinct(a[0], a[1], not)
	case opBetween:
		return expr.NewBetween(a[0], a[1], a[2], not, c.flags.has(flagSymmetric))
	case opInList:
		return expr.NewInList(a[0], a[1:], not)
	case opLike:
		var escape expr.Expr
		if len(a) > 2 {
			escape = a[2]
		}
		return expr.NewLike(a[0], a[1], escape, not, c.flags.has(flagCaseInsensitive))
	case opCast:
		return expr.NewCast(a[0], c.t)
	case opIntervalCast:
		return expr.NewIntervalFieldsCast(a[0], c.name)
	case opCoerce:
		return expr.Coerce(a[0], c.t)
	case opBool:
		return expr.CoerceToBool(a[0], c.name)
	case opCase:
		// args: [operand], cond1, result1, …, [else]
		var operand, els expr.Expr
		if c.flags.has(flagOperand) {
			operand, a = a[0], a[1:]
		}
		if c.flags.has(flagElse) {
			a, els = a[:len(a)-1], a[len(a)-1]
		}
		conds := make([]expr.Expr, len(a)/2)
		results := make([]expr.Expr, len(a)/2)
		for i := range conds {
			conds[i], results[i] = a[2*i], a[2*i+1]
		}
		return expr.NewCase(operand, conds, results, els)
	case opCoalesce:
		return expr.NewCoalesce(a)
	case opNullIf:
		return expr.NewNullIf(a[0], a[1])
	case opGreatest, opLeast:
		return expr.NewGreatestLeast(c.op == opGreatest, a)
	case opFunc:
		return expr.NewFunc(c.name, a)
	case opAnyAll:
		return expr.NewAnyAll(c.name, c.flags.has(flagAll), a[0], a[1])
	case opArray:
		return expr.NewArray(a)
	case opSubscript:
		return expr.NewSubscript(a[0], a[1])
	case opField:
		return expr.NewFieldSelect(a[0], c.name)
	case opRecord:
		return expr.NewRecord(c.names, a), nil
	}
	return nil, pgerror.Internal("planner: cannot build %s", c.op)
}

var boolTestNames = [...]string{ast.IsTrue: "true", ast.IsFalse: "false", ast.IsUnknown: "unknown"}

// constValue returns the value of a constant expression.
func constValue(e expr.Expr) (types.Datum, bool) {
	c, ok := e.(*expr.Const)
	if !ok {
		return nil, false
	}
	return c.Value, true
}

func constFold(e expr.Expr) (expr.Expr, error) { return expr.ConstFold(e, nil) }

// mkCast is an explicit cast (CAST, ::).
func mkCast(e expr.Expr, t types.T) (expr.Expr, error) { return expr.NewCast(e, t) }

// commonType resolves the type of values that must agree; context names
// the construct for the error message.
func commonType(ts []types.T, context string) (types.T, error) { return expr.CommonType(ts, context) }

func isAggregate(name string) bool { return agg.IsAggregate(name) }

// changesWithoutInput reports a function whose value moves with time or
// chance (now(), random()): materialized views refuse it.
func changesWithoutInput(name string, args int) bool { return expr.ChangesWithoutInput(name, args) }
func isWindowFunction(name string) bool              { return expr.IsWindowFunction(name) }
func isSetFunc(name string) bool                     { return expr.IsSetFunc(name) }

// resolveSetFunc chooses the variant of one of sql/expr's set-returning
// functions for the argument types.
func resolveSetFunc(name string, ts []types.T) (*expr.SetFunc, error) {
	return expr.ResolveSetFunc(name, ts)
}

// invertible reports whether an aggregate's state can take retractions
// directly; the others keep their input multiset in a second state table.
func invertible(name string) bool { return agg.Invertible(name) }

func aggResultType(name string, argTypes []types.T, star bool) (types.T, error) {
	return agg.ResultType(name, argTypes, star)
}
