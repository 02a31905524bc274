package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// lateralJoin joins left and right (inner or left join, on optional). When
// right reads left's columns it is a LATERAL item: a join on the conjuncts
// that read them when those sit in right's top filters, else an Apply.
func (b *binder) lateralJoin(kind JoinKind, left, right logical, on scalar) logical {
	avail := idSet(left)
	if !readsAnyOf(freeColumns(right), avail) {
		return &logicalJoin{kind: kind, left: left, right: right, on: on}
	}
	r, preds := decorrelate(right, false)
	if !readsAnyOf(freeColumns(r), avail) {
		return &logicalJoin{kind: kind, left: left, right: r, on: mustAnd(append(preds, conjuncts(on)...))}
	}
	if kind == LeftJoin {
		if on != nil {
			right = &logicalFilter{input: right, pred: on}
		}
		return &logicalApply{kind: ApplyLeft, input: left, sub: right}
	}
	var plan logical = &logicalApply{kind: ApplyInner, input: left, sub: right}
	if on != nil {
		plan = &logicalFilter{input: plan, pred: on}
	}
	return plan
}

// lateralOrJoin finishes a bound JOIN, making it LATERAL when its right
// side reads the left's columns.
func (b *binder) lateralOrJoin(j *logicalJoin, cols []scopeColumn) (logical, []scopeColumn, error) {
	if j.kind == InnerJoin || j.kind == LeftJoin {
		return b.lateralJoin(j.kind, j.left, j.right, j.on), cols, nil
	}
	if readsAnyOf(freeColumns(j.right), idSet(j.left)) {
		return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "invalid reference to FROM-clause entry").
			WithHint("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
	}
	return j, cols, nil
}

func readsAnyOf(free, set map[colID]bool) bool {
	for id := range free {
		if set[id] {
			return true
		}
	}
	return false
}

// bindTableFunc binds a set-returning function in FROM (sc sees the FROM
// items before it, as PostgreSQL's functions in FROM are always lateral).
func (b *binder) bindTableFunc(te *ast.FunctionTable, sc *scope) (logical, []scopeColumn, error) {
	name := te.Func.Name[len(te.Func.Name)-1]
	ctx := &exprContext{scope: sc, clause: "functions in FROM"}
	var n *logicalTableFunc
	var plan logical
	if isSetReturning(name) {
		args, err := b.bindList(ctx, te.Func.Args)
		if err != nil {
			return nil, nil, err
		}
		if n, err = b.tableFunc(name, args, te.Func.Pos); err != nil {
			return nil, nil, err
		}
		if te.Ordinality {
			n.ordinality = true
			n.cols = append(n.cols, b.newCol("ordinality", types.Int64))
		}
		plan = n
	} else {
		if te.Ordinality {
			return nil, nil, pgerror.Unsupported("WITH ORDINALITY on a function that returns one row is not supported yet").WithPosition(position(te.Func.Pos))
		}
		// A scalar function in FROM is a table of one row.
		s, err := b.bindExpr(ctx, te.Func)
		if err != nil {
			return nil, nil, err
		}
		if s, err = b.resolveUnknown(s); err != nil {
			return nil, nil, err
		}
		n = &logicalTableFunc{name: name, cols: []column{b.newCol(name, s.typ())}}
		plan = &logicalValues{cols: n.cols, rows: [][]scalar{{s}}}
	}
	table := name
	var aliases []string
	if te.Alias != nil {
		table, aliases = te.Alias.Name, te.Alias.Columns
		if funcCols := len(n.cols); (funcCols == 1 || funcCols == 2 && n.ordinality) && len(aliases) == 0 {
			// A function returning one column takes the alias as its name.
			aliases = []string{te.Alias.Name}
		}
		if len(aliases) > len(n.cols) {
			return nil, nil, pgerror.New(pgerror.DatatypeMismatch, "too many column aliases specified for function %s", name)
		}
	}
	cols := make([]scopeColumn, len(n.cols))
	for i := range n.cols {
		if i < len(aliases) {
			n.cols[i].name = aliases[i]
		}
		cols[i] = scopeColumn{table: table, name: n.cols[i].name, id: n.cols[i].id, t: n.cols[i].t}
	}
	return plan, cols, nil
}

// isSetReturning reports whether name is a set-returning function that
// FROM and the select list expand into rows.
func isSetReturning(name string) bool {
	switch name {
	case "generate_series", "unnest", "generate_subscripts", "_pg_expandarray":
		return true
	}
	return isSetFunc(name)
}

// tableFunc types a set-returning function call: generate_series over
// integers, bigints, numerics, or timestamps with an interval step.
func (b *binder) tableFunc(name string, args []scalar, pos int) (*logicalTableFunc, error) {
	if b.stream {
		return nil, pgerror.Unsupported("set-returning function %s in materialized views is not supported yet", name).WithPosition(position(pos))
	}
	if name == "unnest" {
		return b.unnest(args, pos)
	}
	if name == "generate_subscripts" || name == "_pg_expandarray" {
		return b.arrayTableFunc(name, args, pos)
	}
	if isSetFunc(name) {
		return b.exprSetFunc(name, args, pos)
	}
	if name != "generate_series" {
		return nil, pgerror.Unsupported("set-returning function %s is not supported yet", name).WithPosition(position(pos))
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.typ()
	}
	want, result, ok := seriesSignature(ts)
	if !ok {
		names := make([]string, len(ts))
		for i, t := range ts {
			names[i] = t.String()
		}
		return nil, pgerror.New(pgerror.UndefinedFunction, "function generate_series(%s) does not exist", strings.Join(names, ", ")).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(position(pos))
	}
	for i := range args {
		if p, ok := args[i].(*paramScalar); ok {
			b.params.infer(p.index, want[i])
		}
		c, err := castTo(args[i], want[i])
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	return &logicalTableFunc{name: name, args: args, cols: []column{b.newCol(name, result)}}, nil
}

// seriesSignature picks the generate_series variant for argument types.
func seriesSignature(ts []types.T) ([]types.T, types.T, bool) {
	if len(ts) != 2 && len(ts) != 3 {
		return nil, types.T{}, false
	}
	known := types.Unknown
	temporal, numeric, bigint := false, false, false
	for i, t := range ts[:2] {
		_ = i
		switch {
		case t.Kind == types.KindUnknown:
		case t.Kind == types.KindTimestamp || t.Kind == types.KindTimestampTZ || t.Kind == types.KindDate:
			temporal = true
			if known.Kind == types.KindUnknown || t.Kind == types.KindTimestampTZ || t.Kind == types.KindDate {
				known = t
			}
		case t.IsInteger():
			bigint = bigint || t.Kind == types.KindInt64
		case t.IsNumeric():
			numeric = true
		default:
			return nil, types.T{}, false
		}
	}
	if temporal {
		if len(ts) != 3 || (ts[2].Kind != types.KindInterval && ts[2].Kind != types.KindUnknown) {
			return nil, types.T{}, false
		}
		res := types.TimestampTZ
		if known.Kind == types.KindTimestamp {
			res = types.TimestampType
		}
		return []types.T{res, res, types.IntervalType}, res, true
	}
	res := types.Int32
	switch {
	case numeric:
		res = types.Numeric
	case bigint:
		res = types.Int64
	}
	if len(ts) == 3 {
		t := ts[2]
		switch {
		case t.Kind == types.KindUnknown || t.Kind == types.KindInt16 || t.Kind == types.KindInt32:
		case t.Kind == types.KindInt64:
			if res == types.Int32 {
				res = types.Int64
			}
		case t.IsNumeric():
			res = types.Numeric
		default:
			return nil, types.T{}, false
		}
	}
	want := make([]types.T, len(ts))
	for i := range want {
		want[i] = res
	}
	return want, res, true
}

// unnest types unnest(array, …): one column per array, of its element
// type; the arrays are read side by side, the shorter padded with NULLs.
func (b *binder) unnest(args []scalar, pos int) (*logicalTableFunc, error) {
	if len(args) == 0 {
		return nil, pgerror.New(pgerror.UndefinedFunction, "function unnest() does not exist").WithPosition(position(pos))
	}
	n := &logicalTableFunc{name: "unnest", args: args}
	for _, a := range args {
		t := a.typ()
		if t.Kind == types.KindUnknown {
			return nil, pgerror.New(pgerror.AmbiguousFunction, "function unnest(unknown) is not unique").
				WithHint("Could not choose a best candidate function. You might need to add explicit type casts.").WithPosition(position(pos))
		}
		if t.Kind != types.KindArray {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function unnest(%s) does not exist", t).
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(position(pos))
		}
		n.cols = append(n.cols, b.newCol("unnest", t.ElemType()))
	}
	return n, nil
}

// arrayTableFunc types generate_subscripts(array, dim [, reverse]) (the
// subscripts of dimension dim) and information_schema._pg_expandarray(
// array) (each element x with its 1-based position n).
func (b *binder) arrayTableFunc(name string, args []scalar, pos int) (*logicalTableFunc, error) {
	want := 1
	if name == "generate_subscripts" {
		want = 2
	}
	noFunction := func() error {
		names := make([]string, len(args))
		for i, a := range args {
			names[i] = a.typ().String()
		}
		return pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(names, ", ")).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(position(pos))
	}
	if len(args) != want && !(name == "generate_subscripts" && len(args) == 3) {
		return nil, noFunction()
	}
	t := args[0].typ()
	if t.Kind != types.KindArray {
		return nil, noFunction()
	}
	for i := 1; i < len(args); i++ {
		to := types.Int32
		if i == 2 {
			to = types.Bool
		}
		if p, ok := args[i].(*paramScalar); ok {
			b.params.infer(p.index, to)
		}
		c, err := castTo(args[i], to)
		if err != nil {
			return nil, noFunction()
		}
		args[i] = c
	}
	n := &logicalTableFunc{name: name, args: args}
	if name == "generate_subscripts" {
		n.cols = []column{b.newCol(name, types.Int32)}
	} else {
		n.cols = []column{b.newCol("x", t.ElemType()), b.newCol("n", types.Int32)}
	}
	return n, nil
}
