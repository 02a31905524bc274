package tests

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestActivity checks pg_stat_activity, pg_backend_pid, pg_cancel_backend
// and pg_terminate_backend across connections through pgx: each session
// has one row under the pid its client got in BackendKeyData, with the
// state PostgreSQL reports; cancelling another session's statement fails
// it with 57014 and leaves the connection usable; terminating a session
// ends its connection with FATAL 57P01. It runs against PostgreSQL too
// (-target=postgres).
func TestActivity(t *testing.T) {
	srv := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	watcher := srv.Conn(t)
	connect := func(name string) *pgx.Conn {
		t.Helper()
		cfg, err := pgx.ParseConfig(srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		cfg.RuntimeParams["application_name"] = name
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	type row struct {
		state, query, app, backendType string
		hasXact, hasClient             bool
	}
	activityOf := func(pid uint32) (row, bool) {
		t.Helper()
		var r row
		err := watcher.QueryRow(ctx, `SELECT coalesce(state, ''), query, application_name, backend_type,
			xact_start IS NOT NULL, client_addr IS NOT NULL AND client_port > 0
			FROM pg_stat_activity WHERE pid = $1`, int32(pid)).
			Scan(&r.state, &r.query, &r.app, &r.backendType, &r.hasXact, &r.hasClient)
		if errors.Is(err, pgx.ErrNoRows) {
			return r, false
		}
		if err != nil {
			t.Fatalf("pg_stat_activity: %v", err)
		}
		return r, true
	}
	waitFor := func(what string, pid uint32, ok func(row, bool) bool) row {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			r, found := activityOf(pid)
			if ok(r, found) {
				return r
			}
			if time.Now().After(deadline) {
				t.Fatalf("pid %d: %s: last row %+v (found %v)", pid, what, r, found)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	t.Run("own row", func(t *testing.T) {
		var pid int32
		if err := watcher.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if uint32(pid) != watcher.PgConn().PID() {
			t.Errorf("pg_backend_pid() = %d, BackendKeyData sent %d", pid, watcher.PgConn().PID())
		}
		var state, query string
		err := watcher.QueryRow(ctx, `SELECT state, query FROM pg_stat_activity WHERE pid = pg_backend_pid()`).Scan(&state, &query)
		if err != nil {
			t.Fatal(err)
		}
		if state != "active" || query != `SELECT state, query FROM pg_stat_activity WHERE pid = pg_backend_pid()` {
			t.Errorf("own row: state %q, query %q", state, query)
		}
	})

	t.Run("states", func(t *testing.T) {
		other := connect("activity-states")
		pid := other.PgConn().PID()
		if _, err := other.Exec(ctx, `CREATE TABLE activity_keys (k int PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Exec(ctx, `INSERT INTO activity_keys VALUES (1)`); err != nil {
			t.Fatal(err)
		}
		r := waitFor("idle", pid, func(r row, found bool) bool { return found && r.state == "idle" })
		if r.app != "activity-states" || r.backendType != "client backend" || r.hasXact || !r.hasClient {
			t.Errorf("idle session: %+v", r)
		}
		if _, err := other.Exec(ctx, `BEGIN`); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Exec(ctx, `SELECT 1`); err != nil {
			t.Fatal(err)
		}
		r = waitFor("idle in transaction", pid, func(r row, found bool) bool { return found && r.state == "idle in transaction" })
		if r.query != "SELECT 1" || !r.hasXact {
			t.Errorf("idle in transaction: %+v", r)
		}
		if _, err := other.Exec(ctx, `INSERT INTO activity_keys VALUES (1)`); err == nil {
			t.Fatal("a duplicate key was inserted")
		}
		waitFor("idle in transaction (aborted)", pid, func(r row, found bool) bool {
			return found && r.state == "idle in transaction (aborted)"
		})
		if _, err := other.Exec(ctx, `ROLLBACK`); err != nil {
			t.Fatal(err)
		}
		r = waitFor("idle again", pid, func(r row, found bool) bool { return found && r.state == "idle" })
		if r.hasXact {
			t.Errorf("idle after ROLLBACK still has xact_start: %+v", r)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		victim := connect("activity-cancel")
		pid := victim.PgConn().PID()
		done := make(chan error, 1)
		go func() {
			_, err := victim.Exec(ctx, `SELECT count(*) FROM generate_series(1, 100000000) a, generate_series(1, 100000000) b`)
			done <- err
		}()
		waitFor("running", pid, func(r row, found bool) bool { return found && r.state == "active" })
		var ok bool
		if err := watcher.QueryRow(ctx, `SELECT pg_cancel_backend($1::int4)`, int32(pid)).Scan(&ok); err != nil || !ok {
			t.Fatalf("pg_cancel_backend = %v, %v", ok, err)
		}
		select {
		case err := <-done:
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.QueryCanceled) {
				t.Fatalf("cancelled statement: %v, want 57014", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the cancelled statement is still running")
		}
		var one int
		if err := victim.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil || one != 1 {
			t.Fatalf("after cancel the connection answers %d, %v", one, err)
		}
	})

	t.Run("terminate", func(t *testing.T) {
		victim := connect("activity-terminate")
		pid := victim.PgConn().PID()
		waitFor("idle", pid, func(r row, found bool) bool { return found && r.state == "idle" })
		var ok bool
		if err := watcher.QueryRow(ctx, `SELECT pg_terminate_backend($1::int4)`, int32(pid)).Scan(&ok); err != nil || !ok {
			t.Fatalf("pg_terminate_backend = %v, %v", ok, err)
		}
		waitFor("gone", pid, func(_ row, found bool) bool { return !found })
		_, err := victim.Exec(ctx, `SELECT 1`)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.AdminShutdown) || pgErr.Severity != "FATAL" {
			t.Fatalf("terminated connection: %v, want FATAL 57P01", err)
		}
	})

	t.Run("no such pid", func(t *testing.T) {
		var cancelled, terminated bool
		err := watcher.QueryRow(ctx, `SELECT pg_cancel_backend(1), pg_terminate_backend(1)`).Scan(&cancelled, &terminated)
		if err != nil || cancelled || terminated {
			t.Fatalf("signals to pid 1: %v %v %v, want false false", cancelled, terminated, err)
		}
	})
}
