package clients

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgxKnownDiffs are the cases of TestPgx where Eddy differs from PostgreSQL
// 15 today.
var pgxKnownDiffs = []knownDiff{
	{"batch.error.rows", `pgx.Batch of INSERT id 30, INSERT id 30 (23505), INSERT id 31, sent as one pipeline with a single Sync: PostgreSQL runs it as one implicit transaction and keeps no row (0), Eddy keeps the first INSERT (1)`},
}

// pgxOut collects "case: value" lines like the JDBC and node programs print.
type pgxOut struct{ buf bytes.Buffer }

func (o *pgxOut) out(key string, format string, args ...any) {
	v := fmt.Sprintf(format, args...)
	v = strings.NewReplacer("\\", "\\\\", "\n", "\\n", "\t", "\\t", "\r", "\\r").Replace(v)
	fmt.Fprintf(&o.buf, "%s: %s\n", key, v)
}

// step runs one case; an error becomes its output (SQLSTATE and message).
func (o *pgxOut) step(key string, f func() error) {
	if err := f(); err != nil {
		o.out(key, "ERROR %s", errString(err))
	}
}

func errString(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code + " " + pgErr.Message
	}
	return err.Error()
}

func sqlstate(err error) string {
	if err == nil {
		return "no error"
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return "SQLSTATE " + pgErr.Code
	}
	return "EXCEPTION " + err.Error()
}

// show formats a value pgx decoded, with its Go type.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []byte:
		return "[]byte:" + hex.EncodeToString(x)
	case time.Time:
		return "time.Time:" + x.Format("2006-01-02T15:04:05.999999999Z07:00 MST")
	case pgtype.Numeric:
		b, err := x.MarshalJSON()
		if err != nil {
			return "Numeric:error " + err.Error()
		}
		return fmt.Sprintf("Numeric:%s(exp=%d)", b, x.Exp)
	case pgtype.Interval:
		return fmt.Sprintf("Interval:%dmon %dd %dus valid=%v", x.Months, x.Days, x.Microseconds, x.Valid)
	case float32:
		return fmt.Sprintf("float32:%v", x)
	case float64:
		return fmt.Sprintf("float64:%v", x)
	}
	return fmt.Sprintf("%T:%v", v, v)
}

const pgxColumns = "id, b, i2, i4, i8, f4, f8, n, t, vc, d, ts, tstz, iv, by"

// pgxRow is one row of px as Go values; nil fields are NULLs.
type pgxRow []any

func mustNumeric(s string) pgtype.Numeric {
	var n pgtype.Numeric
	if err := n.Scan(s); err != nil {
		panic(err)
	}
	return n
}

var pgxRows = []pgxRow{
	{1, true, int16(1), int32(100), int64(10000000000), float32(1.5), 2.25, mustNumeric("12345.6789"), "hello", "world",
		time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC),
		time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC), pgtype.Interval{Months: 14, Days: 3, Microseconds: 14706789000, Valid: true}, []byte{0, 1, 2, 255}},
	{2, false, int16(math.MinInt16), int32(math.MinInt32), int64(math.MaxInt64), float32(0.1), 0.1, mustNumeric("-123456789012345678901234567890.123456789"),
		"h\u00e9llo \u2603 'q' \"d\" \\", "", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC), pgtype.Interval{Days: -1, Microseconds: 7200000000, Valid: true}, []byte{}},
	{3, true, int16(math.MaxInt16), int32(math.MaxInt32), int64(math.MinInt64), float32(math.Inf(1)), math.NaN(), mustNumeric("1.500"),
		"line1\nline2\ttab", "x", time.Date(2038, 1, 19, 0, 0, 0, 0, time.UTC), time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),
		time.Date(2000, 2, 29, 13, 0, 0, 0, time.FixedZone("", 3600)), pgtype.Interval{Valid: true}, []byte("bytes")},
	{4, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
	{5, false, int16(5), int32(50), int64(5000000000), float32(1.25), 1.0 / 3, mustNumeric("0.05"), "r5", "v5",
		time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC),
		time.Date(2024, 3, 1, 10, 30, 0, 500000000, time.UTC), pgtype.Interval{Microseconds: 5 * 3600 * 1000000, Valid: true}, []byte{5}},
}

// pgxModes are pgx's ways of running a query: the simple protocol (text
// everything), exec (unnamed statement, text parameters), describe-exec
// and cache-statement (binary where pgx can).
var pgxModes = []struct {
	name string
	mode pgx.QueryExecMode
}{
	{"simple", pgx.QueryExecModeSimpleProtocol},
	{"exec", pgx.QueryExecModeExec},
	{"describe", pgx.QueryExecModeDescribeExec},
	{"cache", pgx.QueryExecModeCacheStatement},
}

// TestPgx covers pgx/v5 against the server: every type written through
// parameters and read back in text and binary formats under every query exec
// mode, NULLs, parameters of every type, pgx.Batch, and prepared statements
// reused across catalog changes. Output is compared with testdata/pgx.out.
func TestPgx(t *testing.T) {
	tg := startTarget(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, tg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	o := &pgxOut{}
	pgxProgram(ctx, o, conn, tg.engine)
	checkGolden(t, tg, "pgx.out", o.buf.Bytes(), pgxKnownDiffs)
}

func pgxProgram(ctx context.Context, o *pgxOut, conn *pgx.Conn, engine harness.Engine) {
	o.step("ddl", func() error {
		for _, tbl := range []string{"px", "px_simple"} {
			if _, err := conn.Exec(ctx, "CREATE TABLE "+tbl+" (id int PRIMARY KEY, b bool, i2 smallint, i4 int, i8 bigint, f4 real, "+
				"f8 double precision, n numeric, t text, vc varchar(20), d date, ts timestamp, tstz timestamptz, iv interval, by bytea)"); err != nil {
				return err
			}
		}
		o.out("ddl", "ok")
		return nil
	})
	insert := "INSERT INTO %s (" + pgxColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
	// Parameters in binary (default mode: pgx knows the parameter types from
	// Describe) and as client-interpolated text (simple protocol).
	for _, row := range pgxRows {
		key := fmt.Sprintf("insert.id%d", row[0])
		o.step(key, func() error {
			tag, err := conn.Exec(ctx, fmt.Sprintf(insert, "px"), row...)
			if err == nil {
				o.out(key, "%s", tag)
			}
			return err
		})
		key = fmt.Sprintf("insert.simple.id%d", row[0])
		o.step(key, func() error {
			args := append([]any{pgx.QueryExecModeSimpleProtocol}, row...)
			tag, err := conn.Exec(ctx, fmt.Sprintf(insert, "px_simple"), args...)
			if err == nil {
				o.out(key, "%s", tag)
			}
			return err
		})
	}
	o.step("insert.compare", func() error {
		// Both tables must hold the same values.
		var n int64
		err := conn.QueryRow(ctx, "SELECT count(*) FROM px a JOIN px_simple b ON a.id = b.id WHERE "+
			"a.b IS NOT DISTINCT FROM b.b AND a.i2 IS NOT DISTINCT FROM b.i2 AND a.i8 IS NOT DISTINCT FROM b.i8 AND "+
			"a.n IS NOT DISTINCT FROM b.n AND a.t IS NOT DISTINCT FROM b.t AND a.d IS NOT DISTINCT FROM b.d AND "+
			"a.ts IS NOT DISTINCT FROM b.ts AND a.tstz IS NOT DISTINCT FROM b.tstz AND a.iv IS NOT DISTINCT FROM b.iv AND "+
			"a.by IS NOT DISTINCT FROM b.by AND a.f8::text IS NOT DISTINCT FROM b.f8::text").Scan(&n)
		o.out("insert.compare", "%d equal rows", n)
		return err
	})

	// Read back every type under every mode, decoded into pgx's default Go
	// types (any), with each column's wire format.
	for _, m := range pgxModes {
		key := "select." + m.name
		o.step(key, func() error {
			rows, err := conn.Query(ctx, "SELECT "+pgxColumns+" FROM px WHERE id > $1 ORDER BY id", m.mode, 0)
			if err != nil {
				return err
			}
			defer rows.Close()
			var formats []string
			for _, fd := range rows.FieldDescriptions() {
				formats = append(formats, fmt.Sprintf("%s:%d:%d", fd.Name, fd.DataTypeOID, fd.Format))
			}
			o.out(key+".fields", "%s", strings.Join(formats, " "))
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					return err
				}
				var parts []string
				for i, v := range vals[1:] {
					parts = append(parts, rows.FieldDescriptions()[i+1].Name+"="+show(v))
				}
				o.out(fmt.Sprintf("%s.id%v", key, vals[0]), "%s", strings.Join(parts, " "))
			}
			return rows.Err()
		})
		// Scanning into concrete Go types and pointers (NULLs as nil).
		key = "scan." + m.name
		o.step(key, func() error {
			rows, err := conn.Query(ctx, "SELECT "+pgxColumns+" FROM px WHERE id > $1 ORDER BY id", m.mode, 0)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					id          int
					b           *bool
					i2          *int16
					i4          *int32
					i8          *int64
					f4          *float32
					f8          *float64
					n           *string
					t, vc       *string
					d, ts, tstz *time.Time
					iv          pgtype.Interval
					by          []byte
				)
				if err := rows.Scan(&id, &b, &i2, &i4, &i8, &f4, &f8, &n, &t, &vc, &d, &ts, &tstz, &iv, &by); err != nil {
					return err
				}
				p := func(v any) string {
					switch x := v.(type) {
					case *bool:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *int16:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *int32:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *int64:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *float32:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *float64:
						if x != nil {
							return fmt.Sprint(*x)
						}
					case *string:
						if x != nil {
							return *x
						}
					case *time.Time:
						if x != nil {
							return x.UTC().Format("2006-01-02T15:04:05.999999")
						}
					}
					return "nil"
				}
				o.out(fmt.Sprintf("%s.id%d", key, id), "b=%s i2=%s i4=%s i8=%s f4=%s f8=%s n=%s t=%s vc=%s d=%s ts=%s tstz=%s iv=%s by=%s",
					p(b), p(i2), p(i4), p(i8), p(f4), p(f8), p(n), p(t), p(vc), p(d), p(ts), p(tstz), show(iv), show(by))
			}
			return rows.Err()
		})
	}

	// Parameters of every type, under every mode.
	params := []struct {
		name string
		sql  string
		arg  any
	}{
		{"bool", "SELECT id FROM px WHERE b = $1 ORDER BY id", false},
		{"int2", "SELECT id FROM px WHERE i2 = $1 ORDER BY id", int16(math.MaxInt16)},
		{"int4", "SELECT id FROM px WHERE i4 = $1 ORDER BY id", int32(math.MinInt32)},
		{"int8", "SELECT id FROM px WHERE i8 = $1 ORDER BY id", int64(math.MaxInt64)},
		{"int8-from-int", "SELECT id FROM px WHERE i8 = $1 ORDER BY id", 5000000000},
		{"float4", "SELECT id FROM px WHERE f4 = $1 ORDER BY id", float32(1.5)},
		{"float8", "SELECT id FROM px WHERE f8 > $1 ORDER BY id", 2.0},
		{"numeric", "SELECT id FROM px WHERE n = $1 ORDER BY id", mustNumeric("1.5")},
		{"numeric-from-string", "SELECT id FROM px WHERE n = $1 ORDER BY id", "0.05"},
		{"numeric-from-float", "SELECT id FROM px WHERE n > $1 ORDER BY id", 100.5},
		{"text", "SELECT id FROM px WHERE t = $1 ORDER BY id", "h\u00e9llo \u2603 'q' \"d\" \\"},
		{"varchar", "SELECT id FROM px WHERE vc = $1 ORDER BY id", ""},
		{"date", "SELECT id FROM px WHERE d = $1 ORDER BY id", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"timestamp", "SELECT id FROM px WHERE ts = $1 ORDER BY id", time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)},
		{"timestamptz", "SELECT id FROM px WHERE tstz = $1 ORDER BY id", time.Date(2000, 2, 29, 12, 0, 0, 0, time.UTC)},
		{"timestamptz-offset", "SELECT id FROM px WHERE tstz = $1 ORDER BY id", time.Date(2000, 2, 29, 7, 0, 0, 0, time.FixedZone("", -5*3600))},
		{"interval", "SELECT id FROM px WHERE iv = $1 ORDER BY id", pgtype.Interval{Days: -1, Microseconds: 7200000000, Valid: true}},
		{"interval-duration", "SELECT id FROM px WHERE iv = $1 ORDER BY id", 5 * time.Hour},
		{"bytea", "SELECT id FROM px WHERE by = $1 ORDER BY id", []byte("bytes")},
		{"null", "SELECT id FROM px WHERE i4 IS NOT DISTINCT FROM $1 ORDER BY id", nil},
		{"null-typed", "SELECT id FROM px WHERE i4 IS NOT DISTINCT FROM $1 ORDER BY id", (*int32)(nil)},
		{"expr", "SELECT $1::int + 1", 41},
		{"expr-text", "SELECT $1::text || 'b'", "a"},
		{"expr-numeric", "SELECT $1::numeric * 2", mustNumeric("1.25")},
	}
	for _, m := range pgxModes {
		for _, p := range params {
			key := "params." + m.name + "." + p.name
			o.step(key, func() error {
				rows, err := conn.Query(ctx, p.sql, m.mode, p.arg)
				if err != nil {
					return err
				}
				var got []string
				for rows.Next() {
					vals, err := rows.Values()
					if err != nil {
						return err
					}
					got = append(got, show(vals[0]))
				}
				if err := rows.Err(); err != nil {
					return err
				}
				o.out(key, "%s", strings.Join(got, " "))
				return nil
			})
		}
	}

	// Errors.
	errCases := []struct{ name, sql string }{
		{"duplicate-key", "INSERT INTO px (id) VALUES (1)"},
		{"unknown-table", "SELECT * FROM no_such_table"},
		{"unknown-column", "SELECT no_such_column FROM px"},
		{"syntax", "SELEKT 1"},
		{"division-by-zero", "SELECT i4 / 0 FROM px WHERE id = 1"},
	}
	for _, m := range pgxModes {
		for _, e := range errCases {
			_, err := conn.Exec(ctx, e.sql, m.mode)
			o.out("error."+m.name+"."+e.name, "%s", sqlstate(err))
		}
	}

	// pgx.Batch: several statements in one round trip.
	o.step("batch", func() error {
		b := &pgx.Batch{}
		b.Queue("INSERT INTO px (id, t) VALUES ($1, $2)", 20, "batch20")
		b.Queue("INSERT INTO px (id, t, n) VALUES ($1, $2, $3)", 21, "batch21", mustNumeric("2.5"))
		b.Queue("UPDATE px SET t = $1 WHERE id = $2", "batch20u", 20)
		b.Queue("SELECT id, t, n FROM px WHERE id >= $1 ORDER BY id", 20)
		b.Queue("SELECT count(*) FROM px")
		br := conn.SendBatch(ctx, b)
		for i := 0; i < 3; i++ {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return err
			}
			o.out(fmt.Sprintf("batch.%d", i), "%s", tag)
		}
		rows, err := br.Query()
		if err != nil {
			br.Close()
			return err
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				br.Close()
				return err
			}
			o.out("batch.3", "%s %s %s", show(vals[0]), show(vals[1]), show(vals[2]))
		}
		rows.Close()
		var n int64
		if err := br.QueryRow().Scan(&n); err != nil {
			br.Close()
			return err
		}
		o.out("batch.4", "%d", n)
		return br.Close()
	})
	o.step("batch.error", func() error {
		b := &pgx.Batch{}
		b.Queue("INSERT INTO px (id, t) VALUES ($1, $2)", 30, "ok")
		b.Queue("INSERT INTO px (id, t) VALUES ($1, $2)", 30, "dup")
		b.Queue("INSERT INTO px (id, t) VALUES ($1, $2)", 31, "after")
		br := conn.SendBatch(ctx, b)
		var res []string
		for i := 0; i < 3; i++ {
			_, err := br.Exec()
			res = append(res, sqlstate(err))
		}
		res = append(res, "close "+sqlstate(br.Close()))
		o.out("batch.error", "%s", strings.Join(res, ", "))
		var n int64
		err := conn.QueryRow(ctx, "SELECT count(*) FROM px WHERE id IN (30, 31)").Scan(&n)
		o.out("batch.error.rows", "%d", n)
		return err
	})

	// Prepared statements across catalog changes: a statement prepared on
	// one table keeps working when other tables come and go, and the
	// statement cache of the default mode is reused.
	o.step("prepared", func() error {
		if _, err := conn.Exec(ctx, "CREATE TABLE pa (k int PRIMARY KEY, v text)"); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "INSERT INTO pa VALUES (1, 'one'), (2, 'two')"); err != nil {
			return err
		}
		sd, err := conn.Prepare(ctx, "sel_pa", "SELECT v FROM pa WHERE k = $1")
		if err != nil {
			return err
		}
		var params []string
		for _, oid := range sd.ParamOIDs {
			params = append(params, fmt.Sprint(oid))
		}
		o.out("prepared.describe", "params=%s fields=%d", strings.Join(params, ","), len(sd.Fields))
		get := func(key, sql string, arg any) {
			var v string
			err := conn.QueryRow(ctx, sql, arg).Scan(&v)
			if err != nil {
				o.out(key, "%s", sqlstate(err))
				return
			}
			o.out(key, "%s", v)
		}
		get("prepared.before", "sel_pa", 1)
		get("prepared.cached.before", "SELECT v FROM pa WHERE k = $1 AND v IS NOT NULL", 2)
		if _, err := conn.Exec(ctx, "CREATE TABLE pb (k int PRIMARY KEY, w text)"); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "INSERT INTO pb VALUES (1, 'b-one')"); err != nil {
			return err
		}
		get("prepared.after-create", "sel_pa", 2)
		get("prepared.cached.after-create", "SELECT v FROM pa WHERE k = $1 AND v IS NOT NULL", 1)
		if _, err := conn.Exec(ctx, "INSERT INTO pa VALUES (3, 'three')"); err != nil {
			return err
		}
		get("prepared.after-insert", "sel_pa", 3)
		sd2, err := conn.Prepare(ctx, "sel_join", "SELECT pa.v || '/' || pb.w FROM pa JOIN pb ON pa.k = pb.k WHERE pa.k = $1")
		if err != nil {
			return err
		}
		_ = sd2
		get("prepared.join", "sel_join", 1)
		if _, err := conn.Exec(ctx, "DROP TABLE pb"); err != nil {
			return err
		}
		get("prepared.after-drop-other", "sel_pa", 1)
		get("prepared.join.after-drop", "sel_join", 1)
		if err := conn.Deallocate(ctx, "sel_pa"); err != nil {
			return err
		}
		get("prepared.after-deallocate", "sel_pa", 1)
		return nil
	})

	// A materialized view, brought up to date by FLUSH (Eddy) or REFRESH.
	o.step("mview", func() error {
		if _, err := conn.Exec(ctx, "CREATE MATERIALIZED VIEW pxv AS SELECT b, count(*) AS cnt, sum(n) AS total FROM px WHERE id < 30 GROUP BY b"); err != nil {
			return err
		}
		flush := func() error {
			for _, s := range harness.FlushStatements(engine, "pxv") {
				if _, err := conn.Exec(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}
		dump := func(key string, mode pgx.QueryExecMode) error {
			rows, err := conn.Query(ctx, "SELECT b, cnt, total FROM pxv ORDER BY b", mode)
			if err != nil {
				return err
			}
			var got []string
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					return err
				}
				got = append(got, fmt.Sprintf("%s|%s|%s", show(vals[0]), show(vals[1]), show(vals[2])))
			}
			sort.Strings(got)
			o.out(key, "%s", strings.Join(got, " "))
			return rows.Err()
		}
		if err := flush(); err != nil {
			return err
		}
		if err := dump("mview.initial", pgx.QueryExecModeCacheStatement); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "INSERT INTO px (id, b, n) VALUES ($1, $2, $3)", 40, true, mustNumeric("0.5")); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "DELETE FROM px WHERE id = $1", 3); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		if err := dump("mview.after.simple", pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		return dump("mview.after.binary", pgx.QueryExecModeCacheStatement)
	})
}

// TestPgxCopyFrom checks pgx's CopyFrom (COPY ... FROM STDIN in binary
// format).
func TestPgxCopyFrom(t *testing.T) {
	tg := startTarget(t)
	if updating() {
		t.Skip("no golden file: expectations are in the test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, tg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE TABLE pc (id int PRIMARY KEY, t text, n numeric, ts timestamptz, by bytea)"); err != nil {
		t.Fatal(err)
	}
	// An empty COPY in text format copies nothing.
	if tag, err := conn.PgConn().CopyFrom(ctx, strings.NewReader(""), "COPY pc FROM STDIN"); err != nil || tag.String() != "COPY 0" {
		t.Fatalf("empty COPY: %q, %v", tag.String(), err)
	}
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	src := [][]any{
		{1, "one", mustNumeric("1.5"), ts, []byte{1}},
		{2, nil, mustNumeric("-2.25"), nil, []byte{}},
		{3, "h\u00e9llo\ttab", nil, ts.Add(time.Hour), nil},
	}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"pc"}, []string{"id", "t", "n", "ts", "by"}, pgx.CopyFromRows(src))
	if err != nil {
		t.Fatalf("CopyFrom: %v", err)
	}
	if n != 3 {
		t.Errorf("CopyFrom copied %d rows, want 3", n)
	}
	var got string
	if err := conn.QueryRow(ctx, "SELECT string_agg(id || ':' || coalesce(t, '-') || ':' || coalesce(n::text, '-') || ':' || "+
		"coalesce(ts::text, '-') || ':' || coalesce(encode(by, 'hex'), '-'), ' ' ORDER BY id) FROM pc").Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := "1:one:1.5:2024-01-02 03:04:05+00:01 2:-:-2.25:-: 3:h\u00e9llo\ttab:-:2024-01-02 04:04:05+00:-"
	if got != want {
		t.Errorf("after CopyFrom:\n got %q\nwant %q", got, want)
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"pc"}, []string{"id", "t"}, pgx.CopyFromRows([][]any{{1, "dup"}}))
	if got := sqlstate(err); got != "SQLSTATE 23505" {
		t.Errorf("CopyFrom of a duplicate key: %s, want SQLSTATE 23505", got)
	}
}
