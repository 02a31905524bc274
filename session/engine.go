package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// Options configure an Engine.
type Options struct {
	DataDir         string
	InMemory        bool
	BarrierInterval time.Duration
	// MemoryLimit bounds what the dataflows hold in memory (see
	// storage.Memory); 0: no limit.
	MemoryLimit int64
	// BarrierTimeout bounds an epoch from its barrier to its last
	// collection (mview.Options.BarrierTimeout); 0: the runtime's default.
	BarrierTimeout time.Duration
	// Failpoints inject the faults the runtime recovers from, for tests;
	// nil: none.
	Failpoints *mview.Failpoints
	// StreamingParallelism is the default of the streaming_parallelism
	// setting; 0: the number of cores.
	StreamingParallelism int
	Logger               *slog.Logger
}

// defaultParallelism is the N of materialized views created without
// SET streaming_parallelism: the server's --streaming-parallelism, or the
// number of cores, at most mview.VnodeCount.
func (e *Engine) defaultParallelism() int {
	if n := e.opts.StreamingParallelism; n > 0 {
		return min(n, mview.VnodeCount)
	}
	return min(runtime.NumCPU(), mview.VnodeCount)
}

// Engine is one Eddy database: its store, catalog and streaming runtime.
// Sessions share it.
type Engine struct {
	opts    Options
	log     *slog.Logger
	store   *storage.Store
	catalog *catalog.Catalog
	runtime *mview.Runtime
	// locks tracks transactions' table write locks for deadlock detection.
	locks *lockTable
	// sequences holds the values of the sequences in use.
	sequences *sequenceStates

	// ddl serialises catalog changes so that name checks and id allocation
	// do not race.
	ddl    sync.Mutex
	nextID uint32 // guarded by ddl
	// unacknowledged are the views whose foreground CREATE has not
	// returned yet (guarded by ddl): if their build fails they are dropped,
	// so no other statement may build on them meanwhile.
	unacknowledged map[uint32]bool

	// catalogVersion changes with every DDL so prepared plans know to
	// re-plan.
	catalogVersion atomic.Uint64
	nextPID        atomic.Int32
	// clients are the server's client connections (activity.go); nil
	// when no server serves the engine.
	clients Clients
	started time.Time
}

const (
	metaNextID = "next_object_id"
	// firstObjectID matches PostgreSQL's FirstNormalObjectId, so user
	// objects' oids look like PostgreSQL's to tools.
	firstObjectID = 16384
)

// Open opens (or creates) the database in opts.DataDir, restores every
// table and view dataflow at the last committed epoch and starts the
// barrier coordinator.
func Open(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BarrierInterval <= 0 {
		opts.BarrierInterval = time.Second
	}
	store, err := storage.Open(opts.DataDir, storage.Options{InMemory: opts.InMemory, MemoryLimit: opts.MemoryLimit, CommitFault: opts.Failpoints.CommitFault})
	if inUse := (*storage.DirInUseError)(nil); errors.As(err, &inUse) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("open storage in %s: %w", opts.DataDir, err)
	}
	e := &Engine{
		opts:      opts,
		log:       opts.Logger,
		store:     store,
		catalog:   catalog.New(),
		locks:     newLockTable(),
		sequences: newSequenceStates(store),
		started:   time.Now(),
	}
	e.nextPID.Store(1000)
	e.runtime = mview.NewRuntime(store, mview.Options{BarrierInterval: opts.BarrierInterval, BarrierTimeout: opts.BarrierTimeout, Failpoints: opts.Failpoints, Logger: opts.Logger})
	if err := e.recover(); err != nil {
		e.runtime.Close()
		store.Close()
		return nil, err
	}
	e.runtime.Start(ctx)
	e.log.Info("database recovered", "dir", opts.DataDir, "epoch", store.CommittedEpoch(),
		"relations", len(e.catalog.Relations()), "duration", time.Since(e.started).Round(time.Microsecond))
	return e, nil
}

// recover loads the catalog of the last committed epoch and rebuilds the
// dataflows from it: tables first, then views in id order, which is
// creation order, so every view's inputs exist before it.
func (e *Engine) recover() error {
	next, ok, err := storage.GetMetaUint64(e.store, metaNextID)
	if err != nil {
		return err
	}
	e.nextID = firstObjectID
	if ok {
		e.nextID = uint32(next)
	}
	var rels []*catalog.Relation
	err = storage.ScanCatalog(e.store, func(id uint32, blob []byte) error {
		rel, err := catalog.Unmarshal(blob)
		if err != nil {
			return err
		}
		rels = append(rels, rel)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].ID < rels[j].ID })
	for _, rel := range rels {
		e.catalog.Add(rel)
	}
	for _, rel := range rels {
		switch rel.Kind {
		case catalog.KindTable:
			if err := e.runtime.AddTable(rel); err != nil {
				return fmt.Errorf("restore table %s: %w", rel.QualifiedName(), err)
			}
			if err := e.addUniqueIndexes(rel); err != nil {
				return fmt.Errorf("restore table %s: %w", rel.QualifiedName(), err)
			}
		case catalog.KindMaterializedView:
			if err := e.restoreMaterializedView(rel); err != nil {
				e.log.Error("materialized view cannot run; it answers with this error until it is dropped",
					"view", rel.QualifiedName(), "error", err)
				unavailable := *rel
				unavailable.Unavailable = err
				e.catalog.Add(&unavailable)
			}
		}
	}
	return nil
}

// restoreMaterializedView rebuilds a view's dataflow from the plan stored
// with it. A plan this binary cannot run, or a view reading a view that
// cannot run, is an error naming the view; the caller leaves the view in
// the catalog answering with it.
func (e *Engine) restoreMaterializedView(rel *catalog.Relation) error {
	for _, id := range rel.DependsOn {
		if input, ok := e.catalog.ByID(id); ok && input.Unavailable != nil {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view %q cannot run: it reads %q, which cannot run", rel.Name, input.Name).
				WithDetail("%s", input.Unavailable.Error()).
				WithHint("Drop and create %q again, then this view.", input.Name)
		}
	}
	var plan *planner.Materialize
	err := error(&planner.PlanVersionError{Stored: 0, Supported: planner.PlanFormatVersion})
	if len(rel.Plan) > 0 {
		plan, err = planner.DecodeMaterialize(rel.Plan, e.catalog)
	}
	if version := (*planner.PlanVersionError)(nil); errors.As(err, &version) {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view %q was stored by another version of eddy and must be recreated", rel.Name).
			WithDetail("Its plan is in format version %d; this version of eddy runs version %d.", version.Stored, version.Supported).
			WithHint("Drop the materialized view and create it again.")
	}
	if err != nil {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view %q cannot run: its stored plan does not fit this version of eddy", rel.Name).
			WithDetail("%s", err.Error()).
			WithHint("Drop the materialized view and create it again.")
	}
	plan.RelationID = rel.ID
	if err := e.runtime.RestoreMaterializedView(rel, plan); err != nil {
		return fmt.Errorf("restore materialized view %s: %w", rel.QualifiedName(), err)
	}
	return nil
}

// allocID hands out an object id; the caller holds e.ddl and writes the new
// counter in the epoch that commits the object (persistNextID).
func (e *Engine) allocID() uint32 {
	id := e.nextID
	e.nextID++
	return id
}

func (e *Engine) persistNextID(b *storage.EpochBatch) {
	storage.PutMetaUint64(b, metaNextID, uint64(e.nextID))
}

// Catalog is the engine's catalog.
func (e *Engine) Catalog() *catalog.Catalog { return e.catalog }

// Close stops the runtime and closes storage.
func (e *Engine) Close() error {
	e.runtime.Close()
	return e.store.Close()
}

// CommittedEpoch is the last committed epoch.
func (e *Engine) CommittedEpoch() uint64 { return e.store.CommittedEpoch() }
