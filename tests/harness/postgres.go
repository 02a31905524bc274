package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgreSQL settings shared by the oracle and by -target=postgres. They are
// the defaults Eddy uses, so expected results written from PostgreSQL hold
// for Eddy: UTC, ISO dates, the postgres interval style, and the C collation
// (byte order) for text comparisons.
var postgresSettings = []string{
	"listen_addresses=127.0.0.1",
	"fsync=off",
	"full_page_writes=off",
	"TimeZone=UTC",
	"DateStyle=ISO, MDY",
	"IntervalStyle=postgres",
	"max_connections=200",
	"shared_buffers=32MB",
	"log_min_messages=warning",
	"log_min_error_statement=panic",
}

// pgBinDir finds PostgreSQL's server binaries: $EDDY_PG_BIN, the Debian
// layout (newest version, 15 preferred), or pg_config --bindir.
func pgBinDir() (string, error) {
	if dir := os.Getenv("EDDY_PG_BIN"); dir != "" {
		return dir, nil
	}
	if _, err := os.Stat("/usr/lib/postgresql/15/bin/postgres"); err == nil {
		return "/usr/lib/postgresql/15/bin", nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	sort.Strings(dirs)
	if len(dirs) > 0 {
		return filepath.Dir(dirs[len(dirs)-1]), nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("PostgreSQL server binaries not found (install postgresql, or set EDDY_PG_BIN)")
}

// requirePostgres returns PostgreSQL's bin dir, skipping the test when it
// is absent and EDDY_ALLOW_MISSING_PG=1, failing it otherwise.
func requirePostgres(t testing.TB) string {
	t.Helper()
	dir, err := pgBinDir()
	if err != nil {
		if os.Getenv("EDDY_ALLOW_MISSING_PG") == "1" {
			t.Skipf("skipping: %v (EDDY_ALLOW_MISSING_PG=1)", err)
		}
		t.Fatalf("%v; set EDDY_ALLOW_MISSING_PG=1 to skip the tests that need it", err)
	}
	return dir
}

// initCluster runs initdb into a new directory (owned by the postgres user
// when we are root) and creates database eddy, owned by superuser eddy.
func initCluster(binDir string, cred *syscall.Credential) (dataDir, sockDir string, err error) {
	base, err := os.MkdirTemp("", "eddy-pg-")
	if err != nil {
		return "", "", err
	}
	if err := os.Chmod(base, 0o755); err != nil {
		return "", "", err
	}
	dataDir = filepath.Join(base, "data")
	sockDir = filepath.Join(base, "sock")
	for _, d := range []string{dataDir, sockDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return "", "", err
		}
	}
	if err := chownTree(base, cred); err != nil {
		return "", "", err
	}
	run := func(stdin string, name string, args ...string) error {
		cmd := exec.Command(filepath.Join(binDir, name), args...)
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v\n%s", name, err, out)
		}
		return nil
	}
	if err := run("", "initdb", "-D", dataDir, "-U", "eddy", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(base)
		return "", "", err
	}
	// Single-user mode creates database eddy without starting a server.
	if err := run("CREATE DATABASE eddy;\n", "postgres", "--single", "-D", dataDir, "-c", "fsync=off", "postgres"); err != nil {
		os.RemoveAll(base)
		return "", "", err
	}
	return dataDir, sockDir, nil
}

func postgresCommand(binDir, dataDir, sockDir string, port int) *exec.Cmd {
	args := []string{"-D", dataDir, "-p", fmt.Sprint(port), "-k", sockDir}
	for _, s := range postgresSettings {
		args = append(args, "-c", s)
	}
	cmd := exec.Command(filepath.Join(binDir, "postgres"), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd
}

// initPostgres prepares a private cluster for a Server of -target=postgres.
func (s *Server) initPostgres(t testing.TB) {
	t.Helper()
	s.bin = requirePostgres(t)
	cred, err := dropPrivileges()
	if err != nil {
		t.Fatal(err)
	}
	s.cred = cred
	dataDir, sockDir, err := initCluster(s.bin, cred)
	if err != nil {
		t.Fatalf("initdb: %v", err)
	}
	s.dataDir, s.sockDir = dataDir, sockDir
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(dataDir)) })
}

// Postgres is the PostgreSQL oracle shared by the tests of one test binary.
type Postgres struct {
	port int
	proc *process
	base string
	log  string
	seq  atomic.Int64
}

var (
	oracleOnce sync.Once
	oracle     *Postgres
	oracleErr  error
)

// StartPostgres returns the PostgreSQL oracle of this test binary, starting
// it on first use. It runs until Main's cleanup; tests isolate themselves
// with NewDatabase.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	binDir := requirePostgres(t)
	oracleOnce.Do(func() { oracle, oracleErr = startOracle(binDir) })
	if oracleErr != nil {
		t.Fatalf("starting the PostgreSQL oracle: %v", oracleErr)
	}
	return oracle
}

func startOracle(binDir string) (*Postgres, error) {
	cred, err := dropPrivileges()
	if err != nil {
		return nil, err
	}
	dataDir, sockDir, err := initCluster(binDir, cred)
	if err != nil {
		return nil, err
	}
	pg := &Postgres{base: filepath.Dir(dataDir), log: filepath.Join(filepath.Dir(dataDir), "postgres.log")}
	atExit(func() {
		pg.proc.stop(syscall.SIGINT, 10*time.Second)
		os.RemoveAll(pg.base)
	})
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if pg.port, err = FreePort(); err != nil {
			return nil, err
		}
		proc, err := startProcess(postgresCommand(binDir, dataDir, sockDir, pg.port), pg.log, cred)
		if err != nil {
			return nil, err
		}
		if lastErr = waitReady(proc, pg.DSN(), readyTimeout); lastErr == nil {
			pg.proc = proc
			return pg, nil
		}
		proc.kill()
	}
	return nil, fmt.Errorf("%v\n%s", lastErr, logTail(pg.log, 40))
}

// DSN connects to database eddy as superuser eddy.
func (p *Postgres) DSN() string { return p.DSNFor("eddy") }

// DSNFor connects to the named database.
func (p *Postgres) DSNFor(database string) string {
	return fmt.Sprintf("postgres://eddy@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=10", p.port, database)
}

// Port is the oracle's TCP port on 127.0.0.1.
func (p *Postgres) Port() int { return p.port }

// NewDatabase creates a fresh, uniquely named database that is dropped when
// the test ends, and returns its DSN.
func (p *Postgres) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), p.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, p.DSN())
	if err != nil {
		t.Fatalf("connecting to the oracle: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, p.DSN()); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	return p.DSNFor(name)
}

// Conn opens a connection to a database of the oracle, closed when the test
// ends.
func (p *Postgres) Conn(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to the oracle: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
