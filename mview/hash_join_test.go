package mview

import (
	"runtime"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TestHashJoinStreamed runs the join scripts of testdata/hash_join.txt
// again with every join key read in segments of one match (the path of a
// key whose matches do not fit the probe's budget): the output must be the
// same.
func TestHashJoinStreamed(t *testing.T) {
	datadriven.RunTest(t, "testdata/hash_join.txt", func(t *testing.T, td *datadriven.TestData) string {
		if td.Rewrite {
			t.Skip("the expected output is TestOperators'")
		}
		td.CmdArgs = append(td.CmdArgs, datadriven.CmdArg{Key: "streamed", Vals: []string{"t"}})
		return runCase(t, td)
	})
}

// hotKeyMatches is the number of right rows under the hot join key of
// TestHashJoinHotKeyMemory, each with a payload of hotKeyPayload bytes:
// together many times what the join may hold.
const (
	hotKeyMatches = 30000
	hotKeyPayload = 300
	// hotKeyHeld bounds the live heap a chunk probing the hot key may add.
	hotKeyHeld = 3 << 20
)

// TestHashJoinHotKeyMemory joins left rows to a right join key with
// hotKeyMatches rows: the live heap while the output is emitted stays
// within hotKeyHeld of what it was before the chunk (holding the joined
// rows would take several times that), the output chunks stay within
// maxChunkRows, and the output is exact, degrees included: a second left
// row of the key takes the right rows' degrees from 1 to 2 without
// retracting their padded rows again, and retracting both brings the
// padded rows back.
func TestHashJoinHotKeyMemory(t *testing.T) {
	for _, kind := range []planner.JoinKind{planner.InnerJoin, planner.RightJoin} {
		t.Run(kind.String(), func(t *testing.T) {
			j, store := newHotKeyJoin(t, kind, nil)
			defer store.Close()
			counts := map[string]int{}
			var baseline uint64
			var baselineDirty, peak int64
			emit := func(c *chunk.Chunk) {
				if c.Len() > maxChunkRows {
					t.Fatalf("output chunk of %d rows, more than %d", c.Len(), maxChunkRows)
				}
				for i := 0; i < c.Len(); i++ {
					row := c.Row(i)
					shape := "joined"
					if row[0] == nil {
						shape = "padded"
					} else if row[2] != int64(1) {
						t.Fatalf("row %v joins a right row of another key", row)
					}
					counts[c.Op(i).String()+" "+shape]++
				}
				// The degrees the chunk writes are state of the epoch,
				// charged to its dirty share like any other write.
				held := int64(liveHeap()) - int64(baseline) - (store.Memory().DirtyBytes() - baselineDirty)
				peak = max(peak, held)
			}
			probe := func(op chunk.Op, ids ...int64) {
				b := chunk.NewBuilder(j.sides[0].types)
				for _, id := range ids {
					b.Append(op, []types.Datum{id, int64(1)})
				}
				b.Append(op, []types.Datum{int64(1000), int64(2)}) // no match
				baseline, baselineDirty = liveHeap(), store.Memory().DirtyBytes()
				if err := j.chunk(0, b.Build(), emit); err != nil {
					t.Fatal(err)
				}
			}

			probe(chunk.Insert, 1, 2)
			want := map[string]int{"+ joined": 2 * hotKeyMatches}
			if kind == planner.RightJoin {
				want["- padded"] = hotKeyMatches
			}
			checkCounts(t, counts, want)
			commitEpoch(t, j, store, 2)
			clear(counts)
			probe(chunk.Delete, 1, 2)
			want = map[string]int{"- joined": 2 * hotKeyMatches}
			if kind == planner.RightJoin {
				want["+ padded"] = hotKeyMatches
			}
			checkCounts(t, counts, want)
			if peak > hotKeyHeld {
				t.Errorf("the join held %d bytes of live heap while emitting, more than %d", peak, hotKeyHeld)
			}
		})
	}
}

// TestHashJoinRowErrorsAfterReads: a condition that fails on a match of
// the hot key's first segment, then a stored match that cannot be decoded
// in a later segment: the chunk fails, and the row error of the first
// segment is neither recorded nor counted.
func TestHashJoinRowErrorsAfterReads(t *testing.T) {
	// Left id / right id: right row 0 divides by zero.
	joinedTypes := []types.T{types.Int64, types.Int64, types.Int64, types.Int64, types.Text}
	cond := parseExpr(t, "#0/#3>0", joinedTypes)
	j, store := newHotKeyJoin(t, planner.InnerJoin, cond)
	defer store.Close()
	j.errors = testRowErrors("hash join", joinedTypes, "0,3")

	// A stored right row of the hot key, after the first segment, that
	// does not decode (written once epoch 1's writes have left the
	// table's memory).
	commitEpoch(t, j, store, 2)
	batch := store.NewEpochBatch(3)
	key := encoding.EncodeKey(nil, []types.T{types.Int64}, []types.Datum{int64(1)})
	key = encoding.EncodeKey(key, []types.T{types.Int64, types.Int64}, []types.Datum{int64(1), int64(hotKeyMatches - 1)})
	batch.Set(j.sides[1].state.prefixed(storage.TablePrefix(2), key), []byte{0})
	if err := store.Commit(batch); err != nil {
		t.Fatal(err)
	}
	b := chunk.NewBuilder(j.sides[0].types)
	b.Append(chunk.Insert, []types.Datum{int64(1), int64(1)})
	if err := j.chunk(0, b.Build(), func(*chunk.Chunk) {}); err == nil {
		t.Fatal("a chunk reading a corrupt match succeeded")
	}
	commitEpoch(t, j, store, 4)
	recorded, err := ReadViewErrors(store, func(uint32) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if len(recorded) > 0 {
		t.Errorf("a failed chunk recorded row errors: %+v", recorded)
	}
}

// newHotKeyJoin returns a join of left rows (id, k) to right rows (k, id,
// payload), keyed by id, whose right side holds hotKeyMatches rows of k =
// 1, committed in epoch 1.
func newHotKeyJoin(t *testing.T, kind planner.JoinKind, cond expr.Expr) (*HashJoin, *storage.Store) {
	t.Helper()
	store, err := storage.Open("mem", storage.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	leftTypes := []types.T{types.Int64, types.Int64}
	rightTypes := []types.T{types.Int64, types.Int64, types.Text}
	j := NewHashJoin(kind, leftTypes, rightTypes, []int{1}, []int{0}, []int{0}, []int{0, 1}, cond,
		storage.NewStateTable(store, 1), storage.NewStateTable(store, 2), &expr.Context{})
	payload := strings.Repeat("x", hotKeyPayload)
	for lo := 0; lo < hotKeyMatches; lo += maxChunkRows {
		b := chunk.NewBuilder(rightTypes)
		for id := lo; id < min(lo+maxChunkRows, hotKeyMatches); id++ {
			b.Append(chunk.Insert, []types.Datum{int64(1), int64(id), payload})
		}
		if err := j.chunk(1, b.Build(), func(*chunk.Chunk) {}); err != nil {
			t.Fatal(err)
		}
	}
	commitEpoch(t, j, store, 1)
	return j, store
}

func commitEpoch(t *testing.T, j *HashJoin, store *storage.Store, epoch uint64) {
	t.Helper()
	batch := store.NewEpochBatch(epoch)
	if err := j.barrier(&Barrier{Epoch: epoch, Batch: batch}, nil); err != nil {
		t.Fatal(err)
	}
	if err := store.Commit(batch); err != nil {
		t.Fatal(err)
	}
}

func checkCounts(t *testing.T, got, want map[string]int) {
	t.Helper()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s rows: got %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s rows: %d", k, n)
		}
	}
}

// liveHeap returns the bytes of the heap live after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
