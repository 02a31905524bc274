package session

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// These tests drive sessions in process, so the race detector sees the
// engine, the lock table and the runtime together (make race). The
// end-to-end suites in tests/ cover the same behaviour through pgx.

func openEngine(t *testing.T) *Engine {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e, err := Open(ctx, Options{DataDir: t.TempDir(), InMemory: true, BarrierInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		e.Close()
	})
	return e
}

func newSession(t *testing.T, e *Engine) *Session {
	t.Helper()
	s, err := e.NewSession(context.Background(), map[string]string{"user": "eddy", "database": "eddy"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// run executes one statement as a client's simple query would: Execute,
// read every row, then Sync.
func run(ctx context.Context, s *Session, sql string, params ...types.Datum) ([][]types.Datum, error) {
	st, err := s.Prepare(ctx, sql, nil)
	if err != nil {
		s.Sync(ctx)
		return nil, err
	}
	res, err := st.Execute(ctx, params)
	var rows [][]types.Datum
	if err == nil {
		for {
			var c *chunk.Chunk
			if c, err = res.Next(ctx); err != nil || c == nil {
				break
			}
			for i := 0; i < c.Len(); i++ {
				rows = append(rows, c.Row(i))
			}
		}
		res.Close()
	}
	if syncErr := s.Sync(ctx); err == nil {
		err = syncErr
	}
	return rows, err
}

func mustRun(t *testing.T, s *Session, sql string) [][]types.Datum {
	t.Helper()
	rows, err := run(context.Background(), s, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return rows
}

func TestConcurrentIncrementsSerialize(t *testing.T) {
	e := openEngine(t)
	setup := newSession(t, e)
	mustRun(t, setup, `CREATE TABLE c (id int PRIMARY KEY, v int)`)
	mustRun(t, setup, `INSERT INTO c VALUES (1, 0)`)
	mustRun(t, setup, `CREATE MATERIALIZED VIEW total AS SELECT sum(v) AS s FROM c`)
	const workers, each = 4, 20
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		s := newSession(t, e)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := run(context.Background(), s, `UPDATE c SET v = v + 1 WHERE id = 1`); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got := mustRun(t, setup, `SELECT s FROM total`)
	if fmt.Sprint(got) != fmt.Sprintf("[[%d]]", workers*each) {
		t.Fatalf("view total = %v after %d increments", got, workers*each)
	}
}

func TestLockCycleIsDeadlock(t *testing.T) {
	e := openEngine(t)
	setup := newSession(t, e)
	mustRun(t, setup, `CREATE TABLE a (id int PRIMARY KEY)`)
	mustRun(t, setup, `CREATE TABLE b (id int PRIMARY KEY)`)
	s1, s2 := newSession(t, e), newSession(t, e)
	mustRun(t, s1, `BEGIN`)
	mustRun(t, s2, `BEGIN`)
	mustRun(t, s1, `INSERT INTO a VALUES (1)`)
	mustRun(t, s2, `INSERT INTO b VALUES (1)`)
	waited := make(chan error, 1)
	go func() {
		_, err := run(context.Background(), s1, `INSERT INTO b VALUES (2)`)
		waited <- err
	}()
	// s1 now waits for b, which s2 holds; s2 asking for a closes the cycle.
	var err error
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		e.locks.mu.Lock()
		_, s1Waits := e.locks.waiting[s1.txn]
		e.locks.mu.Unlock()
		if s1Waits {
			break
		}
	}
	_, err = run(context.Background(), s2, `INSERT INTO a VALUES (2)`)
	if pgerror.CodeOf(err) != pgerror.TRDeadlockDetected {
		t.Fatalf("closing the cycle gave %v, want 40P01", err)
	}
	mustRun(t, s2, `ROLLBACK`) // releases b
	if err := <-waited; err != nil {
		t.Fatalf("the waiter failed after the cycle broke: %v", err)
	}
	mustRun(t, s1, `COMMIT`)
	if got := mustRun(t, setup, `SELECT count(*) FROM b`); fmt.Sprint(got) != "[[1]]" {
		t.Fatalf("b holds %v rows, want 1", got)
	}
}

func TestBatchIsAtomic(t *testing.T) {
	e := openEngine(t)
	s := newSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY)`)
	ctx := context.Background()
	// Two statements before one Sync, the second failing: neither stays.
	for _, sql := range []string{`INSERT INTO t VALUES (1)`, `INSERT INTO t VALUES (1)`} {
		st, err := s.Prepare(ctx, sql, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := st.Execute(ctx, nil); err == nil {
			res.Close()
		}
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, s, `SELECT count(*) FROM t`); fmt.Sprint(got) != "[[0]]" {
		t.Fatalf("t holds %v rows after a failed batch, want 0", got)
	}
}
