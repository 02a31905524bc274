package executor

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// people is t(id int PRIMARY KEY, name text, score numeric, grp int).
var people = relation(7, "t", []int{0},
	catalog.Column{Name: "id", Type: types.Int32, NotNull: true},
	catalog.Column{Name: "name", Type: types.Text},
	catalog.Column{Name: "score", Type: types.Numeric},
	catalog.Column{Name: "grp", Type: types.Int32},
)

// pairs is p(k1 text, k2 int, v bigint, PRIMARY KEY (k1, k2)).
var pairs = relation(8, "p", []int{0, 1},
	catalog.Column{Name: "k1", Type: types.Text},
	catalog.Column{Name: "k2", Type: types.Int32},
	catalog.Column{Name: "v", Type: types.Int64},
)

func fixture() *memReader {
	r := newMemReader()
	load(r, people,
		[]types.Datum{int64(5), "e", num("1.00"), int64(20)},
		[]types.Datum{int64(1), "a", num("1.50"), int64(10)},
		[]types.Datum{int64(3), nil, num("2.25"), int64(10)},
		[]types.Datum{int64(2), "b", nil, int64(20)},
		[]types.Datum{int64(4), "d", num("1.0"), nil},
	)
	load(r, pairs,
		[]types.Datum{"y", int64(1), int64(100)},
		[]types.Datum{"x", int64(2), int64(20)},
		[]types.Datum{"x", int64(-1), int64(10)},
		[]types.Datum{"xx", int64(1), int64(30)},
	)
	return r
}

func TestScan(t *testing.T) {
	r := fixture()
	filtered := scanOf(people, 3, 0)
	filtered.Filter = op(t, "=", col(0, types.Int32), constant(int64(10), types.Int32))
	point := scanOf(people, 1)
	point.KeyPrefix = []expr.Expr{constant(int64(3), types.Int32)}
	missing := scanOf(people, 1)
	missing.KeyPrefix = []expr.Expr{constant(int64(9), types.Int32)}
	nullPrefix := scanOf(people, 1)
	nullPrefix.KeyPrefix = []expr.Expr{constant(nil, types.Int32)}
	prefix := scanOf(pairs, 0, 1, 2)
	prefix.KeyPrefix = []expr.Expr{constant("x", types.Text)}
	full := scanOf(pairs, 2)
	full.KeyPrefix = []expr.Expr{constant("x", types.Text), constant(int64(2), types.Int32)}

	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"all columns in key order", scanOf(people, 0, 1, 2, 3), lines(
			"+ 1 a 1.50 10",
			"+ 2 b NULL 20",
			"+ 3 NULL 2.25 10",
			"+ 4 d 1.0 NULL",
			"+ 5 e 1.00 20")},
		{"some columns reordered, filter on output columns", filtered, lines(
			"+ 10 1",
			"+ 10 3")},
		{"point lookup", point, lines("+ NULL")},
		{"point lookup of a missing key", missing, ""},
		{"NULL key prefix", nullPrefix, ""},
		{"prefix of a composite key", prefix, lines(
			"+ x -1 10",
			"+ x 2 20")},
		{"whole composite key", full, lines("+ 20")},
		{"empty relation", scanOf(relation(99, "empty", []int{0}, catalog.Column{Name: "a", Type: types.Int64}), 0), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, r); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestScanChunksAndResumes(t *testing.T) {
	r := newMemReader()
	big := relation(9, "big", []int{0}, catalog.Column{Name: "a", Type: types.Int64}, catalog.Column{Name: "s", Type: types.Text})
	for i := 0; i < 2500; i++ {
		load(r, big, []types.Datum{int64(i), fmt.Sprint("v", i)})
	}
	rows, chunks := count(t, scanOf(big, 0, 1), r)
	if rows != 2500 || chunks != 3 {
		t.Errorf("got %d rows in %d chunks, want 2500 in 3", rows, chunks)
	}
	// Rows come out once each, in key order, across chunk boundaries.
	cur, err := Run(context.Background(), scanOf(big, 0), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	next := int64(0)
	for {
		c, err := cur.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		for i := 0; i < c.Len(); i++ {
			if got := c.Datum(i, 0); got != next {
				t.Fatalf("row %d: got %v", next, got)
			}
			next++
		}
	}
	if next != 2500 {
		t.Errorf("read %d rows", next)
	}

	// A filter that drops whole chunks still yields no empty chunk.
	sparse := scanOf(big, 0)
	sparse.Filter = op(t, ">=", col(0, types.Int64), constant(int64(2490), types.Int64))
	if rows, chunks := count(t, sparse, r); rows != 10 || chunks != 1 {
		t.Errorf("sparse filter: got %d rows in %d chunks", rows, chunks)
	}

	// LIMIT stops the scan after the first chunk.
	r.scans = 0
	limited := &planner.Limit{Node: planner.Node{Out: outputs(types.Int64)}, Input: scanOf(big, 0), Count: 5, Offset: 1020}
	if got, want := run(t, limited, r), lines("+ 1020", "+ 1021", "+ 1022", "+ 1023", "+ 1024"); got != want {
		t.Errorf("limit across a chunk boundary: got\n%swant\n%s", got, want)
	}
	if r.scans != 2 {
		t.Errorf("limit 5 offset 1020 made %d storage scans, want 2", r.scans)
	}
}

func valuesOf(ts []types.T, rows ...[]types.Datum) *planner.Values {
	v := &planner.Values{Node: planner.Node{Out: outputs(ts...)}}
	for _, row := range rows {
		es := make([]expr.Expr, len(row))
		for i, d := range row {
			es[i] = constant(d, ts[i])
		}
		v.Rows = append(v.Rows, es)
	}
	return v
}

func TestValuesFilterProject(t *testing.T) {
	r := fixture()
	ts := []types.T{types.Int32, types.Text}
	vals := valuesOf(ts, []types.Datum{int64(1), "one"}, []types.Datum{nil, "none"}, []types.Datum{int64(3), nil})
	filter := &planner.Filter{Node: planner.Node{Out: outputs(ts...)}, Input: vals,
		Predicate: op(t, ">", col(0, types.Int32), constant(int64(1), types.Int32))}
	scoreFilter := &planner.Filter{Node: planner.Node{Out: outputs(types.Int32, types.Numeric)}, Input: scanOf(people, 0, 2),
		Predicate: op(t, ">", col(1, types.Numeric), constant(num("1.2"), types.Numeric))}
	project := &planner.Project{Node: planner.Node{Out: outputs(types.Int32, types.Text, types.Int32)}, Input: vals,
		Exprs: []expr.Expr{
			op(t, "*", col(0, types.Int32), constant(int64(2), types.Int32)),
			op(t, "||", col(1, types.Text), constant("!", types.Text)),
			col(0, types.Int32),
		}}
	divide := &planner.Project{Node: planner.Node{Out: outputs(types.Int32)}, Input: vals,
		Exprs: []expr.Expr{op(t, "/", constant(int64(1), types.Int32), constant(int64(0), types.Int32))}}
	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"values", vals, lines("+ 1 one", "+ NULL none", "+ 3 NULL")},
		{"values without rows", valuesOf(ts), ""},
		{"filter drops false and NULL", filter, lines("+ 3 NULL")},
		{"filter over numerics", scoreFilter, lines("+ 1 1.50", "+ 3 2.25")},
		{"project", project, lines("+ 2 one! 1", "+ NULL none! NULL", "+ 6 NULL 3")},
		{"project error", divide, "error 22012: division by zero\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, r); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func aggCall(t *testing.T, name string, args ...expr.Expr) agg.Call {
	t.Helper()
	c := agg.Call{Name: name, Args: args, Star: len(args) == 0 && name == "count"}
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	rt, err := agg.ResultType(name, ts, c.Star)
	if err != nil {
		t.Fatal(err)
	}
	c.Result = rt
	return c
}

func aggregate(input planner.Plan, groupBy []int, calls ...agg.Call) *planner.Aggregate {
	in := planner.Types(input)
	var ts []types.T
	for _, g := range groupBy {
		ts = append(ts, in[g])
	}
	for _, c := range calls {
		ts = append(ts, c.Result)
	}
	return &planner.Aggregate{Node: planner.Node{Out: outputs(ts...)}, Input: input, GroupBy: groupBy, Aggs: calls}
}

func TestHashAgg(t *testing.T) {
	r := fixture()
	// Input columns: id, name, score, grp.
	in := scanOf(people, 0, 1, 2, 3)
	id, name, score := col(0, types.Int32), col(1, types.Text), col(2, types.Numeric)
	distinctScores := aggCall(t, "count", score)
	distinctScores.Distinct = true
	filtered := aggCall(t, "sum", id)
	filtered.Filter = op(t, ">", id, constant(int64(1), types.Int32))
	empty := scanOf(relation(99, "empty", []int{0}, catalog.Column{Name: "a", Type: types.Int64}), 0)
	emptyFilter := scanOf(people, 0, 1, 2, 3)
	emptyFilter.Filter = op(t, "<", col(0, types.Int32), constant(int64(0), types.Int32))

	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"group by with a NULL group", aggregate(in, []int{3},
			aggCall(t, "count"), aggCall(t, "sum", score), aggCall(t, "avg", id), aggCall(t, "min", name),
			distinctScores, filtered), lines(
			"+ 10 2 3.75 2.0000000000000000 a 2 3",
			"+ 20 2 1.00 3.5000000000000000 b 1 7",
			"+ NULL 1 1.0 4.0000000000000000 d 1 4")},
		{"numerics group by value, not scale", aggregate(in, []int{2}, aggCall(t, "count"), aggCall(t, "max", id)), lines(
			"+ 1.50 1 1",
			"+ NULL 1 2",
			"+ 2.25 1 3",
			"+ 1.0 2 5")},
		{"two group columns", aggregate(scanOf(pairs, 0, 1, 2), []int{0, 1}, aggCall(t, "sum", col(2, types.Int64))), lines(
			"+ x -1 10",
			"+ x 2 20",
			"+ xx 1 30",
			"+ y 1 100")},
		{"no group by over no rows", aggregate(empty, nil, aggCall(t, "count"), aggCall(t, "sum", col(0, types.Int64)),
			aggCall(t, "max", col(0, types.Int64))), lines("+ 0 NULL NULL")},
		{"no group by after a filter drops everything", aggregate(emptyFilter, nil, aggCall(t, "count", name)), lines("+ 0")},
		{"group by over no rows", aggregate(empty, []int{0}, aggCall(t, "count")), ""},
		{"no group by", aggregate(in, nil, aggCall(t, "count"), aggCall(t, "count", score), aggCall(t, "string_agg", name, constant(",", types.Text))),
			lines("+ 5 4 a,b,d,e")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, r); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestHashAggManyGroups(t *testing.T) {
	r := newMemReader()
	big := relation(9, "big", []int{0}, catalog.Column{Name: "a", Type: types.Int64}, catalog.Column{Name: "g", Type: types.Int64})
	for i := 0; i < 5000; i++ {
		load(r, big, []types.Datum{int64(i), int64(i % 3000)})
	}
	p := aggregate(scanOf(big, 0, 1), []int{1}, aggCall(t, "count"))
	if rows, chunks := count(t, p, r); rows != 3000 || chunks != 3 {
		t.Errorf("got %d groups in %d chunks, want 3000 in 3", rows, chunks)
	}
}

func join(kind planner.JoinKind, left, right planner.Plan, lk, rk []int, cond expr.Expr) *planner.Join {
	ts := append(planner.Types(left), planner.Types(right)...)
	return &planner.Join{Node: planner.Node{Out: outputs(ts...)}, Kind: kind, Left: left, Right: right, LeftKeys: lk, RightKeys: rk, Condition: cond}
}

func TestHashJoin(t *testing.T) {
	lt := []types.T{types.Int32, types.Int32}
	rt := []types.T{types.Int64, types.Text}
	left := valuesOf(lt,
		[]types.Datum{int64(1), int64(10)},
		[]types.Datum{int64(2), int64(20)},
		[]types.Datum{int64(3), nil},
		[]types.Datum{int64(4), int64(10)})
	right := valuesOf(rt,
		[]types.Datum{int64(10), "x"},
		[]types.Datum{nil, "n"},
		[]types.Datum{int64(10), "y"},
		[]types.Datum{int64(40), "z"})
	notY := op(t, "<>", col(3, types.Text), constant("y", types.Text))
	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"inner", join(planner.InnerJoin, left, right, []int{1}, []int{0}, nil), lines(
			"+ 1 10 10 x",
			"+ 1 10 10 y",
			"+ 4 10 10 x",
			"+ 4 10 10 y")},
		{"inner with condition", join(planner.InnerJoin, left, right, []int{1}, []int{0}, notY), lines(
			"+ 1 10 10 x",
			"+ 4 10 10 x")},
		{"left", join(planner.LeftJoin, left, right, []int{1}, []int{0}, notY), lines(
			"+ 1 10 10 x",
			"+ 4 10 10 x",
			"+ 2 20 NULL NULL",
			"+ 3 NULL NULL NULL")},
		{"right", join(planner.RightJoin, left, right, []int{1}, []int{0}, notY), lines(
			"+ 1 10 10 x",
			"+ 4 10 10 x",
			"+ NULL NULL NULL n",
			"+ NULL NULL 10 y",
			"+ NULL NULL 40 z")},
		{"full", join(planner.FullJoin, left, right, []int{1}, []int{0}, nil), lines(
			"+ 1 10 10 x",
			"+ 1 10 10 y",
			"+ 4 10 10 x",
			"+ 4 10 10 y",
			"+ 2 20 NULL NULL",
			"+ 3 NULL NULL NULL",
			"+ NULL NULL NULL n",
			"+ NULL NULL 40 z")},
		{"cross join by condition only", join(planner.InnerJoin, valuesOf(lt, []types.Datum{int64(1), int64(10)}, []types.Datum{int64(2), int64(40)}), right, nil, nil,
			op(t, "=", col(1, types.Int32), col(2, types.Int64))), lines(
			"+ 1 10 10 x",
			"+ 1 10 10 y",
			"+ 2 40 40 z")},
		{"left join with an empty right side", join(planner.LeftJoin, left, valuesOf(rt), []int{1}, []int{0}, nil), lines(
			"+ 1 10 NULL NULL",
			"+ 2 20 NULL NULL",
			"+ 3 NULL NULL NULL",
			"+ 4 10 NULL NULL")},
		{"inner join with an empty right side", join(planner.InnerJoin, left, valuesOf(rt), []int{1}, []int{0}, nil), ""},
		{"full join with an empty left side", join(planner.FullJoin, valuesOf(lt), right, []int{1}, []int{0}, nil), lines(
			"+ NULL NULL 10 x",
			"+ NULL NULL NULL n",
			"+ NULL NULL 10 y",
			"+ NULL NULL 40 z")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, nil); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestHashJoinManyMatches(t *testing.T) {
	ts := []types.T{types.Int64, types.Int64}
	var left, right [][]types.Datum
	for i := 0; i < 60; i++ {
		left = append(left, []types.Datum{int64(i % 2), int64(i)})
		right = append(right, []types.Datum{int64(i % 2), int64(i)})
	}
	left = append(left, []types.Datum{int64(7), int64(-1)})
	// Each left row matches 30 right rows: 1800 pairs plus one unmatched row.
	p := join(planner.LeftJoin, valuesOf(ts, left...), valuesOf(ts, right...), []int{0}, []int{0}, nil)
	if rows, _ := count(t, p, nil); rows != 1801 {
		t.Errorf("got %d rows, want 1801", rows)
	}
	// Half the pairs fail the condition; left rows whose every pair fails
	// come out unmatched once.
	cond := op(t, "<", col(1, types.Int64), col(3, types.Int64))
	p = join(planner.LeftJoin, valuesOf(ts, left...), valuesOf(ts, right...), []int{0}, []int{0}, cond)
	// Left row i matches right rows j > i of the same parity.
	want := 0
	for i := 0; i < 60; i++ {
		n := 0
		for j := i + 1; j < 60; j++ {
			if j%2 == i%2 {
				n++
			}
		}
		want += max(n, 1)
	}
	want++ // the key 7 row
	if rows, _ := count(t, p, nil); rows != want {
		t.Errorf("got %d rows, want %d", rows, want)
	}
}

func TestSort(t *testing.T) {
	ts := []types.T{types.Int32, types.Text}
	vals := valuesOf(ts,
		[]types.Datum{int64(2), "a"},
		[]types.Datum{nil, "b"},
		[]types.Datum{int64(1), "c"},
		[]types.Datum{int64(2), "d"},
		[]types.Datum{nil, "e"},
		[]types.Datum{int64(-5), "f"})
	sortBy := func(keys ...planner.SortKey) *planner.Sort {
		return &planner.Sort{Node: planner.Node{Out: outputs(ts...)}, Input: vals, Keys: keys}
	}
	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"asc nulls last, stable", sortBy(planner.SortKey{Column: 0}), lines(
			"+ -5 f", "+ 1 c", "+ 2 a", "+ 2 d", "+ NULL b", "+ NULL e")},
		{"desc nulls first", sortBy(planner.SortKey{Column: 0, Desc: true, NullsFirst: true}), lines(
			"+ NULL b", "+ NULL e", "+ 2 a", "+ 2 d", "+ 1 c", "+ -5 f")},
		{"asc nulls first", sortBy(planner.SortKey{Column: 0, NullsFirst: true}), lines(
			"+ NULL b", "+ NULL e", "+ -5 f", "+ 1 c", "+ 2 a", "+ 2 d")},
		{"desc nulls last, then text desc", sortBy(planner.SortKey{Column: 0, Desc: true}, planner.SortKey{Column: 1, Desc: true}), lines(
			"+ 2 d", "+ 2 a", "+ 1 c", "+ -5 f", "+ NULL e", "+ NULL b")},
		{"empty input", &planner.Sort{Node: planner.Node{Out: outputs(ts...)}, Input: valuesOf(ts), Keys: []planner.SortKey{{Column: 0}}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, nil); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestLimit(t *testing.T) {
	ts := []types.T{types.Int32}
	var rows [][]types.Datum
	for i := 1; i <= 5; i++ {
		rows = append(rows, []types.Datum{int64(i)})
	}
	vals := valuesOf(ts, rows...)
	limit := func(count, offset int64) *planner.Limit {
		return &planner.Limit{Node: planner.Node{Out: outputs(ts...)}, Input: vals, Count: count, Offset: offset}
	}
	param := func(count, offset expr.Expr) *planner.Limit {
		return &planner.Limit{Node: planner.Node{Out: outputs(ts...)}, Input: vals, Count: -1, CountExpr: count, OffsetExpr: offset}
	}
	for _, tc := range []struct {
		name string
		plan planner.Plan
		want string
	}{
		{"limit", limit(2, 0), lines("+ 1", "+ 2")},
		{"offset", limit(-1, 3), lines("+ 4", "+ 5")},
		{"limit and offset", limit(2, 1), lines("+ 2", "+ 3")},
		{"limit 0", limit(0, 0), ""},
		{"offset past the end", limit(3, 10), ""},
		{"limit past the end", limit(30, 4), lines("+ 5")},
		{"limit expression", param(constant(int64(1), types.Int64), constant(int64(2), types.Int64)), lines("+ 3")},
		{"NULL limit", param(constant(nil, types.Int64), nil), lines("+ 1", "+ 2", "+ 3", "+ 4", "+ 5")},
		{"negative limit", param(constant(int64(-1), types.Int64), nil), "error 2201W: LIMIT must not be negative\n"},
		{"negative offset", param(nil, constant(int64(-1), types.Int64)), "error 2201X: OFFSET must not be negative\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.plan, nil); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestCancellation(t *testing.T) {
	r := fixture()
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := Run(ctx, aggregate(scanOf(people, 0), nil, aggCall(t, "count")), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cancel()
	_, err = rows.Next(ctx)
	var pe *pgerror.Error
	if !errors.As(err, &pe) || pe.Code != pgerror.QueryCanceled || pe.Message != "canceling statement due to user request" {
		t.Errorf("got %v, want 57014 canceling statement due to user request", err)
	}
	if _, err := Run(ctx, scanOf(people, 0), r, nil); pgerror.CodeOf(err) != pgerror.QueryCanceled {
		t.Errorf("Run on a cancelled context: got %v", err)
	}
}
