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
	for _, path := range files {
		name := strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(path, filepath.Join("testdata", "slt")+string(filepath.Separator))), ".slt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := slt.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			runner := &slt.Runner{Mode: slt.Verify}
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
