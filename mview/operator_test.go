package mview

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TestOperators runs the operator scripts in testdata/*.txt. A case is a
// directive line naming the operator and its parameters, input lines (a
// chunk row "+ 1 4", "- 1 4", "U- 5 3", "U+ 7 5", prefixed with "L " or "R "
// for a join's sides; the rows up to a "barrier" line or a change of side
// are one chunk, and "barrier" ends an epoch), then "----" and the expected
// output: the rows the operator emitted and "barrier N" where it forwarded
// a barrier, followed by the row errors recorded then ("! operator sqlstate
// message row-key epoch"). Cases are separated by blank lines; lines starting with # are
// comments. -rewrite regenerates the expected outputs.
func TestOperators(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, runCase)
	})
}

// runCase builds the operator td names, feeds it the input and returns its
// output.
func runCase(t *testing.T, td *datadriven.TestData) string {
	args := map[string]string{}
	for _, arg := range td.CmdArgs {
		args[arg.Key] = strings.Join(arg.Vals, ",")
	}
	out := feed(t, td.Cmd, args, strings.Split(td.Input, "\n"))
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// feed builds the operator name with args, feeds it the input lines and
// returns its output lines.
func feed(t *testing.T, name string, args map[string]string, input []string) []string {
	opts := storage.Options{InMemory: true}
	if args["cache"] == "0" {
		// A memory limit so small that the state cache keeps nothing:
		// every read goes to Pebble.
		opts.MemoryLimit = 1
	}
	store, err := storage.Open("mem", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out []string
	fail := func(err error) []string { return append(out, "error: "+err.Error()) }
	evalCtx := &expr.Context{}
	var op operator
	var inputTypes [2][]types.T
	inputTypes[0] = parseTypes(t, args["input"])
	var mat *Materialize
	switch name {
	case "filter":
		f := NewFilter(parseExpr(t, args["where"], inputTypes[0]), evalCtx)
		f.errors = testRowErrors(name, inputTypes[0], args["key"])
		op = f
	case "project":
		var exprs []expr.Expr
		for _, s := range strings.Split(args["exprs"], ",") {
			exprs = append(exprs, parseExpr(t, s, inputTypes[0]))
		}
		p := NewProject(exprs, evalCtx)
		p.errors = testRowErrors(name, inputTypes[0], args["key"])
		op = p
	case "agg":
		var calls []agg.Call
		for _, s := range strings.Split(args["aggs"], ";") {
			calls = append(calls, parseAgg(t, s, inputTypes[0]))
		}
		h, err := NewHashAgg(inputTypes[0], parseInts(args["group"]), calls,
			storage.NewStateTable(store, 1), storage.NewStateTable(store, 2), evalCtx)
		if err != nil {
			return fail(err)
		}
		h.errors = testRowErrors("hash agg", inputTypes[0], args["key"])
		op = h
	case "join":
		inputTypes = [2][]types.T{parseTypes(t, args["left"]), parseTypes(t, args["right"])}
		var cond expr.Expr
		if args["cond"] != "" {
			cond = parseExpr(t, args["cond"], append(append([]types.T(nil), inputTypes[0]...), inputTypes[1]...))
		}
		kinds := map[string]planner.JoinKind{"": planner.InnerJoin, "inner": planner.InnerJoin,
			"left": planner.LeftJoin, "right": planner.RightJoin, "full": planner.FullJoin}
		kind, ok := kinds[args["kind"]]
		if !ok {
			t.Fatalf("bad join kind %q", args["kind"])
		}
		j := NewHashJoin(kind, inputTypes[0], inputTypes[1], parseInts(args["left_on"]), parseInts(args["right_on"]),
			parseInts(args["left_key"]), parseInts(args["right_key"]), cond,
			storage.NewStateTable(store, 1), storage.NewStateTable(store, 2), evalCtx)
		key := args["left_key"]
		for _, k := range parseInts(args["right_key"]) {
			key += "," + strconv.Itoa(len(inputTypes[0])+k)
		}
		if args["streamed"] == "t" {
			// Every join key read in segments of one match.
			j.probeBudget, j.segmentMatches = 0, 1
		}
		j.errors = testRowErrors("hash join", append(append([]types.T(nil), inputTypes[0]...), inputTypes[1]...), key)
		op = j
	case "topn":
		// order=1d,0 sorts by column 1 descending, then column 0; an "n"
		// moves NULLs from their default place (last ascending, first
		// descending) to the other end.
		var keys []planner.SortKey
		for _, k := range strings.Split(args["order"], ",") {
			if k == "" {
				continue
			}
			col, _ := strconv.Atoi(strings.TrimRight(k, "dn"))
			desc := strings.Contains(k, "d")
			keys = append(keys, planner.SortKey{Column: col, Desc: desc, NullsFirst: desc != strings.Contains(k, "n")})
		}
		count, _ := strconv.ParseInt(args["limit"], 10, 64)
		offset, _ := strconv.ParseInt(args["offset"], 10, 64)
		op = NewTopN(inputTypes[0], parseInts(args["partition"]), keys, parseInts(args["key"]), count, offset,
			args["rank"] == "t", storage.NewStateTable(store, 1))
	case "materialize":
		mat = NewMaterialize(1, inputTypes[0], parseInts(args["key"]), storage.NewStateTable(store, 1), discardLogger(), nil)
		op = mat
	default:
		t.Fatalf("unknown operator %q", name)
	}
	emit := func(c *chunk.Chunk) {
		for _, l := range strings.Split(strings.TrimSuffix(c.String(), "\n"), "\n") {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	epoch := uint64(0)
	var pending [2]*chunk.Builder
	flushInput := func() {
		for side, b := range pending {
			if b != nil && b.Len() > 0 {
				if err := op.chunk(side, b.Build(), emit); err != nil {
					out = append(out, "error: "+err.Error())
				}
			}
		}
	}
	for _, line := range input {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if line == "barrier" {
			flushInput()
			epoch++
			batch := store.NewEpochBatch(epoch)
			if err := op.barrier(&Barrier{Epoch: epoch, Batch: batch}, emit); err != nil {
				out = append(out, "error: "+err.Error())
			}
			if err := store.Commit(batch); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("barrier %d", epoch))
			recorded, err := ReadViewErrors(store, func(uint32) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range recorded {
				out = append(out, fmt.Sprintf("! %s %s %s %s %d", e.Operator, e.SQLState, e.Message, e.RowKey, e.Epoch))
			}
			if mat != nil {
				out = append(out, storedRows(t, store, 1, inputTypes[0])...)
				if n := mat.Inconsistencies(); n > 0 {
					out = append(out, fmt.Sprintf("inconsistencies: %d", n))
				}
			}
			continue
		}
		side := 0
		if rest, ok := strings.CutPrefix(line, "L "); ok {
			line = rest
		} else if rest, ok := strings.CutPrefix(line, "R "); ok {
			line, side = rest, 1
		}
		if pending[1-side] != nil && pending[1-side].Len() > 0 {
			flushInput()
		}
		if pending[side] == nil {
			pending[side] = chunk.NewBuilder(inputTypes[side])
		}
		opName, vals, _ := strings.Cut(line, " ")
		pending[side].Append(parseOp(t, opName), parseRow(t, inputTypes[side], vals))
	}
	flushInput()
	return out
}

// testRowErrors is the row error log of an operator under test, its rows
// identified by the columns key ("0,2"; all columns when empty), named #i.
func testRowErrors(operator string, ts []types.T, key string) *rowErrorLog {
	names := make([]string, len(ts))
	for i := range names {
		names[i] = "#" + strconv.Itoa(i)
	}
	cols := parseInts(key)
	if key == "" {
		for i := range ts {
			cols = append(cols, i)
		}
	}
	return newRowErrorLog(7, "v", operator, 1, names, ts, cols)
}

// storedRows renders a table's rows as "= v1 v2" lines in key order.
func storedRows(t *testing.T, store *storage.Store, id uint32, ts []types.T) []string {
	var out []string
	st := storage.NewStateTable(store, id)
	err := st.Scan(nil, nil, func(_, value []byte) (bool, error) {
		row, err := decodeRow(ts, value)
		if err != nil {
			return false, err
		}
		out = append(out, "= "+formatRow(ts, row))
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func parseOp(t *testing.T, s string) chunk.Op {
	for _, op := range []chunk.Op{chunk.Insert, chunk.Delete, chunk.UpdateBefore, chunk.UpdateAfter} {
		if op.String() == s {
			return op
		}
	}
	t.Fatalf("bad op %q", s)
	return 0
}

func parseTypes(t *testing.T, s string) []types.T {
	if s == "" {
		return nil
	}
	var ts []types.T
	for _, name := range strings.Split(s, ",") {
		typ, ok := types.FromName(name)
		if !ok {
			t.Fatalf("bad type %q", name)
		}
		ts = append(ts, typ)
	}
	return ts
}

func parseInts(s string) []int {
	var out []int
	if s == "" {
		return out
	}
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			panic(err)
		}
		out = append(out, n)
	}
	return out
}

func parseRow(t *testing.T, ts []types.T, s string) []types.Datum {
	fields := strings.Fields(s)
	if len(fields) != len(ts) {
		t.Fatalf("row %q has %d values, want %d", s, len(fields), len(ts))
	}
	row := make([]types.Datum, len(ts))
	for i, f := range fields {
		row[i] = parseDatum(t, ts[i], f)
	}
	return row
}

func parseDatum(t *testing.T, typ types.T, s string) types.Datum {
	if s == "NULL" {
		return nil
	}
	switch {
	case typ.IsInteger():
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	case typ.Kind == types.KindFloat64 || typ.Kind == types.KindFloat32:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	case typ.Kind == types.KindBool:
		return s == "t"
	case typ.Kind == types.KindNumeric:
		d, err := types.ParseNumeric(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	return s
}

var exprPattern = regexp.MustCompile(`^(#\d+|-?\d+)(?:(>=|<=|<>|=|>|<|\+|-|\*|/)(#\d+|-?\d+))?(?:(>=|<=|<>|=|>|<)(#\d+|-?\d+))?$`)

// parseExpr parses "#i", "n", "a OP b" or "a OP b CMP c" (no spaces) over
// input types ts.
func parseExpr(t *testing.T, s string, ts []types.T) expr.Expr {
	m := exprPattern.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("bad expression %q", s)
	}
	operand := func(s string) expr.Expr {
		if rest, ok := strings.CutPrefix(s, "#"); ok {
			i, _ := strconv.Atoi(rest)
			return expr.NewColumnRef(i, ts[i], "")
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		return expr.NewConst(n, types.Int64)
	}
	e := operand(m[1])
	for _, step := range [][2]string{{m[2], m[3]}, {m[4], m[5]}} {
		if step[0] == "" {
			continue
		}
		var err error
		if e, err = expr.NewBinary(step[0], e, operand(step[1])); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

var aggPattern = regexp.MustCompile(`^(\w+)\((distinct )?([^)]*)\)(?: where (.*))?$`)

// parseAgg parses "name(*)", "name(#i)", "name(distinct_#i)", each
// optionally followed by "_where_<expr>" (no spaces inside a directive).
func parseAgg(t *testing.T, s string, ts []types.T) agg.Call {
	m := aggPattern.FindStringSubmatch(strings.NewReplacer("_where_", " where ", "distinct_", "distinct ").Replace(s))
	if m == nil {
		t.Fatalf("bad aggregate %q", s)
	}
	c := agg.Call{Name: m[1], Distinct: m[2] != ""}
	var argTypes []types.T
	if m[3] == "*" {
		c.Star = true
	} else {
		for _, a := range strings.Split(m[3], ",") {
			e := parseExpr(t, a, ts)
			c.Args = append(c.Args, e)
			argTypes = append(argTypes, e.Type())
		}
	}
	if m[4] != "" {
		c.Filter = parseExpr(t, m[4], ts)
	}
	var err error
	if c.Result, err = agg.ResultType(c.Name, argTypes, c.Star); err != nil {
		t.Fatal(err)
	}
	return c
}
