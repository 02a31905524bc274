package planner

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// lowerApply lowers an Apply. The subquery's free columns that no
// enclosing Apply binds already become this Apply's OuterColumns, each
// given the next outer slot, and the subquery is lowered with them in
// scope so its references build as expr.OuterRef.
func (l *lowerer) lowerApply(n *logicalApply) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("correlated subqueries and LATERAL in materialized views are not supported yet")
	}
	in, err := l.lower(n.input)
	if err != nil {
		return nil, err
	}
	inEnv := l.envOf(in)
	saved := l.outer
	inner := make(map[colID]int, len(saved))
	for id, slot := range saved {
		inner[id] = slot
	}
	a := &Apply{Kind: n.kind, Input: in.plan}
	for _, id := range sortedIDs(freeColumns(n.sub)) {
		if _, bound := saved[id]; bound {
			continue
		}
		pos, ok := inEnv.pos[id]
		if !ok {
			return nil, pgerror.Internal("planner: column #%d read by a subquery is not available", id)
		}
		inner[id] = len(inner)
		a.OuterColumns = append(a.OuterColumns, pos)
	}
	l.outer = inner
	sub, err := l.lower(n.sub)
	l.outer = saved
	if err != nil {
		return nil, err
	}
	a.Subquery = sub.plan
	a.Out = append([]OutputColumn{}, in.plan.Output()...)
	ids := append([]colID{}, in.ids...)
	switch n.kind {
	case ApplyInner, ApplyLeft:
		a.Out = append(a.Out, sub.plan.Output()...)
		ids = append(ids, sub.ids...)
	default:
		a.Out = append(a.Out, OutputColumn{Name: n.col.name, Type: n.col.t})
		ids = append(ids, n.col.id)
	}
	return &lowered{plan: a, ids: ids}, nil
}

// lowerSemiJoin lowers semi, anti and mark joins: the output is the left
// input's columns (and the mark), the condition is over left then right.
func (l *lowerer) lowerSemiJoin(n *logicalJoin) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("subqueries in materialized views are not supported yet")
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
	for i := range n.inLeft {
		lp, lok := lenv.pos[n.inLeft[i]]
		rp, rok := renv.pos[n.inRight[i]]
		if !lok || !rok {
			return nil, pgerror.Internal("planner: IN operand is not available to the join")
		}
		j.InLeft = append(j.InLeft, lp)
		j.InRight = append(j.InRight, rp)
	}
	pairOut := append(append([]OutputColumn{}, left.plan.Output()...), right.plan.Output()...)
	pair := &lowered{plan: &Values{Node: Node{Out: pairOut}}, ids: append(append([]colID{}, left.ids...), right.ids...)}
	if j.Condition, err = buildOpt(n.on, l.envOf(pair)); err != nil {
		return nil, err
	}
	j.Out = append([]OutputColumn{}, left.plan.Output()...)
	ids := append([]colID{}, left.ids...)
	if n.kind == MarkJoin {
		j.Out = append(j.Out, OutputColumn{Name: n.mark.name, Type: types.Bool})
		ids = append(ids, n.mark.id)
	}
	return &lowered{plan: j, ids: ids}, nil
}
