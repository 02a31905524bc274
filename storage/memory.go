package storage

import (
	"sync"
	"sync/atomic"
)

// Memory is the budget of one Store, set by Options.MemoryLimit: what the
// dataflows may hold in memory. The limit is divided into fixed shares:
//
//   - Pebble's block cache: a quarter (BlockCacheShare);
//   - Pebble's memtables: a sixteenth each, at most 64 MB;
//   - the state cache shared by every StateTable: a quarter;
//   - an epoch's dirty state: an eighth. It is held about three times
//     over at a barrier (the dirty layers becoming pending layers, the
//     epoch batch, the memtable it goes to), so the share is small.
//
// What is left is for the Go runtime's garbage collection overhead and the
// rest of the server. Dirty state is what operators hold for the current
// epoch: the dirty layers of their state tables, and what they charge with
// StateTable.Charge (decoded groups, batched changes). When it reaches its
// share, Memory calls the hook set with OnEpochFull once, so that the
// runtime ends the epoch early rather than grow; the epoch's flushes then
// release it.
type Memory struct {
	limit      int64
	cache      *stateCache
	dirtyLimit int64
	dirty      atomic.Int64
	full       atomic.Bool

	hookMu sync.Mutex
	hook   func()
}

// Shares of the memory limit.
const (
	BlockCacheShare = 4  // the block cache gets limit / BlockCacheShare
	stateCacheShare = 4  // the state cache gets limit / stateCacheShare
	dirtyShare      = 8  // an epoch's dirty state gets limit / dirtyShare
	memTableShare   = 16 // each memtable gets limit / memTableShare
	maxMemTable     = 64 << 20
	minMemTable     = 4 << 20
)

// DefaultStateCacheBytes sizes the state cache of a Store opened without a
// memory limit (tests, tools).
const DefaultStateCacheBytes = 64 << 20

func newMemory(limit int64) *Memory {
	m := &Memory{limit: limit, cache: newStateCache(DefaultStateCacheBytes)}
	if limit > 0 {
		m.cache = newStateCache(limit / stateCacheShare)
		m.dirtyLimit = limit / dirtyShare
	}
	return m
}

// memTableSize is the memtable size for a memory limit.
func memTableSize(limit int64) uint64 {
	if limit <= 0 {
		return maxMemTable
	}
	return uint64(min(max(limit/memTableShare, minMemTable), maxMemTable))
}

// Limit returns the memory limit; 0 when there is none.
func (m *Memory) Limit() int64 { return m.limit }

// DirtyLimit returns the share of an epoch's dirty state; 0 when unbounded.
func (m *Memory) DirtyLimit() int64 { return m.dirtyLimit }

// DirtyBytes returns the bytes operators hold for the current epoch.
func (m *Memory) DirtyBytes() int64 { return m.dirty.Load() }

// CacheBytes returns the bytes held by the state cache, and its limit.
func (m *Memory) CacheBytes() (used, limit int64) { return m.cache.usedBytes(), m.cache.limit }

// CacheHits returns the state cache's hits and misses since the Store
// opened.
func (m *Memory) CacheHits() (hits, misses int64) { return m.cache.hits.Load(), m.cache.misses.Load() }

// OnEpochFull sets the function called when the epoch's dirty state
// reaches its share. It must not block; the runtime's is a non-blocking
// request for a barrier.
func (m *Memory) OnEpochFull(fn func()) {
	m.hookMu.Lock()
	m.hook = fn
	m.hookMu.Unlock()
}

// charge adds n (negative: a release) to the epoch's dirty bytes.
func (m *Memory) charge(n int64) {
	if n == 0 {
		return
	}
	total := m.dirty.Add(n)
	if m.dirtyLimit <= 0 {
		return
	}
	if total < m.dirtyLimit {
		if n < 0 {
			m.full.Store(false)
		}
		return
	}
	if n > 0 && m.full.CompareAndSwap(false, true) {
		m.hookMu.Lock()
		hook := m.hook
		m.hookMu.Unlock()
		if hook != nil {
			hook()
		}
	}
}
