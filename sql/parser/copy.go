package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
)

// copyStmt converts COPY. Only the STDIN and STDOUT forms are supported:
// files and programs are the server's, which a client has no business
// reading (psql's \copy sends COPY … FROM STDIN).
func (c *converter) copyStmt(s *pg_query.CopyStmt) *ast.Copy {
	if s.IsProgram {
		unsupported("COPY to or from an external program")
	}
	if s.Filename != "" {
		unsupported("COPY to or from a file")
	}
	if s.WhereClause != nil {
		unsupported("COPY FROM … WHERE")
	}
	out := &ast.Copy{From: s.IsFrom, Columns: c.names(s.Attlist)}
	if s.Query != nil {
		q := s.Query.GetSelectStmt()
		if q == nil {
			unsupported("COPY of a data-modifying statement")
		}
		out.Query = c.selectStmt(q)
	} else {
		t := c.rangeVar(s.Relation)
		out.Table = &t
	}
	for _, n := range s.Options {
		d := n.GetDefElem()
		if d == nil {
			unsupported("COPY option %s", nodeKind(n))
		}
		out.Options = append(out.Options, ast.Option{Name: strings.ToLower(d.Defname), Value: copyOptionValue(d)})
	}
	return out
}

func copyOptionValue(d *pg_query.DefElem) string {
	n := d.Arg
	switch {
	case n == nil:
		return "true"
	case n.GetString_() != nil:
		return n.GetString_().Sval
	case n.GetBoolean() != nil:
		return strconv.FormatBool(n.GetBoolean().Boolval)
	case n.GetInteger() != nil:
		return strconv.Itoa(int(n.GetInteger().Ival))
	case n.GetAStar() != nil:
		return "*"
	}
	unsupported("COPY option %s with a %s argument", strings.ToUpper(d.Defname), nodeKind(n))
	return ""
}
