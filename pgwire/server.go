package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Server.
type Config struct {
	// Listen is the address ListenAndServe listens on; default
	// 127.0.0.1:6566.
	Listen string
	// MaxConnections limits concurrent client sessions; 0 means no limit.
	// Clients past the limit get FATAL 53300 after startup.
	MaxConnections int
	// Logger receives connection-level events; default slog.Default().
	Logger *slog.Logger
	// ServerVersion is reported as server_version when the Session's
	// Parameters do not set it; drivers parse its leading number, so it
	// reads like "15.0 (Eddy)".
	ServerVersion string
	// Authenticator checks clients; nil trusts everyone.
	Authenticator Authenticator
	// MaxMessageSize bounds one protocol message; larger ones end the
	// connection with 08P01. Default 64 MiB.
	MaxMessageSize int
	// StartupTimeout bounds the time from connect to a complete startup
	// packet; default 30 s.
	StartupTimeout time.Duration
	// ShutdownGrace is how long Close waits for connections to end after
	// telling them to before it closes their sockets; default 5 s.
	ShutdownGrace time.Duration
}

const (
	defaultListen         = "127.0.0.1:6566"
	defaultServerVersion  = "15.0 (Eddy)"
	defaultMaxMessageSize = 64 << 20
	defaultStartupTimeout = 30 * time.Second
	defaultShutdownGrace  = 5 * time.Second
)

// Server accepts PostgreSQL protocol connections and runs one goroutine per
// connection against a Backend.
type Server struct {
	cfg     Config
	backend Backend
	log     *slog.Logger

	// ctx is cancelled with errShutdown by Close; every connection's context
	// derives from it.
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[uint32]*conn // by process id
	closed    bool
	wg        sync.WaitGroup

	// panicHook, if set, sees every panic recovered in a connection (tests
	// use it to tell pgwire's own panics from a session's).
	panicHook func(any)

	nextProcessID atomic.Uint32
	sessions      atomic.Int64 // connections past startup, for MaxConnections
}

// errShutdown is the cancellation cause of every context when the server
// closes.
var errShutdown = errors.New("pgwire: server shutting down")

// NewServer returns a server that creates sessions with backend.
func NewServer(cfg Config, backend Backend) *Server {
	if cfg.Listen == "" {
		cfg.Listen = defaultListen
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ServerVersion == "" {
		cfg.ServerVersion = defaultServerVersion
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = defaultMaxMessageSize
	}
	if cfg.StartupTimeout <= 0 {
		cfg.StartupTimeout = defaultStartupTimeout
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = defaultShutdownGrace
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	s := &Server{
		cfg:       cfg,
		backend:   backend,
		log:       cfg.Logger.With("component", "pgwire"),
		ctx:       ctx,
		cancel:    cancel,
		listeners: make(map[net.Listener]struct{}),
		conns:     make(map[uint32]*conn),
	}
	// Process ids start at a random point so that they say nothing about
	// how many connections the server has seen.
	var seed [4]byte
	_, _ = rand.Read(seed[:])
	s.nextProcessID.Store(uint32(seed[0])<<8 | uint32(seed[1]) | 1<<16)
	return s
}

// ErrServerClosed is returned by Serve and ListenAndServe after Close.
var ErrServerClosed = errors.New("pgwire: server closed")

// ListenAndServe listens on Config.Listen and serves until ctx is done or
// Close is called; when ctx ends it closes the server gracefully.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	return s.Serve(ln)
}

// Serve accepts connections on ln until ln fails or the server is closed. It
// takes ownership of ln.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
		ln.Close()
	}()

	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Temporary accept failures (out of file descriptors) must not
				// end the server; back off as net/http does.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("accept failed; retrying", "err", err, "backoff", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		if !s.track() {
			nc.Close()
			return ErrServerClosed
		}
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
		}()
	}
}

// ServeConn serves one already accepted connection and returns when it
// ends. It closes nc.
func (s *Server) ServeConn(nc net.Conn) {
	if !s.track() {
		nc.Close()
		return
	}
	defer s.wg.Done()
	s.serveConn(nc)
}

func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Addr is the address of a listener being served, or nil.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ln := range s.listeners {
		return ln.Addr()
	}
	return nil
}

// Close shuts the server down gracefully: it stops accepting, tells every
// connection to end (each sends FATAL 57P01 admin_shutdown and cancels its
// running statement), waits up to Config.ShutdownGrace for them, then
// closes whatever sockets remain and waits for their goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closed = true
	for ln := range s.listeners {
		ln.Close()
	}
	s.mu.Unlock()

	s.cancel(errShutdown)

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(s.cfg.ShutdownGrace):
	}
	s.mu.Lock()
	for _, c := range s.conns {
		c.netConn.Close()
	}
	s.mu.Unlock()
	<-done
	return nil
}

// register gives c a process id and secret key for cancel requests.
func (s *Server) register(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		pid := s.nextProcessID.Add(1)
		if pid == 0 {
			continue
		}
		if _, taken := s.conns[pid]; !taken {
			c.processID = pid
			s.conns[pid] = c
			return
		}
	}
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.processID] == c {
		delete(s.conns, c.processID)
	}
}

// cancelQuery handles a CancelRequest: it cancels the statement running on
// the connection with the given process id if the secret key matches.
// Mismatches are ignored silently, as PostgreSQL does, so that a cancel
// request reveals nothing.
func (s *Server) cancelQuery(processID uint32, secret []byte) {
	s.mu.Lock()
	c := s.conns[processID]
	s.mu.Unlock()
	if c == nil || len(c.secretKey) != len(secret) || subtle.ConstantTimeCompare(c.secretKey, secret) != 1 {
		return
	}
	c.cancelRunning()
}
