package mview

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// faultFixture is a runtime over tables facts and dim with the views
// by_group, total and joined, and the model of what was acknowledged.
type faultFixture struct {
	t       *testing.T
	store   *storage.Store
	rt      *Runtime
	facts   factsModel
	dim     map[int64]string
	byGroup *catalog.Relation
	total   *catalog.Relation
	joined  *catalog.Relation
	closed  bool
}

func (f *faultFixture) close() {
	if !f.closed {
		f.closed = true
		f.rt.Close()
		f.store.Close()
	}
}

func newFaultFixture(t *testing.T, dir string, opts Options, storeOpts storage.Options, create bool) *faultFixture {
	t.Helper()
	store, err := storage.Open(dir, storeOpts)
	if err != nil {
		t.Fatal(err)
	}
	if opts.BarrierInterval == 0 {
		opts.BarrierInterval = 10 * time.Millisecond
	}
	opts.ChannelCapacity, opts.Logger = 4, discardLogger()
	rt := NewRuntime(store, opts)
	f := &faultFixture{t: t, store: store, rt: rt, facts: factsModel{}, dim: map[int64]string{}}
	t.Cleanup(f.close)
	for _, rel := range []*catalog.Relation{factsRelation(), dimRelation()} {
		if err := rt.AddTable(rel); err != nil {
			t.Fatal(err)
		}
	}
	byGroup, byGroupPlan := byGroupView(t)
	total, totalPlan := totalView(t, byGroup)
	joined, joinedPlan := joinedView(t)
	f.byGroup, f.total, f.joined = byGroup, total, joined
	if !create {
		for _, err := range []error{
			rt.RestoreMaterializedView(byGroup, byGroupPlan),
			rt.RestoreMaterializedView(total, totalPlan),
			rt.RestoreMaterializedView(joined, joinedPlan),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	rt.Start(context.Background())
	if create {
		ctx := context.Background()
		for _, err := range []error{
			createBuilt(rt, ctx, byGroup, byGroupPlan, nil),
			createBuilt(rt, ctx, total, totalPlan, nil),
			createBuilt(rt, ctx, joined, joinedPlan, nil),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// write commits one chunk to a table as a session's transaction does, and
// returns the statement's error.
func (f *faultFixture) write(tableID uint32, c *chunk.Chunk) error {
	ctx := context.Background()
	gen := f.rt.Generation()
	w, err := f.rt.TableWriter(tableID)
	if err != nil {
		return err
	}
	w.Lock()
	err = f.rt.WriteAtomically(ctx, gen, func() error { return w.Write(ctx, c) })
	w.Unlock()
	if err != nil {
		return err
	}
	return f.rt.FlushWrites(ctx, gen)
}

// insertFacts inserts facts rows (k, g, v) and, when acknowledged, adds
// them to the model.
func (f *faultFixture) insertFacts(rows ...[3]int64) error {
	b := chunk.NewBuilder(factsRelation().ColumnTypes())
	for _, r := range rows {
		b.Append(chunk.Insert, []types.Datum{r[0], r[1], r[2]})
	}
	err := f.write(factsID, b.Build())
	if err == nil {
		for _, r := range rows {
			f.facts[r[0]] = [2]int64{r[1], r[2]}
		}
	}
	return err
}

func (f *faultFixture) insertDim(g int64, name string) error {
	b := chunk.NewBuilder(dimRelation().ColumnTypes())
	b.Append(chunk.Insert, []types.Datum{g, name})
	err := f.write(dimID, b.Build())
	if err == nil {
		f.dim[g] = name
	}
	return err
}

// checkViews compares every view with the model of acknowledged writes.
func (f *faultFixture) checkViews() {
	f.t.Helper()
	check(f.t, "by_group", rows(f.t, f.store, f.byGroup), f.facts.byGroup())
	check(f.t, "total", rows(f.t, f.store, f.total), f.facts.total())
	check(f.t, "joined", rows(f.t, f.store, f.joined), f.facts.joined(f.dim))
}

// wantAbort checks that err is an aborted epoch's error mentioning cause.
func wantAbort(t *testing.T, err error, cause string) {
	t.Helper()
	if err == nil {
		t.Fatal("the write was acknowledged, want an aborted epoch")
	}
	e := pgerror.From(err)
	if e.Code != pgerror.TransactionRollback || !strings.Contains(e.Message, "was aborted") || !strings.Contains(e.Message, cause) {
		t.Fatalf("error %s %q, want 40000 naming the abort and %q", e.Code, e.Message, cause)
	}
}

func TestCommitFailureAbortsEpoch(t *testing.T) {
	var failNext atomic.Bool
	dir := t.TempDir()
	storeOpts := storage.Options{CommitFault: func(*storage.EpochBatch) error {
		if failNext.CompareAndSwap(true, false) {
			return errors.New("injected disk failure")
		}
		return nil
	}}
	f := newFaultFixture(t, dir, Options{}, storeOpts, true)
	if err := f.insertDim(1, "one"); err != nil {
		t.Fatal(err)
	}
	if err := f.insertFacts([3]int64{1, 1, 20}, [3]int64{2, 2, 30}); err != nil {
		t.Fatal(err)
	}
	f.checkViews()
	committed, gen := f.store.CommittedEpoch(), f.rt.Generation()

	failNext.Store(true)
	err := f.insertFacts([3]int64{3, 1, 40})
	wantAbort(t, err, "injected disk failure")
	if after := f.store.CommittedEpoch(); after < committed {
		t.Fatalf("committed epoch went back from %d to %d", committed, after)
	}
	if f.rt.Generation() != gen+1 {
		t.Fatalf("generation %d after an abort, want %d", f.rt.Generation(), gen+1)
	}
	// A transaction that read before the recovery cannot commit after it.
	wantAbort(t, f.rt.WriteAtomically(context.Background(), gen, func() error { return nil }), "injected disk failure")
	if err := f.rt.FlushWrites(context.Background(), gen); err == nil {
		t.Fatal("FlushWrites of an ended generation succeeded")
	}
	f.checkViews()

	// The recovered runtime serves as before: the key of the lost row is
	// free, the other writes flow.
	if err := f.insertFacts([3]int64{3, 2, 50}, [3]int64{4, 1, 60}); err != nil {
		t.Fatal(err)
	}
	if err := f.insertDim(2, "two"); err != nil {
		t.Fatal(err)
	}
	f.checkViews()

	// A restart gives the same state.
	model, dim := f.facts, f.dim
	f.close()
	g := newFaultFixture(t, dir, Options{}, storage.Options{}, false)
	g.facts, g.dim = model, dim
	g.checkViews()
	if err := g.insertFacts([3]int64{5, 2, 70}); err != nil {
		t.Fatal(err)
	}
	g.checkViews()
}

func TestOperatorPanicAbortsEpoch(t *testing.T) {
	fp, err := ParseFailpoints("panic=by_group")
	if err != nil {
		t.Fatal(err)
	}
	f := newFaultFixture(t, "mem", Options{Failpoints: fp}, storage.Options{InMemory: true}, true)
	if err := f.insertDim(1, "one"); err != nil {
		t.Fatal(err)
	}
	// v <= 10 is filtered out before by_group's Materialize.
	if err := f.insertFacts([3]int64{1, 1, 5}); err != nil {
		t.Fatal(err)
	}
	wantAbort(t, f.insertFacts([3]int64{2, 1, 50}), "operator materialize of materialized view by_group failed")
	f.checkViews()
	for i := range int64(3) {
		if err := f.insertFacts([3]int64{10 + i, 1, i}); err != nil {
			t.Fatal(err)
		}
		if err := f.insertDim(2+i, "more"); err != nil {
			t.Fatal(err)
		}
	}
	f.checkViews()
}

func TestStuckBarrierAbortsEpoch(t *testing.T) {
	fp, err := ParseFailpoints("stuck=joined")
	if err != nil {
		t.Fatal(err)
	}
	f := newFaultFixture(t, "mem", Options{Failpoints: fp, BarrierTimeout: 200 * time.Millisecond}, storage.Options{InMemory: true}, true)
	if err := f.insertFacts([3]int64{1, 1, 20}); err != nil {
		t.Fatal(err)
	}
	// Only a fact with a dimension row reaches joined.
	wantAbort(t, f.insertDim(1, "one"), "did not pass operator materialize of materialized view joined within 200ms")
	f.checkViews()
	if err := f.insertFacts([3]int64{2, 2, 30}); err != nil {
		t.Fatal(err)
	}
	f.checkViews()
}

func TestMisalignedBarriersAreAnError(t *testing.T) {
	if done, err := aligned([]*Barrier{{Epoch: 3}, nil}); done || err != nil {
		t.Fatalf("one barrier of two: aligned %v, %v", done, err)
	}
	if done, err := aligned([]*Barrier{{Epoch: 3}, {Epoch: 3}}); !done || err != nil {
		t.Fatalf("two barriers of epoch 3: aligned %v, %v", done, err)
	}
	if _, err := aligned([]*Barrier{{Epoch: 3}, {Epoch: 4}}); pgerror.CodeOf(err) != pgerror.InternalError {
		t.Fatalf("barriers of epochs 3 and 4: %v, want XX000", err)
	}
}

func TestParseFailpoints(t *testing.T) {
	if fp, err := ParseFailpoints(""); fp != nil || err != nil {
		t.Fatalf("empty list: %v, %v", fp, err)
	}
	fp, err := ParseFailpoints("panic=a, stuck=b,commit=c")
	if err != nil || !fp.panicOn["a"] || !fp.stuckOn["b"] || !fp.commitOn["c"] {
		t.Fatalf("parsed %+v, %v", fp, err)
	}
	for _, bad := range []string{"panic", "explode=a", "commit="} {
		if _, err := ParseFailpoints(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
