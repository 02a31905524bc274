package planner

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// windowList collects the window function calls of a query level's
// SELECT list and ORDER BY; a logicalWindow computes them after grouping
// and before the final projection.
type windowList struct {
	items []windowItem
}

// rankingFunctions are the window functions that are not aggregates.
var rankingFunctions = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

func (b *binder) bindWindowCall(ctx *exprContext, f *ast.FuncCall, name string) (scalar, error) {
	pos := position(f.Pos)
	if f.Over == nil {
		return nil, pgerror.New(pgerror.WrongObjectType, "window function %s requires an OVER clause", name).WithPosition(pos)
	}
	if ctx.inAgg {
		return nil, pgerror.New(pgerror.GroupingError, "aggregate function calls cannot contain window function calls").WithPosition(pos)
	}
	if ctx.windows == nil {
		if ctx.inWindow {
			return nil, pgerror.New(pgerror.WindowingError, "window function calls cannot be nested").WithPosition(pos)
		}
		return nil, pgerror.New(pgerror.WindowingError, "window functions are not allowed in %s", ctx.clause).WithPosition(pos)
	}
	// row_number() is lowered as a per-group top-N when a WHERE bounds it
	// (planner/lower.go, lowerGroupTopN); other uses fail there.
	if b.stream && name != "row_number" {
		return nil, pgerror.Unsupported("window functions in materialized views are not supported yet").WithPosition(pos)
	}
	if f.Over.Name != "" {
		return nil, pgerror.Unsupported("named windows are not supported yet").WithPosition(pos)
	}
	agg := !rankingFunctions[name]
	if !agg && (f.Distinct || f.Star || len(f.OrderBy) > 0) {
		return nil, pgerror.New(pgerror.WrongObjectType, "%s is not an aggregate function", name).WithPosition(pos)
	}
	if f.Distinct {
		return nil, pgerror.Unsupported("DISTINCT is not implemented for window functions").WithPosition(pos)
	}
	if len(f.OrderBy) > 0 {
		return nil, pgerror.Unsupported("aggregate ORDER BY is not implemented for window functions").WithPosition(pos)
	}
	inner := *ctx
	inner.windows, inner.inWindow = nil, true
	it := windowItem{name: name, star: f.Star}
	var err error
	if it.args, err = b.bindList(&inner, f.Args); err != nil {
		return nil, err
	}
	if f.Filter != nil {
		if !agg {
			return nil, pgerror.New(pgerror.WrongObjectType, "FILTER is not implemented for non-aggregate window functions").WithPosition(pos)
		}
		fctx := inner
		fctx.clause = "FILTER"
		if it.filter, err = b.bindExpr(&fctx, f.Filter); err != nil {
			return nil, err
		}
		if it.filter, err = b.boolCondition(it.filter, "FILTER"); err != nil {
			return nil, err
		}
	}
	if it.partition, err = b.bindList(&inner, f.Over.PartitionBy); err != nil {
		return nil, err
	}
	for _, o := range f.Over.OrderBy {
		s, err := b.bindExpr(&inner, o.Expr)
		if err != nil {
			return nil, err
		}
		wo := windowOrder{s: s, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			wo.nullsFirst = *o.NullsFirst
		}
		it.order = append(it.order, wo)
	}
	if it.frame, err = b.bindFrame(f.Over.Frame, it.order); err != nil {
		return nil, err
	}
	t, err := b.windowResultType(&it, agg, pos)
	if err != nil {
		return nil, err
	}
	it.col = b.newCol(name, t)
	ctx.windows.items = append(ctx.windows.items, it)
	return &colScalar{id: it.col.id, t: t, name: name}, nil
}

func (b *binder) windowResultType(it *windowItem, agg bool, pos int32) (types.T, error) {
	argTypes := make([]types.T, len(it.args))
	for i, a := range it.args {
		argTypes[i] = a.typ()
	}
	if agg {
		return aggResultType(it.name, argTypes, it.star)
	}
	wrongArgs := func() (types.T, error) {
		names := make([]string, len(argTypes))
		for i, t := range argTypes {
			names[i] = t.String()
		}
		return types.T{}, pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", it.name, strings.Join(names, ", ")).WithPosition(pos)
	}
	intArg := func(i int) error {
		if p, ok := it.args[i].(*paramScalar); ok {
			b.params.infer(p.index, types.Int32)
		}
		c, err := castTo(it.args[i], types.Int32)
		it.args[i] = c
		return err
	}
	switch it.name {
	case "row_number", "rank", "dense_rank":
		if len(it.args) != 0 {
			return wrongArgs()
		}
		return types.Int64, nil
	case "percent_rank", "cume_dist":
		if len(it.args) != 0 {
			return wrongArgs()
		}
		return types.Float64, nil
	case "ntile":
		if len(it.args) != 1 || !(argTypes[0].IsInteger() || argTypes[0].Kind == types.KindUnknown) {
			return wrongArgs()
		}
		return types.Int32, intArg(0)
	case "first_value", "last_value":
		if len(it.args) != 1 {
			return wrongArgs()
		}
		return b.valueType(it, 0)
	case "nth_value":
		if len(it.args) != 2 || !(argTypes[1].IsInteger() || argTypes[1].Kind == types.KindUnknown) {
			return wrongArgs()
		}
		if err := intArg(1); err != nil {
			return types.T{}, err
		}
		return b.valueType(it, 0)
	case "lag", "lead":
		if len(it.args) < 1 || len(it.args) > 3 {
			return wrongArgs()
		}
		if len(it.args) >= 2 {
			if !(argTypes[1].IsInteger() || argTypes[1].Kind == types.KindUnknown) {
				return wrongArgs()
			}
			if err := intArg(1); err != nil {
				return types.T{}, err
			}
		}
		if len(it.args) == 3 {
			t, err := commonType([]types.T{argTypes[0], argTypes[2]}, it.name)
			if err != nil {
				return types.T{}, err
			}
			if t.Kind == types.KindUnknown {
				t = types.Text
			}
			for _, i := range []int{0, 2} {
				if it.args[i], err = castTo(it.args[i], t); err != nil {
					return types.T{}, err
				}
			}
			return t, nil
		}
		return b.valueType(it, 0)
	}
	return wrongArgs()
}

// valueType is the type of a value argument, an untyped one as text.
func (b *binder) valueType(it *windowItem, i int) (types.T, error) {
	s, err := b.resolveUnknown(it.args[i])
	if err != nil {
		return types.T{}, err
	}
	it.args[i] = s
	return s.typ(), nil
}

// bindFrame reads a frame clause: ROWS with any bounds, RANGE without
// offsets. nil is the default, RANGE UNBOUNDED PRECEDING to CURRENT ROW.
func (b *binder) bindFrame(f *ast.WindowFrame, order []windowOrder) (windowFrame, error) {
	fr := windowFrame{start: UnboundedPreceding, end: CurrentRow}
	if f == nil {
		return fr, nil
	}
	switch strings.ToUpper(f.Mode) {
	case "ROWS":
		fr.rows = true
	case "RANGE":
	default:
		return fr, pgerror.Unsupported("%s frames are not supported yet", f.Mode)
	}
	var err error
	if fr.start, fr.startOffset, fr.startValue, err = b.frameBound(f.Start, f.StartExpr, fr.rows, order); err != nil {
		return fr, err
	}
	end := f.End
	if end == "" {
		end = "CURRENT ROW"
	}
	if fr.end, fr.endOffset, fr.endValue, err = b.frameBound(end, f.EndExpr, fr.rows, order); err != nil {
		return fr, err
	}
	if fr.start == UnboundedFollowing {
		return fr, pgerror.New(pgerror.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING")
	}
	if fr.end == UnboundedPreceding {
		return fr, pgerror.New(pgerror.WindowingError, "frame end cannot be UNBOUNDED PRECEDING")
	}
	if fr.start == CurrentRow && fr.end == OffsetPreceding {
		return fr, pgerror.New(pgerror.WindowingError, "frame starting from current row cannot have preceding rows")
	}
	if fr.start == OffsetFollowing && (fr.end == OffsetPreceding || fr.end == CurrentRow) {
		return fr, pgerror.New(pgerror.WindowingError, "frame starting from following row cannot have preceding rows")
	}
	return fr, nil
}

func (b *binder) frameBound(text string, e ast.Expr, rows bool, order []windowOrder) (FrameBound, int64, scalar, error) {
	t := strings.ToUpper(strings.TrimSpace(text))
	switch t {
	case "UNBOUNDED PRECEDING":
		return UnboundedPreceding, 0, nil, nil
	case "UNBOUNDED FOLLOWING":
		return UnboundedFollowing, 0, nil, nil
	case "CURRENT ROW":
		return CurrentRow, 0, nil, nil
	}
	kind := OffsetPreceding
	if strings.HasSuffix(t, "FOLLOWING") {
		kind = OffsetFollowing
	}
	if !rows {
		v, err := b.rangeBound(kind, e, order)
		return kind, 0, v, err
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == "-" {
		if lit, ok := u.Operand.(*ast.Literal); ok && lit.Kind == ast.LitInteger {
			return kind, 0, nil, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "frame starting offset must not be negative")
		}
	}
	lit, ok := e.(*ast.Literal)
	if !ok || lit.Kind != ast.LitInteger {
		return kind, 0, nil, pgerror.Unsupported("frame offsets other than integer constants are not supported yet")
	}
	n, err := strconv.ParseInt(lit.Text, 10, 64)
	if err != nil || n < 0 {
		return kind, 0, nil, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "frame starting offset must not be negative")
	}
	return kind, n, nil, nil
}

// rangeBound is the value expression of a RANGE offset bound over the
// window's single ORDER BY key.
func (b *binder) rangeBound(kind FrameBound, e ast.Expr, order []windowOrder) (scalar, error) {
	if len(order) != 1 {
		return nil, pgerror.New(pgerror.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
	}
	off, err := b.bindExpr(&exprContext{scope: &scope{}, clause: "window frame offsets"}, e)
	if err != nil {
		if pgerror.CodeOf(err) == pgerror.UndefinedColumn {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "argument of RANGE must not contain variables")
		}
		return nil, err
	}
	key := order[0].s
	op := "+"
	if (kind == OffsetPreceding) != order[0].desc {
		op = "-"
	}
	v, err := binaryCall(op, key, off)
	sameFamily := v.typ().Kind == key.typ().Kind || v.typ().IsInteger() && key.typ().IsInteger() ||
		key.typ().Kind == types.KindDate && (v.typ().Kind == types.KindTimestamp || v.typ().Kind == types.KindTimestampTZ)
	if err != nil || !sameFamily {
		return nil, pgerror.Unsupported("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", key.typ(), off.typ())
	}
	return v, nil
}
