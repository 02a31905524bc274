package session

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/eddy-db/eddy/executor"
	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// cursor is an open DECLARE … CURSOR: a running batch plan over the
// snapshot (and the transaction's own writes) of the moment it was
// declared, read as FETCH and MOVE ask. Nothing is read ahead: each FETCH
// pulls chunks from the plan until it has its rows, and keeps the rest of
// the last chunk for the next one.
//
// A cursor WITHOUT HOLD closes when its transaction ends. One WITH HOLD
// survives the COMMIT of the transaction that declared it, still reading
// its own snapshot, which it keeps open until it is closed: the rows are the
// same PostgreSQL materialises at commit, but they are computed as they are
// fetched, so a big result costs no memory and a runtime error (1/0 in row
// a million) surfaces at the FETCH that reaches it rather than at COMMIT.
// A held cursor whose transaction rolls back goes with it, as in
// PostgreSQL.
type cursor struct {
	name      string
	statement string
	binary    bool
	hold      bool
	noScroll  bool
	created   time.Time
	columns   []Column

	rows *executor.Rows
	snap *storage.Snapshot
	// buffered holds rows read from the plan and not fetched yet, from
	// row next on.
	buffered *chunk.Chunk
	next     int
	// depth is how many savepoints the declaring transaction had when the
	// cursor was declared: ROLLBACK TO a savepoint closes the cursors
	// declared after it.
	depth int
	// committed is set when the declaring transaction of a held cursor
	// committed; from then on no rollback closes it.
	committed bool
}

// read returns the next at most max rows, or nil at the end.
func (c *cursor) read(ctx context.Context, max int64) (*chunk.Chunk, error) {
	if c.buffered == nil {
		if c.rows == nil {
			return nil, nil
		}
		ch, err := c.rows.Next(ctx)
		if err != nil || ch == nil {
			return nil, err
		}
		c.buffered, c.next = ch, 0
	}
	start := c.next
	end := c.buffered.Len()
	if int64(end-start) > max {
		end = start + int(max)
	}
	out := c.buffered
	if start != 0 || end != out.Len() {
		out = &chunk.Chunk{Types: out.Types, Batch: out.Batch.NewSlice(int64(start), int64(end))}
	}
	c.next = end
	if c.next == c.buffered.Len() {
		c.buffered = nil
	}
	return out, nil
}

func (c *cursor) close() {
	if c.rows != nil {
		c.rows.Close()
		c.rows = nil
	}
	if c.snap != nil {
		c.snap.Close()
		c.snap = nil
	}
	c.buffered = nil
}

// cursors are a session's open cursors by name.
type cursors map[string]*cursor

// transactionEnded closes the cursors a transaction's end takes: at COMMIT
// those WITHOUT HOLD, at a rollback also the held cursors it declared.
func (cs cursors) transactionEnded(committed bool) {
	for name, c := range cs {
		switch {
		case c.hold && committed:
			c.committed = true
		case c.hold && c.committed:
		default:
			c.close()
			delete(cs, name)
		}
	}
}

// rolledBackTo closes the cursors declared after the savepoint that was
// the depth-th of its transaction (0-based).
func (cs cursors) rolledBackTo(depth int) {
	for name, c := range cs {
		if !c.committed && c.depth > depth {
			c.close()
			delete(cs, name)
		}
	}
}

// released moves the cursors declared after the released savepoint (which
// was the depth-th) into the transaction that goes on.
func (cs cursors) released(depth int) {
	for _, c := range cs {
		if !c.committed && c.depth > depth {
			c.depth = depth
		}
	}
}

func (cs cursors) closeAll() {
	for name, c := range cs {
		c.close()
		delete(cs, name)
	}
}

// declareCursor opens a cursor over the statement's planned query.
func (s *Session) declareCursor(ctx context.Context, st *Statement, n *ast.DeclareCursor, plan planner.Plan, ectx *expr.Context) (Result, error) {
	if !n.Hold && !s.explicitTx {
		return nil, pgerror.New(pgerror.NoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks").
			WithHint("Run it after BEGIN, or declare the cursor WITH HOLD to use it outside a transaction.")
	}
	if _, exists := s.cursors[n.Name]; exists {
		return nil, pgerror.New(pgerror.DuplicateCursor, "cursor %q already exists", n.Name)
	}
	snap := s.engine.store.Snapshot()
	var r storage.Reader = snap
	if s.txn != nil {
		// The cursor sees the transaction's writes up to now, not the ones
		// its later statements make.
		r = s.txn.overlay.Clone().Over(snap)
	}
	r = s.engine.builtViewsOnly(r, snap)
	rows, err := executor.Run(ctx, plan, r, ectx)
	if err != nil {
		snap.Close()
		return nil, err
	}
	depth := 0
	if s.txn != nil {
		depth = len(s.txn.savepoints)
	}
	if s.cursors == nil {
		s.cursors = cursors{}
	}
	s.cursors[n.Name] = &cursor{
		name:      n.Name,
		statement: st.sql,
		binary:    n.Binary,
		hold:      n.Hold,
		noScroll:  n.NoScroll,
		created:   time.Now(),
		columns:   outputColumns(plan.Output()),
		rows:      rows,
		snap:      snap,
		depth:     depth,
	}
	return tagOnly("DECLARE CURSOR"), nil
}

// lookupCursor finds the cursor a FETCH, MOVE or CLOSE names.
func (s *Session) lookupCursor(name string) (*cursor, error) {
	c := s.cursors[name]
	if c == nil {
		return nil, pgerror.New(pgerror.InvalidCursorName, "cursor %q does not exist", name)
	}
	return c, nil
}

// fetchColumns are the result columns of FETCH from the named cursor: the
// cursor's, in binary for a BINARY cursor.
func (s *Session) fetchColumns(n *ast.Fetch) ([]Column, error) {
	c, err := s.lookupCursor(n.Cursor)
	if err != nil {
		return nil, err
	}
	if n.Move {
		return nil, nil
	}
	cols := make([]Column, len(c.columns))
	for i, col := range c.columns {
		col.Binary = c.binary
		cols[i] = col
	}
	return cols, nil
}

// fetch runs FETCH or MOVE. Only forward movement is supported, as on a
// NO SCROLL cursor in PostgreSQL.
func (s *Session) fetch(st *Statement, n *ast.Fetch, deadline time.Time) (Result, error) {
	c, err := s.lookupCursor(n.Cursor)
	if err != nil {
		return nil, err
	}
	if !n.Move && !sameColumns(c.columns, st.columns) {
		// The cursor was closed and declared again with other columns
		// since the FETCH was prepared.
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cached plan must not change result type").
			WithDetail("Cursor %q has other columns than when the FETCH was prepared.", n.Cursor)
	}
	count := n.Count
	if n.Direction != ast.FetchForward || count < 0 {
		if c.noScroll {
			return nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
		return nil, pgerror.Unsupported("%s other than forward is not supported", fetchVerb(n)).
			WithHint("Eddy's cursors move forward only: use NEXT, FORWARD n, FORWARD ALL or ALL.")
	}
	if count == 0 {
		return nil, pgerror.Unsupported("%s FORWARD 0 is not supported", fetchVerb(n)).
			WithHint("Eddy's cursors do not keep the current row; fetch the rows you need as you go.")
	}
	return &fetchResult{cursor: c, remaining: count, move: n.Move, deadline: deadline}, nil
}

func fetchVerb(n *ast.Fetch) string {
	if n.Move {
		return "MOVE"
	}
	return "FETCH"
}

func sameColumns(a, b []Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Type != b[i].Type {
			return false
		}
	}
	return true
}

// fetchResult streams the rows of one FETCH (or skips those of one MOVE)
// from its cursor.
type fetchResult struct {
	cursor    *cursor
	remaining int64
	move      bool
	count     int64
	deadline  time.Time
}

func (r *fetchResult) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !r.deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, r.deadline)
		defer cancel()
	}
	for r.remaining > 0 {
		ch, err := r.cursor.read(ctx, r.remaining)
		if err != nil {
			return nil, err
		}
		if ch == nil {
			r.remaining = 0
			break
		}
		r.remaining -= int64(ch.Len())
		r.count += int64(ch.Len())
		if !r.move {
			return ch, nil
		}
	}
	return nil, nil
}

func (r *fetchResult) Tag() string {
	if r.move {
		return fmt.Sprintf("MOVE %d", r.count)
	}
	return fmt.Sprintf("FETCH %d", r.count)
}

func (r *fetchResult) Close() {}

// closeCursor runs CLOSE name and CLOSE ALL.
func (s *Session) closeCursor(n *ast.CloseCursor) (Result, error) {
	if n.Name == "" {
		s.cursors.closeAll()
		return tagOnly("CLOSE CURSOR ALL"), nil
	}
	c, err := s.lookupCursor(n.Name)
	if err != nil {
		return nil, err
	}
	c.close()
	delete(s.cursors, n.Name)
	return tagOnly("CLOSE CURSOR"), nil
}

// Cursors lists the session's open cursors for pg_cursors
// (catalog.CursorLister), by name.
func (i sessionInfo) Cursors() []catalog.CursorInfo {
	out := make([]catalog.CursorInfo, 0, len(i.s.cursors))
	for _, c := range i.s.cursors {
		out = append(out, catalog.CursorInfo{
			Name:      c.name,
			Statement: c.statement,
			Holdable:  c.hold,
			Binary:    c.binary,
			Created:   types.Timestamp(c.created.UnixMicro()),
		})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}
