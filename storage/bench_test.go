package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"
)

// BenchmarkEpochCommit measures the write path of an epoch: Put into a
// StateTable, Flush into the epoch batch and a synced Commit, on disk.
// Keys are 8 bytes, values 100; each epoch rewrites half of the previous
// epoch's keys so that Pebble sees overwrites as well as new keys.
func BenchmarkEpochCommit(b *testing.B) {
	for _, keysPerEpoch := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("keys=%d", keysPerEpoch), func(b *testing.B) {
			s := openTestStore(b, b.TempDir())
			defer s.Close()
			table := NewStateTable(s, 1)
			key := make([]byte, 8)
			value := make([]byte, 100)
			epoch := s.CommittedEpoch()
			b.SetBytes(int64(keysPerEpoch * (len(key) + len(value))))
			epochs := 0
			for b.Loop() {
				i := epochs
				epochs++
				epoch++
				first := uint64(i * keysPerEpoch / 2)
				for k := range uint64(keysPerEpoch) {
					binary.BigEndian.PutUint64(key, first+k)
					binary.BigEndian.PutUint64(value, epoch)
					table.Put(key, value)
				}
				batch := s.NewEpochBatch(epoch)
				table.Flush(batch)
				if err := s.Commit(batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(epochs*keysPerEpoch)/b.Elapsed().Seconds(), "keys/s")
		})
	}
}

// BenchmarkStateTableRead measures reads of committed state, as an
// operator makes them in a later epoch: a Get per key, and GetSorted over
// sorted chunks of 1,024 keys (one iterator each). "cached" reads through
// a state cache that holds the working set (64 MB of a 256 MB limit);
// "uncached" through one too small to hold anything, so every read goes to
// Pebble (whose block cache holds the blocks either way). 100,000 keys of
// 8 bytes with 100-byte values, read in a random order.
func BenchmarkStateTableRead(b *testing.B) {
	const keys = 100_000
	for _, cached := range []bool{true, false} {
		limit := int64(256 << 20)
		name := "cached"
		if !cached {
			// Pebble still gets a block cache that holds the table.
			limit, name = 1, "uncached"
		}
		s, err := Open(b.TempDir(), Options{MemoryLimit: limit, CacheSize: 64 << 20})
		if err != nil {
			b.Fatal(err)
		}
		table := NewStateTable(s, 1)
		key := func(i uint64) []byte { return binary.BigEndian.AppendUint64(nil, i*2654435761%keys) }
		for i := range uint64(keys) {
			table.Put(key(i), make([]byte, 100))
		}
		batch := s.NewEpochBatch(1)
		table.Flush(batch)
		if err := s.Commit(batch); err != nil {
			b.Fatal(err)
		}
		table.Flush(s.NewEpochBatch(2)) // drops the pending layer
		for i := range uint64(keys) {   // warm both caches
			if _, _, err := table.Get(key(i)); err != nil {
				b.Fatal(err)
			}
		}
		b.Run("get/"+name, func(b *testing.B) {
			i := uint64(0)
			for b.Loop() {
				if _, ok, err := table.Get(key(i % keys)); err != nil || !ok {
					b.Fatal(ok, err)
				}
				i++
			}
		})
		b.Run("sorted/"+name, func(b *testing.B) {
			chunk := make([][]byte, 1024)
			start := uint64(0)
			for b.Loop() {
				for j := range chunk {
					chunk[j] = binary.BigEndian.AppendUint64(nil, (start+uint64(j)*97)%keys)
				}
				slices.SortFunc(chunk, bytes.Compare)
				err := table.GetSorted(chunk, func(int, []byte, bool) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				start += 1024
			}
			b.ReportMetric(float64(b.N*len(chunk))/b.Elapsed().Seconds(), "keys/s")
		})
		hits, misses := s.Memory().CacheHits()
		b.Logf("%s: state cache %d hits, %d misses", name, hits, misses)
		s.Close()
	}
}
