// Package tests holds Eddy's end-to-end suites. Each one talks to a real
// server over a real client connection: sqllogictest files (TestSLT), a
// differential test against PostgreSQL (TestDifferential), crash recovery
// under SIGKILL (TestCrashRecovery), the psql binary (TestPsql), and
// wire-protocol robustness (TestProtocol*). See README.md for how to run
// them and package harness for the flags and environment they take.
package tests

import (
	"testing"

	"github.com/eddy-db/eddy/tests/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }
