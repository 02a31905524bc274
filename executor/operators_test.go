package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// directive runs one directive of a file; definitions accumulate in env.
func (env *scriptEnv) directive(t *testing.T, td *datadriven.TestData) string {
	var err error
	switch td.Cmd {
	case "query":
		return runQuery(t, td.Input)
	case "table":
		err = env.defineTable(t, td)
	case "values":
		err = env.defineValues(td)
	case "run":
		var p planner.Plan
		if p, err = env.buildPlan(td.Input); err == nil {
			return run(t, p, env.reader)
		}
	default:
		err = fmt.Errorf("unknown directive %q", td.Cmd)
	}
	if err != nil {
		td.Fatalf(t, "%v", err)
	}
	return ""
}

// TestOperators runs testdata/*.txt, one file per operator, with the
// directives
//
//	query
//	<sql over VALUES, planned by the planner>
//	----
//	<EXPLAIN of the plan, then the rows as chunks print them>
//
//	table <name> id=<relation id> key=(i, …) columns=(name type [not null], …)
//	<rows, values separated by spaces, NULL for NULL>
//	----
//
//	values <name> types=(type, …)
//	<rows>
//	----
//
//	run
//	<a plan script (see plan_script_test.go) over the file's tables and values>
//	----
//	<the rows as chunks print them>
//
// A failing query or plan shows "error CODE: message" where its rows would
// be. -rewrite regenerates the expected outputs.
func TestOperators(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, newScriptEnv().directive)
	})
}

func (env *scriptEnv) defineTable(t *testing.T, td *datadriven.TestData) error {
	l := scriptLine{op: td.Cmd, args: td.CmdArgs, pos: td.Pos}
	name, err := l.name()
	if err != nil {
		return err
	}
	var id uint32
	td.ScanArgs(t, "id", &id)
	key, err := l.ints("key")
	if err != nil {
		return err
	}
	defs, _ := l.arg("columns")
	cols, err := parseColumnDefs(defs)
	if err != nil {
		return err
	}
	rel := relation(id, name, key, cols...)
	rows, err := parseRows(td.Input, rel.ColumnTypes())
	if err != nil {
		return err
	}
	load(env.reader, rel, rows...)
	env.tables[name] = rel
	return nil
}

func (env *scriptEnv) defineValues(td *datadriven.TestData) error {
	l := scriptLine{op: td.Cmd, args: td.CmdArgs, pos: td.Pos}
	name, err := l.name()
	if err != nil {
		return err
	}
	names, _ := l.arg("types")
	ts, err := parseTypeList(names)
	if err != nil {
		return err
	}
	rows, err := parseRows(td.Input, ts)
	if err != nil {
		return err
	}
	env.values[name] = valuesOf(ts, rows...)
	return nil
}

func parseRows(input string, ts []types.T) ([][]types.Datum, error) {
	var rows [][]types.Datum
	for _, line := range strings.Split(input, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		row, err := parseRowLine(line, ts)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func runQuery(t *testing.T, sql string) string {
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return "parse error: " + err.Error()
	}
	sel, ok := stmt.(*ast.Select)
	if !ok {
		return "not a query"
	}
	p, err := planner.New(catalog.New(), planner.Options{}).PlanQuery(sel, &planner.Params{})
	if err != nil {
		return errText(err)
	}
	return planner.Explain(p) + run(t, p, newMemReader())
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

func TestCancellation(t *testing.T) {
	r := newMemReader()
	people := relation(7, "t", []int{0}, catalog.Column{Name: "id", Type: types.Int32, NotNull: true})
	load(r, people, []types.Datum{int64(1)}, []types.Datum{int64(2)})
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

func join(kind planner.JoinKind, left, right planner.Plan, lk, rk []int, cond expr.Expr) *planner.Join {
	ts := append(planner.Types(left), planner.Types(right)...)
	return &planner.Join{Node: planner.Node{Out: outputs(ts...)}, Kind: kind, Left: left, Right: right, LeftKeys: lk, RightKeys: rk, Condition: cond}
}
