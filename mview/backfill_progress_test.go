package mview

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
)

// TestBackfillLogsProgress checks that a view build logs the rows it has
// read while it reads (at most once per backfillProgressEvery, here on
// every chunk), across ranges, and a final line with the total.
func TestBackfillLogsProgress(t *testing.T) {
	const n = 3*maxChunkRows + 10
	store, done := loadFacts(t, n)
	defer done()

	defer func(every time.Duration) { backfillProgressEvery = every }(backfillProgressEvery)
	backfillProgressEvery = 0
	var logged bytes.Buffer
	scan := buildingScan(store, 2*maxChunkRows, make(chan struct{}))
	scan.df = &dataflow{id: 99, logger: slog.New(slog.NewTextHandler(&logged, nil))}
	for scan.reading() {
		snap := store.Snapshot()
		scan.readRange(snap, func(*chunk.Chunk) bool { return true })
		_ = snap.Close()
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
