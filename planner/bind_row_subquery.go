package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
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
	pair := func(cmp comparison, i int) (scalar, error) {
		c := it.q.cols[i]
		return compareCall(cmp, it.lhsRow[i], &colScalar{id: c.id, t: c.t, name: c.name})
	}
	pairs := func(cmp comparison) ([]scalar, error) {
		out := make([]scalar, len(it.lhsRow))
		for i := range out {
			s, err := pair(cmp, i)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	cmp, ok := parseComparison(it.op)
	switch {
	case ok && cmp == cmpEQ:
		ps, err := pairs(cmpEQ)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opAnd, args: ps})
	case ok && cmp == cmpNE:
		ps, err := pairs(cmpNE)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opOr, args: ps})
	case ok:
		last := len(it.lhsRow) - 1
		out, err := pair(cmp, last)
		if err != nil {
			return nil, err
		}
		for i := last - 1; i >= 0; i-- {
			lt, err := pair(cmp.strict(), i)
			if err != nil {
				return nil, err
			}
			eq, err := pair(cmpEQ, i)
			if err != nil {
				return nil, err
			}
			and, err := newCall(callScalar{op: opAnd, args: []scalar{eq, out}})
			if err != nil {
				return nil, err
			}
			if out, err = newCall(callScalar{op: opOr, args: []scalar{lt, and}}); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, pgerror.New(pgerror.UndefinedFunction, "operator %s is not supported for row expressions", it.op)
}
