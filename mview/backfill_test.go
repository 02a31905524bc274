package mview

import (
	"context"
	"testing"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// TestBackfillAbandoned checks that a backfill reads its snapshot in whole
// chunks, and reads no further once the create gave up on the view.
func TestBackfillAbandoned(t *testing.T) {
	store := openMemStore(t)
	defer store.Close()
	rt := newRuntime(t, store)
	defer rt.Close()
	facts := factsRelation()
	if err := rt.AddTable(facts); err != nil {
		t.Fatal(err)
	}
	rt.Start(context.Background())
	w, _ := rt.TableWriter(factsID)
	const n = 3*maxChunkRows + 10
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

	for _, abandoned := range []bool{false, true} {
		abandon := make(chan struct{})
		if abandoned {
			close(abandon)
		}
		scan := &StreamScan{rel: facts, columns: []int{0, 1, 2}, outTypes: facts.ColumnTypes(), abandon: abandon}
		snap := store.Snapshot()
		rowsRead, chunks := 0, 0
		err := scan.backfill(snap, func(c *chunk.Chunk) bool {
			rowsRead += c.Len()
			chunks++
			return true
		})
		_ = snap.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, wantChunks := n, 4
		if abandoned {
			want, wantChunks = 0, 0
		}
		if rowsRead != want || chunks != wantChunks {
			t.Errorf("abandoned %v: backfill emitted %d rows in %d chunks, want %d in %d", abandoned, rowsRead, chunks, want, wantChunks)
		}
	}
}
