package tests

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestTransactions checks PostgreSQL's transaction behaviour that drivers
// rely on, through pgx: a protocol batch is one implicit transaction, an
// explicit transaction is invisible to others until COMMIT, concurrent
// read-modify-write statements lose no update, and a lock cycle is broken
// with 40P01. It runs against PostgreSQL too (-target=postgres).
func TestTransactions(t *testing.T) {
	srv := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := srv.Conn(t)
	for _, sql := range []string{
		`CREATE TABLE items (id int PRIMARY KEY, note text)`,
		`CREATE TABLE counter (id int PRIMARY KEY, v int)`,
		`INSERT INTO counter VALUES (1, 0), (2, 0)`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	count := func(c *pgx.Conn, sql string) int {
		t.Helper()
		var n int
		if err := c.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}

	t.Run("batch is all or nothing", func(t *testing.T) {
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO items VALUES (30, 'a')`)
		b.Queue(`INSERT INTO items VALUES (30, 'again')`)
		b.Queue(`INSERT INTO items VALUES (31, 'b')`)
		err := conn.SendBatch(ctx, b).Close()
		if harness.SQLState(err) != string(pgerror.UniqueViolation) {
			t.Fatalf("batch error = %v, want 23505", err)
		}
		if n := count(conn, `SELECT count(*) FROM items WHERE id IN (30, 31)`); n != 0 {
			t.Errorf("%d rows of the failed batch were kept, want 0", n)
		}
	})

	t.Run("an error fails the transaction block, extended protocol", func(t *testing.T) {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'kept?')`, 50); err != nil {
			t.Fatal(err)
		}
		var q int
		err = tx.QueryRow(ctx, `SELECT 1 / $1::int`, 0).Scan(&q)
		if harness.SQLState(err) != string(pgerror.DivisionByZero) {
			t.Fatalf("1/0 = %v, want 22012", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'ignored')`, 51)
		if harness.SQLState(err) != string(pgerror.InFailedSQLTransaction) {
			t.Fatalf("statement after the error = %v, want 25P02", err)
		}
		if st := conn.PgConn().TxStatus(); st != 'E' {
			t.Errorf("ReadyForQuery status %q in a failed block, want 'E'", st)
		}
		if err := tx.Commit(ctx); !errors.Is(err, pgx.ErrTxCommitRollback) {
			t.Errorf("COMMIT of a failed block = %v, want it answered ROLLBACK", err)
		}
		if n := count(conn, `SELECT count(*) FROM items WHERE id IN (50, 51)`); n != 0 {
			t.Errorf("%d rows of the failed transaction were committed, want 0", n)
		}
	})

	t.Run("ROLLBACK TO SAVEPOINT recovers a failed block", func(t *testing.T) {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'before')`, 60); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SAVEPOINT s`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'undone')`, 61); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'duplicate')`, 60); harness.SQLState(err) != string(pgerror.UniqueViolation) {
			t.Fatalf("duplicate insert = %v, want 23505", err)
		}
		if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT s`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES ($1, 'after')`, 62); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(conn, `SELECT count(*) FROM items WHERE id IN (60, 62)`); n != 2 {
			t.Errorf("%d of the rows around the savepoint were committed, want 2", n)
		}
		if n := count(conn, `SELECT count(*) FROM items WHERE id = 61`); n != 0 {
			t.Errorf("the row written after the savepoint survived ROLLBACK TO")
		}
	})

	t.Run("simple query string is all or nothing", func(t *testing.T) {
		_, err := conn.Exec(ctx, `INSERT INTO items VALUES (40, 'x'); INSERT INTO items VALUES (40, 'y')`, pgx.QueryExecModeSimpleProtocol)
		if harness.SQLState(err) != string(pgerror.UniqueViolation) {
			t.Fatalf("error = %v, want 23505", err)
		}
		if n := count(conn, `SELECT count(*) FROM items WHERE id = 40`); n != 0 {
			t.Errorf("the first INSERT of the failed string was kept")
		}
	})

	t.Run("explicit transaction is isolated until commit", func(t *testing.T) {
		other := srv.Conn(t)
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO items VALUES (50, 'tx')`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM items WHERE id = 50`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("the transaction does not see its own insert: %d, %v", n, err)
		}
		if n := count(other, `SELECT count(*) FROM items WHERE id = 50`); n != 0 {
			t.Errorf("another session sees an uncommitted insert")
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(other, `SELECT count(*) FROM items WHERE id = 50`); n != 1 {
			t.Errorf("another session does not see the committed insert")
		}
	})

	t.Run("concurrent increments lose nothing", func(t *testing.T) {
		const workers, each = 6, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := 0; w < workers; w++ {
			c := srv.Conn(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if _, err := c.Exec(ctx, `UPDATE counter SET v = v + 1 WHERE id = 1`); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("increment failed: %v", err)
		}
		if v := count(conn, `SELECT v FROM counter WHERE id = 1`); v != workers*each {
			t.Errorf("counter = %d after %d increments", v, workers*each)
		}
	})

	t.Run("lock cycle gives 40P01", func(t *testing.T) {
		a, b := srv.Conn(t), srv.Conn(t)
		txA, err := a.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer txA.Rollback(ctx)
		txB, err := b.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer txB.Rollback(ctx)
		if _, err := txA.Exec(ctx, `UPDATE items SET note = 'a' WHERE id = 50`); err != nil {
			t.Fatal(err)
		}
		if _, err := txB.Exec(ctx, `UPDATE counter SET v = 0 WHERE id = 2`); err != nil {
			t.Fatal(err)
		}
		aDone := make(chan error, 1)
		go func() {
			_, err := txA.Exec(ctx, `UPDATE counter SET v = 1 WHERE id = 2`)
			if err != nil {
				// A lost: it closed the cycle itself (B asked first); ending
				// its transaction releases the lock B waits for.
				txA.Rollback(ctx)
			}
			aDone <- err
		}()
		time.Sleep(200 * time.Millisecond) // let A wait behind B
		_, errB := txB.Exec(ctx, `UPDATE items SET note = 'b' WHERE id = 50`)
		var errA error
		if errB != nil {
			txB.Rollback(ctx) // releases B's locks, so A goes on
			errA = <-aDone
		} else {
			errA = <-aDone
		}
		states := []string{harness.SQLState(errA), harness.SQLState(errB)}
		if (states[0] == string(pgerror.TRDeadlockDetected)) == (states[1] == string(pgerror.TRDeadlockDetected)) {
			t.Fatalf("want exactly one 40P01, got A: %v, B: %v", errA, errB)
		}
		if errors.Is(errA, context.DeadlineExceeded) {
			t.Fatal("A is still waiting")
		}
	})
}
