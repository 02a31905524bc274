package mview

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TestTableWriterReader checks that Reader shows the committed rows merged
// with the writes not yet committed, and that the overlay empties once
// their epoch committed.
func TestTableWriterReader(t *testing.T) {
	ctx := context.Background()
	store := openMemStore(t)
	defer store.Close()
	rt := newRuntime(t, store)
	defer rt.Close()
	rel := factsRelation()
	if err := rt.AddTable(rel); err != nil {
		t.Fatal(err)
	}
	w, _ := rt.TableWriter(factsID)
	ts := rel.ColumnTypes()
	write := func(op chunk.Op, rows ...[]types.Datum) {
		b := chunk.NewBuilder(ts)
		for _, r := range rows {
			b.Append(op, r)
		}
		if err := w.Write(ctx, b.Build()); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(reverse bool) []string {
		var out []string
		prefix := storage.TablePrefix(factsID)
		fn := func(_, value []byte) (bool, error) {
			row, err := decodeRow(ts, value)
			out = append(out, formatRow(ts, row))
			return true, err
		}
		var err error
		if reverse {
			err = w.Reader().ScanReverse(prefix, storage.PrefixEnd(prefix), fn)
		} else {
			err = w.Reader().Scan(prefix, storage.PrefixEnd(prefix), fn)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	w.Lock()
	write(chunk.Insert, []types.Datum{int64(1), int64(0), int64(10)}, []types.Datum{int64(3), int64(0), int64(30)})
	w.Unlock()
	// The coordinator is not started yet: nothing is committed, and the
	// source holds the write in its channel.
	rt.Start(ctx)
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	w.Lock()
	write(chunk.Insert, []types.Datum{int64(2), int64(0), int64(20)})
	write(chunk.Delete, []types.Datum{int64(1), int64(0), int64(10)})
	write(chunk.UpdateBefore, []types.Datum{int64(3), int64(0), int64(30)})
	write(chunk.UpdateAfter, []types.Datum{int64(3), int64(0), int64(31)})
	want := []string{"2 0 20", "3 0 31"}
	check(t, "overlay scan", scan(false), want)
	check(t, "overlay reverse scan", scan(true), []string{"3 0 31", "2 0 20"})
	check(t, "committed", rows(t, store, rel), []string{"1 0 10", "3 0 30"})
	// GetSorted agrees with Get over the overlay and the store, for rows
	// in only one of them, in both and in neither.
	var keys [][]byte
	for id := range int64(5) {
		keys = append(keys, encoding.EncodeKey(slices.Clone(w.prefix), w.keyTypes, []types.Datum{id}))
	}
	err := storage.GetSorted(w.Reader(), keys, func(i int, got []byte, ok bool) error {
		want, wantOK, err := w.Reader().Get(keys[i])
		if err != nil || ok != wantOK || string(got) != string(want) {
			t.Errorf("GetSorted of row %d = %x, %v; Get = %x, %v, %v", i, got, ok, want, wantOK, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Unlock()
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	check(t, "committed after flush", rows(t, store, rel), want)
	check(t, "scan after flush", scan(false), want)
	w.overlayMu.Lock()
	n := w.overlay.Len()
	w.overlayMu.Unlock()
	if n != 0 {
		t.Fatalf("overlay keeps %d entries after its epoch committed", n)
	}
	if !slices.Equal(scan(false), want) {
		t.Fatal("scan changed")
	}

	// Without Flush, the interval's barrier commits the write.
	w.Lock()
	write(chunk.Insert, []types.Datum{int64(4), int64(0), int64(40)})
	w.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for len(rows(t, store, rel)) != 3 {
		if time.Now().After(deadline) {
			t.Fatal("write not committed by the interval's barrier")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
