package tests

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
)

// rawConn is a TCP connection driven message by message with pgproto3.
type rawConn struct {
	net.Conn
	fe *pgproto3.Frontend
}

func dialRaw(t *testing.T, s *harness.Server) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", s.Host(), s.Port()), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawConn{Conn: c, fe: pgproto3.NewFrontend(c, c)}
}

// startup sends a StartupMessage for eddy/eddy and reads up to ReadyForQuery.
func (r *rawConn) startup(t *testing.T) {
	t.Helper()
	r.fe.Send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "eddy", "database": "eddy"},
	})
	if err := r.fe.Flush(); err != nil {
		t.Fatal(err)
	}
	r.readUntilReady(t)
}

// readUntilReady returns every message up to and including ReadyForQuery.
func (r *rawConn) readUntilReady(t *testing.T) []pgproto3.BackendMessage {
	t.Helper()
	var msgs []pgproto3.BackendMessage
	for {
		msg, err := r.fe.Receive()
		if err != nil {
			t.Fatalf("reading from the server: %v (after %s)", err, describeMessages(msgs))
		}
		msgs = append(msgs, copyMessage(msg))
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return msgs
		}
	}
}

// copyMessage detaches the fields that pgproto3 reuses between Receive calls.
func copyMessage(msg pgproto3.BackendMessage) pgproto3.BackendMessage {
	switch m := msg.(type) {
	case *pgproto3.DataRow:
		values := make([][]byte, len(m.Values))
		for i, v := range m.Values {
			if v != nil {
				values[i] = append([]byte{}, v...)
			}
		}
		return &pgproto3.DataRow{Values: values}
	case *pgproto3.ErrorResponse:
		c := *m
		return &c
	case *pgproto3.CommandComplete:
		return &pgproto3.CommandComplete{CommandTag: append([]byte{}, m.CommandTag...)}
	case *pgproto3.RowDescription:
		fields := append([]pgproto3.FieldDescription{}, m.Fields...)
		return &pgproto3.RowDescription{Fields: fields}
	}
	return msg
}

func describeMessages(msgs []pgproto3.BackendMessage) string {
	var names []string
	for _, m := range msgs {
		name := fmt.Sprintf("%T", m)
		name = strings.TrimPrefix(name, "*pgproto3.")
		if e, ok := m.(*pgproto3.ErrorResponse); ok {
			name += fmt.Sprintf("(%s %s)", e.Code, e.Message)
		}
		names = append(names, name)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// expectRejected reads what the server does after a protocol violation: it
// must close the connection, possibly after an ErrorResponse with SQLSTATE
// 08P01 (or one of codes), and must not leave it hanging.
func expectRejected(t *testing.T, c net.Conn, codes ...string) {
	t.Helper()
	codes = append(codes, string(pgerror.ProtocolViolation))
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	fe := pgproto3.NewFrontend(c, c)
	for {
		msg, err := fe.Receive()
		if err != nil {
			var netErr net.Error
			if errors.As(err, &netErr) && netErr.Timeout() {
				t.Fatal("the server neither closed the connection nor answered within 10s")
			}
			return // closed (EOF, reset, or a truncated message)
		}
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			if !slices.Contains(codes, m.Code) {
				t.Errorf("ErrorResponse %s %q, want SQLSTATE %s", m.Code, m.Message, strings.Join(codes, " or "))
			}
		case *pgproto3.NoticeResponse, *pgproto3.ParameterStatus:
		default:
			t.Fatalf("unexpected %T after a protocol violation", msg)
		}
	}
}

// checkHealthy fails unless conn (opened before the trouble) and a new
// connection both still answer queries.
func checkHealthy(t *testing.T, s *harness.Server, conn *pgx.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for i, c := range []*pgx.Conn{conn, s.Conn(t)} {
		var n int
		if err := c.QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
			t.Fatalf("session %d after the trouble: %d, %v", i, n, err)
		}
	}
}

func TestProtocolGarbage(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	bystander := s.Conn(t)

	t.Run("http request instead of startup", func(t *testing.T) {
		r := dialRaw(t, s)
		if _, err := r.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		expectRejected(t, r)
	})
	t.Run("startup length too short", func(t *testing.T) {
		r := dialRaw(t, s)
		if _, err := r.Write([]byte{0, 0, 0, 2, 0xff, 0xff}); err != nil {
			t.Fatal(err)
		}
		expectRejected(t, r)
	})
	t.Run("unknown protocol version", func(t *testing.T) {
		r := dialRaw(t, s)
		msg := []byte{0, 0, 0, 8, 0, 9, 0, 0} // version 9.0
		if _, err := r.Write(msg); err != nil {
			t.Fatal(err)
		}
		expectRejected(t, r, string(pgerror.FeatureNotSupported)) // PostgreSQL: feature_not_supported
	})
	t.Run("unknown message type", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		if _, err := r.Write([]byte{'!', 0, 0, 0, 4}); err != nil {
			t.Fatal(err)
		}
		expectRejected(t, r)
	})
	t.Run("message length below 4", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		if _, err := r.Write([]byte{'Q', 0, 0, 0, 2, 'x', 0}); err != nil {
			t.Fatal(err)
		}
		expectRejected(t, r)
	})
	t.Run("query without terminator", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		// A Query whose string lacks its NUL terminator: an error or a
		// close is fine, a crash or a hang is not.
		body := []byte("SELECT 1")
		msg := append([]byte{'Q'}, binary.BigEndian.AppendUint32(nil, uint32(4+len(body)))...)
		if _, err := r.Write(append(msg, body...)); err != nil {
			t.Fatal(err)
		}
		_ = r.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			msg, err := r.fe.Receive()
			if err != nil {
				var netErr net.Error
				if errors.As(err, &netErr) && netErr.Timeout() {
					t.Fatal("no answer and no close within 10s")
				}
				break
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
	})
	t.Run("random bytes", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		junk := make([]byte, 4096)
		for i := range junk {
			junk[i] = byte(i*7919 + 13)
		}
		_, _ = r.Write(junk) // the server may close before reading it all
		_ = r.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, r); err != nil {
			var netErr net.Error
			if errors.As(err, &netErr) && netErr.Timeout() {
				t.Fatal("the server kept a connection sending garbage open for 10s")
			}
		}
	})
	checkHealthy(t, s, bystander)
}

func TestProtocolClientVanishes(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	bystander := s.Conn(t)
	ctx := context.Background()
	// Plain multi-row INSERTs, so the test needs no generate_series.
	stmts := []string{"CREATE TABLE vanish (k int PRIMARY KEY, v text)"}
	filler := strings.Repeat("x", 100)
	for batch := 0; batch < 20; batch++ {
		rows := make([]string, 100)
		for i := range rows {
			rows[i] = fmt.Sprintf("(%d, '%s')", batch*100+i+1, filler)
		}
		stmts = append(stmts, "INSERT INTO vanish VALUES "+strings.Join(rows, ", "))
	}
	for _, stmt := range stmts {
		if _, err := bystander.Exec(ctx, stmt); err != nil {
			t.Fatalf("%.80s: %v", stmt, err)
		}
	}

	t.Run("mid query", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			r := dialRaw(t, s)
			r.startup(t)
			r.fe.Send(&pgproto3.Query{String: "SELECT * FROM vanish ORDER BY k"})
			_ = r.fe.Flush()
			r.Close()
		}
	})
	t.Run("mid extended protocol", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		r.fe.Send(&pgproto3.Parse{Name: "p", Query: "SELECT * FROM vanish WHERE k > $1"})
		r.fe.Send(&pgproto3.Bind{PreparedStatement: "p", Parameters: [][]byte{[]byte("10")}})
		_ = r.fe.Flush() // no Sync: the server is mid-batch when we go
		r.Close()
	})
	t.Run("mid message", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		_, _ = r.Write([]byte{'Q', 0, 0, 0, 100, 'S', 'E', 'L'})
		r.Close()
	})
	t.Run("mid startup", func(t *testing.T) {
		r := dialRaw(t, s)
		_, _ = r.Write([]byte{0, 0, 0, 40, 0, 3, 0, 0, 'u', 's'})
		r.Close()
	})
	t.Run("after reading a few rows", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		r.fe.Send(&pgproto3.Query{String: "SELECT a.k, b.k FROM vanish a, vanish b"})
		_ = r.fe.Flush()
		for i := 0; i < 3; i++ {
			if _, err := r.fe.Receive(); err != nil {
				break
			}
		}
		r.Close()
	})
	checkHealthy(t, s, bystander)
	var n int
	if err := bystander.QueryRow(ctx, "SELECT count(*) FROM vanish").Scan(&n); err != nil || n != 2000 {
		t.Fatalf("count after vanishing clients: %d, %v", n, err)
	}
}

func TestProtocolSSLRequest(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})

	r := dialRaw(t, s)
	r.fe.Send(&pgproto3.SSLRequest{})
	if err := r.fe.Flush(); err != nil {
		t.Fatal(err)
	}
	answer := make([]byte, 1)
	if _, err := io.ReadFull(r, answer); err != nil {
		t.Fatalf("reading the answer to SSLRequest: %v", err)
	}
	if answer[0] != 'N' {
		t.Fatalf("SSLRequest answered %q, want 'N'", answer[0])
	}
	// The same socket goes on in plain text.
	r.fe = pgproto3.NewFrontend(r, r)
	r.startup(t)
	r.fe.Send(&pgproto3.Query{String: "SELECT 1"})
	_ = r.fe.Flush()
	msgs := r.readUntilReady(t)
	found := false
	for _, m := range msgs {
		if d, ok := m.(*pgproto3.DataRow); ok && len(d.Values) == 1 && string(d.Values[0]) == "1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("SELECT 1 after SSLRequest: %s", describeMessages(msgs))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// sslmode=prefer falls back to plain text; sslmode=require must fail
	// cleanly rather than hang.
	prefer := strings.Replace(s.DSN(), "sslmode=disable", "sslmode=prefer", 1)
	conn, err := pgx.Connect(ctx, prefer)
	if err != nil {
		t.Fatalf("sslmode=prefer: %v", err)
	}
	conn.Close(ctx)
	require := strings.Replace(s.DSN(), "sslmode=disable", "sslmode=require", 1)
	if conn, err := pgx.Connect(ctx, require); err == nil {
		conn.Close(ctx)
		t.Fatal("sslmode=require connected, but the server should not offer TLS")
	}
}

func TestProtocolExtended(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	conn := s.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := conn.Exec(ctx, `CREATE TABLE ext (id int PRIMARY KEY, b boolean, i8 bigint, f8 double precision,
		n numeric, s text, ts timestamptz, d date)`); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	day := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	modes := []pgx.QueryExecMode{
		pgx.QueryExecModeCacheStatement,
		pgx.QueryExecModeCacheDescribe,
		pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeExec,
		pgx.QueryExecModeSimpleProtocol,
	}
	for i, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			id := i + 1
			text := fmt.Sprintf("row %d: it's \"quoted\" \\ and ünïcode", id)
			var num pgtype.Numeric
			if err := num.Scan("12345.678"); err != nil {
				t.Fatal(err)
			}
			tag, err := conn.Exec(ctx, "INSERT INTO ext VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", mode,
				id, id%2 == 0, int64(1)<<40+int64(id), 0.25*float64(id), num, text, ts, day)
			if err != nil {
				t.Fatalf("INSERT: %v", err)
			}
			if tag.String() != "INSERT 0 1" {
				t.Errorf("command tag %q", tag)
			}
			var (
				gotB   bool
				gotI8  int64
				gotF8  float64
				gotN   pgtype.Numeric
				gotS   string
				gotTS  time.Time
				gotD   time.Time
				gotNil *string
			)
			err = conn.QueryRow(ctx, "SELECT b, i8, f8, n, s, ts, d, NULL::text FROM ext WHERE id = $1", mode, id).
				Scan(&gotB, &gotI8, &gotF8, &gotN, &gotS, &gotTS, &gotD, &gotNil)
			if err != nil {
				t.Fatalf("SELECT: %v", err)
			}
			f, _ := gotN.Float64Value()
			if gotB != (id%2 == 0) || gotI8 != int64(1)<<40+int64(id) || gotF8 != 0.25*float64(id) ||
				f.Float64 != 12345.678 || gotS != text || !gotTS.Equal(ts) || !gotD.Equal(day) || gotNil != nil {
				t.Errorf("round trip: %v %v %v %v %q %v %v %v", gotB, gotI8, gotF8, f.Float64, gotS, gotTS, gotD, gotNil)
			}
		})
	}

	t.Run("named prepared statement", func(t *testing.T) {
		if _, err := conn.Prepare(ctx, "ext_by_id", "SELECT id, s FROM ext WHERE id >= $1 ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 3; round++ {
			rows, err := conn.Query(ctx, "ext_by_id", 2)
			if err != nil {
				t.Fatal(err)
			}
			ids, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (int, error) {
				var id int
				var s string
				return id, row.Scan(&id, &s)
			})
			if err != nil || len(ids) != len(modes)-1 || ids[0] != 2 {
				t.Fatalf("round %d: %v %v", round, ids, err)
			}
		}
		if err := conn.Deallocate(ctx, "ext_by_id"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("portal suspended and resumed", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		r.fe.Send(&pgproto3.Parse{Name: "s1", Query: "SELECT id FROM ext WHERE id > $1 ORDER BY id", ParameterOIDs: []uint32{23}})
		r.fe.Send(&pgproto3.Bind{DestinationPortal: "p1", PreparedStatement: "s1",
			ParameterFormatCodes: []int16{1}, Parameters: [][]byte{binary.BigEndian.AppendUint32(nil, 0)},
			ResultFormatCodes: []int16{1}})
		r.fe.Send(&pgproto3.Describe{ObjectType: 'P', Name: "p1"})
		r.fe.Send(&pgproto3.Execute{Portal: "p1", MaxRows: 2})
		r.fe.Send(&pgproto3.Execute{Portal: "p1"})
		r.fe.Send(&pgproto3.Close{ObjectType: 'P', Name: "p1"})
		r.fe.Send(&pgproto3.Sync{})
		if err := r.fe.Flush(); err != nil {
			t.Fatal(err)
		}
		msgs := r.readUntilReady(t)
		var seq []string
		var ids []uint32
		for _, m := range msgs {
			switch m := m.(type) {
			case *pgproto3.DataRow:
				if len(m.Values) != 1 || len(m.Values[0]) != 4 {
					t.Fatalf("binary int4 expected, got %v", m.Values)
				}
				ids = append(ids, binary.BigEndian.Uint32(m.Values[0]))
				if len(seq) == 0 || seq[len(seq)-1] != "DataRow" {
					seq = append(seq, "DataRow")
				}
			case *pgproto3.ErrorResponse:
				t.Fatalf("error: %s %s", m.Code, m.Message)
			default:
				seq = append(seq, strings.TrimPrefix(fmt.Sprintf("%T", m), "*pgproto3."))
			}
		}
		want := "ParseComplete BindComplete RowDescription DataRow PortalSuspended DataRow CommandComplete CloseComplete ReadyForQuery"
		if got := strings.Join(seq, " "); got != want {
			t.Errorf("messages: %s\nwant:     %s", got, want)
		}
		if fmt.Sprint(ids) != "[1 2 3 4 5]" {
			t.Errorf("ids %v", ids)
		}
	})

	t.Run("unnamed statement and error recovery", func(t *testing.T) {
		r := dialRaw(t, s)
		r.startup(t)
		// An error skips everything up to Sync; the session goes on.
		r.fe.Send(&pgproto3.Parse{Query: "SELEC oops"})
		r.fe.Send(&pgproto3.Bind{})
		r.fe.Send(&pgproto3.Execute{})
		r.fe.Send(&pgproto3.Sync{})
		_ = r.fe.Flush()
		msgs := r.readUntilReady(t)
		if len(msgs) != 2 {
			t.Fatalf("after a bad Parse: %s, want [ErrorResponse ReadyForQuery]", describeMessages(msgs))
		}
		if e, ok := msgs[0].(*pgproto3.ErrorResponse); !ok || e.Code != string(pgerror.SyntaxError) {
			t.Fatalf("after a bad Parse: %s, want ErrorResponse 42601", describeMessages(msgs))
		}
		r.fe.Send(&pgproto3.Parse{Query: "SELECT $1::int + 1"})
		r.fe.Send(&pgproto3.Bind{Parameters: [][]byte{[]byte("41")}})
		r.fe.Send(&pgproto3.Execute{})
		r.fe.Send(&pgproto3.Sync{})
		_ = r.fe.Flush()
		msgs = r.readUntilReady(t)
		ok := false
		for _, m := range msgs {
			if d, isRow := m.(*pgproto3.DataRow); isRow && string(d.Values[0]) == "42" {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("unnamed statement: %s", describeMessages(msgs))
		}
	})
}

func TestProtocolCancel(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	conn := s.Conn(t)

	// A query long enough to be cancelled if the server has
	// generate_series; if it does not, the query fails fast, which is fine:
	// what matters is that cancelling breaks nothing.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	var n int64
	err := conn.QueryRow(ctx, "SELECT count(*) FROM generate_series(1, 1000000000)").Scan(&n)
	cancel()
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		t.Logf("the long query finished before it was cancelled (%d)", n)
	case errors.As(err, &pgErr):
		t.Logf("the long query ended with %s %s", pgErr.Code, pgErr.Message)
	default:
		t.Logf("the long query ended with %v", err)
	}
	if conn.IsClosed() {
		conn = s.Conn(t)
	}

	// A CancelRequest with a key nobody holds must be ignored.
	r := dialRaw(t, s)
	r.fe.Send(&pgproto3.CancelRequest{ProcessID: 12345, SecretKey: []byte{1, 2, 3, 4}})
	_ = r.fe.Flush()
	_ = r.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, r); err != nil {
		var netErr net.Error
		if errors.As(err, &netErr) && netErr.Timeout() {
			t.Error("the server did not close the connection of a CancelRequest")
		}
	}
	checkHealthy(t, s, conn)
}

func TestProtocolConcurrentSessions(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	setup := s.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := setup.Exec(ctx, "CREATE TABLE conc (k int PRIMARY KEY, worker int, note text)"); err != nil {
		t.Fatal(err)
	}
	const workers, perWorker = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			conn, err := pgx.Connect(ctx, s.DSN())
			if err != nil {
				errs <- fmt.Errorf("worker %d: connect: %w", w, err)
				return
			}
			defer conn.Close(context.Background())
			for i := 0; i < perWorker; i++ {
				if _, err := conn.Exec(ctx, "INSERT INTO conc VALUES ($1, $2, $3)", w*1000+i, w, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- fmt.Errorf("worker %d: insert %d: %w", w, i, err)
					return
				}
				var n int
				if err := conn.QueryRow(ctx, "SELECT count(*) FROM conc WHERE worker = $1", w).Scan(&n); err != nil {
					errs <- fmt.Errorf("worker %d: select: %w", w, err)
					return
				}
				if n != i+1 {
					errs <- fmt.Errorf("worker %d: sees %d of its rows after inserting %d", w, n, i+1)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var total, distinct int
	if err := setup.QueryRow(ctx, "SELECT count(*), count(DISTINCT worker) FROM conc").Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	if total != workers*perWorker || distinct != workers {
		t.Fatalf("total %d rows from %d workers, want %d from %d", total, distinct, workers*perWorker, workers)
	}
}
