package pgwire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/eddy-db/eddy/sql/pgerror"
)

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func connString(addr string, extra string) string {
	host, port, _ := net.SplitHostPort(addr)
	return fmt.Sprintf("host=%s port=%s user=eddy dbname=eddy sslmode=disable application_name=pgwire_test %s", host, port, extra)
}

func connect(t testing.TB, addr string, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(connString(addr, ""))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var allModes = []pgx.QueryExecMode{
	pgx.QueryExecModeCacheStatement,
	pgx.QueryExecModeCacheDescribe,
	pgx.QueryExecModeDescribeExec,
	pgx.QueryExecModeExec,
	pgx.QueryExecModeSimpleProtocol,
}

func TestStartupParameters(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	pg := conn.PgConn()
	want := map[string]string{
		"server_version":              "15.0 (Eddy)",
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"IntervalStyle":               "postgres",
		"integer_datetimes":           "on",
		"standard_conforming_strings": "on",
		"TimeZone":                    "UTC",
		"application_name":            "pgwire_test",
		"is_superuser":                "on",
		"session_authorization":       "eddy",
	}
	for k, v := range want {
		if got := pg.ParameterStatus(k); got != v {
			t.Errorf("ParameterStatus(%q) = %q, want %q", k, got, v)
		}
	}
	if pg.PID() == 0 || len(pg.SecretKey()) != 4 {
		t.Errorf("backend key data: pid %d, key %x", pg.PID(), pg.SecretKey())
	}
	if _, err := conn.Exec(testCtx(t), "set application_name = renamed"); err != nil {
		t.Fatal(err)
	}
	if got := pg.ParameterStatus("application_name"); got != "renamed" {
		t.Errorf("application_name after SET = %q", got)
	}
}

func TestSelectEveryMode(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			conn := connect(t, addr, mode)
			ctx := testCtx(t)
			for i := range 3 {
				var n int32
				if err := conn.QueryRow(ctx, fmt.Sprintf("select %d", 40+i)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != int32(40+i) {
					t.Fatalf("got %d", n)
				}
			}
			rows, err := conn.Query(ctx, "generate 10")
			if err != nil {
				t.Fatal(err)
			}
			ns, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != 10 || ns[9] != 9 {
				t.Fatalf("generate 10 = %v", ns)
			}
			if rows.CommandTag().String() != "SELECT 10" {
				t.Errorf("tag %q", rows.CommandTag())
			}
			tag, err := conn.Exec(ctx, "insert")
			if err != nil || tag.String() != "INSERT 0 2" {
				t.Fatalf("insert: %v %v", tag, err)
			}
		})
	}
}

// roundTrip lists values that must come back unchanged through parameters
// and results, in binary (pgx's preference) and text (Exec, simple).
var roundTrip = []struct {
	typ   string
	value any
	// scan receives the result; nil means a value of the same Go type.
	scan func() any
}{
	{"bool", true, nil},
	{"bool", false, nil},
	{"int2", int16(-32768), nil},
	{"int4", int32(2147483647), nil},
	{"int8", int64(-9223372036854775808), nil},
	{"float4", float32(1.5), nil},
	{"float4", float32(-3.4028235e38), nil},
	{"float8", math.Pi, nil},
	{"float8", 1e300, nil},
	{"float8", 1e-300, nil},
	{"text", "héllo, wörld", nil},
	{"varchar", "", nil},
	{"bpchar", "abc", nil},
	{"bytea", []byte{0, 1, 2, 0xfe, 0xff}, nil},
	{"bytea", []byte{}, nil},
	{"date", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), nil},
	{"date", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), nil},
	{"date", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), nil},
	{"timestamp", time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC), nil},
	{"timestamp", time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC), nil},
	{"timestamptz", time.Date(2024, 7, 1, 12, 0, 0, 1000, time.UTC), nil},
	{"interval", pgtype.Interval{Months: 14, Days: -3, Microseconds: 3723000004, Valid: true}, nil},
	{"interval", pgtype.Interval{Months: -1, Days: 0, Microseconds: -1, Valid: true}, nil},
}

var numericRoundTrip = []string{
	"0", "1", "-1", "12345.6789", "-0.000123", "1.50", "100000000", "0.00000001",
	"123456789012345678901234567890.123456789", "9999", "10000", "NaN", "Infinity", "-Infinity",
}

func TestValueRoundTrip(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			conn := connect(t, addr, mode)
			ctx := testCtx(t)
			for _, tc := range roundTrip {
				if mode == pgx.QueryExecModeSimpleProtocol || mode == pgx.QueryExecModeExec {
					if tc.typ == "bpchar" || tc.typ == "timestamp" && mode == pgx.QueryExecModeSimpleProtocol {
						// Without a description pgx sends these as text with
						// an OID the echo statement does not re-type.
					}
				}
				if mode == pgx.QueryExecModeSimpleProtocol {
					// The simple protocol inlines parameters into the SQL,
					// which the fake session does not parse.
					continue
				}
				got := newOf(tc.value)
				if err := conn.QueryRow(ctx, "echo "+tc.typ, tc.value).Scan(got); err != nil {
					t.Errorf("echo %s %v: %v", tc.typ, tc.value, err)
					continue
				}
				if g := deref(got); !equalValue(g, tc.value) {
					t.Errorf("echo %s: got %#v, want %#v", tc.typ, g, tc.value)
				}
			}
			if mode == pgx.QueryExecModeSimpleProtocol {
				return
			}
			for _, s := range numericRoundTrip {
				var in pgtype.Numeric
				if err := in.Scan(s); err != nil {
					t.Fatal(err)
				}
				var out pgtype.Numeric
				if err := conn.QueryRow(ctx, "echo numeric", in).Scan(&out); err != nil {
					t.Errorf("echo numeric %s: %v", s, err)
					continue
				}
				got, _ := out.Value()
				if got != s {
					t.Errorf("echo numeric %s: got %v", s, got)
				}
			}
			// NULLs of every type.
			var a, b, c any = 1, 2, 3
			if err := conn.QueryRow(ctx, "echo int4 text numeric", nil, nil, nil).Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			if a != nil || b != nil || c != nil {
				t.Errorf("NULLs came back as %v %v %v", a, b, c)
			}
		})
	}
}

func newOf(v any) any {
	switch v.(type) {
	case bool:
		return new(bool)
	case int16:
		return new(int16)
	case int32:
		return new(int32)
	case int64:
		return new(int64)
	case float32:
		return new(float32)
	case float64:
		return new(float64)
	case string:
		return new(string)
	case []byte:
		return new([]byte)
	case time.Time:
		return new(time.Time)
	case pgtype.Interval:
		return new(pgtype.Interval)
	}
	panic(fmt.Sprintf("no scan target for %T", v))
}

func deref(p any) any {
	switch p := p.(type) {
	case *bool:
		return *p
	case *int16:
		return *p
	case *int32:
		return *p
	case *int64:
		return *p
	case *float32:
		return *p
	case *float64:
		return *p
	case *string:
		return *p
	case *[]byte:
		return *p
	case *time.Time:
		return p.UTC()
	case *pgtype.Interval:
		return *p
	}
	panic(fmt.Sprintf("cannot deref %T", p))
}

func equalValue(a, b any) bool {
	switch a := a.(type) {
	case []byte:
		return bytes.Equal(a, b.([]byte))
	case time.Time:
		return a.Equal(b.(time.Time))
	}
	return a == b
}

func TestTextParametersAndResults(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	ctx := testCtx(t)
	// Text format by hand through pgconn: parameters and results as text.
	cases := []struct{ typ, in, out string }{
		{"int4", " 42 ", "42"},
		{"int8", "-9223372036854775808", "-9223372036854775808"},
		{"bool", "yes", "t"},
		{"float8", "1e3", "1000"},
		{"numeric", "1.5e3", "1500"},
		{"numeric", "-0.0", "0.0"},
		{"bytea", `\x00ff`, `\x00ff`},
		{"bytea", `a\\b\001`, `\x615c6201`},
		{"date", "2024-02-29", "2024-02-29"},
		{"date", "0001-01-01 BC", "0001-01-01 BC"},
		{"timestamp", "2024-01-02 03:04:05.1234567", "2024-01-02 03:04:05.123457"},
		{"timestamptz", "2024-01-02 03:04:05+02:30", "2024-01-02 00:34:05+00"},
		{"timestamptz", "2024-01-02T03:04:05Z", "2024-01-02 03:04:05+00"},
		{"interval", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5"},
		{"interval", "@ 1 hour ago", "-01:00:00"},
		{"interval", "P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06"},
		{"interval", "1.5 days", "1 day 12:00:00"},
		{"text", "plain", "plain"},
	}
	for _, tc := range cases {
		res := conn.PgConn().ExecParams(ctx, "echo "+tc.typ, [][]byte{[]byte(tc.in)}, nil, []int16{0}, []int16{0}).Read()
		if res.Err != nil {
			t.Errorf("%s %q: %v", tc.typ, tc.in, res.Err)
			continue
		}
		if got := string(res.Rows[0][0]); got != tc.out {
			t.Errorf("%s %q: got %q, want %q", tc.typ, tc.in, got, tc.out)
		}
	}
	bad := []struct{ typ, in, code string }{
		{"int4", "4x", string(pgerror.InvalidTextRepresentation)},
		{"int2", "99999", string(pgerror.NumericValueOutOfRange)},
		{"bool", "maybe", string(pgerror.InvalidTextRepresentation)},
		{"numeric", "1..2", string(pgerror.InvalidTextRepresentation)},
		{"date", "2023-02-29", string(pgerror.DatetimeFieldOverflow)},
		{"timestamp", "yesterday-ish", string(pgerror.InvalidDatetimeFormat)},
		{"interval", "3 fortnights", string(pgerror.InvalidDatetimeFormat)},
		{"text", "\xff", string(pgerror.CharacterNotInRepertoire)},
	}
	for _, tc := range bad {
		res := conn.PgConn().ExecParams(ctx, "echo "+tc.typ, [][]byte{[]byte(tc.in)}, nil, []int16{0}, nil).Read()
		var pgErr *pgconn.PgError
		if !errors.As(res.Err, &pgErr) || pgErr.Code != tc.code {
			t.Errorf("%s %q: got %v, want SQLSTATE %s", tc.typ, tc.in, res.Err, tc.code)
		}
	}
	// A binary parameter of the wrong length is a protocol violation.
	res := conn.PgConn().ExecParams(ctx, "echo int4", [][]byte{{1, 2}}, nil, []int16{1}, nil).Read()
	var pgErr *pgconn.PgError
	if !errors.As(res.Err, &pgErr) || pgErr.Code != string(pgerror.ProtocolViolation) {
		t.Errorf("short int4: %v", res.Err)
	}
	// The connection goes on after all these errors.
	var n int32
	if err := conn.QueryRow(ctx, "select 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("after errors: %d %v", n, err)
	}
}

func TestErrorsAndNotices(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	cfg, _ := pgx.ParseConfig(connString(addr, ""))
	var mu sync.Mutex
	var notices []*pgconn.Notice
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		notices = append(notices, n)
		mu.Unlock()
	}
	ctx := testCtx(t)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	for _, mode := range allModes {
		_, err := conn.Exec(ctx, "fail", mode)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) {
			t.Fatalf("%v: want PgError, got %v", mode, err)
		}
		if pgErr.Code != string(pgerror.DivisionByZero) || pgErr.Message != "division by zero" || pgErr.Detail != "the divisor was zero" ||
			pgErr.Hint != "do not divide by zero" || pgErr.Position != 3 || pgErr.Severity != "ERROR" {
			t.Errorf("%v: error %+v", mode, pgErr)
		}
		if _, err := conn.Exec(ctx, "bogus statement", mode); err == nil || !strings.Contains(err.Error(), string(pgerror.SyntaxError)) {
			t.Errorf("%v: bogus: %v", mode, err)
		}
	}
	// Simple query: an error stops the rest of the string.
	results, err := conn.PgConn().Exec(ctx, "select 1; fail; select 2").ReadAll()
	if err == nil || len(results) != 1 || !strings.Contains(err.Error(), string(pgerror.DivisionByZero)) {
		t.Errorf("multi-statement with error: %d results, %v", len(results), err)
	}
	results, err = conn.PgConn().Exec(ctx, "select 1; insert; select 2").ReadAll()
	if err != nil || len(results) != 3 || results[1].CommandTag.String() != "INSERT 0 2" || string(results[2].Rows[0][0]) != "2" {
		t.Errorf("multi-statement: %v %v", results, err)
	}
	// Empty query.
	results, err = conn.PgConn().Exec(ctx, " ; ").ReadAll()
	if err != nil || len(results) != 1 {
		t.Errorf("empty query: %v %v", results, err)
	}
	if _, err := conn.Exec(ctx, "notice"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notices) != 1 || notices[0].Message != `table "t" does not exist, skipping` || notices[0].Severity != "NOTICE" {
		t.Errorf("notices: %+v", notices)
	}
}

func TestTransactionStatus(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	ctx := testCtx(t)
	if _, err := conn.Exec(ctx, "begin"); err != nil {
		t.Fatal(err)
	}
	if s := conn.PgConn().TxStatus(); s != 'T' {
		t.Errorf("TxStatus after begin = %c", s)
	}
	if _, err := conn.Exec(ctx, "commit"); err != nil {
		t.Fatal(err)
	}
	if s := conn.PgConn().TxStatus(); s != 'I' {
		t.Errorf("TxStatus after commit = %c", s)
	}
}

func TestNamedStatements(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	ctx := testCtx(t)
	pg := conn.PgConn()
	sd, err := pg.Prepare(ctx, "s1", "echo int8 text", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.ParamOIDs) != 2 || sd.ParamOIDs[0] != 20 || sd.ParamOIDs[1] != 25 || len(sd.Fields) != 2 {
		t.Errorf("description: %+v", sd)
	}
	_, err = pg.Prepare(ctx, "s1", "select 1", nil)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.DuplicatePstatement) {
		t.Errorf("duplicate prepare: %v", err)
	}
	res := pg.ExecPrepared(ctx, "s1", [][]byte{[]byte("5"), []byte("x")}, nil, nil).Read()
	if res.Err != nil || string(res.Rows[0][0]) != "5" || string(res.Rows[0][1]) != "x" {
		t.Errorf("exec prepared: %+v", res)
	}
	if err := pg.Deallocate(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	res = pg.ExecPrepared(ctx, "s1", nil, nil, nil).Read()
	if !errors.As(res.Err, &pgErr) || pgErr.Code != string(pgerror.InvalidSQLStatementName) {
		t.Errorf("exec closed statement: %v", res.Err)
	}
	// Declared parameter types win over the statement's.
	sd, err = pg.Prepare(ctx, "s2", "echo text", []uint32{23})
	if err != nil || sd.ParamOIDs[0] != 23 {
		t.Errorf("declared types: %+v %v", sd, err)
	}
}

// rawConn is a hand-driven protocol client for what drivers do not expose.
type rawConn struct {
	t  testing.TB
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialRaw(t testing.TB, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
}

func (r *rawConn) startup() *pgproto3.BackendKeyData {
	r.t.Helper()
	r.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "eddy"}})
	var key *pgproto3.BackendKeyData
	for {
		msg := r.receive()
		switch m := msg.(type) {
		case *pgproto3.BackendKeyData:
			key = &pgproto3.BackendKeyData{ProcessID: m.ProcessID, SecretKey: append([]byte{}, m.SecretKey...)}
		case *pgproto3.ReadyForQuery:
			return key
		case *pgproto3.ErrorResponse:
			r.t.Fatalf("startup failed: %+v", m)
		}
	}
}

func (r *rawConn) send(msgs ...pgproto3.FrontendMessage) {
	r.t.Helper()
	for _, m := range msgs {
		r.fe.Send(m)
	}
	if err := r.fe.Flush(); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawConn) receive() pgproto3.BackendMessage {
	r.t.Helper()
	msg, err := r.fe.Receive()
	if err != nil {
		r.t.Fatalf("receive: %v", err)
	}
	return msg
}

// expect receives messages and checks their types, returning them.
func (r *rawConn) expect(kinds ...string) []pgproto3.BackendMessage {
	r.t.Helper()
	var out []pgproto3.BackendMessage
	for _, want := range kinds {
		msg := r.receive()
		if got := fmt.Sprintf("%T", msg)[len("*pgproto3."):]; got != want {
			r.t.Fatalf("got %s %+v, want %s", got, msg, want)
		}
		out = append(out, msg)
	}
	return out
}

func TestPortalSuspended(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	r := dialRaw(t, addr)
	r.startup()
	r.send(
		&pgproto3.Parse{Query: "generate 10"},
		&pgproto3.Bind{ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'P'},
		&pgproto3.Execute{MaxRows: 4},
		&pgproto3.Flush{},
	)
	msgs := r.expect("ParseComplete", "BindComplete", "RowDescription", "DataRow", "DataRow", "DataRow", "DataRow", "PortalSuspended")
	rd := msgs[2].(*pgproto3.RowDescription)
	if f := rd.Fields[0]; f.Format != 1 || f.DataTypeOID != 20 || f.TableOID != 16384 || f.TableAttributeNumber != 1 {
		t.Errorf("row description %+v", f)
	}
	if v := msgs[6].(*pgproto3.DataRow).Values[0]; binary.BigEndian.Uint64(v) != 3 {
		t.Errorf("row 4 = %x", v)
	}
	r.send(&pgproto3.Execute{MaxRows: 4}, &pgproto3.Flush{})
	r.expect("DataRow", "DataRow", "DataRow", "DataRow", "PortalSuspended")
	r.send(&pgproto3.Execute{MaxRows: 4}, &pgproto3.Sync{})
	msgs = r.expect("DataRow", "DataRow", "CommandComplete", "ReadyForQuery")
	if tag := string(msgs[2].(*pgproto3.CommandComplete).CommandTag); tag != "SELECT 2" {
		t.Errorf("tag %q", tag)
	}
	// The portal died at Sync.
	r.send(&pgproto3.Execute{}, &pgproto3.Sync{})
	msgs = r.expect("ErrorResponse", "ReadyForQuery")
	if e := msgs[0].(*pgproto3.ErrorResponse); e.Code != string(pgerror.InvalidCursorName) {
		t.Errorf("execute after sync: %+v", e)
	}
	// After an error, everything up to Sync is skipped.
	r.send(
		&pgproto3.Parse{Query: "fail"},
		&pgproto3.Bind{},
		&pgproto3.Execute{},
		&pgproto3.Parse{Query: "select 1"},
		&pgproto3.Bind{},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	msgs = r.expect("ParseComplete", "BindComplete", "ErrorResponse", "ReadyForQuery")
	if e := msgs[2].(*pgproto3.ErrorResponse); e.Code != string(pgerror.DivisionByZero) {
		t.Errorf("error %+v", e)
	}
	// Describe of a statement, and a closed portal.
	r.send(
		&pgproto3.Parse{Name: "st", Query: "echo int4 unknown", ParameterOIDs: []uint32{0, 0}},
		&pgproto3.Describe{ObjectType: 'S', Name: "st"},
		&pgproto3.Flush{},
	)
	msgs = r.expect("ParseComplete", "ParameterDescription")
	// Received messages are reused by the Frontend: check before reading on.
	if oids := msgs[1].(*pgproto3.ParameterDescription).ParameterOIDs; len(oids) != 2 || oids[0] != 23 || oids[1] != 25 {
		t.Errorf("parameter description %v", oids)
	}
	r.send(
		&pgproto3.Parse{Name: "ins", Query: "insert"},
		&pgproto3.Describe{ObjectType: 'S', Name: "ins"},
		&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "ins"},
		&pgproto3.Describe{ObjectType: 'P', Name: "p"},
		&pgproto3.Close{ObjectType: 'P', Name: "p"},
		&pgproto3.Close{ObjectType: 'S', Name: "st"},
		&pgproto3.Close{ObjectType: 'S', Name: "nonexistent"},
		&pgproto3.Sync{},
	)
	r.expect("RowDescription", "ParseComplete", "ParameterDescription", "NoData",
		"BindComplete", "NoData", "CloseComplete", "CloseComplete", "CloseComplete", "ReadyForQuery")
	// Bind errors.
	r.send(&pgproto3.Bind{PreparedStatement: "ins", Parameters: [][]byte{[]byte("1")}}, &pgproto3.Sync{})
	msgs = r.expect("ErrorResponse", "ReadyForQuery")
	if e := msgs[0].(*pgproto3.ErrorResponse); e.Code != string(pgerror.ProtocolViolation) || e.Severity != "ERROR" {
		t.Errorf("bind with extra parameter: %+v", e)
	}
	r.send(&pgproto3.Parse{Name: "e", Query: "echo int4"}, &pgproto3.Bind{PreparedStatement: "e", Parameters: [][]byte{nil}, ResultFormatCodes: []int16{0, 1}}, &pgproto3.Sync{})
	msgs = r.expect("ParseComplete", "ErrorResponse", "ReadyForQuery")
	if e := msgs[1].(*pgproto3.ErrorResponse); e.Code != string(pgerror.ProtocolViolation) {
		t.Errorf("bind with too many result formats: %+v", e)
	}
	r.send(&pgproto3.Terminate{})
	if _, err := r.fe.Receive(); err == nil {
		t.Error("connection still open after Terminate")
	}
}

func TestCancelRequest(t *testing.T) {
	_, backend, addr := startServer(t, Config{})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	ctx := testCtx(t)
	errc := make(chan error, 1)
	go func() {
		_, err := conn.Exec(ctx, "sleep")
		errc <- err
	}()
	// A cancel request with the wrong key is ignored.
	bogus := dialRaw(t, addr)
	var buf []byte
	buf, _ = (&pgproto3.CancelRequest{ProcessID: conn.PgConn().PID(), SecretKey: []byte{1, 2, 3, 4}}).Encode(buf)
	bogus.nc.Write(buf)
	select {
	case err := <-errc:
		t.Fatalf("sleep ended early: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := conn.PgConn().CancelRequest(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.QueryCanceled) || pgErr.Message != "canceling statement due to user request" {
			t.Fatalf("cancelled sleep: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel request did not cancel")
	}
	<-backend.sleepCanceled
	var n int32
	if err := conn.QueryRow(ctx, "select 3").Scan(&n); err != nil || n != 3 {
		t.Fatalf("after cancel: %v", err)
	}
}

func TestClientVanishesMidQuery(t *testing.T) {
	_, backend, addr := startServer(t, Config{})
	r := dialRaw(t, addr)
	r.startup()
	r.send(&pgproto3.Query{String: "sleep"})
	r.expect("RowDescription")
	r.nc.Close()
	select {
	case <-backend.sleepCanceled:
	case <-time.After(10 * time.Second):
		t.Fatal("statement of a vanished client was not cancelled")
	}
	waitFor(t, func() bool { closed, total := backend.closedSessions(); return closed == total })
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGarbage(t *testing.T) {
	_, _, addr := startServer(t, Config{MaxMessageSize: 1 << 20})
	cases := []struct {
		name     string
		startup  bool
		bytes    []byte
		wantCode string
	}{
		{"http at startup", false, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), string(pgerror.ProtocolViolation)},
		{"protocol 2", false, []byte{0, 0, 0, 9, 0, 2, 0, 0, 0}, string(pgerror.ProtocolViolation)},
		{"unterminated startup", false, []byte{0, 0, 0, 12, 0, 3, 0, 0, 'u', 's', 'e', 'r'}, string(pgerror.ProtocolViolation)},
		{"unknown message type", true, []byte{'Z', 0, 0, 0, 4}, string(pgerror.ProtocolViolation)},
		{"oversized message", true, []byte{'Q', 0x40, 0, 0, 0}, string(pgerror.ProtocolViolation)},
		{"short length", true, []byte{'Q', 0, 0, 0, 1}, string(pgerror.ProtocolViolation)},
		{"malformed bind", true, []byte{'B', 0, 0, 0, 6, 'x', 'y'}, string(pgerror.ProtocolViolation)},
		{"password after startup", true, []byte{'p', 0, 0, 0, 5, 0}, string(pgerror.ProtocolViolation)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := dialRaw(t, addr)
			if tc.startup {
				r.startup()
			}
			r.nc.Write(tc.bytes)
			msg := r.receive()
			e, ok := msg.(*pgproto3.ErrorResponse)
			if !ok || e.Code != tc.wantCode || e.Severity != "FATAL" {
				t.Fatalf("got %+v, want FATAL %s", msg, tc.wantCode)
			}
			if _, err := r.fe.Receive(); !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				t.Fatalf("connection not closed: %v", err)
			}
		})
	}
	// The server still serves others.
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	var n int32
	if err := conn.QueryRow(testCtx(t), "select 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
}

func TestSSLRequestDeclined(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	cfg, err := pgx.ParseConfig(strings.Replace(connString(addr, ""), "sslmode=disable", "sslmode=prefer", 1))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int32
	if err := conn.QueryRow(testCtx(t), "select 5").Scan(&n); err != nil || n != 5 {
		t.Fatal(err)
	}
}

func TestProtocol32(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	for _, version := range []string{"3.2", "latest"} {
		cfg, err := pgx.ParseConfig(connString(addr, "max_protocol_version="+version))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.ConnectConfig(testCtx(t), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(conn.PgConn().SecretKey()) != 32 {
			t.Errorf("3.2 secret key of %d bytes", len(conn.PgConn().SecretKey()))
		}
		conn.Close(context.Background())
	}
	// An unsupported minor version and _pq_ options are negotiated down.
	r := dialRaw(t, addr)
	r.send(&pgproto3.StartupMessage{ProtocolVersion: 3<<16 | 7, Parameters: map[string]string{"user": "eddy", "_pq_.fancy": "1"}})
	m := r.expect("NegotiateProtocolVersion")[0].(*pgproto3.NegotiateProtocolVersion)
	if m.NewestMinorProtocol != 2 || len(m.UnrecognizedOptions) != 1 {
		t.Errorf("negotiation %+v", m)
	}
}

func TestPanicInSession(t *testing.T) {
	_, backend, addr := startServer(t, Config{Logger: slog.New(slog.DiscardHandler)})
	conn := connect(t, addr, pgx.QueryExecModeCacheStatement)
	_, err := conn.Exec(testCtx(t), "panic")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.InternalError) || pgErr.Severity != "FATAL" {
		t.Fatalf("panic: %v", err)
	}
	other := connect(t, addr, pgx.QueryExecModeCacheStatement)
	if _, err := other.Exec(testCtx(t), "insert"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { closed, _ := backend.closedSessions(); return closed == 1 })
}

func TestMaxConnections(t *testing.T) {
	_, _, addr := startServer(t, Config{MaxConnections: 2})
	connect(t, addr, pgx.QueryExecModeCacheStatement)
	c2 := connect(t, addr, pgx.QueryExecModeCacheStatement)
	_, err := pgx.Connect(testCtx(t), connString(addr, ""))
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.TooManyConnections) {
		t.Fatalf("third connection: %v", err)
	}
	c2.Close(context.Background())
	waitFor(t, func() bool {
		c, err := pgx.Connect(testCtx(t), connString(addr, ""))
		if err == nil {
			c.Close(context.Background())
		}
		return err == nil
	})
}

func TestNewSessionError(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	_, err := pgx.Connect(testCtx(t), strings.Replace(connString(addr, ""), "user=eddy", "user=reject", 1))
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.InvalidAuthorizationSpecification) || pgErr.Severity != "FATAL" {
		t.Fatalf("rejected login: %v", err)
	}
}

func TestConcurrentConnections(t *testing.T) {
	_, backend, addr := startServer(t, Config{})
	const clients = 50
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := testCtx(t)
			conn, err := pgx.Connect(ctx, connString(addr, ""))
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close(ctx)
			for j := range 20 {
				var n int64
				var s string
				if err := conn.QueryRow(ctx, "echo int8 text", int64(i*100+j), fmt.Sprint(i)).Scan(&n, &s); err != nil {
					errc <- err
					return
				}
				if n != int64(i*100+j) || s != fmt.Sprint(i) {
					errc <- fmt.Errorf("client %d got %d %q", i, n, s)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	waitFor(t, func() bool { closed, total := backend.closedSessions(); return closed == total && total == clients })
}

func TestGracefulShutdown(t *testing.T) {
	backend := newFakeBackend()
	srv := NewServer(Config{Logger: testLogger(t)}, backend)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	waitFor(t, func() bool { return srv.Addr() != nil })
	idle := dialRaw(t, ln.Addr().String())
	idle.startup()
	busy := dialRaw(t, ln.Addr().String())
	busy.startup()
	busy.send(&pgproto3.Query{String: "sleep"})
	busy.expect("RowDescription")

	srv.Close()
	for _, r := range []*rawConn{idle, busy} {
		e, ok := r.receive().(*pgproto3.ErrorResponse)
		if !ok || e.Code != string(pgerror.AdminShutdown) || e.Severity != "FATAL" {
			t.Errorf("shutdown: %+v", e)
		}
	}
	if closed, total := backend.closedSessions(); closed != total || total != 2 {
		t.Errorf("%d of %d sessions closed", closed, total)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting after Close")
	}
}

func TestListenAndServe(t *testing.T) {
	srv := NewServer(Config{Listen: "127.0.0.1:0", Logger: testLogger(t)}, newFakeBackend())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx) }()
	waitFor(t, func() bool { return srv.Addr() != nil })
	conn := connect(t, srv.Addr().String(), pgx.QueryExecModeCacheStatement)
	if _, err := conn.Exec(testCtx(t), "insert"); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != ErrServerClosed {
		t.Fatalf("ListenAndServe: %v", err)
	}
}
