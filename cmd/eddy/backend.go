package main

import (
	"context"

	"github.com/eddy-db/eddy/pgwire"
	"github.com/eddy-db/eddy/session"
	"github.com/eddy-db/eddy/sql/types"
)

// The adapters below let pgwire drive sessions without session importing
// pgwire: pgwire sits above session in the layering and knows no SQL.

type backend struct{ engine *session.Engine }

func (b backend) NewSession(ctx context.Context, params map[string]string, c pgwire.Client) (pgwire.Session, error) {
	s, err := b.engine.NewClientSession(ctx, params, session.Client{PID: int32(c.ProcessID), Addr: c.RemoteAddr, Started: c.Started})
	if err != nil {
		return nil, err
	}
	return wireSession{s}, nil
}

type wireSession struct{ *session.Session }

var _ pgwire.NoticeSource = wireSession{}

func (w wireSession) Prepare(ctx context.Context, sql string, paramTypes []uint32) (pgwire.Prepared, error) {
	st, err := w.Session.Prepare(ctx, sql, paramTypes)
	if err != nil {
		return nil, err
	}
	return wireStatement{st}, nil
}

type wireStatement struct{ *session.Statement }

func (w wireStatement) Columns() []pgwire.Column {
	cols := w.Statement.Columns()
	if cols == nil {
		return nil
	}
	out := make([]pgwire.Column, len(cols))
	for i, c := range cols {
		out[i] = pgwire.Column{Name: c.Name, Type: c.Type, TableOID: c.TableOID, AttrNum: c.AttrNum, Binary: c.Binary}
	}
	return out
}

func (w wireStatement) Execute(ctx context.Context, params []types.Datum) (pgwire.Result, error) {
	res, err := w.Statement.Execute(ctx, params)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// clients lets the engine read pgwire's table of connections
// (session.Clients) for pg_stat_activity, pg_cancel_backend and
// pg_terminate_backend.
type clients struct{ srv *pgwire.Server }

func (c clients) Sessions() []*session.Session {
	var out []*session.Session
	for _, s := range c.srv.Sessions() {
		if w, ok := s.(wireSession); ok {
			out = append(out, w.Session)
		}
	}
	return out
}

func (c clients) Cancel(pid int32) bool    { return c.srv.CancelBackend(uint32(pid)) }
func (c clients) Terminate(pid int32) bool { return c.srv.TerminateBackend(uint32(pid)) }
