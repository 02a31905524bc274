package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStoreGetSorted checks GetSorted against Get over committed keys, with
// absent keys between, before and after them and an empty value.
func TestStoreGetSorted(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	commit(t, s, 1, func(b *EpochBatch) {
		for i := 0; i < 200; i += 2 {
			value := fmt.Appendf(nil, "v%d", i)
			if i == 40 {
				value = nil
			}
			b.Set(fmt.Appendf(nil, "k%03d", i), value)
		}
	})
	for range 20 {
		var keys [][]byte
		for range rng.IntN(30) {
			keys = append(keys, fmt.Appendf(nil, "k%03d", rng.IntN(210)))
		}
		keys = append(keys, []byte("a"), []byte("z"))
		slices.SortFunc(keys, func(a, b []byte) int { return slices.Compare(a, b) })
		var readers = []Reader{s, readerOnly{s}}
		for _, r := range readers {
			err := GetSorted(r, keys, func(i int, got []byte, ok bool) error {
				want, wantOK, err := s.Get(keys[i])
				if err != nil || ok != wantOK || string(got) != string(want) {
					return fmt.Errorf("%T: GetSorted(%q) = %q, %v; Get = %q, %v, %v", r, keys[i], got, ok, want, wantOK, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// readerOnly hides the SortedGetter of a Reader, for the fallback.
type readerOnly struct{ Reader }

// BenchmarkSortedLookup reads 1,024 sorted keys per op from 200,000 stored
// in sstables (not the memtable), all present or all absent: an absent
// key, the common case of a new group or a new (group, value) of min and
// max, should be answered by the bloom filters without reading a block.
func BenchmarkSortedLookup(b *testing.B) {
	const stored = 200_000
	s, err := Open(b.TempDir(), Options{CacheSize: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	key := func(i uint64) []byte { return binary.BigEndian.AppendUint64([]byte{'t'}, i) }
	batch := s.NewEpochBatch(1)
	for i := range uint64(stored) {
		batch.live().Set(key(2*i), make([]byte, 40), nil) // even keys stored
	}
	if err := s.Commit(batch); err != nil {
		b.Fatal(err)
	}
	if err := s.db.Flush(); err != nil {
		b.Fatal(err)
	}
	for _, present := range []bool{true, false} {
		name := "present"
		if !present {
			name = "absent"
		}
		b.Run(name, func(b *testing.B) {
			keys := make([][]byte, 1024)
			start := uint64(0)
			for b.Loop() {
				for j := range keys {
					k := 2 * ((start + uint64(j)*131) % stored)
					if !present {
						k++
					}
					keys[j] = key(k)
				}
				slices.SortFunc(keys, bytes.Compare)
				found := 0
				if err := s.GetSorted(keys, func(_ int, _ []byte, ok bool) error {
					if ok {
						found++
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				if (found == len(keys)) != present || (!present && found != 0) {
					b.Fatalf("found %d of %d keys, present %v", found, len(keys), present)
				}
				start += 1024
			}
			b.ReportMetric(float64(b.N*len(keys))/b.Elapsed().Seconds(), "keys/s")
		})
	}
}
