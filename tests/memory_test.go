package tests

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

var (
	memoryRows  = flag.Int("memory-rows", 40_000, "TestMemoryBounded: rows loaded into the table under the views")
	memoryLimit = flag.Int64("memory-limit-mb", 32, "TestMemoryBounded: the server's --memory-limit in MB")
)

// memoryBase is what the server holds whatever its limit: the Go runtime,
// PostgreSQL's parser, Pebble's fixed structures, the executor's result
// of one INSERT … SELECT. An idle server has some 30 MB resident.
const memoryBase = 96 << 20

// TestMemoryBounded builds views whose state is several times the
// server's --memory-limit (a GROUP BY with a max() multiset over every
// row, then, created over the loaded table, a join of the table with
// itself), keeps loading and updating the table, and checks that the
// server's resident memory (VmHWM, its peak, read from /proc) stays within
// 1.5 times the limit plus memoryBase, and that the views are right. `make
// test-memory` runs it at scale; the default is a quick version.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("memory test skipped in -short mode")
	}
	limit := *memoryLimit << 20
	s := harness.StartEddy(t, harness.Options{ExtraArgs: []string{"--memory-limit", fmt.Sprintf("%dMB", *memoryLimit)}})
	if s.Engine != harness.EngineEddy {
		t.Skip("measures Eddy's own memory")
	}
	pid := s.Pid()
	status := func(field string) int64 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			t.Fatalf("reading the server's /proc status: %v", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, field+":"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				if err != nil {
					t.Fatalf("parsing %s %q: %v", field, rest, err)
				}
				return kb << 10
			}
		}
		t.Fatalf("no %s in /proc/%d/status", field, pid)
		return 0
	}
	idle := status("VmRSS")

	conn := s.Conn(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// An INSERT is one transaction, so one epoch: a batch must fit the
	// dirty share (an eighth of the limit) at some 2 kB a row.
	batch := int(min(max(limit/(16<<10), 1000), 20_000))
	rows := *memoryRows
	load := func(from, to int) {
		for lo := from; lo <= to; lo += batch {
			exec(`INSERT INTO t SELECT x, x / 2, repeat(md5(x::text), 3) FROM generate_series($1::bigint, $2::bigint) x`, lo, min(lo+batch-1, to))
		}
	}
	var samples sync.WaitGroup
	stop := make(chan struct{})
	var maxRSS int64
	samples.Add(1)
	go func() {
		defer samples.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n") {
				if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
					maxRSS = max(maxRSS, kb<<10)
				}
			}
		}
	}()

	started := time.Now()
	exec(`CREATE TABLE t (id bigint PRIMARY KEY, g bigint, pad text)`)
	exec(`CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(id) AS s, max(pad) AS p FROM t GROUP BY g`)
	load(1, rows/2)
	// Built over the loaded table, across epochs.
	exec(`CREATE MATERIALIZED VIEW joined AS SELECT a.id, a.g, b.pad FROM t a JOIN t b ON a.g = b.id`)
	load(rows/2+1, rows)
	// Updates through both views: every tenth row of the first half.
	for lo := 1; lo <= rows/2; lo += 10 * batch {
		exec(`UPDATE t SET pad = md5(pad) WHERE id BETWEEN $1::bigint AND $2::bigint AND id % 10 = 0`, lo, lo+10*batch-1)
	}
	exec(`FLUSH`)
	took := time.Since(started)
	close(stop)
	samples.Wait()
	peak := status("VmHWM")

	var tableBytes, groups, joinedRows int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM by_g`).Scan(&groups); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM joined`).Scan(&joinedRows); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT sum(length(pad) + 24) FROM t`).Scan(&tableBytes); err != nil {
		t.Fatal(err)
	}
	if want := int64(rows/2 + 1); groups != want {
		t.Errorf("by_g has %d groups, want %d", groups, want)
	}
	if want := int64(rows - 1); joinedRows != want { // every row but id 1 (g 0) has g in t
		t.Errorf("joined has %d rows, want %d", joinedRows, want)
	}
	var wrong int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM by_g v FULL JOIN (SELECT g, count(*) AS n, sum(id) AS s, max(pad) AS p FROM t GROUP BY g) w
		ON v.g = w.g WHERE v.n IS DISTINCT FROM w.n OR v.s IS DISTINCT FROM w.s OR v.p IS DISTINCT FROM w.p`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d groups of by_g differ from the aggregate over t", wrong)
	}
	// The state: the table's rows, the join's two sides and its rows
	// (each about a table row, the rows with two pads), the groups with
	// their max() multiset (a row each) and the view's rows.
	state := tableBytes * 6
	bound := limit*3/2 + memoryBase
	t.Logf("--memory-limit %d MB, %d rows in batches of %d, %s: state ≈ %d MB (%.1f× the limit); idle RSS %d MB, peak RSS sampled %d MB, VmHWM %d MB, bound %d MB",
		limit>>20, rows, batch, took.Round(time.Second), state>>20, float64(state)/float64(limit), idle>>20, maxRSS>>20, peak>>20, bound>>20)
	if peak > bound {
		t.Errorf("peak RSS %d MB is above 1.5 × the %d MB limit + %d MB", peak>>20, limit>>20, memoryBase>>20)
	}
}
