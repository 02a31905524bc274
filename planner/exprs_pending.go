package planner

// Stand-ins for sql/expr constructors that have not landed yet; each moves
// to exprs.go as a one-line call when it does.

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
)

func constFold(e expr.Expr) (expr.Expr, error) { return e, nil }

func mkFunc(name string, args []expr.Expr) (expr.Expr, error) {
	return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
}

func isWindowFunction(name string) bool {
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value":
		return true
	}
	return false
}
