package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlstateCodes reads every SQLSTATE that sql/pgerror/codes.go names.
func sqlstateCodes(t *testing.T) map[string]string {
	t.Helper()
	path := filepath.Join("..", "sql", "pgerror", "codes.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || len(spec.Values) != 1 {
			return true
		}
		if lit, ok := spec.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			code, _ := strconv.Unquote(lit.Value)
			codes[code] = spec.Names[0].Name
		}
		return true
	})
	if len(codes) < 200 {
		t.Fatalf("read only %d codes from %s", len(codes), path)
	}
	return codes
}

// goFiles calls fn for every Go file of the module but the generated code
// table and its generator.
func goFiles(t *testing.T, fn func(rel string, f *ast.File, fset *token.FileSet)) {
	t.Helper()
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules" || rel == "sql/pgerror/internal" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || rel == "sql/pgerror/codes.go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		fn(rel, f, fset)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSQLSTATEsByName fails on a SQLSTATE spelled as a string anywhere but
// the generated table: a code is written by its name (pgerror.DivisionByZero),
// so the compiler checks it and a reader sees what it means. A test's
// expected error marked with a leading "!" counts too.
func TestSQLSTATEsByName(t *testing.T) {
	codes := sqlstateCodes(t)
	goFiles(t, func(rel string, f *ast.File, fset *token.FileSet) {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			// 00000 is also a run of zeros (a to_char template, a padded
			// number); success is never raised, so it is not checked.
			if name, ok := codes[strings.TrimPrefix(s, "!")]; ok && s != "00000" {
				t.Errorf("%s: SQLSTATE %s spelled as %s: use pgerror.%s", fset.Position(lit.Pos()), s, lit.Value, name)
			}
			return true
		})
	})
}

// vagueFileName matches a file named for the batch that added it, or for
// nothing at all, rather than for what it holds.
var vagueFileName = regexp.MustCompile(`(_more|_extra|_misc|_fixes|_ext)$|^(more|misc|extra|fixes|util|utils|helpers)$`)

// TestFilesNamedForWhatTheyHold fails on a Go file or test data file whose
// name says when it was written instead of what it holds.
func TestFilesNamedForWhatTheyHold(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		base := d.Name()
		if !strings.HasSuffix(base, ".go") && !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		stem := strings.TrimSuffix(strings.TrimSuffix(base, filepath.Ext(base)), "_test")
		if vagueFileName.MatchString(stem) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s is named for a batch, not for what it holds: rename it by its content", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
