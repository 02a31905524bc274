package slt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKnownFailuresRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if k, err := LoadKnownFailures(dir, false); k != nil || err != nil {
		t.Fatalf("no list: got %v, %v", k, err)
	}
	text := "# comment\n#   a.slt  3/5 passed, 2 known failing\n\na.slt:7  42883 function f() does not exist\nb.slt:12 wrong result\n"
	path := filepath.Join(dir, KnownFailuresFile)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKnownFailures(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := k.listed("a.slt", 7); !ok || r != "42883 function f() does not exist" {
		t.Errorf("a.slt:7 = %q, %v", r, ok)
	}
	if r, ok := k.listed("b.slt", 12); !ok || r != "wrong result" {
		t.Errorf("b.slt:12 = %q, %v", r, ok)
	}
	if s := k.summary["a.slt"]; s.Passed != 3 || s.Total != 5 || s.Known != 2 {
		t.Errorf("summary a.slt = %+v", s)
	}
	// a.slt ran and now fails only at line 9; b.slt did not run and keeps
	// its entry.
	kr := k.start(&File{Path: filepath.Join(dir, "a.slt")})
	kr.seen[9] = "wrong result"
	kr.stats = FileStats{Total: 5, Passed: 4, Known: 1}
	k.seen["a.slt"] = kr.seen
	k.summary["a.slt"] = kr.stats
	if err := k.write(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got := string(data)
	for _, want := range []string{"a.slt:9  wrong result\n", "b.slt:12  wrong result\n", "4/5 passed, 1 known failing"} {
		if !strings.Contains(got, want) {
			t.Errorf("rewritten list lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "a.slt:7") {
		t.Errorf("a.slt:7 passes now and should be dropped:\n%s", got)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("nonsense line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKnownFailures(dir, false); err == nil {
		t.Error("a malformed line should be an error")
	}
}
