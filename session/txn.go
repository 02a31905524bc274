package session

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// txn is a transaction's pending writes: an explicit one (BEGIN … COMMIT)
// or the implicit one PostgreSQL runs from a protocol batch's first
// statement to its Sync (a simple query string, a pgx batch, a JDBC
// executeBatch).
//
// A transaction takes a table's write lock at its first write of the table
// and holds it to its end, so it computes every change against rows nobody
// else can change meanwhile; its statements read its own writes through an
// overlay; and at its end it hands every table's changes to the runtime in
// one epoch (mview.Runtime.WriteAtomically), so they become visible and
// durable together or not at all. Lock waits are checked for deadlocks.
//
// # Savepoints
//
// SAVEPOINT cuts the buffer: every table's changes so far are sealed into a
// chunk and the overlay is cloned (copy-on-write, so this costs nothing
// until the next write). ROLLBACK TO puts the clone back, drops the chunks
// sealed after the savepoint and the open ones, and gives up the locks of
// tables first written after it, as PostgreSQL releases the locks a rolled
// back subtransaction took; locks taken before it stay held. COMMIT writes
// the sealed chunks of a table in order, then its open changes.
type txn struct {
	overlay  *storage.Overlay
	tables   map[uint32]*txnTable
	implicit bool
	// failed marks an implicit transaction one of whose statements failed:
	// Sync rolls it back.
	failed     bool
	locks      *lockTable
	savepoints []*savepoint
	// generation is the runtime's generation at the transaction's first
	// write lock: it reads uncommitted writes from then on, so it commits
	// only if no recovery discarded them meanwhile.
	generation    mview.Generation
	hasGeneration bool
}

// txnTable is one table's part of a transaction.
type txnTable struct {
	rel    *catalog.Relation
	writer *mview.TableWriter
	// sealed are the changes staged before the latest savepoint, cut at
	// each savepoint; changes are those staged since.
	sealed  []*chunk.Chunk
	changes *chunk.Builder
}

// savepoint is the state of a transaction when SAVEPOINT name ran.
type savepoint struct {
	name    string
	overlay *storage.Overlay
	// sealed is how many sealed chunks each table written before the
	// savepoint had.
	sealed map[uint32]int
}

func newTxn(locks *lockTable, implicit bool) *txn {
	return &txn{overlay: storage.NewOverlay(), tables: map[uint32]*txnTable{}, implicit: implicit, locks: locks}
}

// table returns the transaction's part of rel, taking the table's write
// lock at the first call.
func (t *txn) table(ctx context.Context, rt *mview.Runtime, rel *catalog.Relation) (*txnTable, error) {
	if tt, ok := t.tables[rel.ID]; ok {
		return tt, nil
	}
	if !t.hasGeneration {
		t.generation, t.hasGeneration = rt.Generation(), true
	}
	w, err := rt.TableWriter(rel.ID)
	if err != nil {
		return nil, err
	}
	if err := t.locks.acquire(ctx, t, w, rel.Name); err != nil {
		return nil, err
	}
	tt := &txnTable{rel: rel, writer: w, changes: chunk.NewBuilder(rel.ColumnTypes())}
	t.tables[rel.ID] = tt
	return tt, nil
}

// stage records a statement's change chunk.
func (t *txn) stage(tt *txnTable, c *chunk.Chunk) {
	ts := tt.rel.ColumnTypes()
	kts := keyTypes(tt.rel)
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		op := c.Op(i)
		key := tableKey(tt.rel, kts, row)
		if op.IsRetraction() {
			t.overlay.Delete(key)
		} else {
			t.overlay.Set(key, encoding.EncodeRow(nil, ts, row))
		}
		tt.changes.Append(op, row)
	}
}

// setSavepoint starts a savepoint of the given name. An older savepoint of
// the same name stays, hidden until this one is released (PostgreSQL's
// rule).
func (t *txn) setSavepoint(name string) {
	sp := &savepoint{name: name, overlay: t.overlay.Clone(), sealed: make(map[uint32]int, len(t.tables))}
	for id, tt := range t.tables {
		if tt.changes.Len() > 0 {
			tt.sealed = append(tt.sealed, tt.changes.Build())
		}
		sp.sealed[id] = len(tt.sealed)
	}
	t.savepoints = append(t.savepoints, sp)
}

// findSavepoint returns the index of the newest savepoint named name, or
// -1.
func (t *txn) findSavepoint(name string) int {
	for i := len(t.savepoints) - 1; i >= 0; i-- {
		if t.savepoints[i].name == name {
			return i
		}
	}
	return -1
}

// rollbackToSavepoint undoes everything after savepoint i, which stays
// (ROLLBACK TO may be repeated); the newer ones go.
func (t *txn) rollbackToSavepoint(i int) {
	sp := t.savepoints[i]
	t.savepoints = t.savepoints[:i+1]
	t.overlay = sp.overlay.Clone()
	for id, tt := range t.tables {
		n, before := sp.sealed[id]
		if !before {
			t.locks.release(t, tt.writer)
			delete(t.tables, id)
			continue
		}
		tt.sealed = tt.sealed[:n]
		tt.changes = chunk.NewBuilder(tt.rel.ColumnTypes())
	}
}

// releaseSavepoint forgets savepoint i and every newer one, keeping their
// changes.
func (t *txn) releaseSavepoint(i int) {
	t.savepoints = t.savepoints[:i]
}

// commit writes every table's changes in one epoch, releases the locks and
// waits for that epoch to commit.
func (t *txn) commit(ctx context.Context, rt *mview.Runtime) error {
	ids := make([]uint32, 0, len(t.tables))
	for id, tt := range t.tables {
		if tt.changes.Len() > 0 || len(tt.sealed) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if len(ids) == 0 {
		t.release()
		return nil
	}
	err := rt.WriteAtomically(ctx, t.generation, func() error {
		for _, id := range ids {
			tt := t.tables[id]
			for _, c := range append(tt.sealed, tt.changes.Build()) {
				if c.Len() == 0 {
					continue
				}
				if err := tt.writer.Write(ctx, c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	t.release()
	if err != nil {
		return err
	}
	return rt.FlushWrites(ctx, t.generation)
}

// release drops the transaction's locks (after commit, or to roll back).
func (t *txn) release() {
	for _, tt := range t.tables {
		t.locks.release(t, tt.writer)
	}
	t.tables = map[uint32]*txnTable{}
}

// lockTable knows which transaction holds and which waits for each table's
// write lock, to refuse a wait that would close a cycle.
type lockTable struct {
	mu      sync.Mutex
	holder  map[uint32]*txn
	waiting map[*txn]uint32
}

func newLockTable() *lockTable {
	return &lockTable{holder: map[uint32]*txn{}, waiting: map[*txn]uint32{}}
}

// acquire takes w's lock for t, waiting as long as ctx allows. A cycle can
// only be closed by a new wait, and every new wait walks the chain of
// holders it would wait behind, so the transaction closing a cycle is the
// one told: 40P01, as PostgreSQL reports it.
func (l *lockTable) acquire(ctx context.Context, t *txn, w *mview.TableWriter, name string) error {
	id := w.RelationID()
	l.mu.Lock()
	for h := l.holder[id]; h != nil; {
		if h == t {
			l.mu.Unlock()
			return pgerror.New(pgerror.TRDeadlockDetected, "deadlock detected").
				WithDetail("Waiting for the write lock of table %q would wait on this transaction itself.", name).
				WithHint("Write tables in the same order in concurrent transactions.")
		}
		next, ok := l.waiting[h]
		if !ok {
			break
		}
		h = l.holder[next]
	}
	l.waiting[t] = id
	l.mu.Unlock()

	err := w.LockContext(ctx)

	l.mu.Lock()
	delete(l.waiting, t)
	if err == nil {
		l.holder[id] = t
	}
	l.mu.Unlock()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout").
			WithDetail("It waited for the write lock of table %q.", name)
	default:
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
	}
}

func (l *lockTable) release(t *txn, w *mview.TableWriter) {
	l.mu.Lock()
	if l.holder[w.RelationID()] == t {
		delete(l.holder, w.RelationID())
	}
	l.mu.Unlock()
	w.Unlock()
}
