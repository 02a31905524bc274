package parser

import (
	"github.com/eddy-db/eddy/sql/ast"
)

// The hand parser's statements that describe a relation, in RisingWave's
// forms (PostgreSQL has no grammar for them):
//
//	SHOW CREATE {TABLE | MATERIALIZED VIEW | VIEW} name
//	DESCRIBE name

func (h *hand) showCreate() ast.Statement {
	h.i = 2
	out := &ast.ShowCreate{}
	switch {
	case h.accept("table"):
		out.Kind = ast.ObjTable
	case h.accept("materialized", "view"):
		out.Kind = ast.ObjMaterializedView
	case h.accept("view"):
		out.Kind = ast.ObjView
	default:
		h.fail(h.i)
	}
	out.Name = h.qualifiedName()
	h.end()
	return out
}

func (h *hand) describe() ast.Statement {
	h.i = 1
	out := &ast.Describe{Name: h.qualifiedName()}
	h.end()
	return out
}
