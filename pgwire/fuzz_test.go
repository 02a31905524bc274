package pgwire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// fuzzServer is one server for a whole fuzz run; its connections are served
// over in-memory pipes.
type fuzzServer struct {
	srv    *Server
	mu     sync.Mutex
	panics []any
}

func newFuzzServer(t testing.TB) *fuzzServer {
	fs := &fuzzServer{}
	fs.srv = NewServer(Config{
		Logger:         slog.New(slog.DiscardHandler),
		MaxMessageSize: 1 << 20,
		StartupTimeout: 2 * time.Second,
		ShutdownGrace:  time.Second,
	}, newFakeBackend())
	fs.srv.panicHook = func(r any) {
		if fmt.Sprint(r) == "fake session panics on purpose" {
			return
		}
		fs.mu.Lock()
		fs.panics = append(fs.panics, r)
		fs.mu.Unlock()
	}
	t.Cleanup(func() { fs.srv.Close() })
	return fs
}

// run writes input to a fresh connection, hangs up, and checks that the
// connection ends promptly without a panic in pgwire.
func (fs *fuzzServer) run(t *testing.T, input []byte) {
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		fs.srv.ServeConn(server)
		close(done)
	}()
	go io.Copy(io.Discard, client)
	client.SetWriteDeadline(time.Now().Add(2 * time.Second))
	client.Write(input)
	select {
	case <-done:
	case <-time.After(20 * time.Millisecond):
	}
	client.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("connection still served 5s after the client hung up; input %q", input)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.panics) > 0 {
		t.Fatalf("pgwire panicked: %v; input %q", fs.panics[0], input)
	}
}

func encodeMessages(msgs ...interface{ Encode([]byte) ([]byte, error) }) []byte {
	var buf []byte
	for _, m := range msgs {
		var err error
		if buf, err = m.Encode(buf); err != nil {
			panic(err)
		}
	}
	return buf
}

var startupBytes = encodeMessages(&pgproto3.StartupMessage{
	ProtocolVersion: pgproto3.ProtocolVersion30,
	Parameters:      map[string]string{"user": "eddy", "database": "eddy"},
})

func FuzzStartup(f *testing.F) {
	f.Add(startupBytes)
	f.Add(encodeMessages(&pgproto3.SSLRequest{}, &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion32, Parameters: map[string]string{"user": "u"}}))
	f.Add(encodeMessages(&pgproto3.GSSEncRequest{}))
	f.Add(encodeMessages(&pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}))
	f.Add([]byte{0, 0, 0, 8, 0, 2, 0, 0})
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))
	fs := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		fs.run(t, input)
	})
}

func FuzzMessages(f *testing.F) {
	f.Add(encodeMessages(&pgproto3.Query{String: "select 1; generate 7; insert; notice"}, &pgproto3.Terminate{}))
	f.Add(encodeMessages(
		&pgproto3.Parse{Name: "s", Query: "echo int4 text numeric interval", ParameterOIDs: []uint32{23}},
		&pgproto3.Describe{ObjectType: 'S', Name: "s"},
		&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{0, 0, 1, 0},
			Parameters:        [][]byte{[]byte("1"), []byte("x"), {0, 1, 0, 0, 0, 0, 0, 1, 0, 7}, []byte("1 day")},
			ResultFormatCodes: []int16{1}},
		&pgproto3.Execute{MaxRows: 1},
		&pgproto3.Sync{},
	))
	f.Add(encodeMessages(
		&pgproto3.Parse{Query: "generate 10"},
		&pgproto3.Bind{DestinationPortal: "p"},
		&pgproto3.Execute{Portal: "p", MaxRows: 3},
		&pgproto3.Execute{Portal: "p", MaxRows: 3},
		&pgproto3.Close{ObjectType: 'P', Name: "p"},
		&pgproto3.Flush{},
		&pgproto3.Sync{},
	))
	f.Add(encodeMessages(&pgproto3.Query{String: "fail"}, &pgproto3.Parse{Query: "fail"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}))
	f.Add(encodeMessages(&pgproto3.Query{String: "sleep"}))
	f.Add([]byte{'Q', 0, 0, 0, 5, 0, 'X', 0, 0, 0, 4})
	fs := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		fs.run(t, append(append([]byte{}, startupBytes...), input...))
	})
}

// allKinds lists every type the decoders handle.
var allKinds = []types.T{
	types.Bool, types.Int16, types.Int32, types.Int64, types.Float32, types.Float64, types.Numeric,
	types.Text, types.Varchar, {Kind: types.KindChar}, types.Bytea, types.DateType,
	types.TimestampType, types.TimestampTZ, types.IntervalType, types.Unknown,
	types.UUID, types.TimeType, types.JSON, types.JSONB, types.ArrayOf(types.Int32),
	types.ArrayOf(types.Text), types.ArrayOf(types.Numeric), types.ArrayOf(types.TimestampTZ),
}

// checkDecodeError fails unless err is a client error: a decoder must never
// report an internal error for bad input.
func checkDecodeError(t *testing.T, err error) {
	var pe *pgerror.Error
	if errors.Is(err, errBinaryLength) {
		return
	}
	if !errors.As(err, &pe) || pe.Code == pgerror.InternalError {
		t.Fatalf("decoder error %v is not a client error", err)
	}
}

// stableText checks text → datum → text: the datum's text form must decode
// again to the same text (this exercises sql/types' input and output
// functions as pgwire uses them).
func stableText(t *testing.T, typ types.T, d types.Datum, input any) {
	text := types.FormatText(typ, d)
	d2, err := DecodeText(typ, text)
	if err != nil {
		t.Fatalf("%s: %q decoded from %q does not decode again: %v", typ, text, input, err)
	}
	if text2 := types.FormatText(typ, d2); text2 != text {
		t.Fatalf("%s: text unstable for input %q: %q then %q", typ, input, text, text2)
	}
}

// stableBinary checks datum → binary → datum → binary: pgwire's own
// encoder and decoder must agree exactly.
func stableBinary(t *testing.T, typ types.T, d types.Datum, input any) {
	bin, err := AppendBinary(nil, typ, d)
	if err != nil {
		t.Fatalf("%s: cannot encode %#v (from %q) as binary: %v", typ, d, input, err)
	}
	d2, err := DecodeBinary(typ, bin)
	if err != nil {
		t.Fatalf("%s: binary %x of %#v does not decode: %v", typ, bin, d, err)
	}
	bin2, err := AppendBinary(nil, typ, d2)
	if err != nil || !bytes.Equal(bin, bin2) {
		t.Fatalf("%s: binary unstable for %q: %x then %x (%v)", typ, input, bin, bin2, err)
	}
	if a, b := types.FormatText(typ, d), types.FormatText(typ, d2); a != b {
		t.Fatalf("%s: binary round trip of %q changed %q to %q", typ, input, a, b)
	}
}

func FuzzDecodeText(f *testing.F) {
	seeds := []string{
		"0", "-1", " 42 ", "0x1F", "1_000", "9223372036854775807", "-9223372036854775808", "99999",
		"t", "off", "YES", "1.5", "1e308", "-1e-320", "NaN", "-Infinity", "123.4500", "-0", "1e131072",
		`\x00ff`, `a\\b\001`, "2024-02-29", "0001-01-01 BC", "294246-12-31 23:59:59.999999",
		"2024-01-02 03:04:05.1234567", "2024-01-02T03:04:05+05:30", "epoch", "4714-11-24 00:00:00 BC",
		"1 year 2 mons 3 days 04:05:06.789", "-1 days +02:00:00", "@ 1 hour ago", "P1Y2M3DT4H5M6.5S",
		"1.5 months", "1-2", "3 4:05:06", "178000000 years", "héllo",
		"9227000000000 seconds", "1e308 seconds", "4475363-10-11", "0001-01-01 00:00:00+00 BC",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "12:34:56.789", `{"b": [1, 2.50], "a": null}`, `"\u00e9"`,
		`{1,NULL,3}`, `{a,"b c","",NULL,"\""}`, `{1.50,NaN}`, `{"2024-01-02 03:04:05+02"}`, "{}",
	}
	for _, s := range seeds {
		for i := range allKinds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, s string) {
		typ := allKinds[int(kind)%len(allKinds)]
		d, err := DecodeText(typ, s)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		stableText(t, typ, d, s)
		stableBinary(t, typ, d, s)
	})
}

func FuzzDecodeBinary(f *testing.F) {
	seeds := [][]byte{
		{1}, {0, 5}, {0xff, 0xff, 0xff, 0xfe}, {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0, 2, 0, 1, 0, 0, 0, 4, 0, 12, 13, 0x80},         // numeric 12.3456
		{0, 1, 0xff, 0xfe, 0x40, 0, 0, 8, 0, 123},         // numeric -0.00000123
		{0, 0, 0, 0, 0xc0, 0, 0, 0},                       // NaN
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 14}, // interval
		{0x80, 0, 0, 0, 0, 0, 0, 0}, {'a', 'b', 0xc3, 0xa9},
	}
	for _, s := range seeds {
		for i := range allKinds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		typ := allKinds[int(kind)%len(allKinds)]
		d, err := DecodeBinary(typ, b)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		stableBinary(t, typ, d, b)
	})
}
