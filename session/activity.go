package session

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
)

// # Sessions of other clients
//
// pg_stat_activity lists every client's session, and pg_cancel_backend and
// pg_terminate_backend reach another client's connection. The server's
// protocol layer already keeps the one table of connections by process id
// (the id a client's cancel request names); the engine reads that table
// through Clients, set by the binary that wires the two together, and keeps
// no list of its own. What a session shows of itself to the others is its
// activity: a small record under its own lock, written by the session's
// goroutine when a statement starts and when it is ready for the next one.

// Client is what the server knows of the connection a session serves.
type Client struct {
	// PID is the process id sent to the client in BackendKeyData.
	PID int32
	// Addr is the client's address; nil for a session inside the server.
	Addr net.Addr
	// Started is when the connection was accepted.
	Started time.Time
}

// Clients is the server's table of client connections.
type Clients interface {
	// Sessions lists the sessions of the connected clients.
	Sessions() []*Session
	// Cancel cancels the statement running on connection pid (57014 for
	// its client); it reports whether pid is a connection.
	Cancel(pid int32) bool
	// Terminate ends connection pid (FATAL 57P01 for its client); it
	// reports whether pid is a connection.
	Terminate(pid int32) bool
}

// SetClients tells the engine where the server's connections are. It is
// called once, before the server accepts connections.
func (e *Engine) SetClients(c Clients) { e.clients = c }

// activity is what pg_stat_activity shows of a session, guarded by mu
// because other sessions read it.
type activity struct {
	mu              sync.Mutex
	applicationName string
	state           string
	query           string
	xactStart       time.Time
	queryStart      time.Time
	stateChange     time.Time
}

// statementStarted records that the session runs sql from now on.
func (a *activity) statementStarted(sql string) {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.state, a.query, a.queryStart, a.stateChange = "active", sql, now, now
	if a.xactStart.IsZero() {
		a.xactStart = now
	}
}

// ready records that the session waits for its client, in transaction
// status tx (a ReadyForQuery status byte).
func (a *activity) ready(tx byte, applicationName string) {
	state := "idle"
	switch tx {
	case TxActive:
		state = "idle in transaction"
	case TxFailed:
		state = "idle in transaction (aborted)"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if state != a.state {
		a.state, a.stateChange = state, time.Now()
	}
	if tx == TxIdle {
		a.xactStart = time.Time{}
	}
	a.applicationName = applicationName
}

// stat is the session's row of pg_stat_activity.
func (s *Session) stat() catalog.Activity {
	row := catalog.Activity{
		PID:          s.pid,
		Database:     s.database,
		User:         s.user,
		ClientPort:   -1,
		BackendStart: s.client.Started,
	}
	if s.client.Addr != nil {
		host, port, err := net.SplitHostPort(s.client.Addr.String())
		if err == nil {
			row.ClientAddr = host
			if p, err := strconv.Atoi(port); err == nil {
				row.ClientPort = int32(p)
			}
		}
	}
	a := &s.activity
	a.mu.Lock()
	defer a.mu.Unlock()
	row.ApplicationName = a.applicationName
	row.State, row.Query = a.state, a.query
	row.XactStart, row.QueryStart, row.StateChange = a.xactStart, a.queryStart, a.stateChange
	return row
}

// Activity lists the sessions for pg_stat_activity: every client's when
// the engine knows the server's connections, else only this one.
func (i sessionInfo) Activity() []catalog.Activity {
	clients := i.s.engine.clients
	if clients == nil {
		return []catalog.Activity{i.s.stat()}
	}
	var rows []catalog.Activity
	for _, other := range clients.Sessions() {
		rows = append(rows, other.stat())
	}
	return rows
}

// SignalBackend cancels the running statement of (or, with terminate,
// ends) session pid; it reports whether pid is a session.
func (i sessionInfo) SignalBackend(pid int32, terminate bool) bool {
	clients := i.s.engine.clients
	if clients == nil {
		return false
	}
	if terminate {
		return clients.Terminate(pid)
	}
	return clients.Cancel(pid)
}
