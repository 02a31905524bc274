package planner

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// exprContext is where an expression is bound: its scope and what the
// clause allows.
type exprContext struct {
	scope *scope
	// clause names the clause for "not allowed in" messages (WHERE, JOIN
	// conditions, GROUP BY, VALUES, …).
	clause string
	// aggs collects aggregate calls; nil when aggregates are not allowed.
	aggs *aggState
	// grouping, when set, restricts column references outside aggregate
	// arguments to the GROUP BY expressions.
	grouping *groupState
	// inAgg is set inside an aggregate's arguments.
	inAgg bool
	// subqueries collects the clause's subquery expressions; nil where
	// subqueries are not supported.
	subqueries *subqueryList
	// windows collects window function calls; nil where they are not
	// allowed. inWindow is set inside a window call's arguments.
	windows  *windowList
	inWindow bool
	// srfs are the select list's set-returning calls by their text, bound
	// as functions in FROM (bindTargetSRF); nil elsewhere.
	srfs map[string]*targetSRF
}

// aggState collects the distinct aggregate calls of a query level.
type aggState struct {
	items []aggItem
	byKey map[string]int
}

// groupState is the GROUP BY list of a grouped query level.
type groupState struct {
	// byFingerprint maps a grouping expression to its output column.
	byFingerprint map[string]*colScalar
	// added are columns grouped implicitly because they depend on a
	// grouped primary key (see dependsOnGroupedKey).
	added []column
}

func (b *binder) bindExpr(ctx *exprContext, e ast.Expr) (scalar, error) {
	if ctx.grouping != nil && !ctx.inAgg && !containsAggregate(e) && containsColumnRef(e) {
		raw := *ctx
		raw.grouping = nil
		// This binding only finds the expression's fingerprint.
		if raw.subqueries != nil {
			raw.subqueries = &subqueryList{}
		}
		if raw.windows != nil {
			raw.windows = &windowList{}
		}
		s, err := b.bindExpr(&raw, e)
		if err != nil {
			return nil, err
		}
		if g, ok := ctx.grouping.byFingerprint[fingerprint(s)]; ok {
			return g, nil
		}
		if ref, ok := e.(*ast.ColumnRef); ok {
			c, err := ctx.scope.resolve(ref.Parts, ref.Pos)
			if err != nil {
				return nil, err
			}
			if !ctx.scope.hasColumn(c.id) {
				// An outer query's column is a constant here.
				return &colScalar{id: c.id, t: c.t, name: c.name}, nil
			}
			if b.dependsOnGroupedKey(ctx.scope, c, ctx.grouping) {
				col := &colScalar{id: c.id, t: c.t, name: c.name}
				ctx.grouping.byFingerprint[fingerprint(col)] = col
				ctx.grouping.added = append(ctx.grouping.added, column{id: c.id, name: c.name, t: c.t})
				return col, nil
			}
			name := c.name
			if c.table != "" {
				name = c.table + "." + c.name
			}
			return nil, pgerror.New(pgerror.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", name).WithPosition(position(ref.Pos))
		}
	}
	switch e := e.(type) {
	case *ast.ColumnRef:
		c, err := ctx.scope.resolve(e.Parts, e.Pos)
		if err != nil {
			return nil, err
		}
		return &colScalar{id: c.id, t: c.t, name: c.name}, nil
	case *ast.Literal:
		return bindLiteral(e, false)
	case *ast.Param:
		if e.Index < 1 {
			return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", e.Index).WithPosition(position(e.Pos))
		}
		b.params.use(e.Index)
		return &paramScalar{index: e.Index, params: b.params}, nil
	case *ast.Default:
		return nil, pgerror.New(pgerror.SyntaxError, "DEFAULT is not allowed in this context")
	case *ast.BinaryExpr:
		l, r, err := b.bindPair(ctx, e.Left, e.Right)
		if err != nil {
			return nil, err
		}
		op := e.Op
		return binaryCall(op, l, r)
	case *ast.UnaryExpr:
		if lit, ok := e.Operand.(*ast.Literal); ok && e.Op == "-" && (lit.Kind == ast.LitInteger || lit.Kind == ast.LitNumeric) {
			return bindLiteral(lit, true)
		}
		x, err := b.bindExpr(ctx, e.Operand)
		if err != nil {
			return nil, err
		}
		op := e.Op
		return newCall(callScalar{op: opUnary, name: op, args: []scalar{x}})
	case *ast.BoolExpr:
		args, err := b.bindList(ctx, e.Args)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case ast.And:
			return newCall(callScalar{op: opAnd, args: args})
		case ast.Or:
			return newCall(callScalar{op: opOr, args: args})
		default:
			if len(args) != 1 {
				return nil, pgerror.Internal("planner: NOT with %d arguments", len(args))
			}
			return newCall(callScalar{op: opNot, args: args})
		}
	case *ast.IsNull:
		x, err := b.bindExpr(ctx, e.Expr)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opIsNull, flags: flagIf(e.Not, flagNot), args: []scalar{x}})
	case *ast.IsBool:
		x, err := b.bindExpr(ctx, e.Expr)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opIsBool, test: e.Test, flags: flagIf(e.Not, flagNot), args: []scalar{x}})
	case *ast.IsDistinctFrom:
		l, r, err := b.bindPair(ctx, e.Left, e.Right)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opIsDistinct, flags: flagIf(e.Not, flagNot), args: []scalar{l, r}})
	case *ast.Between:
		args, err := b.bindList(ctx, []ast.Expr{e.Expr, e.Low, e.High})
		if err != nil {
			return nil, err
		}
		b.inferParams(args)
		return newCall(callScalar{op: opBetween, flags: flagIf(e.Not, flagNot) | flagIf(e.Symmetric, flagSymmetric), args: args})
	case *ast.InList:
		args, err := b.bindList(ctx, append([]ast.Expr{e.Expr}, e.List...))
		if err != nil {
			return nil, err
		}
		b.inferParams(args)
		return newCall(callScalar{op: opInList, flags: flagIf(e.Not, flagNot), args: args})
	case *ast.Like:
		list := []ast.Expr{e.Expr, e.Pattern}
		if e.Escape != nil {
			list = append(list, e.Escape)
		}
		args, err := b.bindList(ctx, list)
		if err != nil {
			return nil, err
		}
		b.inferParams(args[:2])
		return newCall(callScalar{op: opLike, flags: flagIf(e.Not, flagNot) | flagIf(e.CaseInsensitive, flagCaseInsensitive), args: args})
	case *ast.Cast:
		t, err := resolveType(e.Type)
		if err != nil {
			return nil, err
		}
		x, err := b.bindExpr(ctx, e.Expr)
		if err != nil {
			return nil, err
		}
		if p, ok := x.(*paramScalar); ok {
			b.params.infer(p.index, t)
		}
		if fields := e.Type.Fields; fields != "" && t.Kind == types.KindInterval && e.Type.ArrayDims == 0 {
			return newCall(callScalar{op: opIntervalCast, name: fields, args: []scalar{x}})
		}
		return castCall(x, t)
	case *ast.Case:
		var list []ast.Expr
		if e.Operand != nil {
			list = append(list, e.Operand)
		}
		for _, w := range e.Whens {
			list = append(list, w.Cond, w.Result)
		}
		if e.Else != nil {
			list = append(list, e.Else)
		}
		args, err := b.bindList(ctx, list)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opCase, flags: flagIf(e.Operand != nil, flagOperand) | flagIf(e.Else != nil, flagElse), args: args})
	case *ast.Coalesce:
		args, err := b.bindList(ctx, e.Args)
		if err != nil {
			return nil, err
		}
		b.inferParams(args)
		return newCall(callScalar{op: opCoalesce, args: args})
	case *ast.NullIf:
		l, r, err := b.bindPair(ctx, e.Left, e.Right)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opNullIf, args: []scalar{l, r}})
	case *ast.GreatestLeast:
		args, err := b.bindList(ctx, e.Args)
		if err != nil {
			return nil, err
		}
		b.inferParams(args)
		op := opLeast
		if e.Greatest {
			op = opGreatest
		}
		return newCall(callScalar{op: op, args: args})
	case *ast.FuncCall:
		return b.bindFunc(ctx, e)
	case *ast.SpecialFunc:
		if err := b.refuseTimeDependent(e.Name, 0); err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opFunc, name: e.Name})
	case *ast.Collate:
		return b.bindExpr(ctx, e.Expr)
	case *ast.SubqueryExpr:
		return b.bindSubquery(ctx, e)
	case *ast.AnyAll:
		args, err := b.bindList(ctx, []ast.Expr{e.Expr, e.Array})
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opAnyAll, name: e.Op, flags: flagIf(e.All, flagAll), args: args})
	case *ast.ArrayExpr:
		args, err := b.bindList(ctx, e.Elems)
		if err != nil {
			return nil, err
		}
		b.inferParams(args)
		return newCall(callScalar{op: opArray, args: args})
	case *ast.Subscript:
		args, err := b.bindList(ctx, []ast.Expr{e.Expr, e.Index})
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opSubscript, args: args})
	case *ast.FieldSelect:
		arg, err := b.bindExpr(ctx, e.Expr)
		if err != nil {
			return nil, err
		}
		field := e.Field
		return newCall(callScalar{op: opField, name: field, args: []scalar{arg}})
	}
	return nil, pgerror.Unsupported("expression %T is not supported yet", e)
}

// bindPair binds two operands and lets an undetermined parameter take the
// other side's type, as PostgreSQL does for a = $1.
func (b *binder) bindPair(ctx *exprContext, le, re ast.Expr) (scalar, scalar, error) {
	l, err := b.bindExpr(ctx, le)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.bindExpr(ctx, re)
	if err != nil {
		return nil, nil, err
	}
	b.inferParams([]scalar{l, r})
	return l, r, nil
}

func (b *binder) bindList(ctx *exprContext, es []ast.Expr) ([]scalar, error) {
	out := make([]scalar, len(es))
	for i, e := range es {
		s, err := b.bindExpr(ctx, e)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// inferParams gives the undetermined parameters among args the first
// known type of the others.
func (b *binder) inferParams(args []scalar) {
	var known types.T
	for _, a := range args {
		if a.typ().Kind != types.KindUnknown {
			known = a.typ()
			break
		}
	}
	if known.Kind == types.KindUnknown {
		return
	}
	for _, a := range args {
		if p, ok := a.(*paramScalar); ok {
			b.params.infer(p.index, known)
		}
	}
}

// refuseTimeDependent fails a materialized view that calls a function
// whose value moves with time or chance (now(), random()): the view is
// maintained from its inputs' changes and would go stale without a sign.
func (b *binder) refuseTimeDependent(name string, args int) *pgerror.Error {
	if !b.stream || !changesWithoutInput(name, args) {
		return nil
	}
	return pgerror.Unsupported("materialized views cannot use %s() yet", name).
		WithHint("A view is kept up to date from the changes to its inputs, and %s() changes without them, so the view would go stale. Temporal filters (ts > now() - interval '1 minute') are not maintained yet; compute the value in a query over the view instead.", name)
}

func (b *binder) bindFunc(ctx *exprContext, f *ast.FuncCall) (scalar, error) {
	name := f.Name[len(f.Name)-1]
	if f.Over == nil && isSetReturning(name) {
		if srf := ctx.srfs[f.String()]; srf != nil {
			return srfTarget(srf)
		}
		return nil, pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in %s", ctx.clause).WithPosition(position(f.Pos))
	}
	if f.Over != nil || isWindowFunction(name) || rankingFunctions[name] {
		return b.bindWindowCall(ctx, f, name)
	}
	if !isAggregate(name) {
		if f.Star {
			return nil, pgerror.New(pgerror.WrongObjectType, "%s(*) specified, but %s is not an aggregate function", name, name).WithPosition(position(f.Pos))
		}
		if f.Distinct {
			return nil, pgerror.New(pgerror.WrongObjectType, "DISTINCT specified, but %s is not an aggregate function", name).WithPosition(position(f.Pos))
		}
		if f.Filter != nil {
			return nil, pgerror.New(pgerror.WrongObjectType, "FILTER specified, but %s is not an aggregate function", name).WithPosition(position(f.Pos))
		}
		if err := b.refuseTimeDependent(name, len(f.Args)); err != nil {
			return nil, err.WithPosition(position(f.Pos))
		}
		args, err := b.bindList(ctx, f.Args)
		if err != nil {
			return nil, err
		}
		return newCall(callScalar{op: opFunc, name: name, args: args})
	}
	if ctx.inAgg {
		return nil, pgerror.New(pgerror.GroupingError, "aggregate function calls cannot be nested").WithPosition(position(f.Pos))
	}
	if ctx.aggs == nil {
		return nil, pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in %s", ctx.clause).WithPosition(position(f.Pos))
	}
	inner := &exprContext{scope: ctx.scope, clause: ctx.clause, aggs: ctx.aggs, inAgg: true}
	args, err := b.bindList(inner, f.Args)
	if err != nil {
		return nil, err
	}
	var order []windowOrder
	for _, o := range f.OrderBy {
		s, err := b.bindExpr(inner, o.Expr)
		if err != nil {
			return nil, err
		}
		wo := windowOrder{s: s, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			wo.nullsFirst = *o.NullsFirst
		}
		order = append(order, wo)
	}
	var filter scalar
	if f.Filter != nil {
		inner.clause = "FILTER"
		if filter, err = b.bindExpr(inner, f.Filter); err != nil {
			return nil, err
		}
		if filter, err = b.boolCondition(filter, "FILTER"); err != nil {
			return nil, err
		}
	}
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.typ()
	}
	t, err := aggResultType(name, argTypes, f.Star)
	if err != nil {
		return nil, err
	}
	var key strings.Builder
	key.WriteString(name)
	key.WriteString(strconv.FormatBool(f.Star) + strconv.FormatBool(f.Distinct))
	for _, a := range args {
		key.WriteString("," + fingerprint(a))
	}
	if filter != nil {
		key.WriteString(" filter " + fingerprint(filter))
	}
	if len(order) > 0 {
		key.WriteString(" order " + orderFingerprint(order))
	}
	st := ctx.aggs
	if i, ok := st.byKey[key.String()]; ok {
		c := st.items[i].col
		return &colScalar{id: c.id, t: c.t, name: c.name}, nil
	}
	col := b.newCol(name, t)
	st.byKey[key.String()] = len(st.items)
	st.items = append(st.items, aggItem{name: name, star: f.Star, distinct: f.Distinct, args: args, filter: filter, order: order, col: col})
	return &colScalar{id: col.id, t: col.t, name: col.name}, nil
}

func newAggState() *aggState { return &aggState{byKey: map[string]int{}} }

// boolCondition checks a clause's condition is boolean, typing an untyped
// literal or parameter as boolean (42804 otherwise).
func (b *binder) boolCondition(s scalar, clause string) (scalar, error) {
	if s.typ().Kind == types.KindBool {
		return s, nil
	}
	if p, ok := s.(*paramScalar); ok {
		b.params.infer(p.index, types.Bool)
		return s, nil
	}
	return newCall(callScalar{op: opBool, name: clause, args: []scalar{s}})
}

// bindLiteral types a literal as PostgreSQL's parser does: an integer
// that fits int4 is integer, a larger one bigint, a decimal or huge
// integer numeric, a quoted string unknown until context decides.
func bindLiteral(l *ast.Literal, negate bool) (scalar, error) {
	text := l.Text
	if negate {
		text = "-" + text
	}
	switch l.Kind {
	case ast.LitNull:
		return &leafScalar{e: mkConst(nil, types.Unknown)}, nil
	case ast.LitBool:
		return &leafScalar{e: mkConst(strings.EqualFold(text, "true") || text == "t", types.Bool)}, nil
	case ast.LitInteger:
		v, err := strconv.ParseInt(text, 10, 64)
		if err == nil {
			if v >= -1<<31 && v < 1<<31 {
				return &leafScalar{e: mkConst(v, types.Int32)}, nil
			}
			return &leafScalar{e: mkConst(v, types.Int64)}, nil
		}
		fallthrough
	case ast.LitNumeric:
		d, err := types.ParseNumeric(text)
		if err != nil {
			return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type numeric: %q", text).WithPosition(position(l.Pos))
		}
		return &leafScalar{e: mkConst(d, types.Numeric)}, nil
	case ast.LitString:
		return &leafScalar{e: mkConst(l.Text, types.Unknown)}, nil
	}
	return nil, pgerror.Unsupported("bit string literals are not supported yet").WithPosition(position(l.Pos))
}

// resolveType turns a written type name into a type.
func resolveType(tn ast.TypeName) (types.T, error) {
	if tn.ArrayDims > 0 {
		// int[][] is int[] in PostgreSQL too: dimensions are not enforced.
		elemName := tn
		elemName.ArrayDims = 0
		elem, err := resolveType(elemName)
		if err != nil {
			return types.Unknown, err
		}
		if !types.HasArrayType(elem.Kind) {
			return types.Unknown, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", tn.Name+"[]").WithPosition(position(tn.Pos))
		}
		return types.ArrayOf(elem), nil
	}
	t, ok := types.FromName(tn.Name)
	if !ok {
		return types.Unknown, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", tn.Name).WithPosition(position(tn.Pos))
	}
	switch t.Kind {
	case types.KindVarchar, types.KindChar:
		if len(tn.Mods) > 0 {
			t.Width = tn.Mods[0]
		} else if t.Kind == types.KindChar && tn.Name != "bpchar" {
			t.Width = 1
		}
	case types.KindNumeric:
		if len(tn.Mods) > 0 {
			t.Precision = tn.Mods[0]
		}
		if len(tn.Mods) > 1 {
			t.Scale = tn.Mods[1]
		}
	}
	return t, nil
}

// containsAggregate reports whether e calls an aggregate outside any
// subquery.
func containsAggregate(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over == nil && isAggregate(f.Name[len(f.Name)-1]) {
			found = true
		}
		return !found
	})
	return found
}

func containsColumnRef(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.ColumnRef); ok {
			found = true
		}
		return !found
	})
	return found
}

// walkExpr visits e and its subexpressions (not subqueries) in pre-order
// while f returns true.
func walkExpr(e ast.Expr, f func(ast.Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	var kids []ast.Expr
	switch e := e.(type) {
	case *ast.BinaryExpr:
		kids = []ast.Expr{e.Left, e.Right}
	case *ast.UnaryExpr:
		kids = []ast.Expr{e.Operand}
	case *ast.BoolExpr:
		kids = e.Args
	case *ast.IsNull:
		kids = []ast.Expr{e.Expr}
	case *ast.IsBool:
		kids = []ast.Expr{e.Expr}
	case *ast.IsDistinctFrom:
		kids = []ast.Expr{e.Left, e.Right}
	case *ast.Between:
		kids = []ast.Expr{e.Expr, e.Low, e.High}
	case *ast.InList:
		kids = append([]ast.Expr{e.Expr}, e.List...)
	case *ast.Like:
		kids = []ast.Expr{e.Expr, e.Pattern, e.Escape}
	case *ast.FuncCall:
		kids = append(kids, e.Args...)
		kids = append(kids, e.Filter)
	case *ast.Cast:
		kids = []ast.Expr{e.Expr}
	case *ast.Case:
		kids = append(kids, e.Operand, e.Else)
		for _, w := range e.Whens {
			kids = append(kids, w.Cond, w.Result)
		}
	case *ast.Coalesce:
		kids = e.Args
	case *ast.NullIf:
		kids = []ast.Expr{e.Left, e.Right}
	case *ast.GreatestLeast:
		kids = e.Args
	case *ast.SubqueryExpr:
		kids = []ast.Expr{e.Expr}
	case *ast.AnyAll:
		kids = []ast.Expr{e.Expr, e.Array}
	case *ast.ArrayExpr:
		kids = e.Elems
	case *ast.Subscript:
		kids = []ast.Expr{e.Expr, e.Index}
	case *ast.FieldSelect:
		kids = []ast.Expr{e.Expr}
	case *ast.Collate:
		kids = []ast.Expr{e.Expr}
	}
	for _, k := range kids {
		walkExpr(k, f)
	}
}

// columnName is the name PostgreSQL gives an unaliased target (FigureColname).
func columnName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.ColumnRef:
		return e.Parts[len(e.Parts)-1]
	case *ast.FuncCall:
		return e.Name[len(e.Name)-1]
	case *ast.Cast:
		if n := columnName(e.Expr); n != "?column?" {
			return n
		}
		if t, err := resolveType(e.Type); err == nil {
			return internalTypeName(t)
		}
		return e.Type.Name
	case *ast.Case:
		if e.Else != nil {
			if n := columnName(e.Else); n != "?column?" {
				return n
			}
		}
		return "case"
	case *ast.Coalesce:
		return "coalesce"
	case *ast.NullIf:
		return "nullif"
	case *ast.GreatestLeast:
		if e.Greatest {
			return "greatest"
		}
		return "least"
	case *ast.SpecialFunc:
		return e.Name
	case *ast.ArrayExpr:
		return "array"
	case *ast.Collate:
		return columnName(e.Expr)
	case *ast.FieldSelect:
		return e.Field
	case *ast.SubqueryExpr:
		switch e.Kind {
		case ast.ExistsSubquery:
			return "exists"
		case ast.ArraySubquery:
			return "array"
		case ast.ScalarSubquery:
			return queryColumnName(e.Query)
		}
	}
	return "?column?"
}

// internalTypeName is the pg_type name PostgreSQL uses for a cast's
// column name (int4, not integer).
func internalTypeName(t types.T) string {
	switch t.Kind {
	case types.KindBool:
		return "bool"
	case types.KindInt16:
		return "int2"
	case types.KindInt32:
		return "int4"
	case types.KindInt64:
		return "int8"
	case types.KindFloat32:
		return "float4"
	case types.KindFloat64:
		return "float8"
	case types.KindVarchar:
		return "varchar"
	case types.KindChar:
		return "bpchar"
	case types.KindTimestamp:
		return "timestamp"
	case types.KindTimestampTZ:
		return "timestamptz"
	}
	return t.String()
}

// dependsOnGroupedKey reports whether c's table is grouped by its whole
// declared primary key, which makes c functionally dependent on the
// grouping and so allowed ungrouped, as in PostgreSQL.
func (b *binder) dependsOnGroupedKey(sc *scope, c *scopeColumn, gs *groupState) bool {
	if c.tableID == 0 {
		return false
	}
	rel, ok := b.p.cat.ByID(c.tableID)
	if !ok || !rel.UserPrimaryKey || len(rel.Key) == 0 {
		return false
	}
	for _, k := range rel.Key {
		grouped := false
		for _, other := range sc.cols {
			if other.table == c.table && other.tableID == c.tableID && int(other.attrNum) == k+1 {
				if _, ok := gs.byFingerprint[fingerprint(&colScalar{id: other.id})]; ok {
					grouped = true
				}
				break
			}
		}
		if !grouped {
			return false
		}
	}
	return true
}

// queryColumnName is the name of a query's first output column, which
// PostgreSQL gives a scalar subquery.
func queryColumnName(q *ast.Select) string {
	for q.SetOp != nil {
		q = q.SetOp.Left
	}
	if q.Block == nil || len(q.Block.Targets) == 0 || q.Block.Targets[0].Star {
		return "?column?"
	}
	if t := q.Block.Targets[0]; t.Alias != "" {
		return t.Alias
	}
	return columnName(q.Block.Targets[0].Expr)
}
