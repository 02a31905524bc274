package mview

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// Options configure a Runtime.
type Options struct {
	// BarrierInterval is the time between epochs when nothing asks for one
	// sooner; default 1s, at least 10ms.
	BarrierInterval time.Duration
	// ChannelCapacity is the number of messages an edge holds before its
	// sender blocks; default 16.
	ChannelCapacity int
	// Logger receives operator errors and inconsistencies; default
	// slog.Default().
	Logger *slog.Logger
	// BackfillRowsPerEpoch bounds the rows each input scan of a view being
	// built reads of its input's snapshot in one epoch (default 65536);
	// BackfillTimePerEpoch is how long an epoch carrying such a range
	// should take (default 20ms): each scan adapts its range to it, so
	// that a build does not make epochs, and every statement waiting on
	// one, much slower than that.
	BackfillRowsPerEpoch int
	BackfillTimePerEpoch time.Duration
	// BarrierTimeout bounds the time from injecting an epoch's barrier
	// until every dataflow collected it; an epoch that takes longer is
	// aborted, since an operator that never passes its barrier would hold
	// every later epoch back. Default 60s.
	BarrierTimeout time.Duration
	// Failpoints inject faults for tests of the runtime's recovery; nil
	// injects none.
	Failpoints *Failpoints
}

// Generation counts the runtime's in-process recoveries. Writes computed
// from what a transaction read in one generation commit only in that
// generation: a recovery discards the uncommitted writes they may have
// read.
type Generation uint64

// Runtime runs the dataflows of every table and materialized view of one
// node, and the barrier coordinator that commits their epochs. The session
// layer drives it: AddTable and RestoreMaterializedView at startup, then
// Start; CreateMaterializedView, Drop, Mutate and Flush for DDL; a
// TableWriter per table for DML.
type Runtime struct {
	store   *storage.Store
	opts    Options
	logger  *slog.Logger
	evalCtx *expr.Context

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	flows   map[uint32]*relationFlow
	queue   []*request
	started bool
	// nextEpoch is the first epoch a flow registered now takes part in.
	nextEpoch uint64

	// injectGate keeps barrier injection out while a transaction's chunks
	// are queued to several tables (WriteAtomically), so they share an
	// epoch.
	injectGate sync.RWMutex

	trigger chan struct{}
	collect chan collected
	// active is set by writes, so that an idle runtime does not commit
	// (and fsync) empty epochs at every tick.
	active atomic.Bool

	// generation counts recoveries and lastAbort is the error the latest
	// one gave its waiters (both guarded by mu).
	generation Generation
	lastAbort  error
	// aborted is closed when an epoch aborts, so that writers blocked on a
	// stopped dataflow's input give up; a recovery replaces it while it
	// holds injectGate.
	aborted chan struct{}
	// fault is the first internal error of a live dataflow since the last
	// recovery; faulted wakes the coordinator to abort the epoch.
	fault   atomic.Pointer[error]
	faulted chan struct{}
	// restoring holds the writers of the tables a recovery is rebuilding
	// (guarded by mu), so that statements find their tables meanwhile.
	restoring map[uint32]*TableWriter
}

// relationFlow is the dataflow maintaining one relation.
type relationFlow struct {
	id uint32
	// rel and plan (nil for a table) are what a recovery rebuilds the flow
	// from.
	rel         *catalog.Relation
	plan        *planner.Materialize
	df          *dataflow
	dispatcher  *Dispatcher
	materialize *Materialize
	// tables are the relation's own table and its state tables, deleted
	// when the flow stops.
	tables []uint32
	// firstEpoch is the first epoch whose barrier the flow collects.
	firstEpoch uint64
	// stopAt is the epoch whose barrier stops the flow, 0 while it lives.
	stopAt uint64
	// Tables only: the writer and the source's input, where barriers are
	// injected.
	writer *TableWriter
	source chan Message
	scans  []*StreamScan
	// abandon is closed when the statement creating the view gives up
	// before the view commits: its scans stop their backfill at the next
	// chunk, so the build ends at once instead of reading to the end.
	abandon chan struct{}
	// build is the view's build while its scans read their inputs'
	// snapshots, nil for tables and views built.
	build *viewBuild
	// stopped is closed when the flow ends (dropped, or the runtime
	// closes).
	stopped <-chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	// creating is set while the flow belongs to a CREATE MATERIALIZED VIEW
	// not yet committed (guarded by Runtime.mu): its operators' errors fail
	// that statement alone, since nothing of the view is committed yet.
	creating bool
	// running counts the flow's goroutines, which a recovery waits for.
	running sync.WaitGroup
}

// collected reports that flow's Materialize passed the barrier of epoch. A
// flow a recovery replaced may still report: the coordinator knows it by
// its pointer.
type collected struct {
	flow  *relationFlow
	epoch uint64
}

// NewRuntime returns a runtime over store. Epochs continue from
// store.CommittedEpoch()+1.
func NewRuntime(store *storage.Store, opts Options) *Runtime {
	if opts.BarrierInterval <= 0 {
		opts.BarrierInterval = time.Second
	}
	opts.BarrierInterval = max(opts.BarrierInterval, 10*time.Millisecond)
	if opts.ChannelCapacity <= 0 {
		opts.ChannelCapacity = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BackfillRowsPerEpoch <= 0 {
		opts.BackfillRowsPerEpoch = 65536
	}
	if opts.BackfillTimePerEpoch <= 0 {
		opts.BackfillTimePerEpoch = 20 * time.Millisecond
	}
	if opts.BarrierTimeout <= 0 {
		opts.BarrierTimeout = time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt := &Runtime{
		store:     store,
		opts:      opts,
		logger:    opts.Logger,
		evalCtx:   &expr.Context{TimeZone: time.UTC},
		ctx:       ctx,
		cancel:    cancel,
		flows:     map[uint32]*relationFlow{},
		nextEpoch: store.CommittedEpoch() + 1,
		trigger:   make(chan struct{}, 1),
		collect:   make(chan collected, 64),
		aborted:   make(chan struct{}),
		faulted:   make(chan struct{}, 1),
	}
	// An epoch whose dirty state reaches its share of the memory limit
	// ends early: the next barrier goes now rather than at the interval.
	store.Memory().OnEpochFull(rt.poke)
	return rt
}

// Start starts the barrier coordinator.
func (rt *Runtime) Start(ctx context.Context) {
	rt.mu.Lock()
	if rt.started {
		rt.mu.Unlock()
		return
	}
	rt.started = true
	rt.mu.Unlock()
	rt.poke() // a build restored in the middle goes on at once
	rt.wg.Add(1)
	go func() {
		defer rt.wg.Done()
		rt.coordinate(ctx)
	}()
}

// Close stops every dataflow and the coordinator; an epoch in flight is
// discarded (the next start resumes from the last committed one).
func (rt *Runtime) Close() {
	rt.cancel()
	rt.wg.Wait()
}

// CommittedEpoch returns the last committed epoch.
func (rt *Runtime) CommittedEpoch() uint64 { return rt.store.CommittedEpoch() }

// AddTable starts the dataflow of a table (TableSource → Materialize),
// reading nothing: its rows are already in storage after a restart, and a
// new table is empty.
func (rt *Runtime) AddTable(rel *catalog.Relation) error {
	if len(rel.Key) == 0 {
		return pgerror.Internal("table %s has no key", rel.Name)
	}
	return rt.startTable(rel, nil)
}

// startTable starts a table's dataflow with writer as its door, or a new
// writer when writer is nil.
func (rt *Runtime) startTable(rel *catalog.Relation, writer *TableWriter) error {
	nextRowID := int64(1)
	if v, ok, err := storage.GetMetaUint64(rt.store, rowIDMeta(rel.ID)); err != nil {
		return err
	} else if ok {
		nextRowID = int64(v)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if _, ok := rt.flows[rel.ID]; ok {
		return pgerror.Internal("relation %d already has a dataflow", rel.ID)
	}
	flow := rt.newFlow(rel.ID, []uint32{rel.ID})
	flow.source = make(chan Message, rt.opts.ChannelCapacity)
	if writer == nil {
		writer = newTableWriter(rt, rel, flow.source, nextRowID)
	} else {
		writer.restart(flow.source)
	}
	flow.writer = writer
	toMaterialize := make(chan Message, rt.opts.ChannelCapacity)
	src := &TableSource{
		tableID:   rel.ID,
		input:     flow.source,
		writer:    flow.writer,
		out:       toMaterialize,
		df:        flow.df,
		hasRowID:  flow.writer.rowIDCol >= 0,
		nextRowID: nextRowID,
	}
	mat := rt.newMaterialize(flow, rel)
	ctx := rt.flowContext(flow)
	rt.spawn(flow, ctx, src.run)
	rt.spawn(flow, ctx, (&task{name: "materialize", df: flow.df, op: mat, inputs: []<-chan Message{toMaterialize}, out: flow.dispatcher.send}).run)
	flow.firstEpoch = rt.nextEpoch
	rt.flows[rel.ID] = flow
	return nil
}

func (rt *Runtime) newFlow(id uint32, tables []uint32) *relationFlow {
	flow := &relationFlow{
		id:         id,
		dispatcher: NewDispatcher(id),
		tables:     tables,
	}
	flow.df = &dataflow{id: id, logger: rt.logger, evalCtx: rt.evalCtx,
		internalError: func(op string, err error) { rt.operatorFailed(flow, op, err) }}
	return flow
}

// newMaterialize returns the Materialize ending flow, which maintains rel,
// with the faults the failpoints inject into it.
func (rt *Runtime) newMaterialize(flow *relationFlow, rel *catalog.Relation) operator {
	flow.rel = rel
	flow.materialize = NewMaterialize(rel.ID, rel.ColumnTypes(), rel.Key, storage.NewStateTable(rt.store, rel.ID), rt.logger,
		func(epoch uint64) {
			select {
			case rt.collect <- collected{flow: flow, epoch: epoch}:
			case <-rt.ctx.Done():
			}
		})
	return rt.opts.Failpoints.inject(flow, flow.materialize)
}

func (rt *Runtime) flowContext(flow *relationFlow) context.Context {
	ctx, cancel := context.WithCancel(rt.ctx)
	flow.ctx, flow.cancel, flow.stopped = ctx, cancel, ctx.Done()
	return ctx
}

func (rt *Runtime) spawn(flow *relationFlow, ctx context.Context, run func(context.Context)) {
	rt.wg.Add(1)
	flow.running.Add(1)
	go func() {
		defer rt.wg.Done()
		defer flow.running.Done()
		run(ctx)
	}()
}

// TableWriter returns the writer of a table.
func (rt *Runtime) TableWriter(tableID uint32) (*TableWriter, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if w, ok := rt.restoring[tableID]; ok {
		return w, nil
	}
	flow, ok := rt.flows[tableID]
	if !ok || flow.writer == nil || flow.stopAt != 0 {
		return nil, pgerror.New(pgerror.UndefinedTable, "table with id %d does not exist", tableID)
	}
	return flow.writer, nil
}

// CreateMaterializedView attaches a new view dataflow with no gap and no
// overlap. Barrier N carries the mutation subscribing the view's scans to
// their relations; from then on each scan reads its input's snapshot a
// bounded range per epoch while following its changes (see StreamScan).
// The view's first rows, its build progress and the writes of commit go
// into epoch N+1, and it returns once N+1 committed: the view exists then,
// and the returned Build tells when it is built. On error or cancellation
// before that the view is detached and nothing of it is committed; a
// cancellation during epoch N+1 stops its reading within a chunk and
// returns ctx's error as soon as epoch N+1 has dropped the view's tables.
func (rt *Runtime) CreateMaterializedView(ctx context.Context, rel *catalog.Relation, plan *planner.Materialize, commit func(*storage.EpochBatch)) (*Build, error) {
	flow, subs, err := rt.build(rel, plan, true)
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	flow.plan, flow.creating = plan, true
	rt.mu.Unlock()
	req := &request{kind: requestCreate, fn: commit, flow: flow, subscribe: subs, done: make(chan error, 1)}
	if err := rt.enqueue(req); err != nil {
		flow.cancel()
		return nil, err
	}
	rt.mu.Lock()
	created := &Build{rt: rt, flow: flow, generation: rt.generation}
	rt.mu.Unlock()
	select {
	case err := <-req.done:
		if err != nil {
			return nil, err
		}
		return created, nil
	case <-ctx.Done():
	case <-rt.ctx.Done():
		return nil, pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	}
	rt.mu.Lock()
	if !req.attached {
		rt.dequeue(req)
		rt.mu.Unlock()
		flow.cancel()
		return nil, ctx.Err()
	}
	if !req.committing {
		req.aborted, req.abortErr = true, ctx.Err()
		close(flow.abandon)
	}
	rt.mu.Unlock()
	if err := rt.wait(req); err != nil {
		return nil, err
	}
	return created, nil
}

// Build is a view's build, from the epoch that created the view to the one
// whose commit holds every row of its inputs' snapshots.
type Build struct {
	rt   *Runtime
	flow *relationFlow
	// generation is the runtime's when the build began: a recovery since
	// then stopped its flow, and the statement waiting on it gets the
	// abort's error (the recovered view goes on building from its stored
	// progress).
	generation Generation
}

// Wait returns once the view's build committed, with the first error an
// operator of the view met by then, if any. It returns ctx's error when
// ctx ends first (the build goes on), and an error when the view was
// dropped or its build cannot go on.
func (b *Build) Wait(ctx context.Context) error {
	vb := b.flow.build
	if vb == nil {
		return b.flow.df.firstError()
	}
	select {
	case <-vb.built:
		return b.flow.df.firstError()
	case <-vb.failed:
		return b.flow.df.firstError()
	case <-b.flow.stopped:
		select {
		case <-b.rt.ctx.Done():
			return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
		default:
		}
		if b.rt.Generation() != b.generation {
			if err := b.rt.abortError(); err != nil {
				return err
			}
		}
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view was dropped before its build finished")
	case <-ctx.Done():
		return ctx.Err()
	case <-b.rt.ctx.Done():
		return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	}
}

// RestoreMaterializedView rebuilds a view's dataflow after a restart from
// its stored state, with no backfill. Call it in dependency order, after
// AddTable of the tables, before Start.
func (rt *Runtime) RestoreMaterializedView(rel *catalog.Relation, plan *planner.Materialize) error {
	rt.mu.Lock()
	started := rt.started
	rt.mu.Unlock()
	if started {
		return pgerror.Internal("RestoreMaterializedView after Start")
	}
	return rt.restoreView(rel, plan)
}

// restoreView builds a view's dataflow over its stored state and attaches
// it to its inputs' dispatchers at once: at startup, or in a recovery, when
// no epoch is in flight.
func (rt *Runtime) restoreView(rel *catalog.Relation, plan *planner.Materialize) error {
	flow, subs, err := rt.build(rel, plan, false)
	if err != nil {
		return err
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	flow.plan = plan
	for _, s := range subs {
		if rt.flows[s.Relation] == nil {
			flow.cancel()
			return pgerror.Internal("materialized view %s reads relation %d, which has no dataflow", rel.Name, s.Relation)
		}
	}
	for _, s := range subs {
		rt.flows[s.Relation].dispatcher.subscribe(s)
	}
	flow.firstEpoch = rt.nextEpoch
	rt.flows[flow.id] = flow
	return nil
}

// Drop stops a relation's dataflow at a barrier, deletes its rows and the
// given state tables in that epoch's batch, runs commit in the same batch,
// and returns once the epoch committed.
func (rt *Runtime) Drop(ctx context.Context, relID uint32, stateTables []uint32, commit func(*storage.EpochBatch)) error {
	req := &request{kind: requestDrop, fn: commit, dropID: relID, dropTables: stateTables, done: make(chan error, 1)}
	return rt.submit(ctx, req)
}

// Mutate runs fn in the batch of the next epoch and returns once that epoch
// committed.
func (rt *Runtime) Mutate(ctx context.Context, fn func(*storage.EpochBatch)) error {
	return rt.submit(ctx, &request{kind: requestMutate, fn: fn, done: make(chan error, 1)})
}

// Flush returns once an epoch injected after the call has committed.
func (rt *Runtime) Flush(ctx context.Context) error {
	return rt.submit(ctx, &request{kind: requestFlush, done: make(chan error, 1)})
}

// Generation returns the runtime's current generation.
func (rt *Runtime) Generation() Generation {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.generation
}

// FlushWrites returns once the writes queued in generation gen have
// committed: it is Flush, failing with the abort's error when a recovery
// has discarded them.
func (rt *Runtime) FlushWrites(ctx context.Context, gen Generation) error {
	return rt.submit(ctx, &request{kind: requestFlush, generation: gen, checkGeneration: true, done: make(chan error, 1)})
}

// submit queues req and waits for it; a request not yet injected when ctx
// ends is withdrawn, one already injected is waited for.
func (rt *Runtime) submit(ctx context.Context, req *request) error {
	if err := rt.enqueue(req); err != nil {
		return err
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
	case <-rt.ctx.Done():
		return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	}
	rt.mu.Lock()
	withdrawn := rt.dequeue(req)
	rt.mu.Unlock()
	if withdrawn || req.kind == requestFlush {
		return ctx.Err()
	}
	return rt.wait(req)
}

func (rt *Runtime) wait(req *request) error {
	select {
	case err := <-req.done:
		return err
	case <-rt.ctx.Done():
		return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	}
}

// enqueue queues req; it fails when req is bound to a generation a
// recovery has ended.
func (rt *Runtime) enqueue(req *request) error {
	rt.mu.Lock()
	if req.checkGeneration && req.generation != rt.generation {
		err := rt.lastAbort
		rt.mu.Unlock()
		return err
	}
	rt.queue = append(rt.queue, req)
	rt.mu.Unlock()
	rt.poke()
	return nil
}

// dequeue removes a request not yet taken by the coordinator; it reports
// whether it did. Called with mu held.
func (rt *Runtime) dequeue(req *request) bool {
	for i, r := range rt.queue {
		if r == req && !r.taken {
			rt.queue = append(rt.queue[:i], rt.queue[i+1:]...)
			return true
		}
	}
	return false
}

// poke asks the coordinator for an epoch now.
func (rt *Runtime) poke() {
	select {
	case rt.trigger <- struct{}{}:
	default:
	}
}
