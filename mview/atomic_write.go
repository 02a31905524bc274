package mview

import "context"

// WriteAtomically runs fn, which writes to several tables through their
// TableWriters, with barrier injection held off, so that every chunk fn
// queues lands in the same epoch: a transaction's changes to several tables
// commit together or not at all.
//
// No barrier is in any source channel while fn runs (the previous epoch has
// been collected, the next is not injected), so no operator is waiting to
// align and the sources keep draining: fn's writes cannot deadlock on
// backpressure.
//
// It fails without running fn when a recovery has ended generation gen, in
// which the transaction read what it computed its writes from: the
// uncommitted writes it may have read are gone. FlushWrites(gen) then
// waits for the writes to commit.
func (rt *Runtime) WriteAtomically(ctx context.Context, gen Generation, fn func() error) error {
	rt.injectGate.RLock()
	defer rt.injectGate.RUnlock()
	rt.mu.Lock()
	current, err := rt.generation, rt.lastAbort
	rt.mu.Unlock()
	if gen != current {
		return err
	}
	return fn()
}
