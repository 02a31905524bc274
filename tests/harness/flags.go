// Package harness starts the servers that Eddy's end-to-end tests talk to:
// an Eddy server built from ./cmd/eddy and a real PostgreSQL used as the
// oracle. Tests reach both through the same doors users do: a Postgres
// driver (pgx) over TCP, or the psql binary.
//
// Every flag the end-to-end suites take is declared here, in one package that
// every test binary under tests/ imports, so that `go test ./tests/... -rewrite`
// never fails with "flag provided but not defined" in a sibling package.
//
// Environment:
//
//	EDDY_BIN=path               use a prebuilt eddy binary instead of building ./cmd/eddy
//	EDDY_ALLOW_MISSING_SERVER=1 skip (not fail) tests that need Eddy while ./cmd/eddy is absent
//	EDDY_ALLOW_MISSING_PG=1     skip (not fail) tests that need PostgreSQL when it is not installed
//	EDDY_PG_BIN=dir             directory holding initdb and postgres
//	EDDY_TEST_TARGET=postgres   same as -target=postgres
package harness

import (
	"flag"
	"os"
)

var (
	// Rewrite makes the sqllogictest runner regenerate expected results from
	// the PostgreSQL oracle and write them back into the .slt files.
	Rewrite = flag.Bool("rewrite", false, "slt: rewrite expected results from the real PostgreSQL oracle")
	// RewriteEddy makes the runner rewrite, from Eddy's answers, only the
	// records PostgreSQL cannot answer (onlyif eddy, SHOW TABLES, ...).
	RewriteEddy = flag.Bool("rewrite-eddy", false, "slt: rewrite expected results of Eddy-only records from Eddy")
	// UpdateKnown makes the sqllogictest runner rewrite each directory's
	// KNOWN_FAILURES list from Eddy's current results instead of checking it.
	UpdateKnown = flag.Bool("update-known", false, "slt: rewrite KNOWN_FAILURES lists from Eddy's current results")
	// Seed fixes the seed of randomized tests (differential, crash); 0 picks one.
	Seed = flag.Int64("seed", 0, "seed for randomized tests (0 = random)")
	// Target selects the server under test. "postgres" runs the whole e2e
	// suite against a private PostgreSQL in place of Eddy, which checks the
	// tests and this harness themselves.
	Target = flag.String("target", envOr("EDDY_TEST_TARGET", "eddy"), "server under test: eddy or postgres (self-check of the suite)")
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
