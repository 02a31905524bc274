package planner

import "github.com/eddy-db/eddy/sql/pgerror"

// A streaming plan has no batch sort or limit: LIMIT over an optional
// ORDER BY, and a filter bounding row_number() over a window, lower to
// the TopN operator, which keeps its input in a state table to answer
// retractions.

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
	in, err := input.lower(l)
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
	in, err := w.input.lower(l)
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
	// The partition columns are in the key, as a join's key is in its
	// (logical_join.go): a row that moves to another group is taken
	// back by the group's instance and put in by another's.
	t.Key = appendMissing(append([]int{}, in.plan.StreamKey()...), t.PartitionBy...)
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
