package tests

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestFaultRecovery injects the three internal faults the runtime must
// survive (EDDY_FAILPOINTS): a view's operator that panics, one that never
// passes its barrier, and an epoch whose commit fails. Each is set off by a
// row only that view's filter passes. The statement writing the row fails
// with 40000 and its row is gone; the server does not exit and recovers
// in process; a writer in another session goes on meanwhile, and every
// row it was told committed is in the table and in the views over it,
// also after a SIGKILL and restart.
func TestFaultRecovery(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{
		Env:       []string{"EDDY_FAILPOINTS=panic=v_panic,stuck=v_stuck,commit=v_commit"},
		ExtraArgs: []string{"--barrier-timeout", "2s"},
	})
	if s.Engine != harness.EngineEddy {
		t.Skip("failpoints are Eddy's")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := s.Conn(t)
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("CREATE TABLE t (id int PRIMARY KEY, v int)")
	exec("CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n, sum(v) AS s FROM t")
	exec("CREATE MATERIALIZED VIEW by_v AS SELECT v, count(*) AS n FROM t GROUP BY v")
	for view, v := range map[string]int{"v_panic": 13, "v_stuck": 17, "v_commit": 19} {
		exec(fmt.Sprintf("CREATE MATERIALIZED VIEW %s AS SELECT id FROM t WHERE v = %d", view, v))
	}

	// Two builds go on through the faults: one in the background, which a
	// recovery resumes from its stored progress, and one in the foreground,
	// whose CREATE fails with the first abort and leaves nothing.
	exec("CREATE TABLE big (id int PRIMARY KEY, k int)")
	exec("INSERT INTO big SELECT g, g % 97 FROM generate_series(1, 400000) g")
	foreground := make(chan error, 1)
	go func() {
		_, err := s.Conn(t).Exec(ctx, "CREATE MATERIALIZED VIEW big_fg AS SELECT k, max(id) AS m FROM big GROUP BY k")
		foreground <- err
	}()
	waitBuilding(t, conn, "big_fg")

	// The writer inserts rows with v = 1 and remembers which committed.
	var acknowledged sync.Map
	var writes, aborted atomic.Int64
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		w := s.Conn(t)
		for id := 1000; ; id++ {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			_, err := w.Exec(ctx, "INSERT INTO t VALUES ($1, 1)", id)
			writes.Add(1)
			var pgErr *pgconn.PgError
			switch {
			case err == nil:
				acknowledged.Store(id, true)
			case errors.As(err, &pgErr) && pgErr.Code == string(pgerror.TransactionRollback):
				aborted.Add(1) // its epoch carried a faulty row: rolled back, may be retried
			default:
				writerDone <- fmt.Errorf("writer: INSERT %d: %w", id, err)
				return
			}
		}
	}()

	for i, fault := range []struct {
		view string
		v    int
	}{{"v_panic", 13}, {"v_stuck", 17}, {"v_commit", 19}} {
		for writes.Load() < int64(20*(i+1)) {
			time.Sleep(5 * time.Millisecond)
		}
		id := i + 1
		if i == 0 {
			exec("SET background_ddl = on")
			exec("CREATE MATERIALIZED VIEW big_by_k AS SELECT k, count(*) AS n, sum(id) AS s FROM big GROUP BY k")
			exec("SET background_ddl = off")
		}
		var building int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM eddy_catalog.backfill_progress").Scan(&building); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d builds in progress", fault.view, building)
		_, err := conn.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", id, fault.v)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.TransactionRollback) {
			t.Fatalf("%s: INSERT of a row that makes it fail: got %v, want SQLSTATE 40000", fault.view, err)
		}
		t.Logf("%s: %s (%s)", fault.view, pgErr.Message, pgErr.Detail)
		// The server serves on: the row is not there, and a good one goes in.
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM t WHERE id = $1", id).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s: the aborted row: count %d, err %v; want 0 rows", fault.view, n, err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO t VALUES ($1, 2)", 100+id); err != nil {
			t.Fatalf("%s: a good INSERT after the recovery: %v", fault.view, err)
		}
	}
	for writes.Load() < 100 {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	t.Logf("writer: %d inserts, %d aborted with 40000", writes.Load(), aborted.Load())

	want := map[int]bool{101: true, 102: true, 103: true}
	acknowledged.Range(func(k, _ any) bool { want[k.(int)] = true; return true })
	check := func(when string) {
		t.Helper()
		c := s.Conn(t)
		ids := map[int]bool{}
		rows, err := c.Query(ctx, "SELECT id FROM t")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		for rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids[id] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		for id := range want {
			if !ids[id] {
				t.Errorf("%s: acknowledged row %d is missing", when, id)
			}
		}
		for id := range ids {
			if id < 1000 && !want[id] {
				t.Errorf("%s: row %d of an aborted statement is there", when, id)
			}
		}
		// The views agree with the table, whatever the aborted writes were.
		var n, sum, byV int64
		if err := c.QueryRow(ctx, "SELECT n, s FROM totals").Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var tn, tsum int64
		if err := c.QueryRow(ctx, "SELECT count(*), sum(v) FROM t").Scan(&tn, &tsum); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if err := c.QueryRow(ctx, "SELECT sum(n) FROM by_v").Scan(&byV); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if n != tn || sum != tsum || byV != tn || tn != int64(len(ids)) {
			t.Errorf("%s: totals (%d, %d), by_v %d, table (%d, %d) with %d rows", when, n, sum, byV, tn, tsum, len(ids))
		}
		for _, view := range []string{"v_panic", "v_stuck", "v_commit"} {
			var k int
			if err := c.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{view}.Sanitize()).Scan(&k); err != nil || k != 0 {
				t.Errorf("%s: %s holds %d rows (err %v), want 0", when, view, k, err)
			}
		}
	}
	check("after the faults")
	var pgErr *pgconn.PgError
	if err := <-foreground; !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.TransactionRollback) {
		t.Errorf("foreground CREATE MATERIALIZED VIEW during the faults: got %v, want SQLSTATE 40000", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE relname = 'big_fg'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed foreground build left big_fg (%d, %v)", n, err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM eddy_catalog.backfill_progress").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background build did not finish after the recoveries")
		}
	}
	var bad int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT k, count(*) AS n, sum(id) AS s FROM big GROUP BY k) want
		FULL JOIN big_by_k got USING (k) WHERE got.n IS DISTINCT FROM want.n OR got.s IS DISTINCT FROM want.s`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("big_by_k, built through the recoveries, differs from its query in %d groups (err %v)", bad, err)
	}

	body := scrape(t, s.MetricsURL())
	for name, atLeast := range map[string]int{"eddy_epochs_aborted_total": 3, "eddy_runtime_recoveries_total": 3} {
		m := regexp.MustCompile(`(?m)^` + name + ` (\d+)$`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("metrics lack %s", name)
			continue
		}
		if got, _ := strconv.Atoi(m[1]); got < atLeast {
			t.Errorf("%s = %d, want at least %d", name, got, atLeast)
		}
	}

	s.Kill()
	s.Restart(t)
	check("after SIGKILL and restart")
}

// waitBuilding waits until view's build shows progress.
func waitBuilding(t *testing.T, conn *pgx.Conn, view string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var n int
		err := conn.QueryRow(context.Background(), "SELECT count(*) FROM eddy_catalog.backfill_progress WHERE name = $1", view).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatalf("%s never showed in backfill_progress", view)
}
