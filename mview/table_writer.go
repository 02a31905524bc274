package mview

import (
	"bytes"
	"context"
	"errors"
	"sync"

	"github.com/RaduBerinde/btreemap"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TableWriter is the one door for DML into a table: it serializes the
// statements writing the table (Lock), hands their change chunks to the
// table's source in order (Write), and keeps an overlay of the changes
// written but not yet committed so that statements read their own and each
// other's acknowledged writes (Reader).
//
// # The in-flight overlay
//
// Each Write gets a sequence number, and each changed row's stored form
// (key and value exactly as the table's Materialize will store them) enters
// an ordered overlay tagged with it. At each barrier the table source notes
// the last sequence the epoch carries; once that epoch has committed, the
// entries up to that sequence are in Pebble and leave the overlay. Reader
// merges the overlay over the latest committed rows.
type TableWriter struct {
	rt       *Runtime
	rel      *catalog.Relation
	types    []types.T
	keyCols  []int
	keyTypes []types.T
	prefix   []byte
	// rowIDCol is the index of _row_id, or -1 for tables with a primary key.
	rowIDCol int
	input    chan<- Message
	stopped  chan struct{}

	// lock is the statement lock, a one-slot semaphore so that waiting
	// for it can be cancelled (LockContext).
	lock      chan struct{}
	seq       uint64
	nextRowID int64

	overlayMu     sync.Mutex
	overlay       *btreemap.BTreeMap[[]byte, overlayEntry]
	prunedThrough uint64
	passedEpoch   uint64
	passedSeq     uint64
}

type overlayEntry struct {
	value   []byte
	deleted bool
	seq     uint64
}

func newTableWriter(rt *Runtime, rel *catalog.Relation, input chan<- Message, nextRowID int64) *TableWriter {
	w := &TableWriter{
		rt:        rt,
		rel:       rel,
		types:     rel.ColumnTypes(),
		keyCols:   rel.Key,
		prefix:    storage.TablePrefix(rel.ID),
		rowIDCol:  -1,
		input:     input,
		stopped:   make(chan struct{}),
		lock:      make(chan struct{}, 1),
		nextRowID: nextRowID,
		overlay:   btreemap.New[[]byte, overlayEntry](16, bytes.Compare),
	}
	for _, k := range rel.Key {
		w.keyTypes = append(w.keyTypes, w.types[k])
	}
	if !rel.UserPrimaryKey {
		w.rowIDCol = rel.ColumnIndex(catalog.RowIDColumn)
	}
	return w
}

// Lock takes the table's statement lock.
func (w *TableWriter) Lock() { w.lock <- struct{}{} }

// LockContext takes the table's statement lock, or gives up when ctx ends.
// A transaction holds the lock from its first write of the table to its
// end, so a waiter must be able to give up.
func (w *TableWriter) LockContext(ctx context.Context) error {
	select {
	case w.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Unlock releases the table's statement lock.
func (w *TableWriter) Unlock() { <-w.lock }

// RelationID is the id of the table written.
func (w *TableWriter) RelationID() uint32 { return w.rel.ID }

// Write enqueues a change chunk of full table rows. For a table without a
// primary key it assigns _row_id to inserted rows whose _row_id is NULL.
// It blocks while the dataflow is behind (backpressure) and returns once
// the chunk is queued; it is visible through Reader at once and to queries
// once its epoch committed. Must be called while locked.
func (w *TableWriter) Write(ctx context.Context, c *chunk.Chunk) error {
	if len(c.Types) != len(w.types) {
		return pgerror.Internal("write of %d columns to table %s of %d", len(c.Types), w.rel.Name, len(w.types))
	}
	if w.rowIDCol >= 0 {
		c = w.assignRowIDs(c)
	}
	w.seq++
	msg := &tableWrite{chunk: c, seq: w.seq, nextRowID: w.nextRowID}
	select {
	case w.input <- msg:
	case <-w.rt.aborted:
		return w.rt.abortError()
	case <-w.stopped:
		return pgerror.New(pgerror.UndefinedTable, "table %q was dropped", w.rel.Name)
	case <-w.rt.ctx.Done():
		return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	case <-ctx.Done():
		return ctx.Err()
	}
	w.record(c, msg.seq)
	w.rt.active.Store(true)
	return nil
}

// restart makes input, the source of a table dataflow a recovery rebuilt,
// the writer's destination, and drops the overlay: what it held was not
// committed and is gone. Sequence numbers and the row-id counter go on, so
// no id handed out before is handed out again. Called with the runtime's
// injectGate held, so no Write is running.
func (w *TableWriter) restart(input chan<- Message) {
	w.overlayMu.Lock()
	defer w.overlayMu.Unlock()
	w.input = input
	w.overlay = btreemap.New[[]byte, overlayEntry](16, bytes.Compare)
	w.prunedThrough = w.seq
	w.passedEpoch, w.passedSeq = 0, 0
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

// assignRowIDs fills NULL _row_ids of inserted rows from the counter.
func (w *TableWriter) assignRowIDs(c *chunk.Chunk) *chunk.Chunk {
	col := c.Column(w.rowIDCol)
	missing := false
	for i := 0; i < c.Len() && !missing; i++ {
		missing = col.IsNull(i) && !c.Op(i).IsRetraction()
	}
	if !missing {
		return c
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	for i := 0; i < c.Len(); i++ {
		d := chunk.Datum(col, w.types[w.rowIDCol], i)
		if d == nil && !c.Op(i).IsRetraction() {
			d = w.nextRowID
			w.nextRowID++
		}
		chunk.AppendDatum(b, w.types[w.rowIDCol], d)
	}
	cols := make([]arrow.Array, len(c.Types))
	for j := range cols {
		cols[j] = c.Column(j)
	}
	cols[w.rowIDCol] = b.NewArray()
	return &chunk.Chunk{
		Types: c.Types,
		Batch: array.NewRecordBatch(chunk.Schema(c.Types), cols, int64(c.Len())),
		Ops:   c.Ops,
	}
}

// record adds a queued chunk's rows to the overlay, unless its epoch has
// already committed.
func (w *TableWriter) record(c *chunk.Chunk, seq uint64) {
	w.overlayMu.Lock()
	defer w.overlayMu.Unlock()
	if seq <= w.prunedThrough {
		return
	}
	key := make([]types.Datum, len(w.keyCols))
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		for k, col := range w.keyCols {
			key[k] = row[col]
		}
		full := encoding.EncodeKey(bytes.Clone(w.prefix), w.keyTypes, key)
		if c.Op(i).IsRetraction() {
			w.overlay.ReplaceOrInsert(full, overlayEntry{deleted: true, seq: seq})
		} else {
			w.overlay.ReplaceOrInsert(full, overlayEntry{value: encoding.EncodeRow(nil, w.types, row), seq: seq})
		}
	}
}

// passed notes that the barrier of epoch carries the writes up to seq.
func (w *TableWriter) passed(epoch, seq uint64) {
	w.overlayMu.Lock()
	defer w.overlayMu.Unlock()
	w.passedEpoch, w.passedSeq = epoch, seq
}

// committed drops the overlay entries that epoch carried into Pebble.
func (w *TableWriter) committed(epoch uint64) {
	w.overlayMu.Lock()
	defer w.overlayMu.Unlock()
	if w.passedEpoch != epoch || w.passedSeq <= w.prunedThrough {
		return
	}
	w.prunedThrough = w.passedSeq
	var done [][]byte
	for k, e := range w.overlay.Ascend(btreemap.Min[[]byte](), btreemap.Max[[]byte]()) {
		if e.seq <= w.prunedThrough {
			done = append(done, k)
		}
	}
	for _, k := range done {
		w.overlay.Delete(k)
	}
}

// Reader returns the table's latest committed rows merged with the writes
// not yet committed. Keys are full storage keys (TablePrefix + EncodeKey of
// the key columns). Valid while locked.
func (w *TableWriter) Reader() storage.Reader { return overlayReader{w} }

// overlayEntries copies the overlay entries in [lower, upper).
func (w *TableWriter) overlayEntries(lower, upper []byte) (keys [][]byte, entries []overlayEntry) {
	w.overlayMu.Lock()
	defer w.overlayMu.Unlock()
	lo, hi := btreemap.Min[[]byte](), btreemap.Max[[]byte]()
	if len(lower) > 0 {
		lo = btreemap.GE(lower)
	}
	if len(upper) > 0 {
		hi = btreemap.LT(upper)
	}
	for k, e := range w.overlay.Ascend(lo, hi) {
		keys, entries = append(keys, k), append(entries, e)
	}
	return keys, entries
}

type overlayReader struct{ w *TableWriter }

func (r overlayReader) Get(key []byte) ([]byte, bool, error) {
	r.w.overlayMu.Lock()
	_, e, ok := r.w.overlay.Get(key)
	r.w.overlayMu.Unlock()
	if ok {
		return bytes.Clone(e.value), !e.deleted, nil
	}
	return r.w.rt.store.Get(key)
}

// GetSorted implements storage.SortedGetter: the overlay, then the store
// through one forward iterator for the keys the overlay does not hold. The
// overlay is read first, as in scan: an entry pruned afterwards has
// committed, so the iterator, opened later, sees it.
func (r overlayReader) GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) (err error) {
	inOverlay := make([]bool, len(keys))
	entries := make([]overlayEntry, len(keys))
	r.w.overlayMu.Lock()
	for i, key := range keys {
		_, entries[i], inOverlay[i] = r.w.overlay.Get(key)
	}
	r.w.overlayMu.Unlock()
	lookup := r.w.rt.store.NewSortedLookup()
	defer func() { err = errors.Join(err, lookup.Close()) }()
	for i, key := range keys {
		value, ok := entries[i].value, !entries[i].deleted
		if !inOverlay[i] {
			if value, ok, err = lookup.Get(key); err != nil {
				return err
			}
		}
		if err := fn(i, value, ok); err != nil {
			return err
		}
	}
	return nil
}

func (r overlayReader) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return r.scan(lower, upper, false, fn)
}

func (r overlayReader) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return r.scan(lower, upper, true, fn)
}

// scan merges the overlay (copied first, so entries pruned meanwhile are
// already in the store) over a scan of the store.
func (r overlayReader) scan(lower, upper []byte, reverse bool, fn func(key, value []byte) (bool, error)) error {
	keys, entries := r.w.overlayEntries(lower, upper)
	if reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
			entries[i], entries[j] = entries[j], entries[i]
		}
	}
	entry := func(i int) ([]byte, bool) { return entries[i].value, entries[i].deleted }
	return storage.MergeScan(keys, entry, reverse, fn, func(f func(key, value []byte) (bool, error)) error {
		if reverse {
			return r.w.rt.store.ScanReverse(lower, upper, f)
		}
		return r.w.rt.store.Scan(lower, upper, f)
	})
}
