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
func (rt *Runtime) WriteAtomically(ctx context.Context, fn func() error) error {
	rt.injectGate.RLock()
	defer rt.injectGate.RUnlock()
	return fn()
}
