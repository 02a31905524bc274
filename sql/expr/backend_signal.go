package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// pg_cancel_backend and pg_terminate_backend signal another session
// through the asking session (BackendSignaller): cancel its running
// statement, or end its connection. As in PostgreSQL they return false
// for a pid that is no session.

// BackendSignaller is implemented by a SessionInfo that can reach other
// sessions by pid.
type BackendSignaller interface {
	SignalBackend(pid int32, terminate bool) bool
}

func signalBackend(terminate bool) rowFunc {
	return func(ctx *Context, a []types.Datum) (types.Datum, error) {
		if ctx == nil {
			return false, nil
		}
		bs, ok := ctx.Session.(BackendSignaller)
		if !ok {
			return false, nil
		}
		return bs.SignalBackend(int32(a[0].(int64)), terminate), nil
	}
}

func init() {
	register(catalogOverloads("pg_cancel_backend", types.Bool, true, signalBackend(false),
		[]types.T{types.Int32}), "pg_cancel_backend")
	// The second argument of pg_terminate_backend is how long to wait for
	// the session to end; Eddy's connections end at once, so it is ignored.
	register(catalogOverloads("pg_terminate_backend", types.Bool, true, signalBackend(true),
		[]types.T{types.Int32}, []types.T{types.Int32, types.Int64}), "pg_terminate_backend")
}
