package tests

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// backfillRows is the size of the table the build tests read; make
// bench-backfill runs them over more.
var backfillRows = flag.Int("backfill-rows", 300_000, "rows of the table TestBackfill builds views over")

// TestBackfill builds materialized views over a table of -backfill-rows
// rows while other clients write: to another table with a view of its own
// (its latency must stay near its idle latency: no build holds an epoch
// open), and to the table being read (the build must still end exact).
// Then it kills the server in the middle of a background build, and
// checks the build resumes from its stored progress and ends exact; and
// that cancel, DROP and a view over a view being built work.
func TestBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("backfill test skipped in -short mode")
	}
	if *harness.Target != string(harness.EngineEddy) {
		t.Skip("background_ddl and backfill_progress are Eddy's")
	}
	s := harness.StartEddy(t, harness.Options{})
	ctx := context.Background()
	// Connections outlive the subtests, so they belong to the test.
	top := t
	conn := s.Conn(top)
	n := *backfillRows
	started := time.Now()
	execAll(t, conn,
		`CREATE TABLE big (id int PRIMARY KEY, g int, v int)`,
		fmt.Sprintf(`INSERT INTO big SELECT i, i %% 100, i %% 7919 FROM generate_series(1, %d) AS i`, n),
		`CREATE TABLE w (k int PRIMARY KEY, v int)`,
		`CREATE MATERIALIZED VIEW wv AS SELECT v % 10 AS b, count(*) AS n FROM w GROUP BY 1`)
	t.Logf("loaded %d rows in %v", n, time.Since(started).Round(time.Millisecond))

	w := startSingleRowWriter(t, s)
	time.Sleep(time.Second)
	idle := w.take()
	if len(idle) < 20 {
		t.Fatalf("the writer made %d inserts in a second of an idle server", len(idle))
	}

	t.Run("foreground build while others write", func(t *testing.T) {
		churn := startChurn(t, s, n)
		progress := watchProgress(t, s, "byid")
		started := time.Now()
		execAll(t, conn, `CREATE MATERIALIZED VIEW byid AS SELECT id, count(*) AS c, sum(v) AS s FROM big GROUP BY id`)
		took := time.Since(started)
		during := w.take()
		churn.stop()
		seen := progress.stop()
		idleP99, buildP99 := percentile(idle, 0.99), percentile(during, 0.99)
		t.Logf("build of %d rows took %v; writer: idle p99 %v (%d inserts), during the build p99 %v, max %v (%d inserts); %d churn writes",
			n, took.Round(time.Millisecond), idleP99, len(idle), buildP99, percentile(during, 1), len(during), churn.writes)
		if bound := max(10*idleP99, 250*time.Millisecond); buildP99 > bound {
			t.Errorf("the writer's p99 during the build is %v, over %v (idle p99 %v)", buildP99, bound, idleP99)
		}
		if len(seen.done) < 2 || seen.done[len(seen.done)-1] <= seen.done[0] {
			t.Errorf("backfill_progress showed rows done %v during the build: no progress seen", seen.done)
		}
		if !seen.estimated {
			t.Errorf("backfill_progress never estimated the rows of the build")
		}
		if seen.readErr == nil {
			t.Errorf("reading the view while it was built did not fail")
		} else if pgErr := (*pgconn.PgError)(nil); !errors.As(seen.readErr, &pgErr) || pgErr.Code != string(pgerror.ObjectNotInPrerequisiteState) {
			t.Errorf("reading the view while it was built: %v, want SQLSTATE 55000", seen.readErr)
		}
		flush(t, conn, "byid")
		expectSameRows(t, conn, "byid", `SELECT id, count(*), sum(v) FROM big GROUP BY id`)
		expectNoBuilds(t, conn)
	})

	t.Run("kill -9 during a background build", func(t *testing.T) {
		execAll(t, conn, `SET background_ddl = on`,
			`CREATE MATERIALIZED VIEW odd AS SELECT id, v * 2 AS w, g FROM big WHERE id % 3 <> 0`)
		before := waitForProgress(t, conn, "odd", int64(n/10))
		conn.Close(ctx)
		w.close()
		s.Kill()
		s.Restart(t)
		conn = s.Conn(top)
		var after int64
		if err := conn.QueryRow(ctx, `SELECT rows_done FROM eddy_catalog.backfill_progress WHERE name = 'odd'`).Scan(&after); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		} else if err == nil && after < before {
			t.Errorf("after the restart the build is at %d rows, before the kill it was at %d: it did not resume", after, before)
		}
		waitBuilt(t, conn, "odd")
		expectSameRows(t, conn, "odd", `SELECT id, v * 2, g FROM big WHERE id % 3 <> 0`)
		w = startSingleRowWriter(top, s)
	})

	t.Run("cancel and statement_timeout", func(t *testing.T) {
		execAll(t, conn, `SET statement_timeout = '300ms'`)
		_, err := conn.Exec(ctx, `CREATE MATERIALIZED VIEW slow AS SELECT id, count(*) AS c FROM big GROUP BY id`)
		if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.QueryCanceled) {
			t.Fatalf("CREATE under statement_timeout: %v, want 57014", err)
		}
		execAll(t, conn, `SET statement_timeout = 0`)
		expectNoView(t, conn, "slow")
		expectNoBuilds(t, conn)

		cctx, cancel := context.WithTimeout(ctx, 400*time.Millisecond)
		defer cancel()
		_, err = conn.Exec(cctx, `CREATE MATERIALIZED VIEW slow AS SELECT id, count(*) AS c FROM big GROUP BY id`)
		if err == nil {
			t.Fatal("a cancelled CREATE MATERIALIZED VIEW succeeded")
		}
		// pgx gives up the connection with the cancel request; the server
		// drops the view as it notices, as a PostgreSQL backend rolls back.
		conn.Close(ctx)
		conn = s.Conn(top)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			var n int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = 'slow'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		expectNoView(t, conn, "slow")
		expectNoBuilds(t, conn)
		// The name is free again.
		execAll(t, conn, `CREATE MATERIALIZED VIEW slow AS SELECT g, count(*) AS c FROM big GROUP BY g`)
		expectSameRows(t, conn, "slow", `SELECT g, count(*) FROM big GROUP BY g`)
	})

	t.Run("drop during a build, and a view over a view being built", func(t *testing.T) {
		execAll(t, conn, `SET background_ddl = on`,
			`CREATE MATERIALIZED VIEW doomed AS SELECT id, v FROM big`)
		waitForProgress(t, conn, "doomed", 1)
		execAll(t, conn, `DROP MATERIALIZED VIEW doomed`)
		expectNoView(t, conn, "doomed")
		expectNoBuilds(t, conn)

		execAll(t, conn,
			`CREATE MATERIALIZED VIEW base AS SELECT g, id, v FROM big WHERE id % 2 = 0`,
			`CREATE MATERIALIZED VIEW over_base AS SELECT g, count(*) AS c, sum(v) AS s FROM base GROUP BY g`)
		waitBuilt(t, conn, "base")
		waitBuilt(t, conn, "over_base")
		expectSameRows(t, conn, "over_base", `SELECT g, count(*), sum(v) FROM big WHERE id % 2 = 0 GROUP BY g`)
		execAll(t, conn, `SET background_ddl = off`)
	})

	t.Run("a view over another session's foreground build is refused", func(t *testing.T) {
		builder := s.Conn(t)
		built := make(chan error, 1)
		go func() {
			_, err := builder.Exec(ctx, `CREATE MATERIALIZED VIEW fg AS SELECT id, v FROM big`)
			built <- err
		}()
		waitBuilding(t, conn, "fg")
		_, err := conn.Exec(ctx, `CREATE MATERIALIZED VIEW over_fg AS SELECT count(*) AS c FROM fg`)
		if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.ObjectNotInPrerequisiteState) {
			t.Fatalf("a view over a foreground build of another session: %v, want 55000", err)
		}
		if err := <-built; err != nil {
			t.Fatalf("the foreground build: %v", err)
		}
		// Once its CREATE returned, the view may be read by others.
		execAll(t, conn, `CREATE MATERIALIZED VIEW over_fg AS SELECT count(*) AS c FROM fg`)
		expectSameRows(t, conn, "over_fg", `SELECT count(*) FROM big`)
	})
	w.close()
}

func flush(t *testing.T, conn *pgx.Conn, views ...string) {
	t.Helper()
	execAll(t, conn, harness.FlushStatements(harness.EngineEddy, views...)...)
}

// expectSameRows checks that view holds exactly the rows of query, a batch
// query over the tables, both read at one epoch.
func expectSameRows(t *testing.T, conn *pgx.Conn, view, query string) {
	t.Helper()
	var extra, missing, rows int64
	err := conn.QueryRow(context.Background(), fmt.Sprintf(
		`SELECT (SELECT count(*) FROM (SELECT * FROM %[1]s EXCEPT ALL %[2]s) AS x),
		        (SELECT count(*) FROM (%[2]s EXCEPT ALL SELECT * FROM %[1]s) AS y),
		        (SELECT count(*) FROM %[1]s)`, view, query)).Scan(&extra, &missing, &rows)
	if err != nil {
		t.Fatalf("comparing %s with its query: %v", view, err)
	}
	if extra != 0 || missing != 0 || rows == 0 {
		t.Errorf("%s: %d rows, %d not in its query's answer, %d of the answer missing", view, rows, extra, missing)
	}
}

func expectNoBuilds(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM eddy_catalog.backfill_progress`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("backfill_progress lists %d builds, want none", n)
	}
}

func expectNoView(t *testing.T, conn *pgx.Conn, name string) {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_class WHERE relname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%s is left in pg_class", name)
	}
}

// waitForProgress waits until the build of view has done at least rows
// rows (and is not done), and returns the rows done.
func waitForProgress(t *testing.T, conn *pgx.Conn, view string, rows int64) int64 {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var done int64
		err := conn.QueryRow(context.Background(), `SELECT rows_done FROM eddy_catalog.backfill_progress WHERE name = $1`, view).Scan(&done)
		if errors.Is(err, pgx.ErrNoRows) {
			t.Fatalf("the build of %s ended before it reached %d rows: make the table bigger", view, rows)
		}
		if err != nil {
			t.Fatal(err)
		}
		if done >= rows {
			return done
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the build of %s did not reach %d rows in a minute", view, rows)
	return 0
}

// waitBuilt waits until view is no longer being built.
func waitBuilt(t *testing.T, conn *pgx.Conn, view string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM eddy_catalog.backfill_progress WHERE name = $1`, view).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s was not built in two minutes", view)
}

// singleRowWriter inserts one row at a time into w and reads wv, and
// keeps each insert's latency.
type singleRowWriter struct {
	mu        sync.Mutex
	latencies []time.Duration
	err       error
	cancel    context.CancelFunc
	done      chan struct{}
}

func startSingleRowWriter(t *testing.T, s *harness.Server) *singleRowWriter {
	conn := s.Conn(t)
	var next int
	if err := conn.QueryRow(context.Background(), `SELECT coalesce(max(k), 0) FROM w`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wr := &singleRowWriter{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(wr.done)
		defer conn.Close(context.Background())
		for k := next + 1; ctx.Err() == nil; k++ {
			started := time.Now()
			_, err := conn.Exec(ctx, `INSERT INTO w VALUES ($1, $2)`, k, k*7)
			took := time.Since(started)
			if err == nil {
				var n int64
				err = conn.QueryRow(ctx, `SELECT sum(n) FROM wv`).Scan(&n)
			}
			if ctx.Err() != nil {
				return
			}
			wr.mu.Lock()
			if err != nil && wr.err == nil {
				wr.err = err
			}
			wr.latencies = append(wr.latencies, took)
			wr.mu.Unlock()
			time.Sleep(2 * time.Millisecond)
		}
	}()
	t.Cleanup(wr.close)
	return wr
}

// take returns the latencies since the last take and fails on an error
// of the writer.
func (wr *singleRowWriter) take() []time.Duration {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	out := wr.latencies
	wr.latencies = nil
	if wr.err != nil {
		panic(fmt.Sprintf("the single-row writer failed: %v", wr.err))
	}
	return out
}

func (wr *singleRowWriter) close() {
	wr.cancel()
	<-wr.done
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// churn updates, inserts and deletes rows of big while a view over it is
// built, so that changes meet the build on both sides of its position.
type churn struct {
	cancel context.CancelFunc
	done   chan struct{}
	writes int
}

func startChurn(t *testing.T, s *harness.Server, n int) *churn {
	conn := s.Conn(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := &churn{cancel: cancel, done: make(chan struct{})}
	rng := rand.New(rand.NewSource(1))
	go func() {
		defer close(c.done)
		defer conn.Close(context.Background())
		for next := n + 1; ctx.Err() == nil; {
			var err error
			switch id := 1 + rng.Intn(n); rng.Intn(3) {
			case 0:
				_, err = conn.Exec(ctx, `UPDATE big SET v = v + 1 WHERE id = $1`, id)
			case 1:
				_, err = conn.Exec(ctx, `DELETE FROM big WHERE id = $1`, id)
			default:
				_, err = conn.Exec(ctx, `INSERT INTO big VALUES ($1, $2, $3)`, next, next%100, next%7919)
				next++
			}
			if err != nil {
				if ctx.Err() == nil {
					t.Errorf("churn: %v", err)
				}
				return
			}
			c.writes++
		}
	}()
	return c
}

func (c *churn) stop() {
	c.cancel()
	<-c.done
}

// progressWatch polls backfill_progress and reads the view being built.
type progressWatch struct {
	cancel    context.CancelFunc
	seenReady chan progressSeen
}

type progressSeen struct {
	done      []int64
	estimated bool
	readErr   error
}

func watchProgress(t *testing.T, s *harness.Server, view string) *progressWatch {
	conn := s.Conn(t)
	ctx, cancel := context.WithCancel(context.Background())
	pw := &progressWatch{cancel: cancel, seenReady: make(chan progressSeen, 1)}
	go func() {
		defer conn.Close(context.Background())
		var seen progressSeen
		defer func() { pw.seenReady <- seen }()
		for ctx.Err() == nil {
			var done int64
			var estimated *int64
			err := conn.QueryRow(ctx, `SELECT rows_done, rows_estimated FROM eddy_catalog.backfill_progress WHERE name = $1`, view).Scan(&done, &estimated)
			if err == nil {
				seen.done = append(seen.done, done)
				seen.estimated = seen.estimated || estimated != nil
				// Until the view's first epoch commits it does not exist
				// (42P01), and the build may end before the read: only
				// an error other than 42P01 is kept.
				_, err := conn.Exec(ctx, fmt.Sprintf(`SELECT count(*) FROM %s`, view))
				if pgErr := (*pgconn.PgError)(nil); seen.readErr == nil && err != nil && (!errors.As(err, &pgErr) || pgErr.Code != string(pgerror.UndefinedTable)) {
					seen.readErr = err
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return pw
}

func (pw *progressWatch) stop() progressSeen {
	pw.cancel()
	return <-pw.seenReady
}
