package mview

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// loadFacts writes n rows (k, k%8, k) into facts and returns the store
// once they committed.
func loadFacts(t *testing.T, n int) (*storage.Store, func()) {
	store := openMemStore(t)
	rt := newRuntime(t, store)
	facts := factsRelation()
	if err := rt.AddTable(facts); err != nil {
		t.Fatal(err)
	}
	rt.Start(context.Background())
	w, _ := rt.TableWriter(factsID)
	b := chunk.NewBuilder(facts.ColumnTypes())
	for k := range n {
		b.Append(chunk.Insert, []types.Datum{int64(k), int64(k % 8), int64(k)})
	}
	w.Lock()
	err := w.Write(context.Background(), b.Build())
	w.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return store, func() { rt.Close(); store.Close() }
}

// buildingScan is a scan of facts in the middle of a view's build.
func buildingScan(store *storage.Store, rowsPerEpoch int, abandon chan struct{}) *StreamScan {
	facts := factsRelation()
	return &StreamScan{
		rel: facts, columns: []int{0, 1, 2}, outTypes: facts.ColumnTypes(), abandon: abandon, store: store,
		build: newViewBuild(99, 1), keyCols: facts.Key, keyTypes: []types.T{types.Int64},
		budget: rowsPerEpoch, rowsPerEpoch: rowsPerEpoch, epochTarget: 1 << 40, progress: storage.BackfillProgress{Input: factsID},
	}
}

// TestBackfillReadsRangesInKeyOrder checks that each range continues
// after the last key done, in key order, within the row budget, and that
// the scan finishes with the range that reaches the end.
func TestBackfillReadsRangesInKeyOrder(t *testing.T) {
	const n = 3*maxChunkRows + 10
	store, done := loadFacts(t, n)
	defer done()
	scan := buildingScan(store, 1000, make(chan struct{}))
	next := int64(0)
	var ranges []string
	for scan.reading() {
		snap := store.Snapshot()
		read := 0
		ok := scan.readRange(snap, func(c *chunk.Chunk) bool {
			for i := 0; i < c.Len(); i++ {
				if k := c.Datum(i, 0).(int64); k != next {
					t.Fatalf("read key %d, want %d", k, next)
				}
				next++
			}
			read += c.Len()
			return true
		})
		_ = snap.Close()
		if !ok {
			t.Fatal("readRange: output gone")
		}
		ranges = append(ranges, fmt.Sprint(read))
		if len(ranges) > 10 {
			t.Fatalf("no end after ranges %v", ranges)
		}
	}
	if got, want := strings.Join(ranges, " "), "1000 1000 1000 82"; got != want {
		t.Errorf("ranges of %s rows, want %s", got, want)
	}
	if scan.progress.Rows != n || !scan.finished {
		t.Errorf("progress %d rows, finished %v", scan.progress.Rows, scan.finished)
	}
}

// TestBackfillAbandoned checks that a scan reads its snapshot in whole
// chunks, and reads nothing once the create gave up on the view.
func TestBackfillAbandoned(t *testing.T) {
	const n = 3*maxChunkRows + 10
	store, done := loadFacts(t, n)
	defer done()
	for _, abandoned := range []bool{false, true} {
		abandon := make(chan struct{})
		if abandoned {
			close(abandon)
		}
		scan := buildingScan(store, 1<<20, abandon)
		snap := store.Snapshot()
		rowsRead, chunks := 0, 0
		scan.readRange(snap, func(c *chunk.Chunk) bool {
			rowsRead += c.Len()
			chunks++
			return true
		})
		_ = snap.Close()
		want, wantChunks := n, 4
		if abandoned {
			want, wantChunks = 0, 0
		}
		if rowsRead != want || chunks != wantChunks || scan.finished == abandoned {
			t.Errorf("abandoned %v: emitted %d rows in %d chunks (finished %v), want %d in %d", abandoned, rowsRead, chunks, scan.finished, want, wantChunks)
		}
	}
}

// TestKeysDoneGate checks the gate on a build's changes: a change to a
// key at or before the last key done goes through, one to a later key is
// dropped, and an update split by the gate stays a valid change.
func TestKeysDoneGate(t *testing.T) {
	ts := []types.T{types.Int64, types.Text}
	b := chunk.NewBuilder(ts)
	b.Append(chunk.Insert, []types.Datum{int64(1), "a"})
	b.Append(chunk.Insert, []types.Datum{int64(9), "b"})
	b.Append(chunk.Delete, []types.Datum{int64(3), "c"})
	b.Append(chunk.UpdateBefore, []types.Datum{int64(2), "d"}) // key 2 → 7: the new key is not reached
	b.Append(chunk.UpdateAfter, []types.Datum{int64(7), "d"})
	b.Append(chunk.UpdateBefore, []types.Datum{int64(8), "e"}) // key 8 → 3: the old key is not reached
	b.Append(chunk.UpdateAfter, []types.Datum{int64(3), "e"})
	b.Append(chunk.UpdateBefore, []types.Datum{int64(-5), "f"})
	b.Append(chunk.UpdateAfter, []types.Datum{int64(-5), "g"})
	b.Append(chunk.Insert, []types.Datum{int64(4), "h"})
	c := b.Build()
	keyTypes := []types.T{types.Int64}
	last := encoding.EncodeKey(nil, keyTypes, []types.Datum{int64(3)})
	for _, tc := range []struct {
		name string
		last []byte
		want string
	}{
		{"nothing done", nil, ""},
		{"done up to 3", last, "+1 a|-3 c|-2 d|+3 e|U--5 f|U+-5 g"},
		{"done past every key", encoding.EncodeKey(nil, keyTypes, []types.Datum{int64(100)}), "+1 a|+9 b|-3 c|U-2 d|U+7 d|U-8 e|U+3 e|U--5 f|U+-5 g|+4 h"},
	} {
		_, keep := keysDone(c, []int{0}, keyTypes, tc.last, nil)
		var got []string
		out := keptRows(c, keep)
		for i := 0; i < out.Len(); i++ {
			got = append(got, fmt.Sprintf("%s%v %v", opSign(out.Op(i)), out.Datum(i, 0), out.Datum(i, 1)))
		}
		if s := strings.Join(got, "|"); s != tc.want {
			t.Errorf("%s: kept %q, want %q", tc.name, s, tc.want)
		}
	}
}

func opSign(op chunk.Op) string {
	switch op {
	case chunk.Insert:
		return "+"
	case chunk.Delete:
		return "-"
	case chunk.UpdateBefore:
		return "U-"
	}
	return "U+"
}

// TestBackfillBudgetAdapts checks that a build's ranges grow while its
// epochs are short and shrink in proportion when they are long, within
// their bounds.
func TestBackfillBudgetAdapts(t *testing.T) {
	s := &StreamScan{budget: 1000, rowsPerEpoch: 4000, epochTarget: 20 * time.Millisecond}
	s.adapt(5 * time.Millisecond)
	if s.budget != 1251 {
		t.Errorf("after a short epoch the budget is %d, want 1251", s.budget)
	}
	s.adapt(15 * time.Millisecond)
	if s.budget != 1251 {
		t.Errorf("after an epoch near the target the budget is %d, want 1251", s.budget)
	}
	s.adapt(40 * time.Millisecond)
	if s.budget != 625 {
		t.Errorf("after an epoch twice the target the budget is %d, want 625", s.budget)
	}
	s.adapt(time.Hour)
	if s.budget != minBackfillBudget {
		t.Errorf("after a very long epoch the budget is %d, want %d", s.budget, minBackfillBudget)
	}
	for range 100 {
		s.adapt(time.Millisecond)
	}
	if s.budget != 4000 {
		t.Errorf("after many short epochs the budget is %d, want the cap 4000", s.budget)
	}
}

// TestRestoredBuildClosesSnapshots restores a view in the middle of its
// build twice: once with stored progress that does not match its scans
// (the restore fails after the first scan's progress was read), once
// stopped before its scans read the snapshots they were handed. Neither
// leaves a Pebble snapshot open once the store has moved on.
func TestRestoredBuildClosesSnapshots(t *testing.T) {
	for _, tc := range []struct {
		name       string
		secondScan uint32 // the input the second scan's stored progress names
	}{{"mismatched progress", 9999}, {"stopped before reading", dimID}} {
		t.Run(tc.name, func(t *testing.T) {
			store := openMemStore(t)
			defer store.Close()
			rt := newRuntime(t, store)
			for _, rel := range []*catalog.Relation{factsRelation(), dimRelation()} {
				if err := rt.AddTable(rel); err != nil {
					t.Fatal(err)
				}
			}
			batch := store.NewEpochBatch(store.CommittedEpoch() + 1)
			storage.PutBackfillProgress(batch, joinedID, 0, storage.BackfillProgress{Input: factsID})
			storage.PutBackfillProgress(batch, joinedID, 1, storage.BackfillProgress{Input: tc.secondScan})
			if err := store.Commit(batch); err != nil {
				t.Fatal(err)
			}
			joined, plan := joinedView(t)
			err := rt.RestoreMaterializedView(joined, plan)
			if (err == nil) != (tc.secondScan == dimID) {
				t.Fatalf("restore: %v", err)
			}
			rt.Close()
			if err := store.Commit(store.NewEpochBatch(store.CommittedEpoch() + 1)); err != nil {
				t.Fatal(err)
			}
			if n := store.OpenSnapshots(); n != 1 {
				t.Errorf("%d Pebble snapshots open, want 1 (the last epoch's)", n)
			}
		})
	}
}

// TestBuildOverStalledBuildRunsNoEpochs: a view's build stalls on a row of
// its input it cannot decode, and a second view is created over the
// first. The second build waits for the first, which will never end: the
// runtime then runs no epochs for either while nothing else happens.
func TestBuildOverStalledBuildRunsNoEpochs(t *testing.T) {
	store := openMemStore(t)
	defer store.Close()
	facts := factsRelation()
	batch := store.NewEpochBatch(1)
	for k := range int64(200) {
		key := encoding.EncodeKey(storage.TablePrefix(factsID), []types.T{types.Int64}, []types.Datum{k})
		value := encoding.EncodeRow(nil, facts.ColumnTypes(), []types.Datum{k, k % 8, k})
		if k == 100 {
			value = []byte{0}
		}
		batch.Set(key, value)
	}
	if err := store.Commit(batch); err != nil {
		t.Fatal(err)
	}
	rt := newRuntime(t, store)
	defer rt.Close()
	if err := rt.AddTable(facts); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt.Start(ctx)
	byGroup, byGroupPlan := byGroupView(t)
	if _, err := rt.CreateMaterializedView(ctx, byGroup, byGroupPlan, nil); err != nil {
		t.Fatal(err)
	}
	// The stall aborts its epoch, and the recoveries that follow may
	// meet it again: wait until the build is stalled and they are over.
	deadline := time.Now().Add(10 * time.Second)
	for settled := 0; settled < 20; {
		rt.mu.Lock()
		f := rt.flows[byGroupID]
		stalled := f != nil && f.build != nil && f.build.stalled()
		rt.mu.Unlock()
		generation := rt.Generation()
		time.Sleep(10 * time.Millisecond)
		if stalled && generation == rt.Generation() {
			settled++
		} else {
			settled = 0
		}
		if time.Now().After(deadline) {
			t.Fatal("the build over a corrupt row did not stall")
		}
	}
	total, totalPlan := totalView(t, byGroup)
	if _, err := rt.CreateMaterializedView(ctx, total, totalPlan, nil); err != nil {
		t.Fatal(err)
	}
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	before, generation := rt.CommittedEpoch(), rt.Generation()
	time.Sleep(300 * time.Millisecond) // 30 of newRuntime's barrier intervals
	// An epoch already triggered may still run.
	if ran := rt.CommittedEpoch() - before; ran > 2 {
		t.Errorf("%d epochs ran for a build waiting on a stalled one", ran)
	}
	if rt.Generation() != generation {
		t.Errorf("the runtime recovered %d times meanwhile", rt.Generation()-generation)
	}
}
