package tests

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/tests/harness"
	"github.com/eddy-db/eddy/tests/slt"
)

// TestSLT runs every tests/testdata/slt/**/*.slt file as a subtest, each on
// a fresh server (Eddy) or a fresh database (PostgreSQL).
//
//	go test ./tests -run TestSLT                 check against Eddy
//	go test ./tests -run TestSLT -rewrite        regenerate from PostgreSQL
//	go test ./tests -run TestSLT -rewrite-eddy   regenerate Eddy-only records from Eddy
//	go test ./tests -run TestSLT -target=postgres  check the files against PostgreSQL
//	go test ./tests -run TestSLT/pg -update-known  rewrite pg/KNOWN_FAILURES from Eddy
//
// A directory with a KNOWN_FAILURES file (see slt/known.go) tolerates the
// records listed there failing on Eddy, and fails when one of them passes.
// Each file logs "slt-summary" lines (passed/known failing/total); see them
// with -v.
func TestSLT(t *testing.T) {
	var files []string
	err := filepath.WalkDir(filepath.Join("testdata", "slt"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".slt") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .slt files under testdata/slt")
	}
	if *harness.Rewrite && *harness.RewriteEddy {
		t.Fatal("-rewrite and -rewrite-eddy are exclusive")
	}
	checkingEddy := !*harness.Rewrite && !*harness.RewriteEddy && harness.Engine(*harness.Target) != harness.EnginePostgres
	if *harness.UpdateKnown && !checkingEddy {
		t.Fatal("-update-known needs Eddy in check mode (no -rewrite, -rewrite-eddy or -target=postgres)")
	}
	known := map[string]*slt.KnownFailures{} // by directory
	if checkingEddy {
		for _, path := range files {
			dir := filepath.Dir(path)
			if _, done := known[dir]; done {
				continue
			}
			k, err := slt.LoadKnownFailures(dir, *harness.UpdateKnown)
			if err != nil {
				t.Fatal(err)
			}
			known[dir] = k
			if k != nil {
				t.Cleanup(func() { k.Finish(t) })
			}
		}
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(path, filepath.Join("testdata", "slt")+string(filepath.Separator))), ".slt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := slt.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			runner := &slt.Runner{Mode: slt.Verify, Known: known[filepath.Dir(path)]}
			switch {
			case *harness.Rewrite || harness.Engine(*harness.Target) == harness.EnginePostgres:
				pg := harness.StartPostgres(t)
				runner.Engine = harness.EnginePostgres
				runner.Conn = pg.Conn(t, pg.NewDatabase(t)).PgConn()
				if *harness.Rewrite {
					runner.Mode = slt.RewriteAll
				}
			default:
				s := harness.StartEddy(t, harness.Options{})
				runner.Engine = s.Engine
				runner.Conn = s.Conn(t).PgConn()
				if *harness.RewriteEddy {
					runner.Mode = slt.RewriteEddyOnly
				}
			}
			runner.RunFile(t, f)
		})
	}
}
