package storage

import (
	"bytes"
	"errors"
	"iter"

	"github.com/RaduBerinde/btreemap"
	"github.com/cockroachdb/pebble/v2"
)

// StateTable is one table's view of its own key range (TablePrefix of its
// id): the state of an operator, or the rows of a table or view. It is the
// single place where operators touch storage. Keys passed to and returned by
// its methods are without the table prefix.
//
// # Layers
//
// A read sees three layers merged, the upper winning over the lower:
//
//  1. dirty: the writes of the current epoch, in memory, coalesced by key
//     (the last write wins, a delete is a tombstone);
//  2. pending: what the last Flush handed to an epoch batch that may not be
//     committed yet;
//  3. the Store's latest committed state in Pebble, read through the
//     state cache the Store's tables share (a byte-bounded LRU of the
//     values below the dirty layer; see Memory).
//
// # Memory
//
// The dirty layer is charged to the Store's Memory as the epoch's dirty
// state, with what the operator charges itself (Charge) for what it holds
// for the epoch on the table's behalf; Flush releases both. The cache holds
// only values already in a batch or in Pebble, so its evictions never lose
// a write: Flush updates the entries it holds with the flushed values.
//
// # Flush and the one-epoch-in-flight invariant
//
// At a barrier, Flush writes the dirty layer into the epoch's batch and
// keeps it as the pending layer, because the operator goes on with the next
// epoch before the batch commits. The barrier coordinator injects barrier
// N+1 only after epoch N committed, so at the next Flush the pending layer
// is in Pebble and is dropped. Flush checks this against
// Store.CommittedEpoch: a pending layer not yet committed is kept, with the
// new writes folded into it, so reads stay right even if the invariant is
// broken.
//
// # Concurrency and ownership
//
// A StateTable belongs to one goroutine, its operator's; Flush and
// DeleteAll are called from it too. Put and Delete copy their arguments.
// A value returned by Get must not be modified. Keys and values passed to
// a scan callback are valid only during the call, and the callback must not
// write to the table.
type StateTable struct {
	store  *Store
	id     uint32
	prefix []byte

	dirty *memLayer
	// pending is nil when every flushed write is known committed.
	pending *memLayer
	// pendingEpoch is the latest epoch flushed into pending.
	pendingEpoch uint64
	// pendingHidesStore is set by DeleteAll: until the range deletion
	// commits, Pebble still holds rows that no longer exist.
	pendingHidesStore bool

	// spare is an emptied layer kept for reuse, with freeList, to spare the
	// allocator at every barrier.
	spare    *memLayer
	freeList *btreemap.FreeList[[]byte, memEntry]

	// keyBuf holds prefix+key for Pebble lookups.
	keyBuf []byte

	memory *Memory
	// cacheGeneration is the state cache's generation when the table was
	// opened (see stateCache).
	cacheGeneration uint64
	// dirtyBytes is what the dirty layer is charged; charged what the
	// operator charged with Charge. Both are released at Flush.
	dirtyBytes int64
	charged    int64
}

type memEntry struct {
	value   []byte
	deleted bool
}

type memLayer = btreemap.BTreeMap[[]byte, memEntry]

const btreeDegree = 16

// NewStateTable returns the state table of tableID in s.
func NewStateTable(s *Store, tableID uint32) *StateTable {
	t := &StateTable{
		store:    s,
		id:       tableID,
		prefix:   TablePrefix(tableID),
		freeList: btreemap.NewFreeList[[]byte, memEntry](btreemap.DefaultFreeListSize),
		memory:   s.memory,
	}
	t.cacheGeneration = s.memory.cache.currentGeneration()
	t.dirty = t.newLayer()
	return t
}

func (t *StateTable) newLayer() *memLayer {
	if l := t.spare; l != nil {
		t.spare = nil
		return l
	}
	return btreemap.NewWithFreeList[[]byte, memEntry](btreeDegree, bytes.Compare, t.freeList)
}

// ID returns the table id.
func (t *StateTable) ID() uint32 { return t.id }

// Prefix returns the key prefix of the table in the Store.
func (t *StateTable) Prefix() []byte { return t.prefix }

// Get returns the value of key in the merged view.
func (t *StateTable) Get(key []byte) ([]byte, bool, error) {
	if e, ok := getEntry(t.dirty, key); ok {
		return e.value, !e.deleted, nil
	}
	if t.pending != nil {
		if e, ok := getEntry(t.pending, key); ok {
			return e.value, !e.deleted, nil
		}
		if t.pendingHidesStore {
			return nil, false, nil
		}
	}
	storeKey := t.storeKey(key)
	if value, ok, found := t.memory.cache.get(storeKey); found {
		return value, ok, nil
	}
	value, ok, err := t.store.Get(storeKey)
	if err == nil {
		t.memory.cache.put(t.cacheGeneration, storeKey, value, !ok)
	}
	return value, ok, err
}

// GetSorted looks up many keys, which must be in ascending order, and calls
// fn with each one's value in the merged view (ok false when absent). The
// value is valid only during the call. It reads Pebble through one iterator
// that seeks forward, which costs much less than a Get per key: an operator
// that batches its reads (a chunk's, or the barrier's) uses it. Keys found
// in the state cache do not touch Pebble.
func (t *StateTable) GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) (err error) {
	lookup := newSortedLookup(t.store.db, t.prefix, PrefixEnd(t.prefix))
	defer func() { err = errors.Join(err, lookup.Close()) }()
	for i, key := range keys {
		if e, ok := getEntry(t.dirty, key); ok {
			if err := fn(i, e.value, !e.deleted); err != nil {
				return err
			}
			continue
		}
		if t.pending != nil {
			e, ok := getEntry(t.pending, key)
			if ok || t.pendingHidesStore {
				if err := fn(i, e.value, ok && !e.deleted); err != nil {
					return err
				}
				continue
			}
		}
		storeKey := t.storeKey(key)
		value, ok, found := t.memory.cache.get(storeKey)
		if !found {
			var err error
			if value, ok, err = lookup.Get(storeKey); err != nil {
				return err
			}
			t.memory.cache.put(t.cacheGeneration, storeKey, value, !ok)
		}
		if err := fn(i, value, ok); err != nil {
			return err
		}
	}
	return nil
}

func getEntry(l *memLayer, key []byte) (memEntry, bool) {
	_, e, ok := l.Get(key)
	return e, ok
}

// Put sets key to value in the current epoch.
func (t *StateTable) Put(key, value []byte) {
	// One allocation for both; the value's capacity is capped so that an
	// append by a reader cannot run into the key.
	buf := make([]byte, len(key)+len(value))
	copy(buf, key)
	copy(buf[len(key):], value)
	t.chargeDirty(t.dirty.ReplaceOrInsert(buf[:len(key):len(key)], memEntry{value: buf[len(key):]}))
	t.chargeDirtyEntry(len(key) + len(value))
}

// Delete removes key in the current epoch.
func (t *StateTable) Delete(key []byte) {
	t.chargeDirty(t.dirty.ReplaceOrInsert(bytes.Clone(nonNil(key)), memEntry{deleted: true}))
	t.chargeDirtyEntry(len(key))
}

// dirtyEntryOverhead approximates what a dirty entry costs beyond its
// bytes: the entry and its share of the B-tree's nodes.
const dirtyEntryOverhead = 64

// chargeDirty releases the charge of an entry the dirty layer replaced.
func (t *StateTable) chargeDirty(oldKey []byte, old memEntry, replaced bool) {
	if replaced {
		t.chargeDirtyEntry(-len(oldKey) - len(old.value))
	}
}

func (t *StateTable) chargeDirtyEntry(n int) {
	size := int64(n) + dirtyEntryOverhead
	if n < 0 {
		size = int64(n) - dirtyEntryOverhead
	}
	t.dirtyBytes += size
	t.memory.charge(size)
}

// Charge counts n bytes that the operator holds in memory for the current
// epoch on the table's behalf (decoded state, batched changes) as dirty
// state of the epoch, until the next Flush releases them. When the epoch's
// dirty state reaches its share of the memory limit the runtime ends the
// epoch early.
func (t *StateTable) Charge(n int64) {
	t.charged += n
	t.memory.charge(n)
}

// release gives back the epoch's charges; Flush and DeleteAll call it.
func (t *StateTable) release() {
	t.memory.charge(-(t.dirtyBytes + t.charged))
	t.dirtyBytes, t.charged = 0, 0
}

// DirtyLen returns the number of keys written in the current epoch.
func (t *StateTable) DirtyLen() int { return t.dirty.Len() }

// Flush writes the current epoch's writes into b and keeps them readable
// until they are committed. Call it at the barrier of b's epoch.
func (t *StateTable) Flush(b *EpochBatch) {
	if t.pending != nil && t.pendingEpoch <= t.store.CommittedEpoch() {
		t.pending.Clear(true)
		t.spare, t.pending = t.pending, nil
		t.pendingHidesStore = false
	}
	t.release()
	if t.dirty.Len() == 0 {
		return
	}

	b.mu.Lock()
	batch := b.live()
	for key, e := range t.dirty.Ascend(btreemap.Min[[]byte](), btreemap.Max[[]byte]()) {
		if e.deleted {
			batch.Delete(t.storeKey(key), nil)
		} else {
			batch.Set(t.storeKey(key), e.value, nil)
		}
	}
	b.mu.Unlock()
	t.updateCache()

	if t.pending == nil {
		t.pending, t.dirty = t.dirty, t.newLayer()
	} else {
		for key, e := range t.dirty.Ascend(btreemap.Min[[]byte](), btreemap.Max[[]byte]()) {
			t.pending.ReplaceOrInsert(key, e)
		}
		t.dirty.Clear(true)
	}
	t.pendingEpoch = max(t.pendingEpoch, b.Epoch())
}

// updateCache writes the dirty layer's entries into the state cache entries
// of the keys it holds, so that they stay what the merged view below the
// dirty layer reads.
func (t *StateTable) updateCache() {
	t.memory.cache.update(t.cacheGeneration, t.prefix, t.dirty.Ascend(btreemap.Min[[]byte](), btreemap.Max[[]byte]()))
}

// DeleteAll removes every row of the table in b, as when the table is
// dropped, and discards the writes of the current epoch. The table reads as
// empty from then on.
func (t *StateTable) DeleteAll(b *EpochBatch) {
	b.DeleteRange(t.prefix, PrefixEnd(t.prefix))
	t.memory.cache.removePrefix(t.prefix)
	t.release()
	t.dirty.Clear(true)
	if t.pending == nil {
		t.pending = t.newLayer()
	} else {
		t.pending.Clear(true)
	}
	t.pendingHidesStore = true
	t.pendingEpoch = max(t.pendingEpoch, b.Epoch())
}

// Scan calls fn for each key in [lower, upper) of the merged view in
// ascending order, until fn returns false or an error. A nil or empty lower
// or upper means no bound within the table.
func (t *StateTable) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return t.scan(lower, upper, false, nil, fn)
}

// ScanReverse is Scan in descending key order.
func (t *StateTable) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return t.scan(lower, upper, true, nil, fn)
}

// ScanPrefix calls fn for each key starting with prefix, in ascending order.
func (t *StateTable) ScanPrefix(prefix []byte, fn func(key, value []byte) (bool, error)) error {
	return t.scan(prefix, PrefixEnd(prefix), false, nil, fn)
}

// ScanPrefixes is ScanPrefix for each of prefixes in turn, fn's i naming
// the prefix; fn returning false ends the scan of that prefix only. Every
// prefix is read from Pebble through one iterator moved to the next
// prefix's range rather than one iterator per prefix, so the probes of a
// chunk cost one iterator: sorted ascending, they also let Pebble step
// forward through the blocks it has read.
func (t *StateTable) ScanPrefixes(prefixes [][]byte, fn func(i int, key, value []byte) (bool, error)) (err error) {
	var it *pebble.Iterator
	defer func() {
		if it != nil {
			err = errors.Join(err, it.Close())
		}
	}()
	for i, prefix := range prefixes {
		err := t.scan(prefix, PrefixEnd(prefix), false, &it, func(key, value []byte) (bool, error) {
			return fn(i, key, value)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ScanPrefixReverse is ScanPrefix in descending key order.
func (t *StateTable) ScanPrefixReverse(prefix []byte, fn func(key, value []byte) (bool, error)) error {
	return t.scan(prefix, PrefixEnd(prefix), true, nil, fn)
}

func (t *StateTable) storeKey(key []byte) []byte {
	t.keyBuf = append(append(t.keyBuf[:0], t.prefix...), key...)
	return t.keyBuf
}

// scan merges the layers: cursors are in priority order (dirty, pending,
// Pebble), and for a key present in several the first one wins. When reuse
// is not nil, the Pebble iterator is *reuse (made on first use) and stays
// open for the caller to use again and close.
func (t *StateTable) scan(lower, upper []byte, reverse bool, reuse **pebble.Iterator, fn func(key, value []byte) (bool, error)) (err error) {
	cursors := make([]cursor, 0, 3)
	defer func() {
		for _, c := range cursors {
			if closeErr := c.close(); err == nil {
				err = closeErr
			}
		}
	}()
	cursors = append(cursors, newMemCursor(t.dirty, lower, upper, reverse))
	if t.pending != nil {
		cursors = append(cursors, newMemCursor(t.pending, lower, upper, reverse))
	}
	if t.pending == nil || !t.pendingHidesStore {
		storeLower := append(append([]byte(nil), t.prefix...), lower...)
		storeUpper := PrefixEnd(t.prefix)
		if len(upper) > 0 {
			storeUpper = append(append([]byte(nil), t.prefix...), upper...)
		}
		c, err := newPebbleCursor(t.store.db, storeLower, storeUpper, len(t.prefix), reverse, reuse)
		if err != nil {
			return err
		}
		cursors = append(cursors, c)
	}

	// before reports whether a comes before b in scan order.
	before := func(a, b []byte) bool {
		if reverse {
			return bytes.Compare(a, b) > 0
		}
		return bytes.Compare(a, b) < 0
	}
	for {
		winner := -1
		for i, c := range cursors {
			if c.valid() && (winner < 0 || before(c.key(), cursors[winner].key())) {
				winner = i
			}
		}
		if winner < 0 {
			break
		}
		w := cursors[winner]
		if !w.deleted() {
			more, err := fn(w.key(), w.value())
			if err != nil || !more {
				return err
			}
		}
		// Skip the key in the lower layers, then in the winner: its key
		// may point into a Pebble iterator that moving invalidates.
		for _, c := range cursors[winner+1:] {
			if c.valid() && bytes.Equal(c.key(), w.key()) {
				c.next()
			}
		}
		w.next()
	}
	return nil
}

// cursor walks one layer of a StateTable in scan order.
type cursor interface {
	valid() bool
	key() []byte
	value() []byte
	deleted() bool
	next()
	close() error
}

type memCursor struct {
	next_ func() ([]byte, memEntry, bool)
	stop  func()
	k     []byte
	e     memEntry
	ok    bool
}

func newMemCursor(l *memLayer, lower, upper []byte, reverse bool) *memCursor {
	var seq iter.Seq2[[]byte, memEntry]
	lo, hi := btreemap.Min[[]byte](), btreemap.Max[[]byte]()
	if lower != nil {
		lo = btreemap.GE(lower)
	}
	if len(upper) > 0 {
		hi = btreemap.LT(upper)
	}
	if reverse {
		seq = l.Descend(hi, lo)
	} else {
		seq = l.Ascend(lo, hi)
	}
	c := &memCursor{}
	c.next_, c.stop = iter.Pull2(seq)
	c.next()
	return c
}

func (c *memCursor) valid() bool   { return c.ok }
func (c *memCursor) key() []byte   { return c.k }
func (c *memCursor) value() []byte { return c.e.value }
func (c *memCursor) deleted() bool { return c.e.deleted }
func (c *memCursor) next()         { c.k, c.e, c.ok = c.next_() }
func (c *memCursor) close() error  { c.stop(); return nil }

type pebbleCursor struct {
	it *pebble.Iterator
	// borrowed is set when the iterator belongs to the caller of scan.
	borrowed  bool
	prefixLen int
	reverse   bool
	ok        bool
	v         []byte
	err       error
}

func newPebbleCursor(db *pebble.DB, lower, upper []byte, prefixLen int, reverse bool, reuse **pebble.Iterator) (*pebbleCursor, error) {
	var it *pebble.Iterator
	if reuse != nil && *reuse != nil {
		it = *reuse
		it.SetBounds(lower, upper)
	} else {
		var err error
		if it, err = db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper}); err != nil {
			return nil, err
		}
		if reuse != nil {
			*reuse = it
		}
	}
	c := &pebbleCursor{it: it, borrowed: reuse != nil, prefixLen: prefixLen, reverse: reverse}
	if reverse {
		c.settle(it.Last())
	} else {
		c.settle(it.First())
	}
	return c, nil
}

func (c *pebbleCursor) settle(ok bool) {
	c.ok = ok
	if ok {
		c.v, c.err = c.it.ValueAndErr()
		c.ok = c.err == nil
	}
}

func (c *pebbleCursor) valid() bool   { return c.ok }
func (c *pebbleCursor) key() []byte   { return c.it.Key()[c.prefixLen:] }
func (c *pebbleCursor) value() []byte { return c.v }
func (c *pebbleCursor) deleted() bool { return false }

func (c *pebbleCursor) next() {
	if c.reverse {
		c.settle(c.it.Prev())
	} else {
		c.settle(c.it.Next())
	}
}

func (c *pebbleCursor) close() error {
	if c.borrowed {
		return errors.Join(c.err, c.it.Error())
	}
	return errors.Join(c.err, c.it.Error(), c.it.Close())
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
