package mview

import (
	"context"
	"testing"
	"time"

	"github.com/eddy-db/eddy/storage"
)

// TestEpochEndsEarlyWhenDirtyStateIsFull: with a barrier interval of an
// hour, an operator's dirty state reaching its share of the memory limit
// makes the coordinator run an epoch at once.
func TestEpochEndsEarlyWhenDirtyStateIsFull(t *testing.T) {
	const limit = 8 << 20
	store, err := storage.Open("mem", storage.Options{InMemory: true, MemoryLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rt := NewRuntime(store, Options{BarrierInterval: time.Hour, Logger: discardLogger()})
	rt.Start(context.Background())
	defer rt.Close()

	// Start may run an epoch of its own (for builds to resume).
	time.Sleep(50 * time.Millisecond)
	base := store.CommittedEpoch()
	table := storage.NewStateTable(store, 1000)
	table.Charge(store.Memory().DirtyLimit() / 2)
	time.Sleep(50 * time.Millisecond)
	if e := store.CommittedEpoch(); e != base {
		t.Fatalf("epoch %d committed with the dirty state under its share", e)
	}
	table.Charge(store.Memory().DirtyLimit() / 2)
	deadline := time.Now().Add(10 * time.Second)
	for store.CommittedEpoch() == base {
		if time.Now().After(deadline) {
			t.Fatal("no epoch ran after the dirty state reached its share")
		}
		time.Sleep(time.Millisecond)
	}
}
