package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestCopy checks COPY FROM STDIN (text, CSV and pgx's binary format) and
// COPY TO STDOUT against PostgreSQL: the same data loaded into both must
// dump the same, and bad data must fail the same way (SQLSTATE, message
// context), leaving nothing behind.
func TestCopy(t *testing.T) {
	srv := harness.StartEddy(t, harness.Options{})
	pg := harness.StartPostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	eddy := srv.Conn(t)
	oracle := pg.Conn(t, pg.NewDatabase(t))
	conns := []struct {
		name string
		conn *pgx.Conn
	}{{"eddy", eddy}, {"postgres", oracle}}

	both := func(t *testing.T, sql string) {
		t.Helper()
		for _, c := range conns {
			if _, err := c.conn.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %s: %v", c.name, sql, err)
			}
		}
	}
	copyIn := func(c *pgx.Conn, sql, data string) (string, error) {
		tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(data), sql)
		return tag.String(), err
	}
	copyOut := func(t *testing.T, c *pgx.Conn, sql string) (string, string) {
		t.Helper()
		var buf bytes.Buffer
		tag, err := c.PgConn().CopyTo(ctx, &buf, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return buf.String(), tag.String()
	}
	// same runs COPY FROM on both and checks they agree on the outcome.
	same := func(t *testing.T, sql, data string) {
		t.Helper()
		var tags, errs [2]string
		for i, c := range conns {
			tag, err := copyIn(c.conn, sql, data)
			tags[i] = tag
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				errs[i] = pe.Code + " " + pe.Where
			} else if err != nil {
				errs[i] = err.Error()
			}
		}
		if tags != [2]string{tags[1], tags[1]} || errs[0] != errs[1] {
			t.Errorf("%s:\n eddy:     %q %q\n postgres: %q %q", sql, tags[0], errs[0], tags[1], errs[1])
		}
	}
	dumpSame := func(t *testing.T, sql string) string {
		t.Helper()
		got, gotTag := copyOut(t, eddy, sql)
		want, wantTag := copyOut(t, oracle, sql)
		if got != want || gotTag != wantTag {
			t.Errorf("%s:\n eddy:     %s %q\n postgres: %s %q", sql, gotTag, got, wantTag, want)
		}
		return got
	}

	both(t, `CREATE TABLE ct (id int PRIMARY KEY, name text, n numeric, d date, flag bool NOT NULL DEFAULT true)`)

	t.Run("text", func(t *testing.T) {
		same(t, `COPY ct FROM STDIN`, "1\tfoo\\tbar\\\\\t1.5\t2024-01-02\tt\n2\t\\N\t\\N\t\\N\tf\n3\t\\x41\\102\\n\t-0.25\t2000-02-29\tfalse\n")
		dumpSame(t, `COPY ct TO STDOUT`)
		dumpSame(t, `COPY (SELECT id, name FROM ct ORDER BY id DESC) TO STDOUT WITH (DELIMITER '|', NULL 'nil')`)
	})
	t.Run("csv", func(t *testing.T) {
		same(t, `COPY ct (id, name) FROM STDIN WITH (FORMAT csv, HEADER)`, "id,name\n10,\"a,b\"\n11,\"multi\nline \"\"q\"\"\"\n12,\n13,\"\"\n")
		same(t, `COPY ct (name, id, n) FROM STDIN CSV`, "x;y,20,7\r\n,21,\r\n")
		same(t, `COPY ct (id, name) FROM STDIN WITH (FORMAT csv, DELIMITER ';', NULL 'NULL', QUOTE '''')`, "30;'it''s'\n31;NULL\n\\.\nignored\n")
		dumpSame(t, `COPY (SELECT * FROM ct ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`)
		dumpSame(t, `COPY ct (id, name) TO STDOUT CSV`)
	})
	t.Run("errors", func(t *testing.T) {
		same(t, `COPY ct FROM STDIN`, "100\ta\t1\t2024-01-01\tt\nabc\tb\t1\t2024-01-01\tt\n")
		same(t, `COPY ct FROM STDIN`, "100\ta\t1\t2024-01-01\tt\n1\tdup\t1\t2024-01-01\tt\n")
		same(t, `COPY ct FROM STDIN`, "101\ta\t1\t2024-01-01\tt\n101\tdup\t1\t2024-01-01\tt\n")
		same(t, `COPY ct (id, flag) FROM STDIN`, "102\t\\N\n")
		same(t, `COPY ct (id) FROM STDIN`, "103\textra\n")
		same(t, `COPY ct (id, name) FROM STDIN`, "104\n")
		same(t, `COPY ct (id, name) FROM STDIN CSV`, "105,\"open\n")
		same(t, `COPY ct (nope) FROM STDIN`, "")
		for _, c := range conns {
			var n int
			if err := c.conn.QueryRow(ctx, `SELECT count(*) FROM ct WHERE id >= 100`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows of failed COPYs kept (%v)", c.name, n, err)
			}
		}
	})
	t.Run("error context", func(t *testing.T) {
		_, err := copyIn(eddy, `COPY ct FROM STDIN`, "200\ta\t1\t2024-01-01\tt\n201\tb\tx1\t2024-01-01\tt\n")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != string(pgerror.InvalidTextRepresentation) || pe.Where != `COPY ct, line 2, column n: "x1"` {
			t.Errorf("bad numeric: %#v", err)
		}
	})
	t.Run("copy fail", func(t *testing.T) {
		for _, c := range conns {
			r := &failingReader{data: "300\tz\t1\t2024-01-01\tt\n"}
			_, err := c.conn.PgConn().CopyFrom(ctx, r, `COPY ct FROM STDIN`)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != string(pgerror.QueryCanceled) || !strings.HasPrefix(pe.Message, "COPY from stdin failed: ") {
				t.Errorf("%s: CopyFail gave %v", c.name, err)
			}
			var n int
			if err := c.conn.QueryRow(ctx, `SELECT count(*) FROM ct WHERE id = 300`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: a failed COPY kept %d rows (%v)", c.name, n, err)
			}
		}
	})
	t.Run("binary pgx", func(t *testing.T) {
		both(t, `CREATE TABLE cb (id bigint PRIMARY KEY, t text, f float8, ts timestamptz, b bool, by bytea)`)
		ts := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
		rows := [][]any{
			{int64(1), "one", 1.5, ts, true, []byte{0, 1}},
			{int64(2), nil, nil, nil, nil, nil},
			{int64(3), "tab\there", -0.125, ts.Add(time.Minute), false, []byte{}},
		}
		for _, c := range conns {
			n, err := c.conn.CopyFrom(ctx, pgx.Identifier{"cb"}, []string{"id", "t", "f", "ts", "b", "by"}, pgx.CopyFromRows(rows))
			if err != nil || n != 3 {
				t.Fatalf("%s: CopyFrom: %d, %v", c.name, n, err)
			}
			_, err = c.conn.CopyFrom(ctx, pgx.Identifier{"cb"}, []string{"id"}, pgx.CopyFromRows([][]any{{int64(9)}, {int64(1)}}))
			if harness.SQLState(err) != string(pgerror.UniqueViolation) {
				t.Errorf("%s: duplicate key: %v", c.name, err)
			}
		}
		dumpSame(t, `COPY (SELECT * FROM cb ORDER BY id) TO STDOUT`)
	})
	t.Run("large load updates views", func(t *testing.T) {
		if _, err := eddy.Exec(ctx, `CREATE TABLE big (k int PRIMARY KEY, v text)`); err != nil {
			t.Fatal(err)
		}
		if _, err := eddy.Exec(ctx, `CREATE MATERIALIZED VIEW big_count AS SELECT count(*) AS c, sum(k) AS s FROM big`); err != nil {
			t.Fatal(err)
		}
		const n = 5000
		var data strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&data, "%d\tvalue %d\n", i, i)
		}
		tag, err := copyIn(eddy, `COPY big FROM STDIN`, data.String())
		if err != nil || tag != fmt.Sprintf("COPY %d", n) {
			t.Fatalf("COPY: %q, %v", tag, err)
		}
		if _, err := eddy.Exec(ctx, `FLUSH`); err != nil {
			t.Fatal(err)
		}
		var c, s int64
		if err := eddy.QueryRow(ctx, `SELECT c, s FROM big_count`).Scan(&c, &s); err != nil {
			t.Fatal(err)
		}
		if c != n || s != n*(n+1)/2 {
			t.Errorf("view after COPY: count %d sum %d", c, s)
		}
		out, tag := copyOut(t, eddy, `COPY big TO STDOUT`)
		if tag != fmt.Sprintf("COPY %d", n) || strings.Count(out, "\n") != n {
			t.Errorf("COPY TO: %s, %d lines", tag, strings.Count(out, "\n"))
		}
	})
	t.Run("in a transaction", func(t *testing.T) {
		tx, err := eddy.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Conn().PgConn().CopyFrom(ctx, strings.NewReader("400\tin tx\t\\N\t\\N\tt\n"), `COPY ct FROM STDIN`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := eddy.QueryRow(ctx, `SELECT count(*) FROM ct WHERE id = 400`).Scan(&n); err != nil || n != 0 {
			t.Errorf("rolled back COPY kept %d rows (%v)", n, err)
		}
	})
}

// failingReader yields data, then an error: pgconn answers CopyFail.
type failingReader struct{ data string }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, errors.New("client gave up")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestCopyPsql checks psql's \copy both ways, which runs COPY … FROM STDIN
// and COPY … TO STDOUT over the simple protocol.
func TestCopyPsql(t *testing.T) {
	srv := harness.StartEddy(t, harness.Options{})
	file := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(file, []byte("id,name,note\n1,alpha,\"x, y\"\n2,beta,\n3,\"ga\"\"mma\",z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := psql(t, srv,
		"-c", `CREATE TABLE pq (id int PRIMARY KEY, name text, note text)`,
		"-c", `\copy pq from '`+file+`' csv header`,
		"-c", `\copy pq to stdout`,
		"-c", `\copy (select name, note from pq where id > 1 order by id) to stdout with (format csv, header)`)
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, errOut)
	}
	want := "CREATE TABLE\nCOPY 3\n" +
		"1\talpha\tx, y\n2\tbeta\t\\N\n3\tga\"mma\tz\n" +
		"name,note\nbeta,\n\"ga\"\"mma\",z\n"
	if out != want {
		t.Errorf("psql \\copy:\n got %q\nwant %q", out, want)
	}
}
