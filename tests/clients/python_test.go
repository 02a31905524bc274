package clients

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// pythonModules are the Debian packages python/clients.py drives:
// python3-psycopg2, python3-psycopg (psycopg 3) and python3-sqlalchemy.
var pythonModules = []string{"psycopg2", "psycopg", "sqlalchemy"}

// pythonInterpreter returns a python3 that can import pythonModules:
// $EDDY_PYTHON, else Debian's /usr/bin/python3 (where the python3-*
// packages install), else python3 from PATH. Without one the test fails,
// or is skipped when EDDY_ALLOW_MISSING_PYTHON=1.
func pythonInterpreter(t *testing.T) string {
	t.Helper()
	var candidates []string
	if p := os.Getenv("EDDY_PYTHON"); p != "" {
		candidates = []string{p}
	} else {
		candidates = []string{"/usr/bin/python3", "python3"}
	}
	var problems []string
	for _, c := range candidates {
		bin, err := exec.LookPath(c)
		if err != nil {
			problems = append(problems, c+": not found")
			continue
		}
		check := "import " + strings.Join(pythonModules, ", ")
		if out, err := exec.Command(bin, "-c", check).CombinedOutput(); err != nil {
			problems = append(problems, bin+": "+strings.TrimSpace(string(out)))
			continue
		}
		return bin
	}
	why := "no python3 with " + strings.Join(pythonModules, ", ") + " (apt-get install -y python3-psycopg2 python3-psycopg python3-sqlalchemy): " + strings.Join(problems, "; ")
	if os.Getenv("EDDY_ALLOW_MISSING_PYTHON") == "1" {
		t.Skipf("skipping: %s (EDDY_ALLOW_MISSING_PYTHON=1)", why)
	}
	t.Fatalf("%s; set EDDY_ALLOW_MISSING_PYTHON=1 to skip the Python client tests", why)
	return ""
}

// pythonKnownDiffs are the cases of python/clients.py where Eddy differs
// from PostgreSQL 15 today for reasons of Eddy's own. Cases waiting for
// work that has not landed yet are listed in the script itself
// (EXPECTED_FAILURES_ON_EDDY), which prints them.
var pythonKnownDiffs = []knownDiff{
	{"sqlalchemy.schemas", `get_schema_names lists every schema not named pg_*: Eddy has its system schema eddy_catalog besides PostgreSQL's`},
}

// TestPython runs python/clients.py (psycopg2: parameters and types,
// copy_expert, named cursors; psycopg 3: prepared and binary queries;
// SQLAlchemy's inspector as Superset reflects a database) and compares its
// output with testdata/python.out from PostgreSQL.
func TestPython(t *testing.T) {
	python := pythonInterpreter(t)
	tg := startTarget(t)
	out := run(t, 120*time.Second, "python", python, "clients.py", itoa(tg.port), tg.db, string(tg.engine))
	out, expected := expectedFailures(out)
	if len(expected) > 0 {
		t.Logf("python/clients.py lists %d expected failure(s) on Eddy:\n  %s", len(expected), strings.Join(expected, "\n  "))
	}
	known := append([]knownDiff{}, pythonKnownDiffs...)
	for _, e := range expected {
		name, why, _ := strings.Cut(e, " ")
		known = append(known, knownDiff{pattern: name + "*", why: "expected failure listed in python/clients.py: " + why})
	}
	checkGolden(t, tg, "python.out", out, known)
}

// expectedFailures takes the script's "expected-failure: case why" lines
// out of its output.
func expectedFailures(out []byte) ([]byte, []string) {
	var kept []string
	var expected []string
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "expected-failure: "); ok {
			expected = append(expected, rest)
			continue
		}
		kept = append(kept, l)
	}
	return []byte(strings.Join(kept, "\n")), expected
}
