package pgerror

import (
	"context"
	"fmt"
	"testing"
)

// A context error surfaces as 57014 in PostgreSQL's words however deeply it
// is wrapped, never as XX000.
func TestFromContextErrors(t *testing.T) {
	for _, tc := range []struct {
		err     error
		message string
	}{
		{context.DeadlineExceeded, "canceling statement due to statement timeout"},
		{fmt.Errorf("mview: backfill of t: %w", context.DeadlineExceeded), "canceling statement due to statement timeout"},
		{context.Canceled, "canceling statement due to user request"},
		{fmt.Errorf("drop v: %w", context.Canceled), "canceling statement due to user request"},
	} {
		pe := From(tc.err)
		if pe.Code != QueryCanceled || pe.Message != tc.message {
			t.Errorf("From(%v) = %s %q, want %s %q", tc.err, pe.Code, pe.Message, QueryCanceled, tc.message)
		}
	}
	if pe := From(fmt.Errorf("disk on fire")); pe.Code != InternalError {
		t.Errorf("From(other error) = %s, want %s", pe.Code, InternalError)
	}
}
