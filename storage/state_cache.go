package storage

import (
	"bytes"
	"iter"
	"sync"
	"sync/atomic"
)

// stateCache is the byte-bounded LRU cache shared by every StateTable of a
// Store: one budget for all operators' state, so a hot aggregate may take
// what a cold join does not use. It maps full storage keys to their value
// in the merged view below a table's dirty layer (the pending layer over
// Pebble), or to their absence, so a miss on a new group is not read twice.
//
// An entry is charged its key and value bytes plus cacheEntryOverhead. The
// cache only ever holds clean values: an epoch's writes live in the table's
// dirty layer until Flush, which updates the entries the cache already
// holds (write-through for what was read, no pollution by what was only
// written). So eviction can drop any entry; nothing unflushed is lost. An
// epoch batch that is discarded clears the whole cache, because its
// flushes may have updated entries with writes that never committed.
//
// A clear also starts a new generation: puts and updates from tables
// opened in an earlier one are ignored. After an aborted epoch the
// runtime rebuilds every table, but an old operator that has not stopped
// yet could otherwise put its uncommitted pending values back.
//
// It is safe for concurrent use.
type stateCache struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	entries map[string]*cacheEntry
	// lru is the sentinel of a ring: lru.next is the most recently used
	// entry, lru.prev the next to go.
	lru cacheEntry
	// generation counts clears (guarded by mu).
	generation uint64

	hits, misses atomic.Int64
}

type cacheEntry struct {
	key        string
	value      []byte
	absent     bool
	size       int64
	prev, next *cacheEntry
}

// cacheEntryOverhead approximates what an entry costs beyond its bytes: the
// entry itself, the map slot and the string header.
const cacheEntryOverhead = 128

func newStateCache(limit int64) *stateCache {
	c := &stateCache{limit: limit, entries: map[string]*cacheEntry{}}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// get returns the cached value of key: found reports a cache hit, ok
// whether the key exists. The value must not be modified.
func (c *stateCache) get(key []byte) (value []byte, ok, found bool) {
	c.mu.Lock()
	e := c.entries[string(key)]
	if e == nil {
		c.mu.Unlock()
		c.misses.Add(1)
		return nil, false, false
	}
	c.moveToFront(e)
	value, ok = e.value, !e.absent
	c.mu.Unlock()
	c.hits.Add(1)
	return value, ok, true
}

// currentGeneration returns the generation a table opened now belongs to.
func (c *stateCache) currentGeneration() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// put caches value (copied) for key, or its absence when absent is set,
// and evicts the least recently used entries beyond the limit. A table of
// an earlier generation puts nothing.
func (c *stateCache) put(generation uint64, key, value []byte, absent bool) {
	size := int64(len(key)+len(value)) + cacheEntryOverhead
	if size > c.limit {
		c.remove(key)
		return
	}
	var v []byte
	if !absent {
		v = append(make([]byte, 0, len(value)), value...)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation != c.generation {
		return
	}
	c.set(key, v, absent, size, true)
}

// set stores an entry; called with mu held. insert false only updates an
// entry already present.
func (c *stateCache) set(key, value []byte, absent bool, size int64, insert bool) {
	e := c.entries[string(key)]
	switch {
	case e != nil:
		c.used += size - e.size
		e.value, e.absent, e.size = value, absent, size
		c.moveToFront(e)
	case !insert:
		return
	default:
		e = &cacheEntry{key: string(key), value: value, absent: absent, size: size}
		c.entries[e.key] = e
		c.used += size
		c.pushFront(e)
	}
	for c.used > c.limit && c.lru.prev != &c.lru {
		c.drop(c.lru.prev)
	}
}

// update replaces the entries the cache holds for the flushed writes of
// one table (keys without the table's prefix) with their new values;
// writes to keys it does not hold are left out. The values are copied.
func (c *stateCache) update(generation uint64, prefix []byte, writes iter.Seq2[[]byte, memEntry]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == 0 || generation != c.generation {
		return
	}
	buf := append([]byte(nil), prefix...)
	for key, w := range writes {
		buf = append(buf[:len(prefix)], key...)
		e := c.entries[string(buf)]
		if e == nil {
			continue
		}
		var value []byte
		if !w.deleted {
			value = append(make([]byte, 0, len(w.value)), w.value...)
		}
		c.set(buf, value, w.deleted, int64(len(buf)+len(value))+cacheEntryOverhead, false)
	}
}

func (c *stateCache) remove(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[string(key)]; e != nil {
		c.drop(e)
	}
}

// removePrefix drops every entry whose key starts with prefix (a dropped
// or truncated table). It walks the whole cache: it is rare.
func (c *stateCache) removePrefix(prefix []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.next; e != &c.lru; {
		next := e.next
		if len(e.key) >= len(prefix) && bytes.Equal([]byte(e.key[:len(prefix)]), prefix) {
			c.drop(e)
		}
		e = next
	}
}

// clear drops every entry and starts a new generation.
func (c *stateCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	clear(c.entries)
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	c.used = 0
}

// usedBytes returns the bytes charged to the entries.
func (c *stateCache) usedBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

func (c *stateCache) drop(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	delete(c.entries, e.key)
	c.used -= e.size
}

func (c *stateCache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

func (c *stateCache) moveToFront(e *cacheEntry) {
	if c.lru.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	c.pushFront(e)
}
