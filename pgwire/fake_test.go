package pgwire

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// fakeBackend answers a handful of canned statements, enough to drive every
// path of the protocol:
//
//	select N          one int4 row N
//	generate N        N int8 rows 0..N-1 in chunks of 3, no tag
//	echo T1 T2 …      parameters $1.. of the named types, returned as a row
//	insert            no rows, tag INSERT 0 2
//	notice            raises a notice, tag DO
//	begin / commit    explicit transaction block
//	set K = V         changes a reported parameter
//	fail              a pgerror with detail, hint and position
//	sleep             blocks until its context is cancelled
//	panic             panics
//	copyin N [binary] COPY FROM STDIN of N columns (see copy_test.go)
//	copyout N         COPY TO STDOUT of N rows
type fakeBackend struct {
	mu       sync.Mutex
	sessions []*fakeSession
	// sleepCanceled receives once per sleep that ended by cancellation.
	sleepCanceled chan error
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{sleepCanceled: make(chan error, 100)}
}

func (b *fakeBackend) NewSession(ctx context.Context, params map[string]string, _ Client) (Session, error) {
	if params["user"] == "reject" {
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q is not permitted to log in", params["user"])
	}
	s := &fakeSession{backend: b, tx: 'I', params: map[string]string{
		"server_version":   "15.0 (Eddy)",
		"application_name": params["application_name"],
		"TimeZone":         "UTC",
	}}
	b.mu.Lock()
	b.sessions = append(b.sessions, s)
	b.mu.Unlock()
	return s, nil
}

func (b *fakeBackend) closedSessions() (closed, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.sessions {
		s.mu.Lock()
		if s.closed {
			closed++
		}
		s.mu.Unlock()
	}
	return closed, len(b.sessions)
}

type fakeSession struct {
	backend *fakeBackend
	mu      sync.Mutex
	params  map[string]string
	tx      byte
	notices []*pgerror.Error
	closed  bool
	// failures counts StatementFailed calls.
	failures int
}

func (s *fakeSession) Parameters() map[string]string {
	out := make(map[string]string, len(s.params))
	for k, v := range s.params {
		out[k] = v
	}
	return out
}

func (s *fakeSession) SplitQuery(sql string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(sql, ";") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *fakeSession) TxStatus() byte { return s.tx }

func (s *fakeSession) Sync(ctx context.Context) error { return nil }

func (s *fakeSession) StatementFailed() { s.failures++ }

func (s *fakeSession) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		panic("session closed twice")
	}
	s.closed = true
}

func (s *fakeSession) Notices() []*pgerror.Error {
	n := s.notices
	s.notices = nil
	return n
}

// fakePrepared is a canned statement: run produces its result.
type fakePrepared struct {
	params  []types.T
	columns []Column
	run     func(ctx context.Context, params []types.Datum) (Result, error)
}

func (p *fakePrepared) ParamTypes() []types.T { return p.params }
func (p *fakePrepared) Columns() []Column     { return p.columns }
func (p *fakePrepared) Execute(ctx context.Context, params []types.Datum) (Result, error) {
	return p.run(ctx, params)
}

// fakeResult returns its chunks, then its tag.
type fakeResult struct {
	chunks []*chunk.Chunk
	tag    string
	block  bool // wait for ctx before the end
	onDone chan error
}

func (r *fakeResult) Next(ctx context.Context) (*chunk.Chunk, error) {
	if len(r.chunks) > 0 {
		c := r.chunks[0]
		r.chunks = r.chunks[1:]
		return c, nil
	}
	if r.block {
		select {
		case <-ctx.Done():
			if r.onDone != nil {
				r.onDone <- ctx.Err()
			}
			return nil, ctx.Err()
		case <-time.After(30 * time.Second):
			return nil, fmt.Errorf("sleep was never cancelled")
		}
	}
	return nil, nil
}

func (r *fakeResult) Tag() string     { return r.tag }
func (r *fakeResult) Streaming() bool { return r.block }
func (r *fakeResult) Close()          {}

func tagOnly(tag string) func(context.Context, []types.Datum) (Result, error) {
	return func(context.Context, []types.Datum) (Result, error) { return &fakeResult{tag: tag}, nil }
}

func (s *fakeSession) Prepare(ctx context.Context, sql string, paramOIDs []uint32) (Prepared, error) {
	words := strings.Fields(strings.ToLower(sql))
	if len(words) == 0 {
		return nil, pgerror.New(pgerror.SyntaxError, "empty statement")
	}
	switch words[0] {
	case "copyin", "copyout":
		return fakeCopy(words)
	case "select":
		if len(words) != 2 {
			break
		}
		n, err := strconv.ParseInt(words[1], 10, 32)
		if err != nil {
			break
		}
		cols := []Column{{Name: "?column?", Type: types.Int32}}
		return &fakePrepared{columns: cols, run: func(context.Context, []types.Datum) (Result, error) {
			return &fakeResult{chunks: []*chunk.Chunk{chunk.FromRows([]types.T{types.Int32}, [][]types.Datum{{n}})}, tag: "SELECT 1"}, nil
		}}, nil
	case "generate":
		if len(words) != 2 {
			break
		}
		n, err := strconv.Atoi(words[1])
		if err != nil {
			break
		}
		cols := []Column{{Name: "n", Type: types.Int64, TableOID: 16384, AttrNum: 1}}
		return &fakePrepared{columns: cols, run: func(context.Context, []types.Datum) (Result, error) {
			r := &fakeResult{}
			for start := 0; start < n; start += 3 {
				var rows [][]types.Datum
				for i := start; i < min(start+3, n); i++ {
					rows = append(rows, []types.Datum{int64(i)})
				}
				r.chunks = append(r.chunks, chunk.FromRows([]types.T{types.Int64}, rows))
			}
			return r, nil
		}}, nil
	case "echo":
		var ts []types.T
		var cols []Column
		for i, name := range words[1:] {
			t, ok := types.FromName(name)
			if !ok {
				return nil, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", name)
			}
			if i < len(paramOIDs) && paramOIDs[i] != 0 {
				if declared, ok := types.FromOID(paramOIDs[i]); ok {
					t = declared
				}
			}
			ts = append(ts, t)
			cols = append(cols, Column{Name: fmt.Sprintf("c%d", i+1), Type: t})
		}
		return &fakePrepared{params: ts, columns: cols, run: func(_ context.Context, params []types.Datum) (Result, error) {
			colTypes := make([]types.T, len(ts))
			copy(colTypes, ts)
			for i, t := range colTypes {
				if t.Kind == types.KindUnknown {
					colTypes[i] = types.Text
				}
			}
			return &fakeResult{chunks: []*chunk.Chunk{chunk.FromRows(colTypes, [][]types.Datum{params})}}, nil
		}}, nil
	case "insert":
		return &fakePrepared{run: tagOnly("INSERT 0 2")}, nil
	case "notice":
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			s.notices = append(s.notices, pgerror.New(pgerror.SuccessfulCompletion, "table \"t\" does not exist, skipping"))
			return &fakeResult{tag: "DO"}, nil
		}}, nil
	case "begin":
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			s.tx = 'T'
			return &fakeResult{tag: "BEGIN"}, nil
		}}, nil
	case "commit":
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			s.tx = 'I'
			return &fakeResult{tag: "COMMIT"}, nil
		}}, nil
	case "set":
		if len(words) == 4 && words[2] == "=" {
			return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
				s.params[words[1]] = words[3]
				return &fakeResult{tag: "SET"}, nil
			}}, nil
		}
	case "fail":
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			return nil, pgerror.New(pgerror.DivisionByZero, "division by zero").
				WithDetail("the divisor was zero").WithHint("do not divide by zero").WithPosition(3)
		}}, nil
	case "sleep":
		return &fakePrepared{columns: []Column{{Name: "x", Type: types.Int32}}, run: func(context.Context, []types.Datum) (Result, error) {
			return &fakeResult{block: true, onDone: s.backend.sleepCanceled}, nil
		}}, nil
	case "panic":
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			panic("fake session panics on purpose")
		}}, nil
	}
	return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near %q", words[0]).WithPosition(1)
}

// startServer serves a fake backend on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, cfg Config) (*Server, *fakeBackend, string) {
	t.Helper()
	backend := newFakeBackend()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	srv := NewServer(cfg, backend)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != ErrServerClosed {
			t.Errorf("Serve returned %v", err)
		}
	})
	return srv, backend, ln.Addr().String()
}
