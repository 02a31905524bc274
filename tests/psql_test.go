package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

// psql runs the real psql binary against s: unaligned, tuples only, no
// psqlrc, stopping at the first error, NULL printed as NULL. psql's default
// sslmode (prefer) exercises the server's answer to SSLRequest.
func psql(t *testing.T, s *harness.Server, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	bin, lookErr := exec.LookPath("psql")
	if lookErr != nil {
		if os.Getenv("EDDY_ALLOW_MISSING_PG") == "1" {
			t.Skip("skipping: psql not found (EDDY_ALLOW_MISSING_PG=1)")
		}
		t.Fatal("psql not found in PATH (install postgresql-client)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := []string{"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-P", "null=NULL",
		"-h", s.Host(), "-p", fmt.Sprint(s.Port()), "-U", "eddy", "eddy"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	// The caller's PG* variables (PGTZ, PGOPTIONS, PGSSLMODE...) must not
	// change what psql sends or prints.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "PGCONNECT_TIMEOUT=10")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestPsql(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})

	t.Run("script", func(t *testing.T) {
		script := strings.Join(append([]string{
			`CREATE TABLE readings (id int PRIMARY KEY, sensor text, value int);`,
			`INSERT INTO readings VALUES (1, 'a', 10), (2, 'a', 20), (3, 'b', 5), (4, 'b', NULL);`,
			`CREATE MATERIALIZED VIEW per_sensor AS SELECT sensor, count(*) AS n, sum(value) AS total FROM readings GROUP BY sensor;`,
		}, append(withSemicolons(s.FlushStatements("per_sensor")),
			`SELECT id, sensor, value FROM readings ORDER BY id;`,
			`SELECT sensor, n, total FROM per_sensor ORDER BY sensor;`,
		)...), "\n") + "\n"
		path := filepath.Join(t.TempDir(), "script.sql")
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, err := psql(t, s, "-q", "-f", path)
		if err != nil {
			t.Fatalf("psql -f: %v\nstderr:\n%s", err, errOut)
		}
		want := "1|a|10\n2|a|20\n3|b|5\n4|b|NULL\na|2|30\nb|2|5\n"
		if out != want {
			t.Errorf("psql output:\n%s\nwant:\n%s\nstderr:\n%s", out, want, errOut)
		}
	})

	t.Run("command tags", func(t *testing.T) {
		out, errOut, err := psql(t, s, "-c", "CREATE TABLE tags (k int PRIMARY KEY)")
		if err != nil || strings.TrimSpace(out) != "CREATE TABLE" {
			t.Fatalf("CREATE TABLE: %q %v\n%s", out, err, errOut)
		}
		out, errOut, err = psql(t, s, "-c", "INSERT INTO tags VALUES (1), (2), (3)")
		if err != nil || strings.TrimSpace(out) != "INSERT 0 3" {
			t.Fatalf("INSERT: %q %v\n%s", out, err, errOut)
		}
		out, errOut, err = psql(t, s, "-c", "UPDATE tags SET k = k + 10 WHERE k > 1")
		if err != nil || strings.TrimSpace(out) != "UPDATE 2" {
			t.Fatalf("UPDATE: %q %v\n%s", out, err, errOut)
		}
		out, errOut, err = psql(t, s, "-c", "DELETE FROM tags WHERE k = 1")
		if err != nil || strings.TrimSpace(out) != "DELETE 1" {
			t.Fatalf("DELETE: %q %v\n%s", out, err, errOut)
		}
	})

	t.Run("values", func(t *testing.T) {
		out, errOut, err := psql(t, s, "-c", "SELECT 1, 'x', NULL::text, '', true, 1.50::numeric, '2024-01-02 03:04:05'::timestamp")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if want := "1|x|NULL||t|1.50|2024-01-02 03:04:05\n"; out != want {
			t.Errorf("got %q, want %q", out, want)
		}
	})

	t.Run("several statements in one query", func(t *testing.T) {
		out, errOut, err := psql(t, s, "-c", "SELECT 1; SELECT 2")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if out != "1\n2\n" {
			t.Errorf("got %q, want %q", out, "1\n2\n")
		}
	})

	t.Run("error", func(t *testing.T) {
		_, errOut, err := psql(t, s, "-c", "SELECT * FROM no_such_table")
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("psql should exit 1 on a SQL error, got %v\n%s", err, errOut)
		}
		if !strings.Contains(errOut, `ERROR:  relation "no_such_table" does not exist`) {
			t.Errorf("stderr %q does not carry PostgreSQL's message", errOut)
		}
		// The server is still there for the next client.
		out, errOut, err := psql(t, s, "-c", "SELECT 42")
		if err != nil || out != "42\n" {
			t.Fatalf("after an error: %q %v\n%s", out, err, errOut)
		}
	})
}

func withSemicolons(stmts []string) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = s + ";"
	}
	return out
}
