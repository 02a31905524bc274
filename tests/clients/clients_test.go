// Package clients holds client-driver conformance tests: real PostgreSQL
// drivers (pgJDBC, node-postgres, pgx, and from Python psycopg2, psycopg 3
// and SQLAlchemy) talking to a fresh Eddy, each printing
// one "case: value" line per observation. The expected output is what a real
// PostgreSQL 15 gives (testdata/*.out, regenerated with -update); where Eddy
// differs today, the case is listed in a known-differences table next to the
// test, so the suite passes while the list documents every gap. A listed
// case that starts matching PostgreSQL is logged as stale (an error with
// EDDY_CLIENTS_STRICT=1) so the list can be trimmed.
//
//	go test ./tests/clients/                        # against Eddy
//	go test ./tests/clients/ -update                # rewrite testdata/*.out from PostgreSQL
//	go test ./tests/clients/ -target=postgres       # self-check: run everything against PostgreSQL
//
// Environment: EDDY_CLIENTS_STRICT=1 fails on stale known differences;
// EDDY_ALLOW_MISSING_JAVA=1, EDDY_ALLOW_MISSING_NODE=1 and
// EDDY_ALLOW_MISSING_PYTHON=1 skip the JDBC, node-postgres and Python tests
// when java / the pgJDBC jar, node / npm, or a python3 with Debian's
// python3-psycopg2, python3-psycopg and python3-sqlalchemy are not
// installed (they fail otherwise); EDDY_PYTHON names the interpreter
// (default /usr/bin/python3, then python3 from PATH); see package harness
// for the rest.
package clients

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }

var update = flag.Bool("update", false, "rewrite tests/clients/testdata/*.out from a real PostgreSQL")

// updating reports whether expected outputs are being regenerated: -update,
// or the harness's -rewrite (so `go test ./tests/... -rewrite` covers them).
func updating() bool { return *update || *harness.Rewrite }

// knownDiff is a case where Eddy's output differs from PostgreSQL's today.
// Pattern matches case keys with path.Match ("*" does not cross "/", and keys
// have no "/", so "setters.readback.*" matches every readback line).
type knownDiff struct {
	pattern string
	why     string // statement, what PostgreSQL gives, what Eddy gives
}

// target is the server one test talks to.
type target struct {
	engine harness.Engine
	port   int
	db     string
	dsn    string
}

// startTarget starts a fresh Eddy (or, with -target=postgres, a private
// PostgreSQL). With -update it returns a fresh database on the PostgreSQL
// oracle instead, since expected output always comes from PostgreSQL.
func startTarget(t *testing.T) target {
	t.Helper()
	if updating() {
		pg := harness.StartPostgres(t)
		dsn := pg.NewDatabase(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		return target{engine: harness.EnginePostgres, port: pg.Port(), db: strings.TrimPrefix(u.Path, "/"), dsn: dsn}
	}
	s := harness.StartEddy(t, harness.Options{})
	return target{engine: s.Engine, port: s.Port(), db: "eddy", dsn: s.DSN()}
}

// run runs a client program with a deadline and returns its stdout; stderr
// goes to the test log on failure.
func run(t *testing.T, timeout time.Duration, dir string, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	t.Logf("%s %s: %v", name, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s\nstdout:\n%s", name, strings.Join(args, " "), err, stderr.String(), out)
	}
	return out
}

// line is one "case: value" observation.
type line struct{ key, value string }

func parseLines(data []byte) []line {
	var lines []line
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		text := sc.Text()
		if text == "" {
			continue
		}
		key, value, ok := strings.Cut(text, ": ")
		if !ok {
			key, value = text, ""
		}
		lines = append(lines, line{key, value})
	}
	return lines
}

// group collects the values of each key in order, and the keys in order of
// first appearance.
func group(lines []line) (keys []string, values map[string][]string) {
	values = map[string][]string{}
	for _, l := range lines {
		if _, ok := values[l.key]; !ok {
			keys = append(keys, l.key)
		}
		values[l.key] = append(values[l.key], l.value)
	}
	return keys, values
}

// checkGolden compares a program's output with testdata/name, or rewrites
// the file under -update. Known differences apply only when the server is
// Eddy; under -target=postgres every line must match.
func checkGolden(t *testing.T, tg target, name string, got []byte, known []knownDiff) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s from PostgreSQL", file)
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./tests/clients -update to write it from PostgreSQL)", err)
	}
	if tg.engine != harness.EngineEddy {
		known = nil
	}
	wantKeys, wantValues := group(parseLines(want))
	gotKeys, gotValues := group(parseLines(got))
	keys := append([]string{}, wantKeys...)
	for _, k := range gotKeys {
		if _, ok := wantValues[k]; !ok {
			keys = append(keys, k)
		}
	}
	used := make([]bool, len(known))
	var failures, documented []string
	for _, k := range keys {
		w, g := strings.Join(wantValues[k], "\n    "), strings.Join(gotValues[k], "\n    ")
		_, inWant := wantValues[k]
		_, inGot := gotValues[k]
		if inWant == inGot && w == g {
			continue
		}
		if !inWant {
			w = "(no such line)"
		}
		if !inGot {
			g = "(no such line)"
		}
		msg := fmt.Sprintf("%s\n  postgres: %s\n  %-8s: %s", k, w, tg.engine, g)
		matched := false
		for i, d := range known {
			if ok, _ := path.Match(d.pattern, k); ok {
				used[i], matched = true, true
				documented = append(documented, msg+"\n  known: "+d.why)
				break
			}
		}
		if !matched {
			failures = append(failures, msg)
		}
	}
	if len(documented) > 0 {
		t.Logf("%d known difference(s) from PostgreSQL in %s:\n%s", len(documented), name, strings.Join(documented, "\n"))
	}
	for i, d := range known {
		if !used[i] {
			// Not a failure by default: whoever fixes Eddy should not have
			// this suite break on them; EDDY_CLIENTS_STRICT=1 makes it one.
			report := t.Logf
			if os.Getenv("EDDY_CLIENTS_STRICT") == "1" {
				report = t.Errorf
			}
			report("known difference %q no longer occurs: Eddy now matches PostgreSQL there; remove it from the list in tests/clients (%s)", d.pattern, d.why)
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d case(s) differ from PostgreSQL (%s); fix Eddy, or if intended list them as known differences:\n%s",
			len(failures), file, strings.Join(failures, "\n"))
	}
}
