package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Row comparisons with a subquery: (a, b) IN (SELECT x, y …) and
// (a, b) op ANY|ALL (SELECT …). The parser writes the row constructor as
// the call row(a, b); each field is compared with the subquery's column at
// its position, combined as the parser combines two row constructors
// (sql/parser/row.go), so = is a AND of the pairs and <> an OR. These run
// through Apply (which folds each subquery row's result with three-valued
// OR for ANY, AND for ALL), never as a hash semi join, whose key equality
// does not have IN's NULL semantics for several columns.

// rowFields is the fields of a row constructor written as a subquery
// comparison's left operand, or nil.
func rowFields(e ast.Expr) []ast.Expr {
	f, ok := e.(*ast.FuncCall)
	if !ok || len(f.Name) != 1 || f.Name[0] != "row" || f.Over != nil || f.Star || f.Distinct || f.Filter != nil {
		return nil
	}
	return f.Args
}

// bindRowLHS binds the fields of a row constructor left operand.
func (b *binder) bindRowLHS(ctx *exprContext, fields []ast.Expr) ([]scalar, error) {
	out := make([]scalar, len(fields))
	for i, f := range fields {
		s, err := b.bindExpr(ctx, f)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// rowComparison is lhsRow op (the subquery's columns).
func (it *subqueryItem) rowComparison() (scalar, error) {
	if len(it.q.cols) != len(it.lhsRow) {
		if len(it.q.cols) > len(it.lhsRow) {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns")
		}
		return nil, pgerror.New(pgerror.SyntaxError, "subquery has too few columns")
	}
	pair := func(op string, i int) (scalar, error) {
		c := it.q.cols[i]
		return newCall("binary "+op, []scalar{it.lhsRow[i], &colScalar{id: c.id, t: c.t, name: c.name}},
			func(a []expr.Expr) (expr.Expr, error) { return mkBinary(op, a[0], a[1]) })
	}
	pairs := func(op string) ([]scalar, error) {
		out := make([]scalar, len(it.lhsRow))
		for i := range out {
			s, err := pair(op, i)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	switch it.op {
	case "=":
		ps, err := pairs("=")
		if err != nil {
			return nil, err
		}
		return newCall("and", ps, mkAnd)
	case "<>":
		ps, err := pairs("<>")
		if err != nil {
			return nil, err
		}
		return newCall("or", ps, mkOr)
	case "<", "<=", ">", ">=":
		last := len(it.lhsRow) - 1
		out, err := pair(it.op, last)
		if err != nil {
			return nil, err
		}
		for i := last - 1; i >= 0; i-- {
			lt, err := pair(it.op[:1], i)
			if err != nil {
				return nil, err
			}
			eq, err := pair("=", i)
			if err != nil {
				return nil, err
			}
			and, err := newCall("and", []scalar{eq, out}, mkAnd)
			if err != nil {
				return nil, err
			}
			if out, err = newCall("or", []scalar{lt, and}, mkOr); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, pgerror.New(pgerror.UndefinedFunction, "operator %s is not supported for row expressions", it.op)
}
