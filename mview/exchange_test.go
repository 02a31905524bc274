package mview

import (
	"context"
	"fmt"
	"testing"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
)

// TestExchangeRoutesRowsByVnode sends chunks of inserts and update pairs
// from two senders to three receivers and checks that each row reaches
// the receiver owning its vnode, in its sender's order, that a pair split
// across receivers arrives as a Delete and an Insert, and that each
// barrier reaches every receiver from every sender.
func TestExchangeRoutesRowsByVnode(t *testing.T) {
	ctx := context.Background()
	ts := []types.T{types.Int64, types.Text}
	const senders, receivers = 2, 3
	ex := newChannelExchange(senders, receivers, []int{1}, []types.T{types.Text}, 64)
	owner := func(g string) int {
		return instanceOf(vnodeOf(encoding.EncodeKey(nil, []types.T{types.Text}, []types.Datum{g}), true), receivers)
	}
	// Find two groups owned by different receivers.
	a, b := "g0", ""
	for i := 1; b == ""; i++ {
		if g := fmt.Sprintf("g%d", i); owner(g) != owner(a) {
			b = g
		}
	}
	barrier := &Barrier{Epoch: 5}
	for s := range senders {
		bl := chunk.NewBuilder(ts)
		for i := range int64(20) {
			bl.Append(chunk.Insert, []types.Datum{int64(s)*100 + i, fmt.Sprintf("g%d", i%7)})
		}
		bl.Append(chunk.UpdateBefore, []types.Datum{int64(s)*100 + 50, a})
		bl.Append(chunk.UpdateAfter, []types.Datum{int64(s)*100 + 50, b})
		bl.Append(chunk.UpdateBefore, []types.Datum{int64(s)*100 + 51, a})
		bl.Append(chunk.UpdateAfter, []types.Datum{int64(s)*100 + 51, a})
		if !ex.Send(ctx, s, bl.Build()) || !ex.Send(ctx, s, barrier) {
			t.Fatal("send failed")
		}
	}
	total, barriers := 0, 0
	for r := range receivers {
		for s, in := range ex.Inputs(r) {
			last := int64(-1)
			for range len(in) {
				switch m := (<-in).(type) {
				case *Barrier:
					if m != barrier || len(in) != 0 {
						t.Fatalf("receiver %d from sender %d: barrier of epoch %d with %d messages after it", r, s, m.Epoch, len(in))
					}
					barriers++
				case *chunk.Chunk:
					for i := range m.Len() {
						k, g := m.Datum(i, 0).(int64), m.Datum(i, 1).(string)
						if owner(g) != r {
							t.Errorf("row %d of group %s at receiver %d, owned by %d", k, g, r, owner(g))
						}
						if k/100 != int64(s) || k < last {
							t.Errorf("receiver %d from sender %d: row %d after %d", r, s, k, last)
						}
						last = k
						total++
						switch op := m.Op(i); {
						case k%100 == 50 && g == a && op != chunk.Delete, k%100 == 50 && g == b && op != chunk.Insert:
							t.Errorf("split pair half %d %s arrived as %s", k, g, op)
						case k%100 == 51 && (op != chunk.UpdateBefore && op != chunk.UpdateAfter):
							t.Errorf("pair on one receiver arrived as %s", op)
						}
					}
				}
			}
		}
	}
	if barriers != senders*receivers {
		t.Fatalf("%d barriers received, want %d", barriers, senders*receivers)
	}
	if want := senders * 24; total != want {
		t.Fatalf("%d rows received, want %d", total, want)
	}
}
