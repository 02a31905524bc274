package pgwire

import "fmt"

// The server's table of connections by process id (register) is the one
// registry of sessions: cancel requests find their connection in it, and
// so do the administrative functions below, which the session layer
// reaches through the binary's adapter (pg_stat_activity,
// pg_cancel_backend, pg_terminate_backend).

// errTerminated ends one connection as a server shutdown ends all of
// them: its running statement stops, and the client gets FATAL 57P01
// "terminating connection due to administrator command".
var errTerminated = fmt.Errorf("pgwire: connection terminated by administrator: %w", errShutdown)

// publish makes s the session Sessions lists for c (nil: none).
func (s *Server) publish(c *conn, session Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.published = session
}

// Sessions lists the sessions of the connections past startup and not yet
// ending (a terminated connection may linger a moment for its client to
// read the FATAL), in no particular order.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, 0, len(s.conns))
	for _, c := range s.conns {
		if c.published != nil && c.ctx.Err() == nil {
			out = append(out, c.published)
		}
	}
	return out
}

func (s *Server) connection(processID uint32) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conns[processID]
	if c == nil || c.published == nil || c.ctx.Err() != nil {
		return nil
	}
	return c
}

// CancelBackend cancels the statement running on the connection with this
// process id, as a CancelRequest with its secret key would; an idle
// connection is left alone. It reports whether the connection exists.
func (s *Server) CancelBackend(processID uint32) bool {
	c := s.connection(processID)
	if c == nil {
		return false
	}
	c.cancelRunning()
	return true
}

// TerminateBackend ends the connection with this process id: a running
// statement is cancelled and the client is told FATAL 57P01. It reports
// whether the connection exists.
func (s *Server) TerminateBackend(processID uint32) bool {
	c := s.connection(processID)
	if c == nil {
		return false
	}
	c.cancel(errTerminated)
	return true
}
