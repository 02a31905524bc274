package planner

import (
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// lowerer turns an optimized logical plan into plan.go's physical nodes.
// In stream mode it also derives every node's stream key and allocates
// state table ids in post-order, left input before right.
type lowerer struct {
	stream bool
	alloc  func() uint32
	// outer maps the enclosing queries' columns that a correlated subquery
	// reads to their expr.Context.Outer slots (see lower_apply.go).
	outer map[colID]int
}

// envOf is x's column environment, with the outer slots in scope.
func (l *lowerer) envOf(x *lowered) *columnEnv {
	env := x.env()
	env.outer = l.outer
	return env
}

// emptyEnv is the environment of expressions that read no input column.
func (l *lowerer) emptyEnv() *columnEnv { return &columnEnv{outer: l.outer} }

// lowered is a physical node with the colIDs of its output positions.
type lowered struct {
	plan Plan
	ids  []colID
}

func (l *lowered) env() *columnEnv {
	env := &columnEnv{pos: map[colID]int{}, names: map[colID]string{}}
	out := l.plan.Output()
	for i, id := range l.ids {
		if _, dup := env.pos[id]; !dup {
			env.pos[id] = i
			env.names[id] = out[i].Name
		}
	}
	return env
}

func outputOf(cols []column) []OutputColumn {
	out := make([]OutputColumn, len(cols))
	for i, c := range cols {
		out[i] = OutputColumn{Name: c.name, Type: c.t, Hidden: c.hidden, TableID: c.tableID, AttrNum: c.attrNum}
	}
	return out
}

func idsOf(cols []column) []colID {
	ids := make([]colID, len(cols))
	for i, c := range cols {
		ids[i] = c.id
	}
	return ids
}

func buildAll(ss []scalar, env *columnEnv) ([]expr.Expr, error) {
	out := make([]expr.Expr, len(ss))
	for i, s := range ss {
		e, err := build(s, env)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func buildOpt(s scalar, env *columnEnv) (expr.Expr, error) {
	if s == nil {
		return nil, nil
	}
	return build(s, env)
}

// lowerBatch lowers a logical plan to a batch plan.
func lowerBatch(n logical) (Plan, error) {
	l := &lowerer{}
	out, err := l.lower(n)
	if err != nil {
		return nil, err
	}
	return out.plan, nil
}

func (l *lowerer) lower(n logical) (*lowered, error) {
	switch n := n.(type) {
	case *logicalScan:
		return l.lowerScan(n)
	case *logicalValues:
		if l.stream {
			return nil, pgerror.Unsupported("materialized views without FROM are not supported yet")
		}
		v := &Values{}
		v.Out = outputOf(n.cols)
		empty := l.emptyEnv()
		for _, row := range n.rows {
			r, err := buildAll(row, empty)
			if err != nil {
				return nil, err
			}
			v.Rows = append(v.Rows, r)
		}
		return &lowered{plan: v, ids: idsOf(n.cols)}, nil
	case *logicalFilter:
		if w, ok := n.input.(*logicalWindow); ok && l.stream {
			return l.lowerGroupTopN(n, w)
		}
		in, err := l.lower(n.input)
		if err != nil {
			return nil, err
		}
		return l.filter(in, n.pred)
	case *logicalProject:
		return l.lowerProject(n)
	case *logicalAggregate:
		return l.lowerAggregate(n)
	case *logicalJoin:
		if n.kind >= SemiJoin {
			return l.lowerSemiJoin(n)
		}
		return l.lowerJoin(n)
	case *logicalApply:
		return l.lowerApply(n)
	case *logicalSort:
		in, err := l.lower(n.input)
		if err != nil {
			return nil, err
		}
		if l.stream {
			// A view's rows have no order; PostgreSQL-compatible streaming
			// systems accept ORDER BY without LIMIT and ignore it.
			return in, nil
		}
		env := l.envOf(in)
		s := &Sort{Input: in.plan}
		s.Out = in.plan.Output()
		for _, k := range n.keys {
			s.Keys = append(s.Keys, SortKey{Column: env.pos[k.col], Desc: k.desc, NullsFirst: k.nullsFirst})
		}
		return &lowered{plan: s, ids: in.ids}, nil
	case *logicalLimit:
		if l.stream {
			return l.lowerTopN(n)
		}
		in, err := l.lower(n.input)
		if err != nil {
			return nil, err
		}
		lim := &Limit{Input: in.plan, Count: n.count, Offset: n.offset}
		lim.Out = in.plan.Output()
		empty := l.emptyEnv()
		if lim.CountExpr, err = buildOpt(n.countExpr, empty); err != nil {
			return nil, err
		}
		if lim.OffsetExpr, err = buildOpt(n.offsetExpr, empty); err != nil {
			return nil, err
		}
		return &lowered{plan: lim, ids: in.ids}, nil
	case *logicalSetOp:
		return l.lowerSetOp(n)
	case *logicalTableFunc:
		return l.lowerTableFunc(n)
	case *logicalWindow:
		return l.lowerWindow(n)
	case *logicalRecursiveUnion:
		return l.lowerRecursiveUnion(n)
	case *logicalWorkTableScan:
		p := &WorkTableScan{WorkTable: n.workTable}
		p.Out = outputOf(n.cols)
		return &lowered{plan: p, ids: idsOf(n.cols)}, nil
	}
	return nil, pgerror.Internal("planner: cannot lower %T", n)
}

func (l *lowerer) filter(in *lowered, pred scalar) (*lowered, error) {
	p, err := build(pred, l.envOf(in))
	if err != nil {
		return nil, err
	}
	f := &Filter{Input: in.plan, Predicate: p}
	f.Out = in.plan.Output()
	f.Key = in.plan.StreamKey()
	return &lowered{plan: f, ids: in.ids}, nil
}

func (l *lowerer) lowerScan(n *logicalScan) (*lowered, error) {
	s := &Scan{Relation: n.rel}
	var cols []column
	for i, c := range n.cols {
		if n.needed == nil || n.needed[i] || (l.stream && isKeyColumn(n.rel.Key, i)) {
			s.Columns = append(s.Columns, i)
			cols = append(cols, c)
		}
	}
	s.Out = outputOf(cols)
	out := &lowered{plan: s, ids: idsOf(cols)}
	if l.stream {
		s.Key = []int{}
		for _, k := range n.rel.Key {
			for pos, ci := range s.Columns {
				if ci == k {
					s.Key = append(s.Key, pos)
				}
			}
		}
		// The scan's filter becomes its own operator in a dataflow.
		if n.filter != nil {
			return l.filter(out, n.filter)
		}
		return out, nil
	}
	var err error
	if s.Filter, err = buildOpt(n.filter, l.envOf(out)); err != nil {
		return nil, err
	}
	if s.KeyPrefix, err = buildAll(n.keyPrefix, l.emptyEnv()); err != nil {
		return nil, err
	}
	if len(s.KeyPrefix) == 0 {
		s.KeyPrefix = nil
	}
	return out, nil
}

func isKeyColumn(key []int, i int) bool {
	for _, k := range key {
		if k == i {
			return true
		}
	}
	return false
}

func (l *lowerer) lowerProject(n *logicalProject) (*lowered, error) {
	in, err := l.lower(n.input)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	p := &Project{Input: in.plan}
	if p.Exprs, err = buildAll(n.exprs, env); err != nil {
		return nil, err
	}
	p.Out = outputOf(n.cols)
	ids := idsOf(n.cols)
	if l.stream {
		// Carry the input's stream key: a projection that drops a key
		// column keeps it as a hidden output.
		p.Key = []int{}
		inOut := in.plan.Output()
		for _, k := range in.plan.StreamKey() {
			pos := -1
			for i, e := range n.exprs {
				if c, ok := e.(*colScalar); ok && c.id == in.ids[k] {
					pos = i
					break
				}
			}
			if pos < 0 {
				pos = len(p.Exprs)
				p.Exprs = append(p.Exprs, mkColumnRef(k, inOut[k].Type, inOut[k].Name))
				oc := inOut[k]
				oc.Hidden = true
				p.Out = append(p.Out, oc)
				ids = append(ids, in.ids[k])
			}
			p.Key = append(p.Key, pos)
		}
	}
	return &lowered{plan: p, ids: ids}, nil
}

func (l *lowerer) lowerAggregate(n *logicalAggregate) (*lowered, error) {
	in, err := l.lower(n.input)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	a := &Aggregate{Input: in.plan}
	for _, g := range n.groupCols {
		pos, ok := env.pos[g.id]
		if !ok {
			return nil, pgerror.Internal("planner: group column %s is not in the aggregate's input", g.name)
		}
		a.GroupBy = append(a.GroupBy, pos)
	}
	nonInvertible := false
	for _, it := range n.aggs {
		call := agg.Call{Name: it.name, Star: it.star, Distinct: it.distinct, Result: it.col.t}
		if call.Args, err = buildAll(it.args, env); err != nil {
			return nil, err
		}
		if call.Filter, err = buildOpt(it.filter, env); err != nil {
			return nil, err
		}
		a.Aggs = append(a.Aggs, call)
		// A DISTINCT aggregate keeps its input multiset in the second state
		// table, like the non-invertible ones, to know when a value's last
		// copy goes.
		nonInvertible = nonInvertible || !invertible(it.name) || it.distinct
	}
	inOut := in.plan.Output()
	for _, g := range a.GroupBy {
		oc := inOut[g]
		oc.Hidden = false
		a.Out = append(a.Out, oc)
	}
	for _, it := range n.aggs {
		a.Out = append(a.Out, OutputColumn{Name: it.col.name, Type: it.col.t})
	}
	if l.stream {
		a.Key = make([]int, len(a.GroupBy))
		for i := range a.Key {
			a.Key[i] = i
		}
		a.StateTables = []uint32{l.alloc()}
		if nonInvertible {
			a.StateTables = append(a.StateTables, l.alloc())
		}
	}
	return &lowered{plan: a, ids: idsOf(n.columns())}, nil
}

func (l *lowerer) lowerJoin(n *logicalJoin) (*lowered, error) {
	if l.stream {
		if len(n.leftKeys) == 0 {
			return nil, pgerror.Unsupported("joins without an equality condition in materialized views are not supported yet")
		}
	}
	left, err := l.lower(n.left)
	if err != nil {
		return nil, err
	}
	right, err := l.lower(n.right)
	if err != nil {
		return nil, err
	}
	j := &Join{Kind: n.kind, Left: left.plan, Right: right.plan}
	lenv, renv := l.envOf(left), l.envOf(right)
	for i := range n.leftKeys {
		j.LeftKeys = append(j.LeftKeys, lenv.pos[n.leftKeys[i]])
		j.RightKeys = append(j.RightKeys, renv.pos[n.rightKeys[i]])
	}
	both := &lowered{ids: append(append([]colID{}, left.ids...), right.ids...)}
	j.Out = append(append([]OutputColumn{}, left.plan.Output()...), right.plan.Output()...)
	both.plan = j
	if j.Condition, err = buildOpt(n.on, l.envOf(both)); err != nil {
		return nil, err
	}
	if l.stream {
		nl := len(left.plan.Output())
		j.Key = append([]int{}, left.plan.StreamKey()...)
		for _, k := range right.plan.StreamKey() {
			j.Key = append(j.Key, nl+k)
		}
		j.StateTables = []uint32{l.alloc(), l.alloc()}
	}
	return both, nil
}

// lowerTopN lowers LIMIT over an optional ORDER BY in a streaming plan to a
// TopN keeping every input row in its state table; rows that tie on the
// ORDER BY (or all rows, without one) are ranked by the stream key.
func (l *lowerer) lowerTopN(n *logicalLimit) (*lowered, error) {
	if n.countExpr != nil || n.offsetExpr != nil {
		return nil, pgerror.Unsupported("parameters in LIMIT and OFFSET of materialized views are not supported")
	}
	if n.count < 0 {
		return nil, pgerror.Unsupported("OFFSET without LIMIT in materialized views is not supported yet")
	}
	var keys []sortItem
	input := n.input
	if s, ok := input.(*logicalSort); ok {
		keys, input = s.keys, s.input
	}
	in, err := l.lower(input)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	t := &TopN{Input: in.plan, Count: n.count, Offset: n.offset}
	t.Out = in.plan.Output()
	t.Key = in.plan.StreamKey()
	for _, k := range keys {
		pos, ok := env.pos[k.col]
		if !ok {
			return nil, pgerror.Internal("planner: sort column is not in the top-n's input")
		}
		t.Keys = append(t.Keys, SortKey{Column: pos, Desc: k.desc, NullsFirst: k.nullsFirst})
	}
	t.StateTables = []uint32{l.alloc()}
	return &lowered{plan: t, ids: in.ids}, nil
}

// lowerGroupTopN lowers the per-group top-N pattern of a streaming plan,
// a filter bounding row_number() OVER (PARTITION BY … ORDER BY …) from
// above, to a TopN that outputs the rank; the whole filter stays above it.
// Any other window function in a streaming plan is refused.
func (l *lowerer) lowerGroupTopN(n *logicalFilter, w *logicalWindow) (*lowered, error) {
	unsupported := pgerror.Unsupported("window functions in materialized views are not supported yet")
	if len(w.items) != 1 || w.items[0].name != "row_number" || w.items[0].filter != nil {
		return nil, unsupported
	}
	it := w.items[0]
	count := int64(-1)
	for _, c := range conjuncts(n.pred) {
		if bound, ok := rowNumberBound(c, it.col.id); ok && (count < 0 || bound < count) {
			count = bound
		}
	}
	if count < 0 {
		return nil, pgerror.Unsupported("window functions in materialized views are not supported yet").
			WithHint("Only row_number() bounded from above in a WHERE (rn <= n) is supported, as a per-group top-N.")
	}
	in, err := l.lower(w.input)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	column := func(s scalar) (int, bool) {
		c, ok := s.(*colScalar)
		if !ok {
			return 0, false
		}
		pos, ok := env.pos[c.id]
		return pos, ok
	}
	t := &TopN{Input: in.plan, Count: max(count, 0), Rank: true}
	for _, p := range it.partition {
		pos, ok := column(p)
		if !ok {
			return nil, pgerror.Unsupported("PARTITION BY of a top-N in a materialized view must list columns")
		}
		t.PartitionBy = append(t.PartitionBy, pos)
	}
	for _, o := range it.order {
		pos, ok := column(o.s)
		if !ok {
			return nil, pgerror.Unsupported("ORDER BY of a top-N in a materialized view must list columns")
		}
		t.Keys = append(t.Keys, SortKey{Column: pos, Desc: o.desc, NullsFirst: o.nullsFirst})
	}
	t.Out = append(append([]OutputColumn{}, in.plan.Output()...), OutputColumn{Name: it.col.name, Type: it.col.t})
	t.Key = in.plan.StreamKey()
	t.StateTables = []uint32{l.alloc()}
	return l.filter(&lowered{plan: t, ids: append(append([]colID{}, in.ids...), it.col.id)}, n.pred)
}

// rowNumberBound returns n when c is rn <= n, rn < n+1, rn = n or the
// mirrored forms, with rn the column id.
func rowNumberBound(c scalar, id colID) (int64, bool) {
	call, ok := c.(*callScalar)
	if !ok || call.op != opCompare {
		return 0, false
	}
	cmp := call.cmp
	left, right := call.args[0], call.args[1]
	if col, isCol := right.(*colScalar); isCol && col.id == id {
		left, right = right, left
		cmp = cmp.commuted()
	}
	col, isCol := left.(*colScalar)
	leaf, isLeaf := right.(*leafScalar)
	if !isCol || col.id != id || !isLeaf {
		return 0, false
	}
	value, ok := constValue(leaf.e)
	if !ok {
		return 0, false
	}
	v, ok := value.(int64)
	if !ok {
		return 0, false
	}
	switch cmp {
	case cmpLE, cmpEQ:
		return v, true
	case cmpLT:
		return v - 1, true
	}
	return 0, false
}

// lowerSetOp lowers UNION, INTERSECT and EXCEPT (batch only).
func (l *lowerer) lowerSetOp(n *logicalSetOp) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("set operations in materialized views are not supported yet")
	}
	left, err := l.lower(n.left)
	if err != nil {
		return nil, err
	}
	right, err := l.lower(n.right)
	if err != nil {
		return nil, err
	}
	s := &SetOp{Kind: n.kind, All: n.all, Left: left.plan, Right: right.plan}
	s.Out = outputOf(n.cols)
	return &lowered{plan: s, ids: idsOf(n.cols)}, nil
}

// lowerTableFunc lowers a set-returning function in FROM (batch only).
func (l *lowerer) lowerTableFunc(n *logicalTableFunc) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("set-returning functions in materialized views are not supported yet")
	}
	f := &TableFunction{Name: n.name, Ordinality: n.ordinality}
	var err error
	if f.Args, err = buildAll(n.args, l.emptyEnv()); err != nil {
		return nil, err
	}
	f.Out = outputOf(n.cols)
	if t := n.cols[0].t; n.name == "generate_series" && (!t.IsInteger() && len(f.Args) == 3 || t.Kind == types.KindNumeric) {
		step := f.Args[len(f.Args)-1].Type()
		if len(f.Args) == 2 {
			step = t
		}
		if f.Add, err = mkBinary("+", mkColumnRef(0, t, "value"), mkColumnRef(1, step, "step")); err != nil {
			return nil, err
		}
	}
	return &lowered{plan: f, ids: idsOf(n.cols)}, nil
}
