package pgwire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// conn is one client connection. All its fields except runCancel belong to
// the connection's goroutine.
type conn struct {
	srv     *Server
	netConn net.Conn
	log     *slog.Logger

	// ctx lives as long as the connection; its cause says why it ended
	// (errShutdown, errClientGone, errConnClosed).
	ctx    context.Context
	cancel context.CancelCauseFunc

	processID uint32
	secretKey []byte
	started   time.Time

	be      *pgproto3.Backend
	reader  *socketReader
	session Session
	user    string

	// sentParams are the ParameterStatus values the client has.
	sentParams map[string]string
	stmts      map[string]*statement
	portals    map[string]*portal
	// ignoreTillSync is set after an error in an extended-query message:
	// PostgreSQL discards everything up to the next Sync.
	ignoreTillSync bool
	// pending approximates the bytes Sent but not yet Flushed.
	pending int
	// writeErr is the first failed write; the connection is then over.
	writeErr error
	// loggedInternal is the last internal error logged: an error passes
	// toPgError more than once on its way out, and is logged once.
	loggedInternal *pgerror.Error

	// published is the session once startup made one, for Server.Sessions;
	// it is guarded by the server's mu, not the connection's goroutine.
	published Session

	runMu sync.Mutex
	// runCancel cancels the statement running now, for CancelRequest.
	runCancel context.CancelCauseFunc

	row rowEncoder
}

// Causes of a connection or statement context ending.
var (
	errClientGone     = errors.New("pgwire: client disconnected")
	errConnClosed     = errors.New("pgwire: connection closed")
	errCanceledByUser = errors.New("pgwire: statement canceled by cancel request")
)

// flushThreshold is how much output may accumulate before it is written even
// though the connection is not yet waiting for the client.
const flushThreshold = 64 << 10

func (s *Server) serveConn(nc net.Conn) {
	ctx, cancel := context.WithCancelCause(s.ctx)
	c := &conn{
		srv:        s,
		netConn:    nc,
		log:        s.log.With("remote", remoteAddr(nc)),
		ctx:        ctx,
		cancel:     cancel,
		started:    time.Now(),
		sentParams: make(map[string]string),
		stmts:      make(map[string]*statement),
		portals:    make(map[string]*portal),
	}
	s.register(c)
	defer func() {
		s.unregister(c)
		cancel(errConnClosed)
		nc.Close()
	}()
	c.run()
}

func remoteAddr(nc net.Conn) string {
	if a := nc.RemoteAddr(); a != nil {
		return a.String()
	}
	return "?"
}

// run drives the connection from startup to its end. A panic anywhere below
// (in pgwire or in the Session) is recovered here: it is logged with its
// stack, reported to the client as FATAL XX000, and ends only this
// connection.
func (c *conn) run() {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic serving connection", "panic", r, "stack", string(debug.Stack()))
			if c.srv.panicHook != nil {
				c.srv.panicHook(r)
			}
			c.sendFatal(pgerror.Internal("internal error: %v", r))
		}
		c.release()
	}()

	su, err := c.readStartup()
	if err != nil {
		c.startupFailed(err)
		return
	}
	if err := c.begin(su); err != nil {
		if c.mustEnd() != nil {
			c.endWith(err)
		} else {
			c.sendFatal(c.toPgError(err, nil))
		}
		return
	}
	c.endWith(c.serve())
}

// release closes every portal and the session, each protected against
// panics of its own so that cleanup always finishes.
func (c *conn) release() {
	for name, p := range c.portals {
		c.protect("closing portal", p.close)
		delete(c.portals, name)
	}
	if c.session != nil {
		c.srv.publish(c, nil)
		c.protect("closing session", c.session.Close)
		c.session = nil
		c.srv.sessions.Add(-1)
	}
}

func (c *conn) protect(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic "+what, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	f()
}

func (c *conn) startupFailed(err error) {
	if errors.Is(err, errCancelHandled) {
		return
	}
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		c.writeRawFatal(pe)
		return
	}
	// Timeouts and resets during startup are port scanners, health checks
	// and clients that gave up: not worth more than a debug line.
	c.log.Debug("connection ended during startup", "err", err)
}

// writeRawFatal sends an error before the Backend exists (during startup).
func (c *conn) writeRawFatal(pe *pgerror.Error) {
	msg := errorResponse(pe, "FATAL")
	buf, err := msg.Encode(nil)
	if err != nil {
		return
	}
	c.netConn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := c.netConn.Write(buf); err == nil {
		c.lingerClose()
	}
}

// begin completes startup: protocol negotiation, authentication, the
// session, its parameters, the cancel key and the first ReadyForQuery.
func (c *conn) begin(su *startup) error {
	c.reader = newSocketReader(c.ctx, c.netConn, func(err error) {
		c.cancel(errClientGone)
	})
	c.reader.beforeBlock = c.flush
	c.be = pgproto3.NewBackend(c.reader, c.netConn)
	c.be.SetMaxBodyLen(c.srv.cfg.MaxMessageSize)
	c.user = su.params["user"]

	if su.negotiate {
		c.be.Send(&pgproto3.NegotiateProtocolVersion{
			NewestMinorProtocol: su.minor,
			UnrecognizedOptions: su.unrecognized,
		})
	}
	if n := c.srv.sessions.Add(1); c.srv.cfg.MaxConnections > 0 && n > int64(c.srv.cfg.MaxConnections) {
		c.srv.sessions.Add(-1)
		return pgerror.New(pgerror.TooManyConnections, "sorry, too many clients already")
	}
	// From here on release() gives the slot back once a session exists; until
	// then do it here.
	sessionMade := false
	defer func() {
		if !sessionMade {
			c.srv.sessions.Add(-1)
		}
	}()

	if auth := c.srv.cfg.Authenticator; auth != nil {
		if err := auth.Authenticate(c.ctx, c.be, su.params); err != nil {
			return err
		}
		c.be.SetAuthType(pgproto3.AuthTypeOk)
	}
	c.be.Send(&pgproto3.AuthenticationOk{})

	client := Client{ProcessID: c.processID, RemoteAddr: c.netConn.RemoteAddr(), Started: c.started}
	session, err := c.srv.backend.NewSession(c.ctx, su.params, client)
	if err != nil {
		return err
	}
	c.session, sessionMade = session, true
	c.srv.publish(c, session)

	c.secretKey = newSecretKey(su.minor)
	c.sendParameterStatus(c.initialParameters(su.params))
	c.be.Send(&pgproto3.BackendKeyData{ProcessID: c.processID, SecretKey: c.secretKey})
	c.readyForQuery()
	return c.flush()
}

// initialParameters are the session's reported parameters over the
// defaults every client expects (drivers refuse to work without
// server_version, client_encoding or integer_datetimes).
func (c *conn) initialParameters(startup map[string]string) map[string]string {
	params := map[string]string{
		"server_version":              c.srv.cfg.ServerVersion,
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"IntervalStyle":               "postgres",
		"integer_datetimes":           "on",
		"standard_conforming_strings": "on",
		"TimeZone":                    "UTC",
		"application_name":            startup["application_name"],
		"is_superuser":                "on",
		"session_authorization":       startup["user"],
	}
	for k, v := range c.session.Parameters() {
		params[k] = v
	}
	return params
}

func (c *conn) sendParameterStatus(params map[string]string) {
	for k, v := range params {
		if old, ok := c.sentParams[k]; ok && old == v {
			continue
		}
		c.sentParams[k] = v
		c.be.Send(&pgproto3.ParameterStatus{Name: k, Value: v})
	}
}

// readyForQuery sends pending notices, changed parameters and
// ReadyForQuery.
func (c *conn) readyForQuery() {
	c.sendNotices()
	c.sendParameterStatus(c.session.Parameters())
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: c.session.TxStatus()})
	c.pending += 6
}

func (c *conn) sendNotices() {
	ns, ok := c.session.(NoticeSource)
	if !ok {
		return
	}
	for _, n := range ns.Notices() {
		severity := n.Severity
		if severity == "" {
			severity = "NOTICE"
		}
		code := n.Code
		if code == "" {
			code = pgerror.SuccessfulCompletion
		}
		e := *n
		e.Severity, e.Code = severity, code
		c.be.Send((*pgproto3.NoticeResponse)(errorResponse(&e, severity)))
	}
}

// flush writes buffered output. It is called before the connection blocks
// waiting for the client, when the buffer grows large, and before closing.
func (c *conn) flush() error {
	if c.pending == 0 {
		return nil
	}
	c.pending = 0
	if c.writeErr != nil {
		return c.writeErr
	}
	if err := c.be.Flush(); err != nil {
		c.writeErr = err
		return err
	}
	return nil
}

// send buffers msg and flushes once enough has accumulated.
func (c *conn) send(msg pgproto3.BackendMessage, size int) error {
	c.be.Send(msg)
	c.pending += size + 5
	if c.pending >= flushThreshold {
		return c.flush()
	}
	return nil
}

// serve is the message loop after startup. It returns the error that ends
// the connection, nil on Terminate.
func (c *conn) serve() error {
	for {
		msg, err := c.be.Receive()
		if err != nil {
			return c.receiveFailed(err)
		}
		if c.ignoreTillSync {
			switch msg.(type) {
			case *pgproto3.Sync:
				c.ignoreTillSync = false
			case *pgproto3.Terminate:
				return nil
			default:
				continue
			}
		}
		var handlerErr error
		switch m := msg.(type) {
		case *pgproto3.Query:
			handlerErr = c.simpleQuery(m.String)
		case *pgproto3.Parse:
			handlerErr = c.extended(c.parse(m))
		case *pgproto3.Bind:
			handlerErr = c.extended(c.bind(m))
		case *pgproto3.Describe:
			handlerErr = c.extended(c.describe(m))
		case *pgproto3.Execute:
			handlerErr = c.extended(c.execute(m))
		case *pgproto3.Close:
			handlerErr = c.extended(c.closeObject(m))
		case *pgproto3.Sync:
			handlerErr = c.sync()
		case *pgproto3.Flush:
			handlerErr = c.flushNow()
		case *pgproto3.Terminate:
			return nil
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Outside COPY these are ignored, as the protocol says, so that a
			// client aborting a COPY that already failed is not confused.
		case *pgproto3.FunctionCall:
			handlerErr = c.extended(pgerror.Unsupported("function call messages are not supported"))
		default:
			return fatal(pgerror.New(pgerror.ProtocolViolation, "unexpected message type %T", msg))
		}
		if handlerErr != nil {
			return handlerErr
		}
	}
}

func (c *conn) flushNow() error {
	c.pending++
	return c.flush()
}

// receiveFailed maps a failed read of the next message to the error that
// ends the connection.
func (c *conn) receiveFailed(err error) error {
	if cause := context.Cause(c.ctx); c.ctx.Err() != nil {
		return cause
	}
	var tooLong *pgproto3.ExceededMaxBodyLenErr
	switch {
	case errors.As(err, &tooLong):
		return fatal(pgerror.New(pgerror.ProtocolViolation, "message of %d bytes exceeds the limit of %d bytes", tooLong.ActualBodyLen, tooLong.MaxExpectedBodyLen))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return errClientGone
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return errClientGone
	}
	// Anything else is pgproto3 rejecting the bytes it read.
	return fatal(pgerror.New(pgerror.ProtocolViolation, "invalid frontend message: %v", err))
}

// extended reports the error of an extended-query message and starts
// skipping to the next Sync. It returns an error only if the connection
// must end.
func (c *conn) extended(err error) error {
	if err == nil {
		return nil
	}
	if end := c.mustEnd(); end != nil {
		return end
	}
	c.ignoreTillSync = true
	c.session.StatementFailed()
	return c.sendError(c.toPgError(err, nil))
}

// mustEnd returns why the connection cannot go on, or nil: the client is
// gone, a write to it failed, or the server is shutting down.
func (c *conn) mustEnd() error {
	if c.writeErr != nil {
		return errClientGone
	}
	if c.ctx.Err() != nil {
		return context.Cause(c.ctx)
	}
	return nil
}

// endWith tells the client, if it is still there, why its connection ends.
func (c *conn) endWith(err error) {
	if err == nil {
		return
	}
	if c.ctx.Err() != nil && errors.Is(context.Cause(c.ctx), errShutdown) {
		c.sendFatal(pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command"))
		return
	}
	if c.writeErr != nil || c.ctx.Err() != nil || errors.Is(err, errClientGone) {
		c.log.Debug("client disconnected", "err", err)
		return
	}
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		c.sendFatal(pe)
		return
	}
	c.log.Warn("connection ended", "err", err)
}

// toPgError turns err from a statement into what the client sees. stmtCtx
// is the statement's context, if any, to recognise a cancel request.
func (c *conn) toPgError(err error, stmtCtx context.Context) *pgerror.Error {
	if c.ctx.Err() != nil && errors.Is(context.Cause(c.ctx), errShutdown) {
		return pgerror.New(pgerror.AdminShutdown, "terminating connection due to administrator command")
	}
	if stmtCtx != nil && stmtCtx.Err() != nil && errors.Is(context.Cause(stmtCtx), errCanceledByUser) {
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
	}
	pe := pgerror.From(err)
	if pe.Code == pgerror.InternalError {
		if c.ctx.Err() != nil { // the client went away and took the statement with it
			c.log.Debug("statement ended by the client disconnecting", "err", err)
		} else if pe != c.loggedInternal {
			c.loggedInternal = pe
			c.log.Error("internal error", "sqlstate", string(pe.Code), "err", err)
		}
	}
	return pe
}

// sendError sends an ErrorResponse (ERROR unless the error says otherwise)
// and returns an error only if the connection must end.
func (c *conn) sendError(pe *pgerror.Error) error {
	severity := pe.Severity
	if severity == "" {
		severity = "ERROR"
	}
	c.be.Send(errorResponse(pe, severity))
	c.pending += 64 + len(pe.Message) + len(pe.Detail) + len(pe.Hint)
	if severity == "FATAL" || severity == "PANIC" {
		return pe
	}
	return nil
}

// sendFatal tells the client why its connection ends.
func (c *conn) sendFatal(pe *pgerror.Error) {
	if c.be == nil {
		c.writeRawFatal(pe)
		return
	}
	c.be.Send(errorResponse(pe, "FATAL"))
	c.pending++
	c.netConn.SetWriteDeadline(time.Now().Add(time.Second))
	if c.flush() == nil {
		c.lingerClose()
	}
}

// lingerClose lets a FATAL error reach a client that is still sending:
// closing a socket with unread input makes TCP reset the connection, and the
// client would lose the error. So stop writing, read and discard for a
// moment, then let the caller close.
func (c *conn) lingerClose() {
	type closeWriter interface{ CloseWrite() error }
	cw, ok := c.netConn.(closeWriter)
	if !ok {
		return
	}
	if cw.CloseWrite() != nil {
		return
	}
	c.netConn.SetReadDeadline(time.Now().Add(lingerTimeout))
	if c.reader != nil {
		// The pump owns the socket's reads; wait for it to see EOF.
		c.reader.drain(lingerTimeout)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(c.netConn, 1<<20))
}

const lingerTimeout = 500 * time.Millisecond

func errorResponse(pe *pgerror.Error, severity string) *pgproto3.ErrorResponse {
	code := string(pe.Code)
	if code == "" {
		code = string(pgerror.InternalError)
	}
	return &pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                code,
		Message:             pe.Message,
		Detail:              pe.Detail,
		Hint:                pe.Hint,
		Where:               pe.Where,
		Position:            pe.Position,
	}
}

// beginStatement makes the context of one statement and makes it the one a
// CancelRequest cancels until end is called.
func (c *conn) beginStatement(ctx context.Context, cancel context.CancelCauseFunc) (end func()) {
	c.runMu.Lock()
	c.runCancel = cancel
	c.runMu.Unlock()
	return func() {
		c.runMu.Lock()
		c.runCancel = nil
		c.runMu.Unlock()
	}
}

// cancelRunning is called by the server for a CancelRequest, from another
// goroutine.
func (c *conn) cancelRunning() {
	c.runMu.Lock()
	cancel := c.runCancel
	c.runMu.Unlock()
	if cancel != nil {
		cancel(errCanceledByUser)
	}
}

// deadlineOnDone makes blocking socket reads return once ctx is done.
func deadlineOnDone(ctx context.Context, nc net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		nc.SetReadDeadline(time.Now())
	})
}

func fatal(pe *pgerror.Error) *pgerror.Error {
	pe.Severity = "FATAL"
	return pe
}
