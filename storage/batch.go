package storage

import (
	"sync"

	"github.com/cockroachdb/pebble/v2"
)

// EpochBatch gathers every write of one epoch: all state tables' flushes,
// catalog changes and source offsets. Store.Commit applies it atomically.
//
// It is safe for concurrent use: the operators of every dataflow write into
// the same batch at their barrier. Writes copy their arguments. Within the
// batch, a later write to a key wins over an earlier one, and a DeleteRange
// removes the keys written before it.
type EpochBatch struct {
	epoch uint64

	mu sync.Mutex
	// batch is nil once the batch is committed or discarded.
	batch *pebble.Batch
	// cache is the Store's state cache, which a StateTable's Flush
	// updates with the writes it puts in the batch: discarding the batch
	// clears it.
	cache *stateCache
}

// Epoch returns the epoch the batch belongs to.
func (b *EpochBatch) Epoch() uint64 { return b.epoch }

// Set writes value under key.
func (b *EpochBatch) Set(key, value []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.live().Set(key, value, nil)
}

// Delete removes key.
func (b *EpochBatch) Delete(key []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.live().Delete(key, nil)
}

// DeleteRange removes every key in [start, end); end must not be nil.
func (b *EpochBatch) DeleteRange(start, end []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.live().DeleteRange(start, end, nil)
}

// Count returns the number of writes in the batch.
func (b *EpochBatch) Count() uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.batch == nil {
		return 0
	}
	return b.batch.Count()
}

// Discard drops the batch without committing it, for an epoch abandoned on
// error. Discarding a committed or discarded batch does nothing.
func (b *EpochBatch) Discard() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.batch != nil {
		_ = b.batch.Close()
		b.batch = nil
		if b.cache != nil {
			b.cache.clear()
		}
	}
}

// The Pebble batch methods fail only for indexed batches, which EpochBatch
// does not use, so their errors are ignored.

// live returns the Pebble batch; writing to a finished batch is a bug in the
// caller (the write would be silently lost), so it panics.
func (b *EpochBatch) live() *pebble.Batch {
	if b.batch == nil {
		panic("storage: write to an epoch batch already committed or discarded")
	}
	return b.batch
}
