package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Engine names the kind of server a test talks to; the sqllogictest
// skipif/onlyif conditions use the same names.
type Engine string

const (
	EngineEddy     Engine = "eddy"
	EnginePostgres Engine = "postgres"
)

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
	buildSkip string // set when ./cmd/eddy does not exist yet
)

// BuildEddy returns the path of an eddy binary: $EDDY_BIN if set, otherwise
// ./cmd/eddy built once per test binary. While ./cmd/eddy does not exist the
// test is skipped if EDDY_ALLOW_MISSING_SERVER=1 and fails otherwise.
func BuildEddy(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if bin := os.Getenv("EDDY_BIN"); bin != "" {
			buildBin, buildErr = filepath.Abs(bin)
			return
		}
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		if matches, _ := filepath.Glob(filepath.Join(root, "cmd", "eddy", "*.go")); len(matches) == 0 {
			buildSkip = "./cmd/eddy does not exist yet"
			return
		}
		dir, err := os.MkdirTemp("", "eddy-build-")
		if err != nil {
			buildErr = err
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		bin := filepath.Join(dir, "eddy")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/eddy")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/eddy: %v\n%s", err, out)
			return
		}
		buildBin = bin
	})
	if buildSkip != "" {
		if os.Getenv("EDDY_ALLOW_MISSING_SERVER") == "1" {
			t.Skipf("skipping: %s (EDDY_ALLOW_MISSING_SERVER=1)", buildSkip)
		}
		t.Fatalf("%s; set EDDY_ALLOW_MISSING_SERVER=1 to skip the tests that need it, or EDDY_BIN to use a prebuilt binary", buildSkip)
	}
	if buildErr != nil {
		t.Fatalf("building eddy: %v", buildErr)
	}
	return buildBin
}

// Options configure StartEddy. The zero value is a fresh server in a
// temporary data dir with a 10ms barrier interval.
type Options struct {
	DataDir         string        // default: a new t.TempDir()
	BarrierInterval time.Duration // default 10ms
	ExtraArgs       []string      // appended to the server command line
	// Command is the eddy subcommand: "server" (default) or "playground".
	Command string
	// Env is added to the server's environment (NAME=value).
	Env []string
}

// Server is a server under test: Eddy, or with -target=postgres a private
// PostgreSQL standing in for it. It is stopped when the test ends.
type Server struct {
	Engine  Engine
	t       testing.TB
	bin     string // eddy binary, or PostgreSQL's bin dir
	dataDir string
	logPath string
	port    int
	// metricsPort serves Eddy's Prometheus metrics.
	metricsPort int
	opts        Options
	cred        *syscall.Credential
	sockDir     string

	mu   sync.Mutex
	proc *process
}

// StartEddy starts the server under test and waits until it answers a Ping.
// With -target=postgres (EDDY_TEST_TARGET=postgres) it starts a private
// PostgreSQL instead, so the suite can check itself.
func StartEddy(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.BarrierInterval == 0 {
		opts.BarrierInterval = 10 * time.Millisecond
	}
	s := &Server{t: t, opts: opts, dataDir: opts.DataDir}
	switch Engine(*Target) {
	case EngineEddy:
		s.Engine = EngineEddy
		s.bin = BuildEddy(t)
		if s.dataDir == "" {
			s.dataDir = t.TempDir()
		}
	case EnginePostgres:
		s.Engine = EnginePostgres
		s.initPostgres(t)
	default:
		t.Fatalf("unknown -target %q (want eddy or postgres)", *Target)
	}
	logDir := t.TempDir()
	s.logPath = filepath.Join(logDir, "server.log")
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("%s log %s, last lines:\n%s", s.Engine, s.logPath, logTail(s.logPath, 60))
		}
	})
	s.start(t)
	return s
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if s.port == 0 || attempt > 0 {
			port, err := FreePort()
			if err != nil {
				t.Fatalf("picking a port: %v", err)
			}
			s.port = port
		}
		var cmd *exec.Cmd
		switch s.Engine {
		case EngineEddy:
			if s.metricsPort == 0 {
				port, err := FreePort()
				if err != nil {
					t.Fatalf("picking a metrics port: %v", err)
				}
				s.metricsPort = port
			}
			command := s.opts.Command
			if command == "" {
				command = "server"
			}
			args := []string{command,
				"--listen", fmt.Sprintf("127.0.0.1:%d", s.port),
				"--data-dir", s.dataDir,
				"--barrier-interval", s.opts.BarrierInterval.String(),
				"--metrics-listen", fmt.Sprintf("127.0.0.1:%d", s.metricsPort),
			}
			cmd = exec.Command(s.bin, append(args, s.opts.ExtraArgs...)...)
			if len(s.opts.Env) > 0 {
				cmd.Env = append(os.Environ(), s.opts.Env...)
			}
		case EnginePostgres:
			cmd = postgresCommand(s.bin, s.dataDir, s.sockDir, s.port)
		}
		proc, err := startProcess(cmd, s.logPath, s.cred)
		if err != nil {
			t.Fatalf("starting %s: %v", s.Engine, err)
		}
		if err := waitReady(proc, s.DSN(), readyTimeout); err != nil {
			proc.kill()
			lastErr = err
			if strings.Contains(logTail(s.logPath, 20), "in use") {
				continue // lost a race for the port: try another
			}
			break
		}
		s.mu.Lock()
		s.proc = proc
		s.mu.Unlock()
		return
	}
	t.Fatalf("%s did not start: %v\nlog %s:\n%s", s.Engine, lastErr, s.logPath, logTail(s.logPath, 60))
}

// DSN is a pgx connection string for user eddy, database eddy, without TLS.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://eddy@127.0.0.1:%d/eddy?sslmode=disable&connect_timeout=10", s.port)
}

// Host and Port are what psql's -h and -p need.
func (s *Server) Host() string { return "127.0.0.1" }
func (s *Server) Port() int    { return s.port }

// Pid is the process id of the running server (0 when it is not running),
// for tests that read its /proc entries.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil || s.proc.exited() {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// DataDir is the directory the server keeps its state in.
func (s *Server) DataDir() string { return s.dataDir }

// LogPath is the file the server's stdout and stderr go to.
func (s *Server) LogPath() string { return s.logPath }

// MetricsURL is where the server serves Prometheus metrics (Eddy only).
func (s *Server) MetricsURL() string {
	return fmt.Sprintf("http://127.0.0.1:%d/metrics", s.metricsPort)
}

// Conn opens a connection that is closed when the test ends.
func (s *Server) Conn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		t.Fatalf("connecting to %s: %v", s.Engine, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.Close(ctx)
	})
	return conn
}

// Kill sends SIGKILL to the server and waits for it to die.
func (s *Server) Kill() {
	s.mu.Lock()
	proc := s.proc
	s.proc = nil
	s.mu.Unlock()
	proc.kill()
}

// Stop shuts the server down gracefully (SIGTERM, SIGINT for PostgreSQL's
// fast shutdown), killing it if it takes longer than 10s.
func (s *Server) Stop() {
	s.mu.Lock()
	proc := s.proc
	s.proc = nil
	s.mu.Unlock()
	sig := syscall.SIGTERM
	if s.Engine == EnginePostgres {
		sig = syscall.SIGINT
	}
	proc.stop(sig, 10*time.Second)
}

// Restart stops the server if it still runs (gracefully) and starts it again
// on the same data dir and, if it is still free, the same port.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// FlushStatements returns what makes every earlier change visible in the
// given materialized views: FLUSH on Eddy, REFRESH MATERIALIZED VIEW on
// PostgreSQL (views in creation order, so a view over a view sees its input
// refreshed first).
func (s *Server) FlushStatements(views ...string) []string {
	return FlushStatements(s.Engine, views...)
}

// FlushStatements is Server.FlushStatements for a given engine.
func FlushStatements(engine Engine, views ...string) []string {
	if engine == EngineEddy {
		return []string{"FLUSH"}
	}
	stmts := make([]string, len(views))
	for i, v := range views {
		stmts[i] = "REFRESH MATERIALIZED VIEW " + v
	}
	return stmts
}
