package mview

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// TestBackfillLogsProgress checks that a view build logs the rows it has
// read while it reads (at most once per backfillProgressEvery, here on
// every chunk) and a final line with the total.
func TestBackfillLogsProgress(t *testing.T) {
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

	defer func(every time.Duration) { backfillProgressEvery = every }(backfillProgressEvery)
	backfillProgressEvery = 0
	var logged bytes.Buffer
	df := &dataflow{id: 99, logger: slog.New(slog.NewTextHandler(&logged, nil))}
	scan := &StreamScan{rel: facts, columns: []int{0, 1, 2}, outTypes: facts.ColumnTypes(), abandon: make(chan struct{}), df: df}
	snap := store.Snapshot()
	err = scan.backfill(snap, func(*chunk.Chunk) bool { return true })
	_ = snap.Close()
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	for _, l := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		if m := regexp.MustCompile(`msg="view build in progress" view=99 reading=\S+ epoch=\d+ rows=(\d+) `).FindStringSubmatch(l); m != nil {
			progress = append(progress, m[1])
		}
	}
	if got, want := strings.Join(progress, " "), "1024 2048 3072"; got != want {
		t.Errorf("progress lines at rows %q, want %q; log:\n%s", got, want, logged.String())
	}
	if !regexp.MustCompile(`msg="view build read its input" view=99 reading=\S+ epoch=\d+ rows=3082 duration=`).MatchString(logged.String()) {
		t.Errorf("no final line with rows=3082; log:\n%s", logged.String())
	}
}
