package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// The WINDOW clause: SELECT … OVER w … WINDOW w AS (PARTITION BY …). Named
// windows are resolved here, so the rest of Eddy sees each OVER written
// out in full. OVER w copies the named window; OVER (w ORDER BY …) takes
// its PARTITION BY, and its ORDER BY and frame unless given, as PostgreSQL
// does (which forbids overriding what the named window already has).

// defineWindows makes s's WINDOW clause visible while its query level is
// converted; the returned function restores the enclosing level's.
func (c *converter) defineWindows(s *pg_query.SelectStmt) func() {
	saved := c.windows
	if len(s.WindowClause) == 0 {
		c.windows = nil
		return func() { c.windows = saved }
	}
	defs := map[string]*pg_query.WindowDef{}
	for _, n := range s.WindowClause {
		w := n.GetWindowDef()
		if _, dup := defs[w.Name]; dup {
			panic(pgerror.New(pgerror.WindowingError, "window %q is already defined", w.Name))
		}
		c.windows = defs
		defs[w.Name] = c.resolveWindow(w, false)
	}
	c.windows = defs
	return func() { c.windows = saved }
}

// resolveWindow merges a window definition with the named window it
// refers to, if any. over marks an OVER clause, where Name is a reference
// (OVER w) rather than the name being defined.
func (c *converter) resolveWindow(w *pg_query.WindowDef, over bool) *pg_query.WindowDef {
	ref, copyAll := w.Refname, false
	if over && w.Name != "" {
		ref, copyAll = w.Name, true
	}
	if ref == "" {
		return w
	}
	base, ok := c.windows[ref]
	if !ok {
		panic(pgerror.New(pgerror.UndefinedObject, "window %q does not exist", ref))
	}
	if copyAll {
		return &pg_query.WindowDef{PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
			FrameOptions: base.FrameOptions, StartOffset: base.StartOffset, EndOffset: base.EndOffset, Location: w.Location}
	}
	if len(w.PartitionClause) > 0 {
		panic(pgerror.New(pgerror.WindowingError, "cannot override PARTITION BY clause of window %q", ref))
	}
	if len(w.OrderClause) > 0 && len(base.OrderClause) > 0 {
		panic(pgerror.New(pgerror.WindowingError, "cannot override ORDER BY clause of window %q", ref))
	}
	if base.FrameOptions&frameNonDefault != 0 {
		panic(pgerror.New(pgerror.WindowingError, "cannot copy window %q because it has a frame clause", ref))
	}
	name := w.Name
	if over {
		name = ""
	}
	out := &pg_query.WindowDef{Name: name, PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
		FrameOptions: w.FrameOptions, StartOffset: w.StartOffset, EndOffset: w.EndOffset, Location: w.Location}
	if len(w.OrderClause) > 0 {
		out.OrderClause = w.OrderClause
	}
	return out
}
