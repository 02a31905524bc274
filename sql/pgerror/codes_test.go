package pgerror

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCodesGenerated fails when codes.go is not what the generator writes
// from errcodes.txt, so a hand edit or a stale copy shows up.
func TestCodesGenerated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "codes.go")
	cmd := exec.Command("go", "run", "./internal/gencodes", "errcodes.txt", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencodes: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("codes.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Fatal("codes.go is stale: run go generate ./sql/pgerror")
	}
}
