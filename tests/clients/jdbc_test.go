package clients

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// jdbcJar is Debian's libpostgresql-jdbc-java.
const jdbcJar = "/usr/share/java/postgresql.jar"

var (
	javaOnce sync.Once
	javaDir  string // compiled classes, or "" to run the source file directly
	javaErr  error
)

// javaCommand returns the java command line prefix that runs EddyJdbc,
// compiling it once with javac when javac exists (much faster than the
// single-file source launcher, which compiles on every run).
func javaCommand(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		missingJava(t, "java not found in PATH (install openjdk-17-jre-headless)")
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		missingJava(t, jdbcJar+" not found (apt-get install -y libpostgresql-jdbc-java)")
	}
	src, err := filepath.Abs(filepath.Join("jdbc", "EddyJdbc.java"))
	if err != nil {
		t.Fatal(err)
	}
	javaOnce.Do(func() {
		if _, err := exec.LookPath("javac"); err != nil {
			return
		}
		dir, err := os.MkdirTemp("", "eddy-jdbc-")
		if err != nil {
			javaErr = err
			return
		}
		out, err := exec.Command("javac", "-nowarn", "-d", dir, "-cp", jdbcJar, src).CombinedOutput()
		if err != nil {
			os.RemoveAll(dir)
			javaErr = &compileError{err, string(out)}
			return
		}
		javaDir = dir
	})
	if javaErr != nil {
		t.Fatalf("javac EddyJdbc.java: %v", javaErr)
	}
	// Fast JVM start: the program is short-lived.
	flags := []string{"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"}
	if javaDir != "" {
		return append(flags, "-cp", jdbcJar+string(os.PathListSeparator)+javaDir, "EddyJdbc")
	}
	return append(flags, "-cp", jdbcJar, src)
}

type compileError struct {
	err error
	out string
}

func (e *compileError) Error() string { return e.err.Error() + "\n" + e.out }

func missingJava(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("EDDY_ALLOW_MISSING_JAVA") == "1" {
		t.Skipf("skipping: %s (EDDY_ALLOW_MISSING_JAVA=1)", why)
	}
	t.Fatalf("%s; set EDDY_ALLOW_MISSING_JAVA=1 to skip the JDBC tests", why)
}

func runJDBC(t *testing.T, tg target, section string) []byte {
	args := append(javaCommand(t), itoa(tg.port), tg.db, string(tg.engine), section)
	return run(t, 90*time.Second, ".", "java", args...)
}

// jdbcKnownDiffs are the cases of jdbc/EddyJdbc.java where Eddy differs from
// PostgreSQL 15 today.
var jdbcKnownDiffs = []knownDiff{
	{"setters.default.id[123]", `PreparedStatement.setDate sends the date as text "2024-01-02 +00" with an unspecified type: PostgreSQL accepts the zone suffix for a date, Eddy fails with 22007 invalid input syntax for type date`},
	{"setters.prepared", `setDate "YYYY-MM-DD +00" rejected (22007) on every execution, named server-side statements included`},
	{"setters.batch", `setDate "YYYY-MM-DD +00" rejected (22007): executeBatch aborts at entry 0`},
	{"setters.readback.*", `rows inserted through setDate are missing, since their INSERTs failed (22007)`},
	{"params.*.date", `SELECT id FROM jt WHERE d = ? OR d > ? with setDate: PostgreSQL 2,3, Eddy 22007 invalid input syntax for type date: "1999-12-31 +00"`},
	{"metadata.typmod.ts", `CREATE TABLE ... ts timestamp(3): PostgreSQL reports typmod 3 in RowDescription (precision=26 scale=3), Eddy ignores the precision (29/6)`},
	{"metadata.typmod.values", `INSERT '2024-01-02 03:04:05.123456' into timestamp(3): PostgreSQL rounds to 03:04:05.123, Eddy keeps the microseconds`},
	{"error.duplicate-key.batch.after", `executeBatch of two INSERTs of the same key (autocommit, one Sync): PostgreSQL runs the batch as one implicit transaction and keeps neither row (0), Eddy commits the first (1)`},
	{"tx.commit.before", `setAutoCommit(false), two INSERTs, count from another connection before commit(): PostgreSQL 0, Eddy 2 (writes visible before COMMIT)`},
	{"tx.rollback.after", `setAutoCommit(false), INSERT, rollback(): PostgreSQL discards the row (0), Eddy keeps it (1)`},
	{"tx.error.after", `INSERT, failing INSERT (23505), rollback(): PostgreSQL keeps nothing (0), Eddy keeps the first INSERT (1)`},
}

// TestJDBC runs the main section of jdbc/EddyJdbc.java (pgJDBC without any
// catalog access) and compares it with testdata/jdbc.out.
func TestJDBC(t *testing.T) {
	javaCommand(t) // skip or fail early when java is missing
	tg := startTarget(t)
	out := runJDBC(t, tg, "main")
	checkGolden(t, tg, "jdbc.out", out, jdbcKnownDiffs)
}

// TestJDBCCatalog runs the catalog section: DatabaseMetaData (getTables,
// getColumns, getPrimaryKeys), ResultSetMetaData's type names and table
// names, and interval (outside pgJDBC's built-in type cache), all of which
// pgJDBC answers by querying pg_catalog. It is skipped while Eddy has no
// pg_catalog.
func TestJDBCCatalog(t *testing.T) {
	javaCommand(t)
	tg := startTarget(t)
	if err := probeCatalog(tg.dsn); err != nil {
		t.Skipf("skipping until pg_catalog exists: probe SELECT 1 FROM pg_catalog.pg_class LIMIT 1 failed: %v", err)
	}
	out := runJDBC(t, tg, "catalog")
	checkGolden(t, tg, "jdbc_catalog.out", out, nil)
}

func probeCatalog(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var one int
	return conn.QueryRow(ctx, "SELECT 1 FROM pg_catalog.pg_class LIMIT 1").Scan(&one)
}
