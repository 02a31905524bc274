package tests

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// bigRows is the size of the table the statements below work on: big
// enough that each of them runs for far longer (a second or more) than the
// 50ms they are given, so that no test races on a tight timing.
const bigRows = 200000

// stoppedStatements are the statement kinds that statement_timeout and a
// cancel request must stop: each runs for well over the time it is given,
// and check asserts that nothing of it stayed.
var stoppedStatements = []struct {
	name  string
	run   func(ctx context.Context, c *pgx.Conn) error
	check string // a query that answers 0 when nothing of the statement stayed
}{
	{
		name:  "create materialized view",
		run:   execSQL("CREATE MATERIALIZED VIEW stopped AS SELECT a.k, a.g, b.s FROM big a JOIN big b ON a.k = b.k"),
		check: "SELECT count(*) FROM pg_class WHERE relname = 'stopped'",
	},
	{
		name:  "insert select",
		run:   execSQL("INSERT INTO dst SELECT * FROM big"),
		check: "SELECT count(*) FROM dst",
	},
	{
		name:  "update",
		run:   execSQL("UPDATE big SET g = g + 1000"),
		check: "SELECT count(*) FROM big WHERE g >= 1000",
	},
	{
		name:  "delete",
		run:   execSQL("DELETE FROM big"),
		check: fmt.Sprintf("SELECT %d - count(*) FROM big", bigRows),
	},
	{
		name: "copy from",
		run: func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.CopyFrom(ctx, pgx.Identifier{"dst"}, []string{"k", "g", "s"}, &generatedRows{n: bigRows})
			return err
		},
		check: "SELECT count(*) FROM dst",
	},
	{
		name: "copy to",
		run: func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.PgConn().CopyTo(ctx, io.Discard, "COPY (SELECT a.k, b.s FROM big a JOIN big b ON a.g = b.g) TO STDOUT")
			return err
		},
	},
	{
		name: "query",
		run: func(ctx context.Context, c *pgx.Conn) error {
			var n int64
			return c.QueryRow(ctx, "SELECT count(*) FROM big a JOIN big b ON a.g = b.g").Scan(&n)
		},
	},
}

func execSQL(sql string) func(ctx context.Context, c *pgx.Conn) error {
	return func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, sql)
		return err
	}
}

// generatedRows feeds pgx's CopyFrom rows (k, k % 100, 'row k').
type generatedRows struct {
	n, i int
}

func (r *generatedRows) Next() bool { r.i++; return r.i <= r.n }
func (r *generatedRows) Values() ([]any, error) {
	return []any{int32(r.i), int32(r.i % 100), fmt.Sprintf("row %d", r.i)}, nil
}
func (r *generatedRows) Err() error { return nil }

// startWithBigTable starts a server with table big of bigRows rows and an
// empty table dst of the same columns, and returns a connection whose
// context cancellation sends a CancelRequest (pgx's default closes the
// connection instead).
func startWithBigTable(t *testing.T) (*harness.Server, *pgx.Conn) {
	t.Helper()
	s := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgx.ParseConfig(s.DSN())
	if err != nil {
		t.Fatal(err)
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 10 * time.Second}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	for _, sql := range []string{
		"CREATE TABLE big (k int PRIMARY KEY, g int, s text)",
		fmt.Sprintf("INSERT INTO big SELECT i, i %% 100, 'row ' || i FROM generate_series(1, %d) AS i", bigRows),
		"CREATE TABLE dst (k int PRIMARY KEY, g int, s text)",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	return s, conn
}

// expectStopped checks that err is 57014 with PostgreSQL's message, that
// nothing of the statement stayed, and that the session goes on.
func expectStopped(t *testing.T, conn *pgx.Conn, err error, message, check string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.QueryCanceled) || pgErr.Message != message {
		t.Fatalf("got %v, want 57014 %q", err, message)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if check != "" {
		var left int64
		if err := conn.QueryRow(ctx, check).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%s: %d, %v; want 0: something of the stopped statement stayed", check, left, err)
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
		t.Fatalf("the session after the stopped statement: %d, %v", n, err)
	}
	if status := conn.PgConn().TxStatus(); status != 'I' {
		t.Fatalf("transaction status %c after the stopped statement, want I", status)
	}
}

// TestStatementTimeout runs every statement kind with statement_timeout
// set far below what it needs: each ends with 57014 and leaves nothing.
func TestStatementTimeout(t *testing.T) {
	_, conn := startWithBigTable(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, st := range stoppedStatements {
		t.Run(strings.ReplaceAll(st.name, " ", "_"), func(t *testing.T) {
			if _, err := conn.Exec(ctx, "SET statement_timeout = '50ms'"); err != nil {
				t.Fatal(err)
			}
			started := time.Now()
			err := st.run(ctx, conn)
			took := time.Since(started)
			if _, err := conn.Exec(ctx, "RESET statement_timeout"); err != nil {
				t.Fatal(err)
			}
			expectStopped(t, conn, err, "canceling statement due to statement timeout", st.check)
			if took > 2*time.Second {
				t.Errorf("the statement stopped %v after it started; the timeout was 50ms", took)
			}
		})
	}
}

// TestStatementCancel cancels every statement kind from the client (pgx
// sends a CancelRequest when the context ends): each ends with 57014 and
// leaves nothing.
func TestStatementCancel(t *testing.T) {
	_, conn := startWithBigTable(t)
	for _, st := range stoppedStatements {
		t.Run(strings.ReplaceAll(st.name, " ", "_"), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			started := time.Now()
			err := st.run(ctx, conn)
			took := time.Since(started)
			expectStopped(t, conn, err, "canceling statement due to user request", st.check)
			if took > 2*time.Second {
				t.Errorf("the statement stopped %v after it started; it was cancelled after 100ms", took)
			}
		})
	}
}
