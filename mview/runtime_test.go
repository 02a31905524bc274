package mview

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Relation ids used by the runtime tests.
const (
	factsID   = 10 // facts(k int8 primary key, g int8, v int8)
	dimID     = 11 // dim(g int8 primary key, name text)
	logID     = 12 // log(v int8, _row_id) without a primary key
	byGroupID = 20 // SELECT g, count(*), sum(v), min(v), max(v) FROM facts WHERE v > 10 GROUP BY g
	totalID   = 30 // SELECT count(*), sum(n) FROM by_group
	joinedID  = 40 // SELECT f.k, f.v, d.name FROM facts f JOIN dim d ON f.g = d.g
)

func factsRelation() *catalog.Relation {
	return &catalog.Relation{ID: factsID, Kind: catalog.KindTable, Name: "facts", Key: []int{0}, UserPrimaryKey: true,
		Columns: []catalog.Column{{Name: "k", Type: types.Int64}, {Name: "g", Type: types.Int64}, {Name: "v", Type: types.Int64}}}
}

func dimRelation() *catalog.Relation {
	return &catalog.Relation{ID: dimID, Kind: catalog.KindTable, Name: "dim", Key: []int{0}, UserPrimaryKey: true,
		Columns: []catalog.Column{{Name: "g", Type: types.Int64}, {Name: "name", Type: types.Text}}}
}

func logRelation() *catalog.Relation {
	return &catalog.Relation{ID: logID, Kind: catalog.KindTable, Name: "log", Key: []int{1},
		Columns: []catalog.Column{{Name: "v", Type: types.Int64}, {Name: catalog.RowIDColumn, Type: types.Int64, Hidden: true}}}
}

func outputs(rel *catalog.Relation) []planner.OutputColumn {
	out := make([]planner.OutputColumn, len(rel.Columns))
	for i, c := range rel.Columns {
		out[i] = planner.OutputColumn{Name: c.Name, Type: c.Type}
	}
	return out
}

func scanOf(rel *catalog.Relation) *planner.Scan {
	cols := make([]int, len(rel.Columns))
	for i := range cols {
		cols[i] = i
	}
	return &planner.Scan{Node: planner.Node{Out: outputs(rel), Key: rel.Key}, Relation: rel, Columns: cols}
}

func call(t testing.TB, name string, args ...expr.Expr) agg.Call {
	c := agg.Call{Name: name, Args: args, Star: len(args) == 0}
	var ts []types.T
	for _, a := range args {
		ts = append(ts, a.Type())
	}
	var err error
	if c.Result, err = agg.ResultType(name, ts, c.Star); err != nil {
		t.Fatal(err)
	}
	return c
}

func viewRelation(id uint32, name string, cols []planner.OutputColumn, key []int, stateTables ...uint32) *catalog.Relation {
	rel := &catalog.Relation{ID: id, Kind: catalog.KindMaterializedView, Name: name, Key: key, StateTables: stateTables}
	for _, c := range cols {
		rel.Columns = append(rel.Columns, catalog.Column{Name: c.Name, Type: c.Type})
	}
	return rel
}

// byGroupView is SELECT g, count(*), sum(v), min(v), max(v) FROM facts
// WHERE v > 10 GROUP BY g.
func byGroupView(t testing.TB) (*catalog.Relation, *planner.Materialize) {
	facts := factsRelation()
	scan := scanOf(facts)
	pred, err := expr.NewBinary(">", expr.NewColumnRef(2, types.Int64, "v"), expr.NewConst(int64(10), types.Int64))
	if err != nil {
		t.Fatal(err)
	}
	filter := &planner.Filter{Node: scan.Node, Input: scan, Predicate: pred}
	v := expr.NewColumnRef(2, types.Int64, "v")
	calls := []agg.Call{call(t, "count"), call(t, "sum", v), call(t, "min", v), call(t, "max", v)}
	out := []planner.OutputColumn{{Name: "g", Type: types.Int64}}
	for _, c := range calls {
		out = append(out, planner.OutputColumn{Name: c.Name, Type: c.Result})
	}
	aggregate := &planner.Aggregate{Node: planner.Node{Out: out, Key: []int{0}}, Input: filter, GroupBy: []int{1}, Aggs: calls, StateTables: []uint32{21, 22}}
	rel := viewRelation(byGroupID, "by_group", out, []int{0}, 21, 22)
	return rel, &planner.Materialize{Node: aggregate.Node, Input: aggregate, RelationID: byGroupID}
}

// totalView is SELECT count(*), sum(count) FROM by_group.
func totalView(t testing.TB, byGroup *catalog.Relation) (*catalog.Relation, *planner.Materialize) {
	scan := scanOf(byGroup)
	calls := []agg.Call{call(t, "count"), call(t, "sum", expr.NewColumnRef(1, types.Int64, "count"))}
	out := []planner.OutputColumn{{Name: "count", Type: calls[0].Result}, {Name: "sum", Type: calls[1].Result}}
	aggregate := &planner.Aggregate{Node: planner.Node{Out: out, Key: []int{}}, Input: scan, Aggs: calls, StateTables: []uint32{31}}
	rel := viewRelation(totalID, "total", out, []int{}, 31)
	return rel, &planner.Materialize{Node: aggregate.Node, Input: aggregate, RelationID: totalID}
}

// joinedView is SELECT f.k, f.v, d.name FROM facts f JOIN dim d ON f.g = d.g.
func joinedView(t testing.TB) (*catalog.Relation, *planner.Materialize) {
	facts, dim := scanOf(factsRelation()), scanOf(dimRelation())
	joinOut := append(append([]planner.OutputColumn(nil), facts.Out...), dim.Out...)
	join := &planner.Join{Node: planner.Node{Out: joinOut, Key: []int{0, 3}}, Kind: planner.InnerJoin, Left: facts, Right: dim,
		LeftKeys: []int{1}, RightKeys: []int{0}, StateTables: []uint32{41, 42}}
	exprs := []expr.Expr{expr.NewColumnRef(0, types.Int64, "k"), expr.NewColumnRef(2, types.Int64, "v"), expr.NewColumnRef(4, types.Text, "name")}
	out := []planner.OutputColumn{{Name: "k", Type: types.Int64}, {Name: "v", Type: types.Int64}, {Name: "name", Type: types.Text}}
	project := &planner.Project{Node: planner.Node{Out: out, Key: []int{0}}, Input: join, Exprs: exprs}
	rel := viewRelation(joinedID, "joined", out, []int{0}, 41, 42)
	return rel, &planner.Materialize{Node: project.Node, Input: project, RelationID: joinedID}
}

func newRuntime(t testing.TB, store *storage.Store) *Runtime {
	// A small read budget makes every build in these tests span epochs,
	// with writes going on between its ranges.
	rt := NewRuntime(store, Options{BarrierInterval: 10 * time.Millisecond, ChannelCapacity: 4, Logger: discardLogger(), BackfillRowsPerEpoch: 37})
	return rt
}

func openMemStore(t testing.TB) *storage.Store {
	store, err := storage.Open("mem", storage.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// rows reads a relation's committed rows as sorted text lines.
func rows(t testing.TB, store *storage.Store, rel *catalog.Relation) []string {
	t.Helper()
	ts := rel.ColumnTypes()
	var out []string
	prefix := storage.TablePrefix(rel.ID)
	err := store.Scan(prefix, storage.PrefixEnd(prefix), func(_, value []byte) (bool, error) {
		row, err := decodeRow(ts, value)
		if err != nil {
			return false, err
		}
		out = append(out, formatRow(ts, row))
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// factsModel is the test's own copy of table facts, from which views are
// recomputed.
type factsModel map[int64][2]int64 // k → g, v

func (m factsModel) byGroup() []string {
	type acc struct{ n, sum, min, max int64 }
	groups := map[int64]*acc{}
	for _, gv := range m {
		g, v := gv[0], gv[1]
		if v <= 10 {
			continue
		}
		a := groups[g]
		if a == nil {
			a = &acc{min: v, max: v}
			groups[g] = a
		}
		a.n, a.sum, a.min, a.max = a.n+1, a.sum+v, min(a.min, v), max(a.max, v)
	}
	var out []string
	for g, a := range groups {
		out = append(out, fmt.Sprintf("%d %d %d %d %d", g, a.n, a.sum, a.min, a.max))
	}
	sort.Strings(out)
	return out
}

func (m factsModel) total() []string {
	groups := m.byGroup()
	n := 0
	for _, g := range groups {
		var c int
		fmt.Sscanf(strings.Fields(g)[1], "%d", &c)
		n += c
	}
	if len(groups) == 0 {
		return []string{"0 NULL"}
	}
	return []string{fmt.Sprintf("%d %d", len(groups), n)}
}

func (m factsModel) joined(dim map[int64]string) []string {
	var out []string
	for k, gv := range m {
		if name, ok := dim[gv[0]]; ok {
			out = append(out, fmt.Sprintf("%d %d %s", k, gv[1], name))
		}
	}
	sort.Strings(out)
	return out
}

// randomWrites applies n random changes to facts through its writer, in
// chunks, keeping model in step.
func randomWrites(t testing.TB, ctx context.Context, w *TableWriter, model factsModel, rng *rand.Rand, n int) {
	ts := factsRelation().ColumnTypes()
	w.Lock()
	defer w.Unlock()
	b := chunk.NewBuilder(ts)
	for range n {
		k := rng.Int64N(200)
		g, v := rng.Int64N(8), rng.Int64N(40)
		old, exists := model[k]
		switch {
		case !exists:
			b.Append(chunk.Insert, []types.Datum{k, g, v})
			model[k] = [2]int64{g, v}
		case rng.IntN(2) == 0:
			b.Append(chunk.Delete, []types.Datum{k, old[0], old[1]})
			delete(model, k)
		default:
			b.Append(chunk.UpdateBefore, []types.Datum{k, old[0], old[1]})
			b.Append(chunk.UpdateAfter, []types.Datum{k, g, v})
			model[k] = [2]int64{g, v}
		}
		if b.Len() >= 16 {
			if err := w.Write(ctx, b.Build()); err != nil {
				t.Error(err)
				return
			}
		}
	}
	if b.Len() > 0 {
		if err := w.Write(ctx, b.Build()); err != nil {
			t.Error(err)
		}
	}
}

func check(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

// TestCreateViewsWhileWriting creates views over existing data while a
// writer keeps changing the table: each view must equal a recomputation
// at the end (no gap, no overlap at the backfill seam).
// TestCreateViewsWhileWriting runs at parallelism 1 and 3: three instances
// own unequal vnode ranges, and Materialize gathers three inputs.
func TestCreateViewsWhileWriting(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("parallelism=%d", n), func(t *testing.T) { runCreateViewsWhileWriting(t, n) })
	}
}

func runCreateViewsWhileWriting(t *testing.T, parallelism int) {
	ctx := context.Background()
	store := openMemStore(t)
	defer store.Close()
	rt := newRuntime(t, store)
	defer rt.Close()
	for _, rel := range []*catalog.Relation{factsRelation(), dimRelation()} {
		if err := rt.AddTable(rel); err != nil {
			t.Fatal(err)
		}
	}
	rt.Start(ctx)
	facts, err := rt.TableWriter(factsID)
	if err != nil {
		t.Fatal(err)
	}
	model := factsModel{}
	rng := rand.New(rand.NewPCG(1, 2))
	randomWrites(t, ctx, facts, model, rng, 500)
	dimWriter, _ := rt.TableWriter(dimID)
	dim := map[int64]string{}
	dimWriter.Lock()
	db := chunk.NewBuilder(dimRelation().ColumnTypes())
	for g := range int64(6) {
		dim[g] = fmt.Sprintf("group%d", g)
		db.Append(chunk.Insert, []types.Datum{g, dim[g]})
	}
	if err := dimWriter.Write(ctx, db.Build()); err != nil {
		t.Fatal(err)
	}
	dimWriter.Unlock()
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	// The writer goes on during every create.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex // guards model against the checks below
	wg.Add(1)
	go func() {
		defer wg.Done()
		wrng := rand.New(rand.NewPCG(3, 4))
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			randomWrites(t, ctx, facts, model, wrng, 20)
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()

	byGroup, byGroupPlan := byGroupView(t)
	byGroupPlan.Parallelism = parallelism
	var committedIn []uint64
	record := func(b *storage.EpochBatch) { committedIn = append(committedIn, b.Epoch()) }
	if err := createBuilt(rt, ctx, byGroup, byGroupPlan, record); err != nil {
		t.Fatal(err)
	}
	total, totalPlan := totalView(t, byGroup)
	totalPlan.Parallelism = parallelism
	if err := createBuilt(rt, ctx, total, totalPlan, record); err != nil {
		t.Fatal(err)
	}
	joined, joinedPlan := joinedView(t)
	joinedPlan.Parallelism = parallelism
	if err := createBuilt(rt, ctx, joined, joinedPlan, record); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(committedIn) != 3 {
		t.Fatalf("commit callbacks ran in epochs %v", committedIn)
	}
	check(t, "by_group", rows(t, store, byGroup), model.byGroup())
	check(t, "total (a view on a view)", rows(t, store, total), model.total())
	check(t, "joined", rows(t, store, joined), model.joined(dim))

	// Drop removes the view's rows and state in the epoch of its commit.
	dropped := false
	if err := rt.Drop(ctx, totalID, total.StateTables, func(*storage.EpochBatch) { dropped = true }); err != nil {
		t.Fatal(err)
	}
	if !dropped || len(rows(t, store, total)) != 0 {
		t.Fatalf("after drop: callback %v, rows %q", dropped, rows(t, store, total))
	}
	for _, id := range total.StateTables {
		if n := len(rows(t, store, &catalog.Relation{ID: id})); n != 0 {
			t.Fatalf("state table %d keeps %d rows", id, n)
		}
	}
	// The views still standing follow further writes.
	randomWrites(t, ctx, facts, model, rng, 300)
	if err := rt.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	check(t, "by_group after drop", rows(t, store, byGroup), model.byGroup())
	check(t, "joined after drop", rows(t, store, joined), model.joined(dim))
	for _, f := range []uint32{factsID, byGroupID, joinedID} {
		if n := rt.flows[f].materialize.Inconsistencies(); n != 0 {
			t.Errorf("relation %d: %d inconsistencies", f, n)
		}
	}
}

// TestCreateViewCancelled checks that a create given up before it commits
// leaves nothing behind.
func TestCreateViewCancelled(t *testing.T) {
	store := openMemStore(t)
	defer store.Close()
	rt := newRuntime(t, store)
	defer rt.Close()
	if err := rt.AddTable(factsRelation()); err != nil {
		t.Fatal(err)
	}
	rt.Start(context.Background())
	facts, _ := rt.TableWriter(factsID)
	randomWrites(t, context.Background(), facts, factsModel{}, rand.New(rand.NewPCG(5, 6)), 100)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	byGroup, plan := byGroupView(t)
	ran := false
	err := createBuilt(rt, ctx, byGroup, plan, func(*storage.EpochBatch) { ran = true })
	if err == nil || ran {
		t.Fatalf("cancelled create: err %v, commit ran %v", err, ran)
	}
	if err := rt.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := rt.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint32{byGroupID, 21, 22} {
		if n := len(rows(t, store, &catalog.Relation{ID: id})); n != 0 {
			t.Fatalf("table %d of the cancelled view keeps %d rows", id, n)
		}
	}
	// The same view can then be created.
	if err := createBuilt(rt, context.Background(), byGroup, plan, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRecovery closes the runtime and the store, reopens them, restores the
// dataflows from stored state and goes on.
func TestRecovery(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	model := factsModel{}
	rng := rand.New(rand.NewPCG(7, 8))
	var logRowIDs []int64
	run := func(first bool) {
		store, err := storage.Open(dir, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		rt := newRuntime(t, store)
		defer rt.Close()
		for _, rel := range []*catalog.Relation{factsRelation(), logRelation()} {
			if err := rt.AddTable(rel); err != nil {
				t.Fatal(err)
			}
		}
		byGroup, byGroupPlan := byGroupView(t)
		total, totalPlan := totalView(t, byGroup)
		if !first {
			if err := rt.RestoreMaterializedView(byGroup, byGroupPlan); err != nil {
				t.Fatal(err)
			}
			if err := rt.RestoreMaterializedView(total, totalPlan); err != nil {
				t.Fatal(err)
			}
		}
		rt.Start(ctx)
		if first {
			if err := createBuilt(rt, ctx, byGroup, byGroupPlan, nil); err != nil {
				t.Fatal(err)
			}
			if err := createBuilt(rt, ctx, total, totalPlan, nil); err != nil {
				t.Fatal(err)
			}
		}
		facts, _ := rt.TableWriter(factsID)
		randomWrites(t, ctx, facts, model, rng, 400)
		log, _ := rt.TableWriter(logID)
		log.Lock()
		b := chunk.NewBuilder(logRelation().ColumnTypes())
		for i := range int64(3) {
			b.Append(chunk.Insert, []types.Datum{i, nil})
		}
		if err := log.Write(ctx, b.Build()); err != nil {
			t.Fatal(err)
		}
		log.Unlock()
		if err := rt.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, "by_group", rows(t, store, byGroup), model.byGroup())
		check(t, "total", rows(t, store, total), model.total())
		logRowIDs = logRowIDs[:0]
		for _, r := range rows(t, store, logRelation()) {
			var v, id int64
			fmt.Sscanf(r, "%d %d", &v, &id)
			logRowIDs = append(logRowIDs, id)
		}
	}
	run(true)
	run(false)
	slices.Sort(logRowIDs)
	if want := []int64{1, 2, 3, 4, 5, 6}; !slices.Equal(logRowIDs, want) {
		t.Fatalf("row ids after restart %v, want %v", logRowIDs, want)
	}
}

// TestRandomizedViews applies random DML and checks after each Flush that
// the views equal a recomputation from the model of the table.
func TestRandomizedViews(t *testing.T) {
	for _, n := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("parallelism=%d", n), func(t *testing.T) { runRandomizedViews(t, n) })
	}
}

func runRandomizedViews(t *testing.T, parallelism int) {
	ctx := context.Background()
	store := openMemStore(t)
	defer store.Close()
	rt := newRuntime(t, store)
	defer rt.Close()
	if err := rt.AddTable(factsRelation()); err != nil {
		t.Fatal(err)
	}
	rt.Start(ctx)
	byGroup, byGroupPlan := byGroupView(t)
	byGroupPlan.Parallelism = parallelism
	if err := createBuilt(rt, ctx, byGroup, byGroupPlan, nil); err != nil {
		t.Fatal(err)
	}
	total, totalPlan := totalView(t, byGroup)
	totalPlan.Parallelism = parallelism
	if err := createBuilt(rt, ctx, total, totalPlan, nil); err != nil {
		t.Fatal(err)
	}
	check(t, "total on empty input", rows(t, store, total), []string{"0 NULL"})
	facts, _ := rt.TableWriter(factsID)
	model := factsModel{}
	rng := rand.New(rand.NewPCG(9, 10))
	for round := range 30 {
		randomWrites(t, ctx, facts, model, rng, 1+rng.IntN(200))
		if err := rt.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, fmt.Sprintf("round %d: by_group", round), rows(t, store, byGroup), model.byGroup())
		check(t, fmt.Sprintf("round %d: total", round), rows(t, store, total), model.total())
		check(t, fmt.Sprintf("round %d: facts", round), len2(rows(t, store, factsRelation())), []string{fmt.Sprint(len(model))})
	}
}

func len2(rows []string) []string { return []string{fmt.Sprint(len(rows))} }
