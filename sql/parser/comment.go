package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
)

// comment converts COMMENT ON {TABLE | VIEW | MATERIALIZED VIEW | COLUMN}.
func (c *converter) comment(s *pg_query.CommentStmt) ast.Statement {
	var names []string
	for _, n := range s.Object.GetList().GetItems() {
		names = append(names, n.GetString_().GetSval())
	}
	out := &ast.Comment{Kind: ast.ObjTable}
	switch s.Objtype {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		out.Kind = objectKind(s.Objtype)
	case pg_query.ObjectType_OBJECT_COLUMN:
		if len(names) < 2 {
			panic(pgerrorf("column name must be qualified"))
		}
		out.Column = names[len(names)-1]
		names = names[:len(names)-1]
	default:
		unsupported("%s", statementName(c.piece))
	}
	if len(names) == 0 || len(names) > 3 {
		panic(pgerrorf("improper qualified name (too many dotted names)"))
	}
	out.Name = ast.TableName{Name: names[len(names)-1], Pos: -1}
	if len(names) > 1 {
		out.Name.Schema = names[len(names)-2]
	}
	if len(names) > 2 {
		out.Name.Catalog = names[0]
	}
	if s.Comment != "" {
		text := s.Comment
		out.Text = &text
	}
	return out
}
