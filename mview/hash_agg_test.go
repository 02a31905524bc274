package mview

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TestHashAggExtremesModel feeds a HashAgg random inserts and retractions
// of earlier rows, with barriers in between, a group cache sometimes too
// small to keep any group and count caches of several sizes, and checks the
// view its output builds against min, max, count and count(DISTINCT)
// recomputed from the live rows.
func TestHashAggExtremesModel(t *testing.T) {
	for seed := range 20 {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runHashAggModel(t, uint64(seed)) })
	}
}

func runHashAggModel(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	store, err := storage.Open("mem", storage.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	inputTypes := []types.T{types.Int64, types.Int64}
	v := expr.NewColumnRef(1, types.Int64, "v")
	var calls []agg.Call
	for _, name := range []string{"min", "max", "count"} {
		c := agg.Call{Name: name, Args: []expr.Expr{v}, Distinct: name == "count"}
		if c.Result, err = agg.ResultType(name, []types.T{types.Int64}, false); err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	h, err := NewHashAgg(inputTypes, []int{0}, calls, storage.NewStateTable(store, 1), storage.NewStateTable(store, 2), &expr.Context{})
	if err != nil {
		t.Fatal(err)
	}
	// Count caches that hold nothing, some groups, or every group.
	h.maxCachedCounts = []int{0, 8, defaultCachedCounts}[seed%3]
	view := map[int64][]types.Datum{}
	emit := func(c *chunk.Chunk) {
		for i := 0; i < c.Len(); i++ {
			row := c.Row(i)
			g := row[0].(int64)
			if c.Op(i).IsRetraction() {
				if !slices.Equal(view[g], row) {
					t.Fatalf("retraction of %v, view holds %v", row, view[g])
				}
				delete(view, g)
			} else {
				view[g] = row
			}
		}
	}
	var live [][2]int64
	for epoch := uint64(1); epoch <= 60; epoch++ {
		b := chunk.NewBuilder(inputTypes)
		for range rng.IntN(40) {
			if len(live) > 0 && rng.IntN(5) < 2 {
				i := rng.IntN(len(live))
				row := live[i]
				live = slices.Delete(live, i, i+1)
				b.Append(chunk.Delete, []types.Datum{row[0], row[1]})
				continue
			}
			row := [2]int64{rng.Int64N(4), rng.Int64N(12)}
			live = append(live, row)
			b.Append(chunk.Insert, []types.Datum{row[0], row[1]})
		}
		if b.Len() > 0 {
			if err := h.chunk(0, b.Build(), emit); err != nil {
				t.Fatal(err)
			}
		}
		batch := store.NewEpochBatch(epoch)
		if err := h.barrier(&Barrier{Epoch: epoch, Batch: batch}, emit); err != nil {
			t.Fatal(err)
		}
		if err := store.Commit(batch); err != nil {
			t.Fatal(err)
		}
		// Between epochs the operator holds no decoded group: their state
		// is in the state table (and the Store's state cache) only.
		if len(h.touched) != 0 || len(h.dirty) != 0 || h.cachedCounts != 0 || len(h.changes) != 0 {
			t.Fatalf("epoch %d: after the barrier %d groups, %d dirty, %d counts, %d changes are held",
				epoch, len(h.touched), len(h.dirty), h.cachedCounts, len(h.changes))
		}

		want := map[int64][]types.Datum{}
		distinct := map[int64]map[int64]bool{}
		for _, row := range live {
			g, v := row[0], row[1]
			w, ok := want[g]
			if !ok {
				w = []types.Datum{g, v, v, int64(0)}
				distinct[g] = map[int64]bool{}
			}
			w[1], w[2] = min(w[1].(int64), v), max(w[2].(int64), v)
			distinct[g][v] = true
			w[3] = int64(len(distinct[g]))
			want[g] = w
		}
		if len(want) != len(view) {
			t.Fatalf("epoch %d: view has %d groups, want %d", epoch, len(view), len(want))
		}
		for g, w := range want {
			if !slices.Equal(view[g], w) {
				t.Fatalf("epoch %d: group %d is %v, want %v", epoch, g, view[g], w)
			}
		}
	}
}

// TestHashAggRowErrorsAfterReads: an argument that fails on a row of a
// group whose stored state cannot be decoded: the chunk fails, and the
// row error is neither recorded nor counted.
func TestHashAggRowErrorsAfterReads(t *testing.T) {
	store, err := storage.Open("mem", storage.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	inputTypes := []types.T{types.Int64, types.Int64}
	call := agg.Call{Name: "sum", Args: []expr.Expr{parseExpr(t, "10/#1", inputTypes)}}
	if call.Result, err = agg.ResultType("sum", []types.T{types.Int64}, false); err != nil {
		t.Fatal(err)
	}
	h, err := NewHashAgg(inputTypes, []int{0}, []agg.Call{call}, storage.NewStateTable(store, 1), storage.NewStateTable(store, 2), &expr.Context{})
	if err != nil {
		t.Fatal(err)
	}
	h.errors = testRowErrors("hash agg", inputTypes, "")

	batch := store.NewEpochBatch(1)
	key := encoding.EncodeKey(nil, []types.T{types.Int64}, []types.Datum{int64(1)})
	batch.Set(h.groups.prefixed(storage.TablePrefix(1), key), []byte{0xff})
	if err := store.Commit(batch); err != nil {
		t.Fatal(err)
	}
	errorsBefore := counted(t)
	b := chunk.NewBuilder(inputTypes)
	b.Append(chunk.Insert, []types.Datum{int64(1), int64(0)}) // 10/0
	if err := h.chunk(0, b.Build(), func(*chunk.Chunk) {}); err == nil {
		t.Fatal("a chunk reading corrupt group state succeeded")
	}
	batch = store.NewEpochBatch(2)
	h.errors.flush(batch)
	if err := store.Commit(batch); err != nil {
		t.Fatal(err)
	}
	recorded, err := ReadViewErrors(store, func(uint32) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if len(recorded) > 0 {
		t.Errorf("a failed chunk recorded row errors: %+v", recorded)
	}
	if n := counted(t) - errorsBefore; n != 0 {
		t.Errorf("a failed chunk counted %v row errors", n)
	}
}

// counted returns eddy_view_row_errors_total of the test logs' view and
// operator.
func counted(t *testing.T) float64 {
	var m dto.Metric
	if err := metricViewRowErrors.WithLabelValues("v", "hash agg").Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
