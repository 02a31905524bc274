package mview

import (
	"context"

	"github.com/eddy-db/eddy/sql/chunk"
)

// WriteAtomically runs fn, which writes to several tables through their
// TableWriters, with barrier injection held off, so that every chunk fn
// queues lands in the same epoch: a transaction's changes to several tables
// commit together or not at all.
//
// No barrier is in any source channel while fn runs (the previous epoch has
// been collected, the next is not injected), so no operator is waiting to
// align and the sources keep draining: fn's writes cannot deadlock on
// backpressure.
func (rt *Runtime) WriteAtomically(ctx context.Context, fn func() error) error {
	rt.injectGate.RLock()
	defer rt.injectGate.RUnlock()
	return fn()
}

// AssignRowIDs gives inserted rows of a table without a primary key their
// _row_id now rather than at Write, for a transaction that must key its
// pending rows before it commits. Must be called while locked.
func (w *TableWriter) AssignRowIDs(c *chunk.Chunk) *chunk.Chunk {
	if w.rowIDCol < 0 {
		return c
	}
	return w.assignRowIDs(c)
}
