package tests

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// layers lists the top-level packages from the top of the stack down.
// A package may import its own layer and the layers below it, never one
// above: the folder layout is the architecture.
var layers = []string{"cmd", "pgwire", "session", "executor", "mview", "planner", "sql", "storage"}

const modulePath = "github.com/eddy-db/eddy/"

func layerOf(dir string) int {
	top := strings.SplitN(filepath.ToSlash(dir), "/", 2)[0]
	for i, l := range layers {
		if l == top {
			return i
		}
	}
	return -1
}

func TestImportsPointDown(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		from := layerOf(filepath.Dir(rel))
		if from < 0 {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(p, modulePath) {
				continue
			}
			to := layerOf(strings.TrimPrefix(p, modulePath))
			if to >= 0 && to < from {
				t.Errorf("%s imports %s: %s may not import the %s layer above it", rel, p, layers[from], layers[to])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
