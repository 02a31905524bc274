package mview

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
)

func TestSafelyTurnsPanicIntoError(t *testing.T) {
	err := safely(func() error {
		var m map[string]int
		//lint:ignore SA5000 the test needs a real runtime panic, as a bug would cause
		m["boom"] = 1
		return nil
	})
	if pgerror.CodeOf(err) != pgerror.InternalError {
		t.Fatalf("safely returned %v, want an XX000 error", err)
	}
	if err := safely(func() error { return nil }); err != nil {
		t.Fatalf("safely of a clean call returned %v", err)
	}
}
