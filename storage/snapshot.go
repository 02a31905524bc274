package storage

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
)

// Snapshot is a read-only view of one committed epoch. Each Snapshot
// returned by Store.Snapshot must be closed once; handles to the same epoch
// share one Pebble snapshot, released when the last handle is closed and
// the Store has moved to a later epoch.
type Snapshot struct {
	shared *sharedSnapshot
	closed atomic.Bool
}

// Snapshot returns a view of the last committed epoch.
func (s *Store) Snapshot() *Snapshot {
	s.snapshotMu.Lock()
	defer s.snapshotMu.Unlock()
	s.current.refs.Add(1)
	return &Snapshot{shared: s.current}
}

// SnapshotAt returns a view of the last committed epoch once it is epoch
// or later, waiting for that commit until ctx ends. A view build reads its
// input at the epoch whose barrier it just passed, which commits only
// after the barrier went through.
func (s *Store) SnapshotAt(ctx context.Context, epoch uint64) (*Snapshot, error) {
	for {
		s.snapshotMu.Lock()
		cur := s.current
		if cur == nil {
			s.snapshotMu.Unlock()
			return nil, errStoreClosed
		}
		if cur.epoch >= epoch {
			cur.refs.Add(1)
			s.snapshotMu.Unlock()
			return &Snapshot{shared: cur}, nil
		}
		superseded := cur.superseded
		s.snapshotMu.Unlock()
		select {
		case <-superseded:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Epoch returns the epoch the snapshot shows.
func (sn *Snapshot) Epoch() uint64 { return sn.shared.epoch }

// Close releases the snapshot. Closing it again does nothing.
func (sn *Snapshot) Close() error {
	if sn.closed.Swap(true) {
		return nil
	}
	return sn.shared.unref()
}

// Get implements Reader.
func (sn *Snapshot) Get(key []byte) ([]byte, bool, error) {
	if sn.closed.Load() {
		return nil, false, errSnapshotClosed
	}
	return get(sn.shared.snap, key)
}

// Scan implements Reader.
func (sn *Snapshot) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	if sn.closed.Load() {
		return errSnapshotClosed
	}
	return scan(sn.shared.snap, lower, upper, false, fn)
}

// ScanReverse implements Reader.
func (sn *Snapshot) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	if sn.closed.Load() {
		return errSnapshotClosed
	}
	return scan(sn.shared.snap, lower, upper, true, fn)
}

var (
	errSnapshotClosed = errors.New("storage: read from a closed snapshot")
	errStoreClosed    = errors.New("storage: store closed")
)

// sharedSnapshot is one Pebble snapshot with a reference count: one
// reference held by the Store while it is current, one per open Snapshot.
type sharedSnapshot struct {
	snap  *pebble.Snapshot
	epoch uint64
	refs  atomic.Int64
	// superseded is closed when a later epoch (or the Store's Close)
	// replaces this snapshot as the current one; SnapshotAt waits on it.
	superseded chan struct{}
}

func newSharedSnapshot(db *pebble.DB, epoch uint64) *sharedSnapshot {
	ss := &sharedSnapshot{snap: db.NewSnapshot(), epoch: epoch, superseded: make(chan struct{})}
	ss.refs.Store(1)
	return ss
}

func (ss *sharedSnapshot) unref() error {
	if ss.refs.Add(-1) == 0 {
		return ss.snap.Close()
	}
	return nil
}

// OpenSnapshots returns the number of Pebble snapshots open: the last
// committed epoch's, and each earlier one that a reader has not closed yet.
// Pebble keeps every version a snapshot can see, so a leaked one pins
// garbage forever; tests count them.
func (s *Store) OpenSnapshots() int { return s.db.Metrics().Snapshots.Count }
