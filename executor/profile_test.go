package executor

import (
	"context"
	"testing"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/types"
)

// TestRunProfiledCounts checks that every operator of a profiled plan is
// counted with the rows and chunks it returned, and that its time covers
// its input's.
func TestRunProfiledCounts(t *testing.T) {
	r := newMemReader()
	big := relation(9, "big", []int{0}, catalog.Column{Name: "a", Type: types.Int64})
	for i := 0; i < 2500; i++ {
		load(r, big, []types.Datum{int64(i)})
	}
	scan := scanOf(big, 0)
	filter := &planner.Filter{Node: planner.Node{Out: outputs(types.Int64)}, Input: scan,
		Predicate: op(t, "<", col(0, types.Int64), constant(int64(100), types.Int64))}
	rows, prof, err := RunProfiled(context.Background(), filter, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for {
		c, err := rows.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
	}
	s, ok := prof.Of(scan)
	if !ok || s.Rows != 2500 || s.Chunks != 3 {
		t.Errorf("scan counted %+v (ran: %v), want 2500 rows in 3 chunks", s, ok)
	}
	f, ok := prof.Of(filter)
	if !ok || f.Rows != 100 || f.Chunks != 1 {
		t.Errorf("filter counted %+v (ran: %v), want 100 rows in 1 chunk", f, ok)
	}
	if f.Time < s.Time {
		t.Errorf("filter time %v is less than its scan's %v: times must be inclusive", f.Time, s.Time)
	}
	if _, ok := prof.Of(scanOf(big, 0)); ok {
		t.Error("a node that never ran has counts")
	}
}
