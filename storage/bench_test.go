package storage

import (
	"encoding/binary"
	"fmt"
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
