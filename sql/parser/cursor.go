package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
)

// PostgreSQL's cursor option bits (CURSOR_OPT_* in parsenodes.h).
const (
	cursorBinary   = 0x0001
	cursorScroll   = 0x0002
	cursorNoScroll = 0x0004
	cursorHold     = 0x0020
)

func (c *converter) declareCursor(s *pg_query.DeclareCursorStmt) ast.Statement {
	q := s.Query.GetSelectStmt()
	if q == nil {
		unsupported("DECLARE CURSOR for a statement other than SELECT or VALUES")
	}
	// INSENSITIVE and ASENSITIVE change nothing: a cursor reads one
	// snapshot, so it never sees later changes, as in PostgreSQL.
	return &ast.DeclareCursor{
		Name:     s.Portalname,
		Binary:   s.Options&cursorBinary != 0,
		Scroll:   s.Options&cursorScroll != 0,
		NoScroll: s.Options&cursorNoScroll != 0,
		Hold:     s.Options&cursorHold != 0,
		Query:    c.selectStmt(q),
	}
}

func (c *converter) fetch(s *pg_query.FetchStmt) ast.Statement {
	out := &ast.Fetch{Cursor: s.Portalname, Move: s.Ismove, Count: s.HowMany}
	switch s.Direction {
	case pg_query.FetchDirection_FETCH_BACKWARD:
		out.Direction = ast.FetchBackward
	case pg_query.FetchDirection_FETCH_ABSOLUTE:
		out.Direction = ast.FetchAbsolute
	case pg_query.FetchDirection_FETCH_RELATIVE:
		out.Direction = ast.FetchRelative
	default:
		out.Direction = ast.FetchForward
	}
	return out
}

// declaresSubscribeCursor reports whether the statement is DECLARE … CURSOR
// … FOR SUBSCRIBE, which PostgreSQL's grammar has no words for.
func (h *hand) declaresSubscribeCursor() bool {
	if !h.is(0, "declare") {
		return false
	}
	for i := 1; i+1 < len(h.toks); i++ {
		if h.is(i, "for") && h.is(i+1, "subscribe") {
			return true
		}
	}
	return false
}
