package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestUniqueAndUpsertUnderConcurrency runs what unique.slt and upsert.slt
// cannot: several sessions at once, COPY, and a restart.
//
//   - Sessions racing to insert the same unique value: exactly one wins,
//     the others get 23505, whether they commit in a transaction or not.
//   - Sessions upserting the same counters concurrently lose no increment
//     (each upsert reads and writes under the table's write lock), and a
//     materialized view over the counters follows every one.
//   - A COPY with a duplicate fails with 23505 and loads nothing.
//   - After SIGKILL and restart the constraint still holds and the
//     counters are what was acknowledged.
func TestUniqueAndUpsertUnderConcurrency(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := s.Conn(t)
	execAll(t, conn,
		`CREATE TABLE accounts (id int PRIMARY KEY, email text UNIQUE)`,
		`CREATE TABLE counters (name text PRIMARY KEY, hits int NOT NULL)`,
		`CREATE MATERIALIZED VIEW total_hits AS SELECT count(*) AS names, sum(hits) AS hits FROM counters`)

	const sessions = 4
	isUnique := func(err error) bool {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == string(pgerror.UniqueViolation)
	}
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make([]error, sessions)
		email := fmt.Sprintf("user%d@example.com", round)
		for i := 0; i < sessions; i++ {
			c := s.Conn(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := round*sessions + i
				if i%2 == 0 {
					_, errs[i] = c.Exec(ctx, `INSERT INTO accounts VALUES ($1, $2)`, id, email)
					return
				}
				tx, err := c.Begin(ctx)
				if err != nil {
					errs[i] = err
					return
				}
				if _, err := tx.Exec(ctx, `INSERT INTO accounts VALUES ($1, $2)`, id, email); err != nil {
					_ = tx.Rollback(ctx)
					errs[i] = err
					return
				}
				errs[i] = tx.Commit(ctx)
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !isUnique(err):
				t.Fatalf("round %d session %d: %v, want success or 23505", round, i, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d sessions inserted %s, want exactly 1 (errors %v)", round, won, email, errs)
		}
	}

	const upserts = 50
	var wg sync.WaitGroup
	failures := make(chan error, sessions)
	for i := 0; i < sessions; i++ {
		c := s.Conn(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < upserts; j++ {
				name := fmt.Sprintf("c%d", j%5)
				if _, err := c.Exec(ctx, `INSERT INTO counters VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET hits = counters.hits + excluded.hits`, name); err != nil {
					failures <- fmt.Errorf("session %d upsert %d: %w", i, j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Fatal(err)
	}

	check := func(when string) {
		t.Helper()
		c := s.Conn(t)
		var n, hits int
		if err := c.QueryRow(ctx, `SELECT count(*), sum(hits) FROM counters`).Scan(&n, &hits); err != nil {
			t.Fatal(err)
		}
		if n != 5 || hits != sessions*upserts {
			t.Errorf("%s: counters hold %d names and %d hits, want 5 and %d", when, n, hits, sessions*upserts)
		}
		execAll(t, c, s.FlushStatements("total_hits")...)
		var vn, vhits int
		if err := c.QueryRow(ctx, `SELECT names, hits FROM total_hits`).Scan(&vn, &vhits); err != nil {
			t.Fatal(err)
		}
		if vn != n || vhits != hits {
			t.Errorf("%s: total_hits (%d, %d) differs from the table (%d, %d)", when, vn, vhits, n, hits)
		}
		if _, err := c.Exec(ctx, `INSERT INTO accounts VALUES (1000, 'user0@example.com')`); !isUnique(err) {
			t.Errorf("%s: a duplicate email: %v, want 23505", when, err)
		}
	}
	check("after the upserts")

	// COPY with a duplicate inside the batch, and one against a stored row.
	for _, data := range []string{"2000\tnew@example.com\n2001\tnew@example.com\n", "2002\tuser1@example.com\n"} {
		_, err := conn.PgConn().CopyFrom(ctx, strings.NewReader(data), `COPY accounts FROM STDIN`)
		if !isUnique(err) {
			t.Fatalf("COPY %q: %v, want 23505", data, err)
		}
	}
	var copied int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE id >= 2000`).Scan(&copied); err != nil || copied != 0 {
		t.Fatalf("failed COPYs left %d rows (err %v)", copied, err)
	}

	s.Kill()
	s.Restart(t)
	check("after SIGKILL and restart")
}
