package storage

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

func openTestStore(t testing.TB, dir string) *Store {
	t.Helper()
	opts := Options{}
	if dir == "" {
		dir, opts.InMemory = "mem", true
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func commit(t testing.TB, s *Store, epoch uint64, write func(b *EpochBatch)) {
	t.Helper()
	b := s.NewEpochBatch(epoch)
	write(b)
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
}

// scanAll returns "k=v" lines of a Reader scan.
func scanAll(t testing.TB, r Reader, lower, upper []byte, reverse bool) []string {
	t.Helper()
	var out []string
	fn := func(k, v []byte) (bool, error) {
		out = append(out, fmt.Sprintf("%s=%s", k, v))
		return true, nil
	}
	var err error
	if reverse {
		err = r.ScanReverse(lower, upper, fn)
	} else {
		err = r.Scan(lower, upper, fn)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReopenKeepsCommittedEpochs(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir)
	if got := s.CommittedEpoch(); got != 0 {
		t.Fatalf("new store: committed epoch %d, want 0", got)
	}
	commit(t, s, 1, func(b *EpochBatch) {
		b.Set([]byte("a"), []byte("1"))
		b.Set([]byte("b"), []byte("1"))
	})
	commit(t, s, 2, func(b *EpochBatch) {
		b.Set([]byte("a"), []byte("2"))
		b.Delete([]byte("b"))
	})
	// Epoch 3 is written but never committed: a crash before the commit.
	b := s.NewEpochBatch(3)
	b.Set([]byte("a"), []byte("3"))
	b.Set([]byte("c"), []byte("3"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestStore(t, dir)
	defer s.Close()
	if got := s.CommittedEpoch(); got != 2 {
		t.Fatalf("after reopen: committed epoch %d, want 2", got)
	}
	if got, want := scanAll(t, s, nil, nil, false), []string{"a=2", "mcommitted_epoch=\x00\x00\x00\x00\x00\x00\x00\x02"}; !slices.Equal(got, want) {
		t.Fatalf("after reopen: %q, want %q", got, want)
	}
	if sn := s.Snapshot(); sn.Epoch() != 2 {
		t.Fatalf("snapshot epoch %d, want 2", sn.Epoch())
	} else {
		sn.Close()
	}
}

func TestCommitRejects(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	commit(t, s, 5, func(*EpochBatch) {})
	for _, tc := range []struct {
		name  string
		batch func() *EpochBatch
		want  error
	}{
		{"same epoch", func() *EpochBatch { return s.NewEpochBatch(5) }, ErrEpochNotRising},
		{"older epoch", func() *EpochBatch { return s.NewEpochBatch(4) }, ErrEpochNotRising},
		{"discarded", func() *EpochBatch {
			b := s.NewEpochBatch(6)
			b.Discard()
			return b
		}, ErrBatchDone},
		{"committed twice", func() *EpochBatch {
			b := s.NewEpochBatch(6)
			if err := s.Commit(b); err != nil {
				t.Fatal(err)
			}
			return b
		}, ErrBatchDone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Commit(tc.batch()); !errors.Is(err, tc.want) {
				t.Fatalf("Commit: %v, want %v", err, tc.want)
			}
		})
	}
	if got := s.CommittedEpoch(); got != 6 {
		t.Fatalf("committed epoch %d, want 6", got)
	}
}

func TestSnapshotIsolation(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	commit(t, s, 1, func(b *EpochBatch) { b.Set([]byte("k"), []byte("1")) })
	sn1 := s.Snapshot()
	sn1again := s.Snapshot()
	commit(t, s, 2, func(b *EpochBatch) {
		b.Set([]byte("k"), []byte("2"))
		b.Set([]byte("l"), []byte("2"))
	})
	sn2 := s.Snapshot()
	commit(t, s, 3, func(b *EpochBatch) { b.DeleteRange([]byte("a"), []byte("m")) })

	for _, tc := range []struct {
		name  string
		r     Reader
		epoch uint64
		want  []string
	}{
		{"epoch 1", sn1, 1, []string{"k=1"}},
		{"epoch 1 again", sn1again, 1, []string{"k=1"}},
		{"epoch 2", sn2, 2, []string{"k=2", "l=2"}},
		{"latest", s, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sn, ok := tc.r.(*Snapshot); ok && sn.Epoch() != tc.epoch {
				t.Fatalf("epoch %d, want %d", sn.Epoch(), tc.epoch)
			}
			if got := scanAll(t, tc.r, []byte("a"), []byte("m"), false); !slices.Equal(got, tc.want) {
				t.Fatalf("scan %q, want %q", got, tc.want)
			}
			v, ok, err := tc.r.Get([]byte("k"))
			if err != nil {
				t.Fatal(err)
			}
			if wantOK := len(tc.want) > 0; ok != wantOK || (ok && !bytes.Equal(v, []byte(tc.want[0][2:]))) {
				t.Fatalf("Get(k) = %q, %v", v, ok)
			}
		})
	}
	for _, sn := range []*Snapshot{sn1, sn1again, sn2} {
		if err := sn.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := sn1.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, _, err := sn1.Get([]byte("k")); err == nil {
		t.Fatal("Get on a closed snapshot succeeded")
	}
}

func TestReaderScanBounds(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	commit(t, s, 1, func(b *EpochBatch) {
		for _, k := range []string{"a", "b", "c", "d"} {
			b.Set([]byte(k), []byte(k))
		}
	})
	for _, tc := range []struct {
		lower, upper string
		reverse      bool
		want         []string
	}{
		{"b", "d", false, []string{"b=b", "c=c"}},
		{"b", "d", true, []string{"c=c", "b=b"}},
		{"", "c", false, []string{"a=a", "b=b"}},
		{"c", "m", true, []string{"d=d", "c=c"}},
		{"d", "d", false, nil},
	} {
		t.Run(fmt.Sprintf("%s-%s-%v", tc.lower, tc.upper, tc.reverse), func(t *testing.T) {
			if got := scanAll(t, s, []byte(tc.lower), []byte(tc.upper), tc.reverse); !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	// Stopping early.
	n := 0
	if err := s.Scan(nil, nil, func(k, v []byte) (bool, error) { n++; return n < 2, nil }); err != nil || n != 2 {
		t.Fatalf("stopped scan saw %d keys, err %v", n, err)
	}
	stop := errors.New("stop")
	if err := s.ScanReverse(nil, nil, func(k, v []byte) (bool, error) { return true, stop }); !errors.Is(err, stop) {
		t.Fatalf("scan error %v, want %v", err, stop)
	}
}

func TestCatalogMetaAndOffsets(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	commit(t, s, 1, func(b *EpochBatch) {
		PutCatalog(b, 7, []byte("view v"))
		PutCatalog(b, 3, []byte("table t"))
		PutCatalog(b, 300, []byte("source s"))
		PutMetaUint64(b, "next_id", 301)
		PutSourceOffset(b, 300, 1, 42)
		PutSourceOffset(b, 300, 0, 10)
		PutSourceOffset(b, 301, 0, 99)
	})
	commit(t, s, 2, func(b *EpochBatch) {
		DeleteCatalog(b, 7)
		PutSourceOffset(b, 300, 1, 43)
	})

	var catalog []string
	err := ScanCatalog(s, func(id uint32, blob []byte) error {
		catalog = append(catalog, fmt.Sprintf("%d:%s", id, blob))
		return nil
	})
	if want := []string{"3:table t", "300:source s"}; err != nil || !slices.Equal(catalog, want) {
		t.Fatalf("catalog %q (%v), want %q", catalog, err, want)
	}
	if blob, ok, err := GetCatalog(s, 3); err != nil || !ok || string(blob) != "table t" {
		t.Fatalf("GetCatalog(3) = %q, %v, %v", blob, ok, err)
	}
	if v, ok, err := GetMetaUint64(s, "next_id"); err != nil || !ok || v != 301 {
		t.Fatalf("next_id = %d, %v, %v", v, ok, err)
	}
	if _, ok, err := GetMetaUint64(s, "missing"); err != nil || ok {
		t.Fatalf("missing meta: %v, %v", ok, err)
	}
	var offsets []string
	err = ScanSourceOffsets(s, 300, func(partition int32, offset int64) error {
		offsets = append(offsets, fmt.Sprintf("%d@%d", partition, offset))
		return nil
	})
	if want := []string{"0@10", "1@43"}; err != nil || !slices.Equal(offsets, want) {
		t.Fatalf("offsets %q (%v), want %q", offsets, err, want)
	}
	commit(t, s, 3, func(b *EpochBatch) { DeleteSourceOffsets(b, 300) })
	if _, ok, err := GetSourceOffset(s, 300, 1); err != nil || ok {
		t.Fatalf("offset after delete: %v, %v", ok, err)
	}
	if v, ok, err := GetSourceOffset(s, 301, 0); err != nil || !ok || v != 99 {
		t.Fatalf("offset of another source = %d, %v, %v", v, ok, err)
	}
}

func TestKeys(t *testing.T) {
	for _, tc := range []struct{ prefix, want []byte }{
		{[]byte{}, nil},
		{[]byte{0xff, 0xff}, nil},
		{[]byte("ab"), []byte("ac")},
		{[]byte{'a', 0xff}, []byte("b")},
		{TablePrefix(0x00ffffff), []byte{'t', 1}},
	} {
		if got := PrefixEnd(tc.prefix); !bytes.Equal(got, tc.want) {
			t.Errorf("PrefixEnd(%x) = %x, want %x", tc.prefix, got, tc.want)
		}
	}
	if bytes.Compare(TablePrefix(255), TablePrefix(256)) >= 0 {
		t.Error("table prefixes do not sort by id")
	}
	for _, pair := range [][2]int32{{-1, 0}, {0, 1}, {1, 256}} {
		if bytes.Compare(SourceOffsetKey(1, pair[0]), SourceOffsetKey(1, pair[1])) >= 0 {
			t.Errorf("partition %d does not sort before %d", pair[0], pair[1])
		}
	}
}

func TestEpochBatchConcurrentWrites(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	const writers, perWriter = 8, 500
	b := s.NewEpochBatch(1)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			table := NewStateTable(s, uint32(w))
			for i := range perWriter {
				key := fmt.Appendf(nil, "%05d", i)
				if i%2 == 0 {
					b.Set(append(TablePrefix(uint32(w+100)), key...), key)
				} else {
					table.Put(key, key)
				}
			}
			table.Flush(b)
		}()
	}
	wg.Wait()
	if got, want := b.Count(), uint32(writers*perWriter); got != want {
		t.Fatalf("batch holds %d writes, want %d", got, want)
	}
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := s.Scan([]byte{tagTable}, PrefixEnd([]byte{tagTable}), func(k, v []byte) (bool, error) {
		n++
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != writers*perWriter {
		t.Fatalf("%d keys committed, want %d", n, writers*perWriter)
	}
}

func TestTableReads(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	commit(t, s, 1, func(b *EpochBatch) {
		for _, id := range []uint32{4, 5, 6} {
			for _, k := range []string{"", "a", "b", "c"} {
				b.Set(append(TablePrefix(id), k...), fmt.Appendf(nil, "%d%s", id, k))
			}
		}
	})
	sn := s.Snapshot()
	defer sn.Close()
	collect := func(reverse bool, lower, upper string) []string {
		var out []string
		fn := func(k, v []byte) (bool, error) {
			out = append(out, fmt.Sprintf("%s=%s", k, v))
			return true, nil
		}
		var err error
		if reverse {
			err = ScanTableReverse(sn, 5, []byte(lower), []byte(upper), fn)
		} else {
			err = ScanTable(sn, 5, []byte(lower), []byte(upper), fn)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		reverse      bool
		lower, upper string
		want         []string
	}{
		{false, "", "", []string{"=5", "a=5a", "b=5b", "c=5c"}},
		{true, "", "", []string{"c=5c", "b=5b", "a=5a", "=5"}},
		{false, "a", "c", []string{"a=5a", "b=5b"}},
		{true, "b", "", []string{"c=5c", "b=5b"}},
	} {
		if got := collect(tc.reverse, tc.lower, tc.upper); !slices.Equal(got, tc.want) {
			t.Errorf("scan reverse=%v [%q, %q) = %q, want %q", tc.reverse, tc.lower, tc.upper, got, tc.want)
		}
	}
	if v, ok, err := GetTableRow(sn, 6, []byte("b")); err != nil || !ok || string(v) != "6b" {
		t.Errorf("GetTableRow = %q, %v, %v", v, ok, err)
	}
}

// A commit that CommitFault fails applies nothing: the epoch, the keys and
// the snapshot stay those of the last committed epoch, and the same epoch
// number commits later.
func TestCommitFault(t *testing.T) {
	injected := errors.New("injected")
	failEpoch := uint64(2)
	s, err := Open("mem", Options{InMemory: true, CommitFault: func(b *EpochBatch) error {
		if b.Epoch() == failEpoch {
			return injected
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	commit(t, s, 1, func(b *EpochBatch) { b.Set([]byte("a"), []byte("1")) })
	b := s.NewEpochBatch(2)
	b.Set([]byte("a"), []byte("2"))
	b.Set([]byte("b"), []byte("2"))
	if err := s.Commit(b); !errors.Is(err, injected) {
		t.Fatalf("Commit: %v, want the injected error", err)
	}
	if got := s.CommittedEpoch(); got != 1 {
		t.Fatalf("committed epoch %d after a failed commit, want 1", got)
	}
	snap := s.Snapshot()
	if got := scanAll(t, s, []byte("a"), []byte("c"), false); !slices.Equal(got, []string{"a=1"}) {
		t.Fatalf("store after a failed commit: %q", got)
	}
	if got := scanAll(t, snap, []byte("a"), []byte("c"), false); !slices.Equal(got, []string{"a=1"}) {
		t.Fatalf("snapshot after a failed commit: %q", got)
	}
	snap.Close()
	if err := s.Commit(b); !errors.Is(err, ErrBatchDone) {
		t.Fatalf("Commit of the failed batch again: %v, want ErrBatchDone", err)
	}
	failEpoch = 0
	commit(t, s, 2, func(b *EpochBatch) { b.Set([]byte("b"), []byte("3")) })
	if got := scanAll(t, s, []byte("a"), []byte("c"), false); !slices.Equal(got, []string{"a=1", "b=3"}) {
		t.Fatalf("after committing epoch 2 again: %q", got)
	}
}
