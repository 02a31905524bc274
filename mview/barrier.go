package mview

import (
	"context"
	"time"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// The barrier coordinator drives epochs, one at a time:
//
//  1. take the queued requests; build the epoch's Mutation (subscriptions
//     of views being created, dataflows stopping);
//  2. inject barrier N into every table source;
//  3. wait until the Materialize of every live dataflow collected it (each
//     has flushed its state into the batch by then);
//  4. run the requests' writes (catalog descriptors, range deletions of
//     dropped relations) into the same batch and Commit it;
//  5. hand out backfill snapshots of epoch N, prune the table writers'
//     overlays, wake the waiters; only then may barrier N+1 go.
//
// An internal error aborts the epoch instead of committing it: an operator
// failing on a chunk or a barrier (a panic included), a barrier not
// collected within Options.BarrierTimeout, a failed commit. Nothing of the
// epoch is written; every statement waiting on it gets the abort's error;
// and the runtime recovers in process from the last committed epoch
// (recovery.go) before the next barrier goes.

type requestKind uint8

const (
	requestFlush requestKind = iota
	requestMutate
	requestCreate
	requestDrop
)

// request is something the session waits on: an epoch committed, maybe
// with writes of its own and a change of the dataflows.
type request struct {
	kind requestKind
	// fn writes into the epoch batch: Mutate's function, a create's or a
	// drop's commit callback.
	fn   func(*storage.EpochBatch)
	done chan error

	// taken is set once the coordinator injected the request's epoch (for
	// a create: its subscribing barrier); it can no longer be withdrawn.
	taken bool
	epoch uint64

	// Create: the new flow and its subscriptions. attached once barrier N
	// carried the subscriptions; committing once epoch N+1 is decided to
	// commit it; aborted when the caller gave up before that.
	flow       *relationFlow
	subscribe  []Subscription
	attached   bool
	committing bool
	aborted    bool
	abortErr   error

	// Drop: the relation and its state tables.
	dropID     uint32
	dropTables []uint32

	// FlushWrites: the generation whose writes it waits for; it fails at
	// once when a recovery ended that generation.
	generation      Generation
	checkGeneration bool
}

func (rt *Runtime) coordinate(ctx context.Context) {
	ticker := time.NewTicker(rt.opts.BarrierInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-rt.ctx.Done():
			return
		case <-rt.trigger:
		case <-rt.faulted:
			// An operator failed between epochs: the epoch that carries
			// its chunk aborts.
		case <-ticker.C:
			rt.mu.Lock()
			idle := len(rt.queue) == 0 && !rt.building()
			rt.mu.Unlock()
			if !rt.active.Swap(false) && idle {
				continue
			}
		}
		if !rt.runEpoch(ctx) {
			return
		}
	}
}

// runEpoch runs one epoch from injection to commit; false when the runtime
// is closing.
func (rt *Runtime) runEpoch(ctx context.Context) bool {
	started := time.Now()
	epoch := rt.store.CommittedEpoch() + 1
	batch := rt.store.NewEpochBatch(epoch)
	mutation := &Mutation{Stop: map[uint32]bool{}}

	rt.mu.Lock()
	rt.nextEpoch = epoch + 1
	var attaching, committing, others []*request
	queue := rt.queue[:0:0]
	for _, r := range rt.queue {
		switch {
		case r.kind == requestCreate && !r.attached:
			r.taken, r.attached, r.epoch = true, true, epoch
			mutation.Subscribe = append(mutation.Subscribe, r.subscribe...)
			r.flow.firstEpoch = epoch + 1
			rt.flows[r.flow.id] = r.flow
			attaching = append(attaching, r)
			queue = append(queue, r)
		case r.kind == requestCreate:
			committing = append(committing, r)
		default:
			r.taken, r.epoch = true, epoch
			if f := rt.flows[r.dropID]; r.kind == requestDrop && f != nil && f.stopAt == 0 {
				f.stopAt = epoch
			}
			others = append(others, r)
		}
	}
	rt.queue = queue
	var sources []*relationFlow
	expected := map[uint32]*relationFlow{}
	var stopping []*relationFlow
	for id, f := range rt.flows {
		if f.firstEpoch > epoch {
			continue
		}
		expected[id] = f
		if f.source != nil {
			sources = append(sources, f)
		}
		if f.stopAt == epoch {
			mutation.Stop[id] = true
			stopping = append(stopping, f)
		}
	}
	rt.mu.Unlock()

	b := &Barrier{Epoch: epoch, Batch: batch}
	if len(mutation.Subscribe) > 0 || len(mutation.Stop) > 0 {
		b.Mutation = mutation
	}
	// Builds read a bounded range per epoch, so no epoch is exempt.
	timer := time.NewTimer(rt.opts.BarrierTimeout)
	defer timer.Stop()
	timeout := timer.C
	// WriteAtomically holds the gate so that a transaction's writes to
	// several tables never straddle a barrier.
	rt.injectGate.Lock()
	for _, src := range sources {
		select {
		case src.source <- b:
		case <-timeout:
			rt.injectGate.Unlock()
			return rt.abortEpoch(ctx, epoch, batch, others, pgerror.New(pgerror.InternalError,
				"table %s did not take the barrier within %s", src.rel.Name, rt.opts.BarrierTimeout))
		case <-ctx.Done():
			rt.injectGate.Unlock()
			batch.Discard()
			return false
		case <-rt.ctx.Done():
			rt.injectGate.Unlock()
			batch.Discard()
			return false
		}
	}
	rt.injectGate.Unlock()
	for len(expected) > 0 {
		select {
		case c := <-rt.collect:
			if f := expected[c.flow.id]; f != c.flow {
				continue // a flow a recovery replaced, or one done with this epoch
			}
			if c.epoch != epoch {
				return rt.abortEpoch(ctx, epoch, batch, others, pgerror.Internal(
					"%s collected the barrier of epoch %d during epoch %d", relationNoun(c.flow.rel), c.epoch, epoch))
			}
			delete(expected, c.flow.id)
		case <-rt.faulted:
			if err := rt.fault.Load(); err != nil {
				return rt.abortEpoch(ctx, epoch, batch, others, *err)
			}
		case <-timeout:
			return rt.abortEpoch(ctx, epoch, batch, others, stuckBarrier(epoch, expected, rt.opts.BarrierTimeout))
		case <-ctx.Done():
			batch.Discard()
			return false
		case <-rt.ctx.Done():
			batch.Discard()
			return false
		}
	}
	if err := rt.fault.Load(); err != nil {
		return rt.abortEpoch(ctx, epoch, batch, others, *err)
	}

	// Decide the creates of this epoch: commit, or detach.
	rt.mu.Lock()
	for _, r := range committing {
		if err := r.flow.df.firstError(); err != nil && !r.aborted {
			r.aborted, r.abortErr = true, err
		}
		if r.aborted {
			r.flow.stopAt = epoch + 1
		} else {
			r.committing = true
		}
	}
	rt.mu.Unlock()
	for _, r := range committing {
		if r.aborted {
			deleteTables(batch, r.flow.tables)
		} else if r.fn != nil {
			r.fn(batch)
		}
	}
	for _, f := range stopping {
		deleteTables(batch, f.tables)
	}
	for _, r := range others {
		if r.kind == requestDrop {
			deleteTables(batch, append([]uint32{r.dropID}, r.dropTables...))
		}
		if r.fn != nil {
			r.fn(batch)
		}
	}
	keys := batch.Count()
	commitStarted := time.Now()
	if err := rt.store.Commit(batch); err != nil {
		return rt.abortEpoch(ctx, epoch, batch, others, pgerror.New(pgerror.IoError, "could not commit: %v", err))
	}
	metricCommitSeconds.Observe(time.Since(commitStarted).Seconds())
	metricEpochSeconds.Observe(time.Since(started).Seconds())
	metricEpochKeys.Observe(float64(keys))
	metricEpochsCommitted.Inc()
	metricCommittedEpoch.Set(float64(epoch))

	rt.mu.Lock()
	var writers []*TableWriter
	for _, f := range stopping {
		delete(rt.flows, f.id)
		f.cancel()
		if f.writer != nil {
			close(f.writer.stopped)
		}
	}
	rt.queue = removeRequests(rt.queue, committing)
	for _, r := range committing {
		r.flow.creating = r.flow.creating && r.aborted
	}
	pendingStop := false
	for _, f := range rt.flows {
		if f.writer != nil {
			writers = append(writers, f.writer)
		}
		pendingStop = pendingStop || f.stopAt > epoch
	}
	building := rt.signalBuilt(epoch)
	rt.mu.Unlock()

	for _, r := range attaching {
		for _, s := range r.flow.scans {
			s.deliver(rt.store.Snapshot())
		}
	}
	for _, w := range writers {
		w.committed(epoch)
	}
	for _, r := range committing {
		if r.aborted {
			r.done <- r.abortErr
		} else {
			r.done <- nil
		}
	}
	for _, r := range others {
		r.done <- nil
	}
	// A build reads a range per epoch: the next epoch follows at once.
	if len(attaching) > 0 || pendingStop || building {
		rt.poke()
	}
	return true
}

// signalBuilt wakes the waiters of the builds that ended by epoch, now
// committed, and reports whether a build is still going on. Called with mu
// held.
func (rt *Runtime) signalBuilt(epoch uint64) bool {
	for _, f := range rt.flows {
		if vb := f.build; vb != nil && !vb.builtSignaled && vb.builtBy(epoch) {
			vb.builtSignaled = true
			close(vb.built)
		}
	}
	return rt.building()
}

// building reports whether a live flow is being built and can move on:
// its epochs need no other cause to run. Called with mu held.
func (rt *Runtime) building() bool {
	for _, f := range rt.flows {
		if f.build != nil && !f.build.builtSignaled && !f.build.blocked() && f.stopAt == 0 {
			return true
		}
	}
	return false
}

// deleteTables removes every row of the given tables in b, including what
// their operators flushed into b before, the row errors of the views
// among them, and the build progress of the relation among them (the
// first) when it was being built.
func deleteTables(b *storage.EpochBatch, ids []uint32) {
	for _, id := range ids {
		prefix := storage.TablePrefix(id)
		b.DeleteRange(prefix, storage.PrefixEnd(prefix))
		errors := storage.ViewErrorPrefix(id)
		b.DeleteRange(errors, storage.PrefixEnd(errors))
	}
	if len(ids) > 0 {
		storage.DeleteBackfillProgress(b, ids[0])
	}
}

func removeRequests(queue, done []*request) []*request {
	out := queue[:0]
	for _, r := range queue {
		keep := true
		for _, d := range done {
			keep = keep && r != d
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}
