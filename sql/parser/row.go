package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Row constructors. ROW(a, b) (or (a, b)) on its own is the function call
// row(a, b), which builds an anonymous record (fields f1, f2, …). Compared
// with another row constructor it is expanded here into scalar
// comparisons, as PostgreSQL's parse analysis does (make_row_comparison_op):
//
//	(a, b) = (c, d)                  a = c AND b = d
//	(a, b) <> (c, d)                 a <> c OR b <> d
//	(a, b) < (c, d)                  a < c OR (a = c AND b < d)
//	(a, b) IS DISTINCT FROM (c, d)   a IS DISTINCT FROM c OR b IS DISTINCT FROM d
//	(a, b) IN ((c, d), (e, f))       (a, b) = (c, d) OR (a, b) = (e, f)
//
// The ordering form gives PostgreSQL's result under three-valued logic:
// the first pair that is unequal decides, and a NULL pair before that
// makes the result NULL.

// rowItems is the fields of a row constructor, or nil if n is not one.
func (c *converter) rowItems(n *pg_query.Node) []ast.Expr {
	r := n.GetRowExpr()
	if r == nil {
		return nil
	}
	return c.exprs(r.Args)
}

// rowComparison expands e when it compares row constructors.
func (c *converter) rowComparison(e *pg_query.A_Expr) (ast.Expr, bool) {
	if e.Lexpr == nil || e.Lexpr.GetRowExpr() == nil {
		return nil, false
	}
	op := c.operatorName(e.Name)
	if op == "!=" {
		op = "<>"
	}
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if e.Rexpr.GetRowExpr() == nil {
			return nil, false
		}
		return rowCompare(op, c.rowItems(e.Lexpr), c.rowItems(e.Rexpr)), true
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		if e.Rexpr.GetRowExpr() == nil {
			return nil, false
		}
		l, r := c.rowItems(e.Lexpr), c.rowItems(e.Rexpr)
		checkRowLengths(l, r)
		not := e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT
		pairs := make([]ast.Expr, len(l))
		for i := range l {
			pairs[i] = &ast.IsDistinctFrom{Left: l[i], Right: r[i], Not: not}
		}
		if not {
			return boolOf(ast.And, pairs), true
		}
		return boolOf(ast.Or, pairs), true
	case pg_query.A_Expr_Kind_AEXPR_IN:
		items := e.Rexpr.GetList().GetItems()
		for _, it := range items {
			if it.GetRowExpr() == nil {
				return nil, false
			}
		}
		l := c.rowItems(e.Lexpr)
		alts := make([]ast.Expr, len(items))
		for i, it := range items {
			alts[i] = rowCompare("=", l, c.rowItems(it))
		}
		out := boolOf(ast.Or, alts)
		if op == "<>" { // NOT IN
			return &ast.BoolExpr{Op: ast.Not, Args: []ast.Expr{out}}, true
		}
		return out, true
	}
	return nil, false
}

func checkRowLengths(l, r []ast.Expr) {
	if len(l) != len(r) {
		panic(pgerror.New(pgerror.SyntaxError, "unequal number of entries in row expressions"))
	}
	if len(l) == 0 {
		panic(pgerror.Unsupported("cannot compare rows of zero length"))
	}
}

// rowCompare is l op r for two row constructors' fields.
func rowCompare(op string, l, r []ast.Expr) ast.Expr {
	checkRowLengths(l, r)
	pairs := func(op string) []ast.Expr {
		out := make([]ast.Expr, len(l))
		for i := range l {
			out[i] = &ast.BinaryExpr{Op: op, Left: l[i], Right: r[i]}
		}
		return out
	}
	switch op {
	case "=":
		return boolOf(ast.And, pairs("="))
	case "<>":
		return boolOf(ast.Or, pairs("<>"))
	case "<", "<=", ">", ">=":
		strict := op[:1]
		// l1 op' r1 OR (l1 = r1 AND (rest)), innermost the last pair with op.
		out := ast.Expr(&ast.BinaryExpr{Op: op, Left: l[len(l)-1], Right: r[len(r)-1]})
		for i := len(l) - 2; i >= 0; i-- {
			out = &ast.BoolExpr{Op: ast.Or, Args: []ast.Expr{
				&ast.BinaryExpr{Op: strict, Left: l[i], Right: r[i]},
				&ast.BoolExpr{Op: ast.And, Args: []ast.Expr{&ast.BinaryExpr{Op: "=", Left: l[i], Right: r[i]}, out}},
			}}
		}
		return out
	}
	panic(pgerror.New(pgerror.UndefinedFunction, "operator %s is not supported for row expressions", op))
}

func boolOf(op ast.BoolOp, args []ast.Expr) ast.Expr {
	if len(args) == 1 {
		return args[0]
	}
	return &ast.BoolExpr{Op: op, Args: args}
}
