package mview

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// An epoch that meets an internal error aborts, and the runtime recovers
// in process from the last committed epoch as a restart would, without
// the restart:
//
//  1. the generation ends: every statement waiting on the epoch or queued
//     for a later one gets the abort's error (40000: its changes were
//     rolled back and it may be retried), writers blocked on a dataflow's
//     input give up, and a transaction that read in the ended generation
//     can no longer commit (WriteAtomically);
//  2. every dataflow stops, and the runtime waits for its goroutines (a
//     bounded time: a goroutine stuck outside its context is left
//     behind);
//  3. what was not committed is dropped: the epoch's batch, the operators
//     and their state tables' pending layers, the table writers' overlays;
//  4. every table and committed view is rebuilt from its relation, its
//     plan and the stored state, as at startup. A view being created is
//     not: its statement failed.

// stopGrace bounds the wait for a stopped dataflow's goroutines.
const stopGrace = 5 * time.Second

// operatorFailed is a dataflow's report of an operator's error. An error
// in a live dataflow aborts the epoch; one in a view being created fails
// only its CREATE (the coordinator reads it from the dataflow when it
// decides the create), and one in a dataflow a recovery replaced is old
// news.
func (rt *Runtime) operatorFailed(flow *relationFlow, op string, err error) {
	rt.mu.Lock()
	live := rt.flows[flow.id] == flow && !flow.creating
	rt.mu.Unlock()
	if !live {
		return
	}
	cause := error(pgerror.New(pgerror.CodeOf(err), "operator %s of %s failed: %s", op, relationNoun(flow.rel), err.Error()))
	if rt.fault.CompareAndSwap(nil, &cause) {
		select {
		case rt.faulted <- struct{}{}:
		default:
		}
	}
}

// relationNoun names a relation for a message.
func relationNoun(rel *catalog.Relation) string {
	if rel == nil {
		return "a dataflow"
	}
	if rel.Kind == catalog.KindTable {
		return fmt.Sprintf("table %s", rel.Name)
	}
	return fmt.Sprintf("materialized view %s", rel.Name)
}

// stuckBarrier describes an epoch whose barrier the flows in waiting did
// not collect in time.
func stuckBarrier(epoch uint64, waiting map[uint32]*relationFlow, timeout time.Duration) error {
	ids := make([]uint32, 0, len(waiting))
	for id := range waiting {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var where string
	for _, id := range ids {
		f := waiting[id]
		if op := f.df.stuckTask(epoch); op != "" {
			where = fmt.Sprintf("operator %s of %s", op, relationNoun(f.rel))
			break
		}
	}
	if where == "" {
		where = relationNoun(waiting[ids[0]].rel)
	}
	var others string
	if len(ids) > 1 {
		others = fmt.Sprintf(" (%d dataflows waiting)", len(ids))
	}
	return pgerror.New(pgerror.InternalError, "the barrier of epoch %d did not pass %s within %s%s", epoch, where, timeout, others)
}

// abortError is what the statements waiting on an aborted epoch get.
func abortError(epoch, committed uint64, cause error) error {
	return pgerror.New(pgerror.TransactionRollback, "epoch %d was aborted: %s", epoch, cause.Error()).
		WithDetail("Nothing of epoch %d was committed: the changes of every statement waiting on it were rolled back, and the dataflows restarted from epoch %d.", epoch, committed).
		WithHint("Retry the statement.")
}

// abortError returns the error of the latest abort.
func (rt *Runtime) abortError() error {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.lastAbort
}

// abortEpoch aborts epoch, whose batch is batch, because of cause: it fails
// the requests waiting on it (inFlight, taken by the epoch, and every
// queued one), stops every dataflow and rebuilds them from the last
// committed epoch. It returns false only when the runtime is closing.
func (rt *Runtime) abortEpoch(ctx context.Context, epoch uint64, batch *storage.EpochBatch, inFlight []*request, cause error) bool {
	committed := rt.store.CommittedEpoch()
	metricEpochsAborted.Inc()
	rt.logger.Error("mview: epoch aborted; recovering from the last committed epoch",
		"epoch", epoch, "committed_epoch", committed, "sqlstate", pgerror.CodeOf(cause), "cause", cause.Error())
	started := time.Now()
	err := abortError(epoch, committed, cause)

	rt.mu.Lock()
	rt.generation++
	rt.lastAbort = err
	close(rt.aborted)
	queued := rt.queue
	rt.queue = nil
	old := rt.flows
	rt.flows = map[uint32]*relationFlow{}
	rt.nextEpoch = committed + 1
	rt.restoring = map[uint32]*TableWriter{}
	for id, f := range old {
		if f.writer != nil && f.stopAt == 0 {
			rt.restoring[id] = f.writer
		}
	}
	rt.mu.Unlock()
	// Writers blocked on the stopped flows give up (aborted is closed);
	// new ones wait here until their tables' flows are back.
	rt.injectGate.Lock()
	defer rt.injectGate.Unlock()

	var tables, views []*relationFlow
	for _, f := range old {
		f.cancel()
		switch {
		case f.writer != nil:
			tables = append(tables, f)
		case !f.creating:
			views = append(views, f)
		}
	}
	for _, r := range append(inFlight, queued...) {
		if r.kind == requestCreate {
			r.flow.cancel()
		}
		r.done <- err
	}

	// Operators may still be writing into the batch until they stop; a
	// batch discarded under them would panic.
	stopped := waitStopped(old, stopGrace)
	rt.store.ResetStateCache()
	if stopped {
		batch.Discard()
	} else {
		rt.logger.Error("mview: dataflow goroutines did not stop; left behind", "epoch", epoch, "waited", stopGrace)
	}
	rt.fault.Store(nil)
	select {
	case <-rt.faulted:
	default:
	}
	// Collections of the stopped flows may still be queued; their
	// pointers no longer match, so they would be skipped, but they would
	// also fill the channel.
	for drained := false; !drained; {
		select {
		case <-rt.collect:
		default:
			drained = true
		}
	}

	sort.Slice(tables, func(i, j int) bool { return tables[i].id < tables[j].id })
	sort.Slice(views, func(i, j int) bool { return views[i].id < views[j].id })
	for attempt := 0; ; attempt++ {
		failed := rt.rebuild(tables, views)
		if failed == nil {
			break
		}
		rt.logger.Error("mview: recovery failed; retrying", "epoch", epoch, "err", failed, "attempt", attempt+1)
		rt.stopAll()
		select {
		case <-time.After(min(time.Second<<min(attempt, 5), 30*time.Second)):
		case <-ctx.Done():
			return false
		case <-rt.ctx.Done():
			return false
		}
	}
	rt.mu.Lock()
	rt.restoring = nil
	rt.mu.Unlock()
	metricRecoveries.Inc()
	rt.logger.Info("mview: recovered from the last committed epoch",
		"aborted_epoch", epoch, "committed_epoch", committed, "tables", len(tables), "views", len(views),
		"duration", time.Since(started).Round(time.Microsecond))
	rt.poke()
	return true
}

// rebuild starts the dataflows of the given tables, with their writers,
// and views anew. Called with injectGate held, so no writer runs.
func (rt *Runtime) rebuild(tables, views []*relationFlow) error {
	rt.aborted = make(chan struct{})
	var failed []string
	for _, f := range tables {
		if err := rt.startTable(f.rel, f.writer); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", relationNoun(f.rel), err))
		}
	}
	for _, f := range views {
		if err := rt.restoreView(f.rel, f.plan); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", relationNoun(f.rel), err))
		}
	}
	if failed != nil {
		return pgerror.Internal("%s", strings.Join(failed, "; "))
	}
	return nil
}

// stopAll stops the dataflows of a failed rebuild, so that the next
// attempt starts from none.
func (rt *Runtime) stopAll() {
	rt.mu.Lock()
	flows := rt.flows
	rt.flows = map[uint32]*relationFlow{}
	rt.mu.Unlock()
	for _, f := range flows {
		f.cancel()
	}
	waitStopped(flows, stopGrace)
}

// waitStopped waits up to grace for the goroutines of flows to end and
// reports whether they did.
func waitStopped(flows map[uint32]*relationFlow, grace time.Duration) bool {
	done := make(chan struct{})
	go func() {
		for _, f := range flows {
			f.running.Wait()
		}
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(grace):
		return false
	}
}
