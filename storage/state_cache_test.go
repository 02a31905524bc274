package storage

import (
	"fmt"
	"slices"
	"testing"
)

// cacheKeys lists the cache's keys from most to least recently used.
func cacheKeys(c *stateCache) []string {
	var out []string
	for e := c.lru.next; e != &c.lru; e = e.next {
		out = append(out, e.key)
	}
	return out
}

func TestStateCacheEvictsLeastRecentlyUsed(t *testing.T) {
	entry := int64(cacheEntryOverhead + 2) // a one-byte key and value
	c := newStateCache(3 * entry)
	for _, k := range []string{"a", "b", "c"} {
		c.put(0, []byte(k), []byte("1"), false)
	}
	if _, _, found := c.get([]byte("a")); !found {
		t.Fatal("a was evicted while the cache had room")
	}
	c.put(0, []byte("d"), []byte("1"), false) // b is the least recently used now
	if got, want := cacheKeys(c), []string{"d", "a", "c"}; !slices.Equal(got, want) {
		t.Fatalf("cache order %q, want %q", got, want)
	}
	if _, _, found := c.get([]byte("b")); found {
		t.Fatal("b is still cached")
	}
	c.put(0, []byte("c"), []byte("2"), false) // an update is a use
	c.put(0, []byte("e"), nil, true)
	if got, want := cacheKeys(c), []string{"e", "c", "d"}; !slices.Equal(got, want) {
		t.Fatalf("cache order %q, want %q", got, want)
	}
	if v, ok, found := c.get([]byte("e")); !found || ok || v != nil {
		t.Fatalf("absent e = %q, %v, %v; want a cached absence", v, ok, found)
	}
	if v, ok, _ := c.get([]byte("c")); !ok || string(v) != "2" {
		t.Fatalf("c = %q, want 2", v)
	}
}

func TestStateCacheChargesBytes(t *testing.T) {
	c := newStateCache(10_000)
	c.put(0, []byte("key"), make([]byte, 100), false)
	c.put(0, []byte("gone"), nil, true)
	want := int64(3+100+cacheEntryOverhead) + int64(4+cacheEntryOverhead)
	if got := c.usedBytes(); got != want {
		t.Fatalf("used %d bytes, want %d", got, want)
	}
	c.put(0, []byte("key"), make([]byte, 10), false) // replaced: charged anew
	want -= 90
	if got := c.usedBytes(); got != want {
		t.Fatalf("after a smaller value used %d bytes, want %d", got, want)
	}
	// An entry larger than the whole cache is not kept, and drops the old
	// value of its key.
	c.put(0, []byte("key"), make([]byte, 20_000), false)
	if _, _, found := c.get([]byte("key")); found {
		t.Fatal("an entry larger than the cache was kept")
	}
	for i := range 1000 {
		c.put(0, fmt.Appendf(nil, "k%04d", i), make([]byte, 50), false)
		if used := c.usedBytes(); used > c.limit {
			t.Fatalf("after %d puts %d bytes used, limit %d", i+1, used, c.limit)
		}
	}
	if n := int64(len(c.entries)); n != c.limit/(5+50+cacheEntryOverhead) {
		t.Fatalf("%d entries kept, want %d", n, c.limit/(5+50+cacheEntryOverhead))
	}
	c.removePrefix([]byte("k09"))
	for k := range c.entries {
		if k >= "k09" && k < "k0:" {
			t.Fatalf("%s survived removePrefix", k)
		}
	}
	c.clear()
	if c.usedBytes() != 0 || len(c.entries) != 0 {
		t.Fatal("clear left entries")
	}
}

// TestStateTableCacheNeverLosesWrites reads every key of a table through a
// state cache far too small for them, across flushes, commits and a
// discarded epoch: reads see each write, and what was discarded is gone.
func TestStateTableCacheNeverLosesWrites(t *testing.T) {
	s, err := Open("mem", Options{InMemory: true, MemoryLimit: stateCacheShare * 20 * (cacheEntryOverhead + 16)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tbl := NewStateTable(s, 7)
	key := func(i int) []byte { return fmt.Appendf(nil, "k%04d", i) }
	check := func(what string, want func(i int) string) {
		t.Helper()
		for i := range 200 {
			v, ok, err := tbl.Get(key(i))
			if err != nil {
				t.Fatal(err)
			}
			if w := want(i); (w != "") != ok || string(v) != w {
				t.Fatalf("%s: key %d = %q, %v; want %q", what, i, v, ok, w)
			}
		}
	}
	for i := range 200 {
		if i%2 == 0 {
			tbl.Put(key(i), []byte("v1"))
		}
	}
	check("dirty", func(i int) string { return map[bool]string{true: "v1"}[i%2 == 0] })
	b := s.NewEpochBatch(1)
	tbl.Flush(b)
	check("pending", func(i int) string { return map[bool]string{true: "v1"}[i%2 == 0] })
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	check("committed", func(i int) string { return map[bool]string{true: "v1"}[i%2 == 0] })
	// Every key cached (present or absent), then all rewritten: the flush
	// must update the entries the cache holds.
	for i := range 200 {
		tbl.Put(key(i), []byte("v2"))
	}
	b = s.NewEpochBatch(2)
	tbl.Flush(b)
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	check("rewritten", func(int) string { return "v2" })
	if used, limit := s.Memory().CacheBytes(); used > limit || used == 0 {
		t.Fatalf("cache holds %d bytes, limit %d", used, limit)
	}
	// A discarded epoch leaves nothing behind in the cache.
	for i := range 20 {
		tbl.Put(key(i), []byte("lost"))
	}
	b = s.NewEpochBatch(3)
	tbl.Flush(b)
	b.Discard()
	other := NewStateTable(s, 7) // a rebuilt operator reads the committed state
	for i := range 20 {
		if v, _, _ := other.Get(key(i)); string(v) != "v2" {
			t.Fatalf("after a discarded epoch key %d = %q, want v2", i, v)
		}
	}
}

// TestStateTableChargesDirtyState checks that an epoch's writes and charges
// count as dirty state until Flush, and that reaching the share calls the
// hook once.
func TestStateTableChargesDirtyState(t *testing.T) {
	const limit = 1 << 20
	s, err := Open("mem", Options{InMemory: true, MemoryLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	calls := 0
	s.Memory().OnEpochFull(func() { calls++ })
	tbl := NewStateTable(s, 1)
	tbl.Put([]byte("a"), make([]byte, 100))
	tbl.Put([]byte("a"), make([]byte, 10)) // replaced: charged anew
	tbl.Delete([]byte("b"))
	tbl.Charge(1000)
	want := int64(1+10+dirtyEntryOverhead) + int64(1+dirtyEntryOverhead) + 1000
	if got := s.Memory().DirtyBytes(); got != want {
		t.Fatalf("dirty %d bytes, want %d", got, want)
	}
	if calls != 0 {
		t.Fatal("hook called below the share")
	}
	for i := 0; s.Memory().DirtyBytes() < limit/dirtyShare+10_000; i++ {
		tbl.Put(fmt.Appendf(nil, "k%d", i), make([]byte, 100))
	}
	if calls != 1 {
		t.Fatalf("hook called %d times past the share, want once", calls)
	}
	tbl.Flush(s.NewEpochBatch(1))
	if got := s.Memory().DirtyBytes(); got != 0 {
		t.Fatalf("after Flush %d dirty bytes, want 0", got)
	}
	for i := 0; s.Memory().DirtyBytes() < limit/dirtyShare; i++ {
		tbl.Put(fmt.Appendf(nil, "k%d", i), make([]byte, 100))
	}
	if calls != 2 {
		t.Fatalf("hook called %d times in the second full epoch, want 2 in all", calls)
	}
}

// TestResetStateCacheIgnoresOldTables: after a recovery's reset, a table
// opened before it (an operator of an aborted epoch still running) cannot
// put its uncommitted pending values into the cache, where the rebuilt
// tables would read them.
func TestResetStateCacheIgnoresOldTables(t *testing.T) {
	s := openTestStore(t, "")
	old := NewStateTable(s, 9)
	b := s.NewEpochBatch(s.CommittedEpoch() + 1)
	old.Put([]byte("k"), []byte("aborted"))
	old.Flush(b) // pending now, never committed
	s.ResetStateCache()
	b.Discard()
	if v, ok, err := old.Get([]byte("k")); err != nil || !ok || string(v) != "aborted" {
		t.Fatalf("the old table reads its own pending value: %q %v %v", v, ok, err)
	}
	if used, _ := s.Memory().CacheBytes(); used != 0 {
		t.Fatalf("the old table filled the cache after the reset: %d bytes", used)
	}
	fresh := NewStateTable(s, 9)
	if v, ok, err := fresh.Get([]byte("k")); err != nil || ok {
		t.Fatalf("a table opened after the reset reads %q (%v, %v), want nothing", v, ok, err)
	}
	if used, _ := s.Memory().CacheBytes(); used == 0 {
		t.Fatal("a table opened after the reset does not use the cache")
	}
}
