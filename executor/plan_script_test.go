package executor

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// A plan script builds a batch plan by hand, without the planner, so that
// an operator's test pins down exactly the plan it runs. It is a tree of
// lines, a child indented two spaces under its parent (a join's left input
// first), each an operator and its arguments in datadriven's syntax:
//
//	Scan <table> columns=(i, …) [where=E] [prefix=(v, …)]
//	Values <name>
//	Filter where=E
//	Project exprs=(E, …)
//	Aggregate [group=(i, …)] aggs=(A, …)
//	Join kind=inner|left|right|full [left_on=(i, …) right_on=(i, …)] [cond=E]
//	Sort keys=(i [asc|desc] [nulls first|last], …)
//	Limit [count=n] [offset=n] [count_expr=E] [offset_expr=E]
//
// An expression E is an operand or "operand OP operand" (OP one of = <> <
// <= > >= + - * / ||) over the node's input columns; a join's condition
// sees the left columns then the right ones. An operand is #i (input
// column i) or a literal: NULL, a 'quoted' or bare value, with an optional
// ::type; an untyped literal takes the type of the other operand, and a
// lone one is text if quoted. An aggregate A is name(*), name(args) or
// name(distinct arg), optionally followed by "filter E". A Scan's where
// sees its output columns; its prefix literals take the key columns' types.
// Sort keys order NULLs as SQL does unless told: last ascending, first
// descending.

// scriptEnv holds what a script's plans refer to: the tables a file
// defines (stored in reader) and its named VALUES lists.
type scriptEnv struct {
	reader *memReader
	tables map[string]*catalog.Relation
	values map[string]*planner.Values
}

func newScriptEnv() *scriptEnv {
	return &scriptEnv{reader: newMemReader(), tables: map[string]*catalog.Relation{}, values: map[string]*planner.Values{}}
}

// scriptLine is one operator line of a plan script.
type scriptLine struct {
	depth int
	op    string
	args  []datadriven.CmdArg
	pos   string
}

// arg returns the values of the argument key, and whether it was given.
func (l scriptLine) arg(key string) ([]string, bool) {
	for _, a := range l.args {
		if a.Key == key {
			return a.Vals, true
		}
	}
	return nil, false
}

// single returns the one value of the argument key, "" when absent.
func (l scriptLine) single(key string) (string, error) {
	vals, ok := l.arg(key)
	switch {
	case !ok:
		return "", nil
	case len(vals) != 1:
		return "", fmt.Errorf("%s: %s takes one value", l.pos, key)
	}
	return vals[0], nil
}

// name returns the argument without a value that names a table or a list.
func (l scriptLine) name() (string, error) {
	if len(l.args) == 0 || len(l.args[0].Vals) != 0 {
		return "", fmt.Errorf("%s: %s needs a name", l.pos, l.op)
	}
	return l.args[0].Key, nil
}

// buildPlan builds the plan a script describes.
func (env *scriptEnv) buildPlan(script string) (planner.Plan, error) {
	var lines []scriptLine
	for i, text := range strings.Split(script, "\n") {
		if strings.TrimSpace(text) == "" {
			continue
		}
		trimmed := strings.TrimLeft(text, " ")
		indent := len(text) - len(trimmed)
		if indent%2 != 0 {
			return nil, fmt.Errorf("line %d: indent by two spaces", i+1)
		}
		op, args, err := datadriven.ParseLine(trimmed)
		if err != nil {
			return nil, err
		}
		lines = append(lines, scriptLine{depth: indent / 2, op: op, args: args, pos: fmt.Sprintf("line %d", i+1)})
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("empty plan")
	}
	p, rest, err := env.buildNode(lines)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%s: a plan has one root", rest[0].pos)
	}
	return p, nil
}

// buildNode builds the node of lines[0] from it and its children, and
// returns the lines after them.
func (env *scriptEnv) buildNode(lines []scriptLine) (planner.Plan, []scriptLine, error) {
	l, rest := lines[0], lines[1:]
	var inputs []planner.Plan
	for len(rest) > 0 && rest[0].depth > l.depth {
		if rest[0].depth != l.depth+1 {
			return nil, nil, fmt.Errorf("%s: indent one level under the parent", rest[0].pos)
		}
		child, after, err := env.buildNode(rest)
		if err != nil {
			return nil, nil, err
		}
		inputs, rest = append(inputs, child), after
	}
	want := 1
	switch l.op {
	case "Scan", "Values":
		want = 0
	case "Join":
		want = 2
	}
	if len(inputs) != want {
		return nil, nil, fmt.Errorf("%s: %s takes %d inputs, has %d", l.pos, l.op, want, len(inputs))
	}
	p, err := env.node(l, inputs)
	if err != nil {
		return nil, nil, err
	}
	return p, rest, nil
}

func (env *scriptEnv) node(l scriptLine, inputs []planner.Plan) (planner.Plan, error) {
	var in []types.T
	if len(inputs) == 1 {
		in = planner.Types(inputs[0])
	}
	switch l.op {
	case "Scan":
		return env.scan(l)
	case "Values":
		name, err := l.name()
		if err != nil {
			return nil, err
		}
		v, ok := env.values[name]
		if !ok {
			return nil, fmt.Errorf("%s: no values %q", l.pos, name)
		}
		return v, nil
	case "Filter":
		where, err := l.single("where")
		if err != nil {
			return nil, err
		}
		pred, err := parseScriptExpr(where, in)
		if err != nil {
			return nil, err
		}
		return &planner.Filter{Node: planner.Node{Out: outputs(in...)}, Input: inputs[0], Predicate: pred}, nil
	case "Project":
		vals, _ := l.arg("exprs")
		p := &planner.Project{Input: inputs[0]}
		var ts []types.T
		for _, s := range vals {
			e, err := parseScriptExpr(s, in)
			if err != nil {
				return nil, err
			}
			p.Exprs = append(p.Exprs, e)
			ts = append(ts, e.Type())
		}
		p.Out = outputs(ts...)
		return p, nil
	case "Aggregate":
		group, err := l.ints("group")
		if err != nil {
			return nil, err
		}
		vals, _ := l.arg("aggs")
		var calls []agg.Call
		for _, s := range vals {
			c, err := parseScriptAgg(s, in)
			if err != nil {
				return nil, err
			}
			calls = append(calls, c)
		}
		return aggregate(inputs[0], group, calls...), nil
	case "Join":
		return env.join(l, inputs)
	case "Sort":
		vals, _ := l.arg("keys")
		var keys []planner.SortKey
		for _, s := range vals {
			k, err := parseSortKey(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", l.pos, err)
			}
			keys = append(keys, k)
		}
		return &planner.Sort{Node: planner.Node{Out: outputs(in...)}, Input: inputs[0], Keys: keys}, nil
	case "Limit":
		p := &planner.Limit{Node: planner.Node{Out: outputs(in...)}, Input: inputs[0], Count: -1}
		for _, f := range []struct {
			key string
			n   *int64
			e   *expr.Expr
		}{{"count", &p.Count, nil}, {"offset", &p.Offset, nil}, {"count_expr", nil, &p.CountExpr}, {"offset_expr", nil, &p.OffsetExpr}} {
			s, err := l.single(f.key)
			if err != nil || s == "" {
				if err != nil {
					return nil, err
				}
				continue
			}
			if f.n != nil {
				if *f.n, err = strconv.ParseInt(s, 10, 64); err != nil {
					return nil, fmt.Errorf("%s: %s: %v", l.pos, f.key, err)
				}
				continue
			}
			if *f.e, err = parseScriptExpr(s, nil); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	return nil, fmt.Errorf("%s: unknown operator %q", l.pos, l.op)
}

func (env *scriptEnv) scan(l scriptLine) (planner.Plan, error) {
	name, err := l.name()
	if err != nil {
		return nil, err
	}
	rel, ok := env.tables[name]
	if !ok {
		return nil, fmt.Errorf("%s: no table %q", l.pos, name)
	}
	cols, err := l.ints("columns")
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if c < 0 || c >= len(rel.Columns) {
			return nil, fmt.Errorf("%s: %s has no column %d", l.pos, name, c)
		}
	}
	s := scanOf(rel, cols...)
	if where, err := l.single("where"); err != nil {
		return nil, err
	} else if where != "" {
		if s.Filter, err = parseScriptExpr(where, planner.Types(s)); err != nil {
			return nil, err
		}
	}
	prefix, _ := l.arg("prefix")
	if len(prefix) > len(rel.Key) {
		return nil, fmt.Errorf("%s: the prefix is longer than the key", l.pos)
	}
	for i, v := range prefix {
		e, err := parseOperand(v, nil, rel.Columns[rel.Key[i]].Type)
		if err != nil {
			return nil, err
		}
		s.KeyPrefix = append(s.KeyPrefix, e)
	}
	return s, nil
}

func (env *scriptEnv) join(l scriptLine, inputs []planner.Plan) (planner.Plan, error) {
	kinds := map[string]planner.JoinKind{"inner": planner.InnerJoin, "left": planner.LeftJoin,
		"right": planner.RightJoin, "full": planner.FullJoin}
	k, err := l.single("kind")
	if err != nil {
		return nil, err
	}
	kind, ok := kinds[k]
	if !ok {
		return nil, fmt.Errorf("%s: kind is one of inner, left, right, full", l.pos)
	}
	leftOn, err := l.ints("left_on")
	if err != nil {
		return nil, err
	}
	rightOn, err := l.ints("right_on")
	if err != nil {
		return nil, err
	}
	if len(leftOn) != len(rightOn) {
		return nil, fmt.Errorf("%s: left_on and right_on differ in length", l.pos)
	}
	var cond expr.Expr
	if s, err := l.single("cond"); err != nil {
		return nil, err
	} else if s != "" {
		both := append(planner.Types(inputs[0]), planner.Types(inputs[1])...)
		if cond, err = parseScriptExpr(s, both); err != nil {
			return nil, err
		}
	}
	return join(kind, inputs[0], inputs[1], leftOn, rightOn, cond), nil
}

// ints returns the argument key's values as column numbers.
func (l scriptLine) ints(key string) ([]int, error) {
	vals, _ := l.arg(key)
	var out []int
	for _, v := range vals {
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", l.pos, key, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseColumnDefs parses "name type [not null]" column definitions.
func parseColumnDefs(defs []string) ([]catalog.Column, error) {
	var cols []catalog.Column
	for _, d := range defs {
		f := strings.Fields(d)
		if len(f) < 2 {
			return nil, fmt.Errorf("column %q: want name and type", d)
		}
		t, ok := types.FromName(f[1])
		if !ok {
			return nil, fmt.Errorf("column %q: unknown type", d)
		}
		c := catalog.Column{Name: f[0], Type: t}
		switch rest := strings.Join(f[2:], " "); rest {
		case "":
		case "not null":
			c.NotNull = true
		default:
			return nil, fmt.Errorf("column %q: unknown %q", d, rest)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// parseTypeList parses type names.
func parseTypeList(names []string) ([]types.T, error) {
	var ts []types.T
	for _, n := range names {
		t, ok := types.FromName(strings.TrimSpace(n))
		if !ok {
			return nil, fmt.Errorf("unknown type %q", n)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// parseRowLine parses a line of whitespace-separated values of types ts,
// NULL for NULL, each in its type's text input form.
func parseRowLine(line string, ts []types.T) ([]types.Datum, error) {
	f := strings.Fields(line)
	if len(f) != len(ts) {
		return nil, fmt.Errorf("row %q has %d values, want %d", line, len(f), len(ts))
	}
	row := make([]types.Datum, len(ts))
	for i, s := range f {
		if s == "NULL" {
			continue
		}
		d, err := types.ParseText(ts[i], s)
		if err != nil {
			return nil, fmt.Errorf("row %q: %v", line, err)
		}
		row[i] = d
	}
	return row, nil
}

// splitBinary splits "l OP r" at its operator, outside quotes; a sign at
// the start of the expression is not an operator.
func splitBinary(s string) (l, op, r string, ok bool) {
	quoted := false
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		for _, o := range []string{">=", "<=", "<>", "||", "=", ">", "<", "+", "-", "*", "/"} {
			if strings.HasPrefix(s[i:], o) {
				return strings.TrimSpace(s[:i]), o, strings.TrimSpace(s[i+len(o):]), true
			}
		}
	}
	return "", "", "", false
}

// parseScriptExpr parses an expression E over input columns of types in.
func parseScriptExpr(s string, in []types.T) (expr.Expr, error) {
	s = strings.TrimSpace(s)
	ls, op, rs, ok := splitBinary(s)
	if !ok {
		return parseOperand(s, in, types.T{})
	}
	// A literal takes the type of the other operand unless it has its own.
	l, err := parseOperand(ls, in, operandType(rs, in))
	if err != nil {
		return nil, err
	}
	r, err := parseOperand(rs, in, operandType(ls, in))
	if err != nil {
		return nil, err
	}
	return expr.NewBinary(op, l, r)
}

// operandType is the type an operand has on its own (a column's, or a
// literal's ::type), or the zero T when it takes its type from context.
func operandType(s string, in []types.T) types.T {
	if rest, ok := strings.CutPrefix(s, "#"); ok {
		if i, err := strconv.Atoi(rest); err == nil && i < len(in) {
			return in[i]
		}
	}
	if _, name, ok := strings.Cut(s, "::"); ok {
		t, _ := types.FromName(name)
		return t
	}
	return types.T{}
}

// parseOperand parses #i or a literal; an untyped literal gets type like
// (text if quoted and like is the zero T).
func parseOperand(s string, in []types.T, like types.T) (expr.Expr, error) {
	if rest, ok := strings.CutPrefix(s, "#"); ok {
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 || i >= len(in) {
			return nil, fmt.Errorf("%q: no such input column (%d columns)", s, len(in))
		}
		return col(i, in[i]), nil
	}
	value, typeName, typed := strings.Cut(s, "::")
	t := like
	if typed {
		var ok bool
		if t, ok = types.FromName(typeName); !ok {
			return nil, fmt.Errorf("%q: unknown type", s)
		}
	}
	quoted := len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\''
	if quoted {
		value = value[1 : len(value)-1]
		if t == (types.T{}) {
			t = types.Text
		}
	}
	if t == (types.T{}) {
		return nil, fmt.Errorf("%q: give the literal a type (::type)", s)
	}
	if value == "NULL" && !quoted {
		return constant(nil, t), nil
	}
	d, err := types.ParseText(t, value)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", s, err)
	}
	return constant(d, t), nil
}

var aggPattern = regexp.MustCompile(`^\s*(\w+)\((distinct\s+)?(.*?)\)(?:\s+filter\s+(.*))?$`)

// parseScriptAgg parses an aggregate A over input columns of types in.
func parseScriptAgg(s string, in []types.T) (agg.Call, error) {
	m := aggPattern.FindStringSubmatch(s)
	if m == nil {
		return agg.Call{}, fmt.Errorf("aggregate %q: want name(args) [filter E]", s)
	}
	c := agg.Call{Name: m[1], Distinct: m[2] != "", Star: m[3] == "*"}
	var argTypes []types.T
	if !c.Star {
		for _, a := range splitTopLevel(m[3]) {
			e, err := parseScriptExpr(a, in)
			if err != nil {
				return agg.Call{}, err
			}
			c.Args = append(c.Args, e)
			argTypes = append(argTypes, e.Type())
		}
	}
	if m[4] != "" {
		var err error
		if c.Filter, err = parseScriptExpr(m[4], in); err != nil {
			return agg.Call{}, err
		}
	}
	var err error
	c.Result, err = agg.ResultType(c.Name, argTypes, c.Star)
	return c, err
}

// splitTopLevel splits s at the commas outside quotes.
func splitTopLevel(s string) []string {
	var out []string
	quoted, start := false, 0
	for i, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// parseSortKey parses "i [asc|desc] [nulls first|last]".
func parseSortKey(s string) (planner.SortKey, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return planner.SortKey{}, fmt.Errorf("empty sort key")
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return planner.SortKey{}, fmt.Errorf("sort key %q: %v", s, err)
	}
	k := planner.SortKey{Column: n}
	rest := f[1:]
	if len(rest) > 0 && (rest[0] == "asc" || rest[0] == "desc") {
		k.Desc = rest[0] == "desc"
		rest = rest[1:]
	}
	k.NullsFirst = k.Desc
	switch strings.Join(rest, " ") {
	case "":
	case "nulls first":
		k.NullsFirst = true
	case "nulls last":
		k.NullsFirst = false
	default:
		return planner.SortKey{}, fmt.Errorf("sort key %q: want i [asc|desc] [nulls first|last]", s)
	}
	return k, nil
}
