package clients

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

var (
	npmOnce sync.Once
	npmErr  error
	npmOut  []byte
)

// nodeReady installs node/package-lock.json's packages (npm ci) once per test
// binary. Without node or npm the test fails, or is skipped when
// EDDY_ALLOW_MISSING_NODE=1.
func nodeReady(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"node", "npm"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("EDDY_ALLOW_MISSING_NODE") == "1" {
				t.Skipf("skipping: %s not found in PATH (EDDY_ALLOW_MISSING_NODE=1)", bin)
			}
			t.Fatalf("%s not found in PATH (apt-get install -y nodejs npm); set EDDY_ALLOW_MISSING_NODE=1 to skip the node-postgres tests", bin)
		}
	}
	npmOnce.Do(func() {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = "node"
		npmOut, npmErr = cmd.CombinedOutput()
	})
	if npmErr != nil {
		t.Fatalf("npm ci in %s: %v\n%s", filepath.Join("tests", "clients", "node"), npmErr, npmOut)
	}
}

// nodeKnownDiffs are the cases of node/test.js where Eddy differs from
// PostgreSQL 15 today.
var nodeKnownDiffs = []knownDiff{}

// TestNodePostgres runs node/test.js (node-postgres: parameterised queries,
// every type in text mode, binary mode for the numeric types, errors,
// a materialized view) and compares it with testdata/node.out.
func TestNodePostgres(t *testing.T) {
	nodeReady(t)
	tg := startTarget(t)
	out := run(t, 60*time.Second, "node", "node", "test.js", itoa(tg.port), tg.db, string(tg.engine))
	checkGolden(t, tg, "node.out", out, nodeKnownDiffs)
}

func itoa(i int) string { return strconv.Itoa(i) }
