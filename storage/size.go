package storage

import (
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// sizeFlushInterval bounds how often EstimateSize flushes memtables.
const sizeFlushInterval = time.Second

// sizeFlusher remembers the last flush EstimateSize asked for.
type sizeFlusher struct {
	mu    sync.Mutex
	epoch uint64
	at    time.Time
}

// EstimateSize estimates the bytes on disk of the keys in [lower, upper)
// from Pebble's sstable sizes (EstimateDiskUsage). That estimate does not
// see memtables, and a table written a moment ago lives only in one, so
// EstimateSize first flushes the memtables when epochs committed since its
// last flush, at most once per sizeFlushInterval: a listing of every
// relation's size (psql's \dt+) costs one flush, not one per row. A span
// without keys is 0 bytes. An empty upper means no bound.
func (s *Store) EstimateSize(lower, upper []byte) (int64, error) {
	if err := s.flushForSize(); err != nil {
		return 0, err
	}
	end := upper
	if len(end) == 0 {
		end = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	}
	// An sstable shared with a neighbouring span makes an empty span look
	// like a block's worth of bytes; a span with no key is 0 bytes, as an
	// empty table is in PostgreSQL.
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: end})
	if err != nil {
		return 0, err
	}
	hasKey := it.First()
	if err := it.Close(); err != nil || !hasKey {
		return 0, err
	}
	n, err := s.db.EstimateDiskUsage(lower, end)
	return int64(n), err
}

func (s *Store) flushForSize() error {
	f := &s.sizes
	f.mu.Lock()
	defer f.mu.Unlock()
	epoch := s.CommittedEpoch()
	if epoch == f.epoch || time.Since(f.at) < sizeFlushInterval {
		return nil
	}
	if err := s.db.Flush(); err != nil {
		return err
	}
	f.epoch, f.at = epoch, time.Now()
	return nil
}
