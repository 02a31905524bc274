package clients

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// jdbcJar is Debian's libpostgresql-jdbc-java.
const jdbcJar = "/usr/share/java/postgresql.jar"

// requireJava fails (or with EDDY_ALLOW_MISSING_JAVA=1 skips) the test when
// java or the pgJDBC jar is missing.
func requireJava(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		missingJava(t, "java not found in PATH (install openjdk-17-jre-headless)")
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		missingJava(t, jdbcJar+" not found (apt-get install -y libpostgresql-jdbc-java)")
	}
}

// javaCommand returns the java command line prefix that runs EddyJdbc. With
// javac it compiles the program into the test's temp dir first (much faster
// than the single-file source launcher); without, it runs the source file.
func javaCommand(t *testing.T) []string {
	t.Helper()
	requireJava(t)
	src, err := filepath.Abs(filepath.Join("jdbc", "EddyJdbc.java"))
	if err != nil {
		t.Fatal(err)
	}
	// Fast JVM start: the program is short-lived.
	flags := []string{"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"}
	if _, err := exec.LookPath("javac"); err != nil {
		return append(flags, "-cp", jdbcJar, src)
	}
	dir := t.TempDir()
	if out, err := exec.Command("javac", "-nowarn", "-d", dir, "-cp", jdbcJar, src).CombinedOutput(); err != nil {
		t.Fatalf("javac EddyJdbc.java: %v\n%s", err, out)
	}
	return append(flags, "-cp", jdbcJar+string(os.PathListSeparator)+dir, "EddyJdbc")
}

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

// jdbcCatalogKnownDiffs are the catalog-section cases where Eddy differs from
// PostgreSQL.
var jdbcCatalogKnownDiffs = []knownDiff{
	{"catalog.getSchemas", `Eddy's own system schema eddy_catalog is in pg_namespace and listed with information_schema and pg_catalog (intended: it is a real schema of system views)`},
}

// TestJDBC runs the main section of jdbc/EddyJdbc.java (pgJDBC without any
// catalog access) and compares it with testdata/jdbc.out.
func TestJDBC(t *testing.T) {
	requireJava(t)
	tg := startTarget(t)
	out := runJDBC(t, tg, "main")
	checkGolden(t, tg, "jdbc.out", out, jdbcKnownDiffs)
}

// TestJDBCCatalog runs the catalog section: DatabaseMetaData (getTables,
// getColumns, getPrimaryKeys), ResultSetMetaData's type names and table
// names, and interval (outside pgJDBC's built-in type cache), all of which
// pgJDBC answers by querying pg_catalog; getColumns over a table with a
// column of every type Eddy has.
func TestJDBCCatalog(t *testing.T) {
	requireJava(t)
	tg := startTarget(t)
	out := runJDBC(t, tg, "catalog")
	checkGolden(t, tg, "jdbc_catalog.out", out, jdbcCatalogKnownDiffs)
}
