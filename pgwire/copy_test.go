package pgwire

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// fakeCopyIn collects the bytes of COPY FROM STDIN; a line "bad" fails it,
// and the tag counts the lines.
type fakeCopyIn struct {
	columns int
	format  int16
	data    bytes.Buffer
	failed  string
	decode  func(types.T, []byte) (types.Datum, error)
	tag     string
}

func (r *fakeCopyIn) BeginCopyIn(decode func(types.T, []byte) (types.Datum, error)) (int16, int) {
	r.decode = decode
	return r.format, r.columns
}

func (r *fakeCopyIn) CopyData(_ context.Context, data []byte) error {
	r.data.Write(data)
	if bytes.Contains(r.data.Bytes(), []byte("bad\n")) {
		return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type integer: \"bad\"").WithWhere("COPY t, line 2, column a: \"bad\"")
	}
	return nil
}

func (r *fakeCopyIn) CopyDone(context.Context) error {
	r.tag = fmt.Sprintf("COPY %d", strings.Count(r.data.String(), "\n"))
	return nil
}

func (r *fakeCopyIn) CopyFail(msg string)                        { r.failed = msg }
func (r *fakeCopyIn) Next(context.Context) (*chunk.Chunk, error) { return nil, nil }
func (r *fakeCopyIn) Tag() string                                { return r.tag }
func (r *fakeCopyIn) Close()                                     {}

type fakeCopyOut struct {
	rows, sent int
}

func (r *fakeCopyOut) CopyOutFormat() (int16, int) { return 0, 2 }

func (r *fakeCopyOut) CopyOutNext(context.Context) ([][]byte, error) {
	if r.sent == r.rows {
		return nil, nil
	}
	var out [][]byte
	for ; r.sent < r.rows && len(out) < 2; r.sent++ {
		out = append(out, []byte(fmt.Sprintf("%d\tx\n", r.sent)))
	}
	return out, nil
}

func (r *fakeCopyOut) Next(context.Context) (*chunk.Chunk, error) { return nil, nil }
func (r *fakeCopyOut) Tag() string                                { return "" }
func (r *fakeCopyOut) Close()                                     {}

var lastCopyIn *fakeCopyIn

func fakeCopy(words []string) (Prepared, error) {
	n, _ := strconv.Atoi(words[len(words)-1])
	if words[0] == "copyout" {
		return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
			return &fakeCopyOut{rows: n}, nil
		}}, nil
	}
	r := &fakeCopyIn{columns: 3}
	if words[len(words)-1] == "binary" {
		r.format = 1
	}
	return &fakePrepared{run: func(context.Context, []types.Datum) (Result, error) {
		lastCopyIn = r
		return r, nil
	}}, nil
}

func TestCopyIn(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	r := dialRaw(t, addr)
	r.startup()

	// Simple protocol: data split anywhere, Flush and Sync ignored.
	r.send(&pgproto3.Query{String: "copyin"})
	msgs := r.expect("CopyInResponse")
	if m := msgs[0].(*pgproto3.CopyInResponse); m.OverallFormat != 0 || len(m.ColumnFormatCodes) != 3 {
		t.Errorf("CopyInResponse %+v", m)
	}
	r.send(&pgproto3.CopyData{Data: []byte("1\ta\n2")}, &pgproto3.Flush{}, &pgproto3.Sync{}, &pgproto3.CopyData{Data: []byte("\tb\n")}, &pgproto3.CopyDone{})
	msgs = r.expect("CommandComplete", "ReadyForQuery")
	if tag := string(msgs[0].(*pgproto3.CommandComplete).CommandTag); tag != "COPY 2" {
		t.Errorf("tag %q", tag)
	}
	if got := lastCopyIn.data.String(); got != "1\ta\n2\tb\n" {
		t.Errorf("data %q", got)
	}

	// CopyFail.
	r.send(&pgproto3.Query{String: "copyin"})
	r.expect("CopyInResponse")
	r.send(&pgproto3.CopyData{Data: []byte("1\n")}, &pgproto3.CopyFail{Message: "no more"})
	msgs = r.expect("ErrorResponse", "ReadyForQuery")
	if e := msgs[0].(*pgproto3.ErrorResponse); e.Code != string(pgerror.QueryCanceled) || e.Message != "COPY from stdin failed: no more" {
		t.Errorf("CopyFail: %+v", e)
	}
	if lastCopyIn.failed != "no more" {
		t.Errorf("CopyFail not passed on: %q", lastCopyIn.failed)
	}

	// Bad data: the error (with its context) comes at once; the client's
	// remaining COPY messages are ignored.
	r.send(&pgproto3.Query{String: "copyin"})
	r.expect("CopyInResponse")
	r.send(&pgproto3.CopyData{Data: []byte("1\nbad\n")})
	msgs = r.expect("ErrorResponse", "ReadyForQuery")
	if e := msgs[0].(*pgproto3.ErrorResponse); e.Code != string(pgerror.InvalidTextRepresentation) || e.Where != `COPY t, line 2, column a: "bad"` {
		t.Errorf("bad data: %+v", e)
	}
	r.send(&pgproto3.CopyData{Data: []byte("more\n")}, &pgproto3.CopyDone{}, &pgproto3.Query{String: "select 1"})
	r.expect("RowDescription", "DataRow", "CommandComplete", "ReadyForQuery")

	// Unexpected message during COPY.
	r.send(&pgproto3.Query{String: "copyin"})
	r.expect("CopyInResponse")
	r.send(&pgproto3.Query{String: "select 1"})
	msgs = r.expect("ErrorResponse", "ReadyForQuery")
	if e := msgs[0].(*pgproto3.ErrorResponse); e.Code != string(pgerror.ProtocolViolation) {
		t.Errorf("unexpected message: %+v", e)
	}

	// Extended protocol, binary format.
	r.send(&pgproto3.Parse{Query: "copyin binary"}, &pgproto3.Bind{}, &pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Flush{})
	msgs = r.expect("ParseComplete", "BindComplete", "NoData", "CopyInResponse")
	if m := msgs[3].(*pgproto3.CopyInResponse); m.OverallFormat != 1 || len(m.ColumnFormatCodes) != 3 || m.ColumnFormatCodes[0] != 1 {
		t.Errorf("CopyInResponse %+v", m)
	}
	if lastCopyIn.decode == nil {
		t.Error("no binary decoder")
	} else if d, err := lastCopyIn.decode(types.Int32, []byte{0, 0, 1, 0}); err != nil || fmt.Sprint(d) != "256" {
		t.Errorf("decode: %v %v", d, err)
	}
	r.send(&pgproto3.CopyData{Data: []byte("x\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{})
	msgs = r.expect("CommandComplete", "ReadyForQuery")
	if tag := string(msgs[0].(*pgproto3.CommandComplete).CommandTag); tag != "COPY 1" {
		t.Errorf("tag %q", tag)
	}
}

func TestCopyOut(t *testing.T) {
	_, _, addr := startServer(t, Config{})
	r := dialRaw(t, addr)
	r.startup()
	r.send(&pgproto3.Query{String: "copyout 3"})
	msgs := r.expect("CopyOutResponse", "CopyData", "CopyData", "CopyData", "CopyDone", "CommandComplete", "ReadyForQuery")
	if m := msgs[0].(*pgproto3.CopyOutResponse); m.OverallFormat != 0 || len(m.ColumnFormatCodes) != 2 {
		t.Errorf("CopyOutResponse %+v", m)
	}
	if d := string(msgs[3].(*pgproto3.CopyData).Data); d != "2\tx\n" {
		t.Errorf("row 3 %q", d)
	}
	if tag := string(msgs[5].(*pgproto3.CommandComplete).CommandTag); tag != "COPY 3" {
		t.Errorf("tag %q", tag)
	}
	r.send(&pgproto3.Parse{Query: "copyout 0"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
	r.expect("ParseComplete", "BindComplete", "CopyOutResponse", "CopyDone", "CommandComplete", "ReadyForQuery")
}
