package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// ErrEpochNotRising is returned by Commit for a batch whose epoch is not
// above the committed epoch.
var ErrEpochNotRising = errors.New("storage: epoch does not rise above the committed epoch")

// ErrBatchDone is returned by Commit for a batch already committed or
// discarded.
var ErrBatchDone = errors.New("storage: epoch batch already committed or discarded")

// Options configures Open.
type Options struct {
	// InMemory keeps the whole database in memory (for tests); dir is then
	// only a name.
	InMemory bool
	// CacheSize is the size in bytes of Pebble's block cache; 0 means a
	// share of MemoryLimit (see Memory), or Pebble's default without one.
	CacheSize int64
	// MemoryLimit bounds what the dataflows hold in memory (see Memory);
	// 0 means no limit: a default state cache, Pebble's default block
	// cache and no early end of an epoch.
	MemoryLimit int64
	// CommitFault, when set, is called by Commit before it writes
	// anything; an error it returns fails the commit as a failed write
	// would, with nothing of the batch applied. It is the seam through
	// which tests (and the runtime's failpoints) make a commit fail.
	CommitFault func(b *EpochBatch) error

	// fs, when set, replaces the file system: tests reopen an in-memory
	// database by passing the same one.
	fs vfs.FS
}

// Reader reads keys. *Store reads the latest committed state; *Snapshot
// reads the epoch it was taken at.
type Reader interface {
	// Get returns the value of key. The value is a copy the caller owns.
	Get(key []byte) (value []byte, ok bool, err error)
	// Scan calls fn for each key in [lower, upper) in ascending order until
	// fn returns false or an error. A nil or empty lower or upper means no
	// bound. The
	// key and value passed to fn are valid only during the call.
	Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error
	// ScanReverse is Scan in descending key order.
	ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error
}

var (
	_ Reader = (*Store)(nil)
	_ Reader = (*Snapshot)(nil)
)

// Store is the Pebble database of one Eddy node.
//
// # Writes
//
// All writes go through Commit, one EpochBatch per epoch, so the latest
// state of the database is always a committed epoch: reading the Store
// directly is reading the last committed epoch, and it moves when Commit
// returns.
//
// # Snapshots
//
// The Store keeps one shared Pebble snapshot of the last committed epoch,
// replaced at each Commit. Snapshot hands out references to it, so taking a
// snapshot is cheap and every reader of the same epoch shares one.
type Store struct {
	db *pebble.DB

	committedEpoch atomic.Uint64

	// commitMu serializes Commit; snapshotMu guards current.
	commitMu   sync.Mutex
	snapshotMu sync.Mutex
	current    *sharedSnapshot

	// sizes paces the memtable flushes of EstimateSize.
	sizes sizeFlusher

	memory      *Memory
	commitFault func(b *EpochBatch) error
}

// Open opens (creating it if needed) the database in dir.
func Open(dir string, opts Options) (*Store, error) {
	po := &pebble.Options{
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             quietLogger{},
		// Epoch batches of 10-100 MB are the norm; a small memtable would
		// flush several times per epoch. A memory limit makes it smaller.
		MemTableSize: memTableSize(opts.MemoryLimit),
	}
	// Operators look up keys that are often absent (a new group, a join
	// key never seen); bloom filters answer those without reading blocks.
	po.Levels[0].FilterPolicy = bloom.FilterPolicy(10)
	switch {
	case opts.fs != nil:
		po.FS = opts.fs
	case opts.InMemory:
		po.FS = vfs.NewMem()
	}
	if opts.CacheSize <= 0 && opts.MemoryLimit > 0 {
		opts.CacheSize = opts.MemoryLimit / BlockCacheShare
	}
	if opts.CacheSize > 0 {
		cache := pebble.NewCache(opts.CacheSize)
		defer cache.Unref()
		po.Cache = cache
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		if inUse := dirInUse(dir, err); inUse != nil && !opts.InMemory {
			return nil, inUse
		}
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	s := &Store{db: db, memory: newMemory(opts.MemoryLimit), commitFault: opts.CommitFault}
	epoch, _, err := GetMetaUint64(s, MetaCommittedEpoch)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: read committed epoch: %w", err)
	}
	s.committedEpoch.Store(epoch)
	s.current = newSharedSnapshot(db, epoch)
	return s, nil
}

// Close closes the database. Every Snapshot must be closed first.
func (s *Store) Close() error {
	s.snapshotMu.Lock()
	cur := s.current
	s.current = nil
	s.snapshotMu.Unlock()
	var errs []error
	if cur != nil {
		close(cur.superseded)
		errs = append(errs, cur.unref())
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// CommittedEpoch returns the last committed epoch; 0 for a new database.
func (s *Store) CommittedEpoch() uint64 { return s.committedEpoch.Load() }

// Memory returns the Store's memory budget.
func (s *Store) Memory() *Memory { return s.memory }

// ResetStateCache empties the state cache and makes the StateTables
// opened so far stop filling it: for a recovery that drops an aborted
// epoch and opens every table anew, while operators of the old ones may
// still be running.
func (s *Store) ResetStateCache() { s.memory.cache.clear() }

// NewEpochBatch returns an empty batch for the writes of epoch.
func (s *Store) NewEpochBatch(epoch uint64) *EpochBatch {
	return &EpochBatch{epoch: epoch, batch: s.db.NewBatch(), cache: s.memory.cache}
}

// Commit applies b and committed_epoch = b.Epoch() atomically, and returns
// once they are synced to disk. Then the Store, new snapshots and
// CommittedEpoch show the epoch. The batch cannot be used afterwards, even
// when Commit fails.
func (s *Store) Commit(b *EpochBatch) (err error) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.batch == nil {
		return ErrBatchDone
	}
	batch := b.batch
	b.batch = nil
	defer batch.Close()
	defer func() {
		// The state cache may hold the flushes of an epoch that did not
		// commit.
		if err != nil {
			s.memory.cache.clear()
		}
	}()

	if committed := s.CommittedEpoch(); b.epoch <= committed {
		return fmt.Errorf("%w: epoch %d, committed %d", ErrEpochNotRising, b.epoch, committed)
	}
	if s.commitFault != nil {
		if err := s.commitFault(b); err != nil {
			return fmt.Errorf("storage: commit epoch %d: %w", b.epoch, err)
		}
	}
	// Last in the batch, so it wins over any write of the same key above.
	if err := batch.Set(MetaKey(MetaCommittedEpoch), encodeUint64(b.epoch), nil); err != nil {
		return fmt.Errorf("storage: commit epoch %d: %w", b.epoch, err)
	}
	if err := s.db.Apply(batch, pebble.Sync); err != nil {
		return fmt.Errorf("storage: commit epoch %d: %w", b.epoch, err)
	}
	// Publish the epoch only once Pebble holds it: a StateTable that sees
	// CommittedEpoch >= N drops its layer of epoch N and reads Pebble instead.
	s.committedEpoch.Store(b.epoch)

	next := newSharedSnapshot(s.db, b.epoch)
	s.snapshotMu.Lock()
	prev := s.current
	s.current = next
	s.snapshotMu.Unlock()
	if prev != nil {
		close(prev.superseded)
		return prev.unref()
	}
	return nil
}

// Get implements Reader on the latest committed state.
func (s *Store) Get(key []byte) ([]byte, bool, error) { return get(s.db, key) }

// Scan implements Reader on the latest committed state.
func (s *Store) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return scan(s.db, lower, upper, false, fn)
}

// ScanReverse implements Reader on the latest committed state.
func (s *Store) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return scan(s.db, lower, upper, true, fn)
}

// pebbleReader is what *pebble.DB and *pebble.Snapshot share.
type pebbleReader interface {
	Get(key []byte) ([]byte, io.Closer, error)
	NewIter(o *pebble.IterOptions) (*pebble.Iterator, error)
}

func get(r pebbleReader, key []byte) ([]byte, bool, error) {
	v, closer, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	out := bytes.Clone(v)
	if out == nil {
		out = []byte{}
	}
	return out, true, closer.Close()
}

func scan(r pebbleReader, lower, upper []byte, reverse bool, fn func(key, value []byte) (bool, error)) (err error) {
	// Pebble wants nil, not empty, for no bound.
	if len(lower) == 0 {
		lower = nil
	}
	if len(upper) == 0 {
		upper = nil
	}
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return err
	}
	defer func() {
		if closeErr := it.Close(); err == nil {
			err = closeErr
		}
	}()
	var valid bool
	if reverse {
		valid = it.Last()
	} else {
		valid = it.First()
	}
	for valid {
		v, err := it.ValueAndErr()
		if err != nil {
			return err
		}
		more, err := fn(it.Key(), v)
		if err != nil || !more {
			return err
		}
		if reverse {
			valid = it.Prev()
		} else {
			valid = it.Next()
		}
	}
	return it.Error()
}

func encodeUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("storage: uint64 value has %d bytes, want 8", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// quietLogger drops Pebble's informational messages and keeps its errors.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any) {}
func (quietLogger) Errorf(format string, args ...any) {
	slog.Error("pebble: "+fmt.Sprintf(format, args...), "component", "storage")
}
func (quietLogger) Fatalf(format string, args ...any) { panic(fmt.Sprintf("pebble: "+format, args...)) }
