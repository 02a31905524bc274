package planner

import (
	"slices"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// logicalJoin joins left and right. on is the join condition as written
// (plus conjuncts pushed into it); leftKeys/rightKeys are the equi-join
// pairs the join-key rule extracted from it.
type logicalJoin struct {
	kind      JoinKind
	left      logical
	right     logical
	on        scalar
	leftKeys  []colID
	rightKeys []colID
	// inLeft/inRight (semi, anti and mark joins from IN and NOT IN) are
	// compared with PostgreSQL's NULL semantics for IN: a NULL on either
	// side makes the comparison unknown rather than false.
	inLeft  []colID
	inRight []colID
	// mark is the boolean column a mark join adds: whether the left row
	// has a match (NULL when only unknown comparisons were found).
	mark column
}

var _ logical = (*logicalJoin)(nil)

func (n *logicalJoin) columns() []column {
	switch n.kind {
	case SemiJoin, AntiJoin:
		return n.left.columns()
	case MarkJoin:
		return append(append([]column{}, n.left.columns()...), n.mark)
	}
	return append(append([]column{}, n.left.columns()...), n.right.columns()...)
}

func (n *logicalJoin) children() []logical { return []logical{n.left, n.right} }

func (n *logicalJoin) withChildren(kids []logical) logical {
	c := *n
	c.left, c.right = kids[0], kids[1]
	return &c
}

func (n *logicalJoin) mapScalars(f func(scalar) scalar) { n.on = mapOptional(n.on, f) }

func (n *logicalJoin) reads(set map[colID]bool) {
	scalarReads(n, set)
	for _, ids := range [][]colID{n.leftKeys, n.rightKeys, n.inLeft, n.inRight} {
		for _, id := range ids {
			set[id] = true
		}
	}
}

func (n *logicalJoin) prune(required map[colID]bool, _ bool) []map[colID]bool {
	set := requiredAndReads(required, n)
	return []map[colID]bool{set, set}
}

// pushDown sends a predicate into the side whose columns it reads, unless
// an outer join preserves that side; one that reads both sides of an
// inner join joins the condition. The condition's own one-sided conjuncts
// filter that side's input where the side is not preserved.
func (n *logicalJoin) pushDown(preds []scalar) logical {
	leftIDs, rightIDs := idSet(n.left), idSet(n.right)
	var toLeft, toRight, on, above []scalar
	for _, p := range preds {
		switch {
		case readsOnly(p, leftIDs) && n.kind != RightJoin && n.kind != FullJoin:
			toLeft = append(toLeft, p)
		case readsOnly(p, rightIDs) && (n.kind == InnerJoin || n.kind == RightJoin):
			toRight = append(toRight, p)
		case n.kind == InnerJoin:
			on = append(on, p)
		default:
			above = append(above, p)
		}
	}
	for _, p := range conjuncts(n.on) {
		switch {
		case readsOnly(p, leftIDs) && (n.kind == InnerJoin || n.kind == RightJoin):
			toLeft = append(toLeft, p)
		case readsOnly(p, rightIDs) && n.kind != RightJoin && n.kind != FullJoin:
			// A semi, anti or mark join's right rows take part only where
			// the condition holds, so filtering them first is the same.
			toRight = append(toRight, p)
		default:
			on = append(on, p)
		}
	}
	n.on = mustAnd(dropTrue(on))
	n.left = n.left.pushDown(toLeft)
	n.right = n.right.pushDown(toRight)
	return filterOver(n, above)
}

func (n *logicalJoin) describe() string {
	parts := []string{"Join " + n.kind.String()}
	pairs := func(left, right []colID, op string) string {
		lcols, rcols := n.left.columns(), n.right.columns()
		items := make([]string, len(left))
		for i := range left {
			items[i] = describeID(left[i], lcols) + op + describeID(right[i], rcols)
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	if len(n.leftKeys) > 0 {
		parts = append(parts, "keys="+pairs(n.leftKeys, n.rightKeys, " = "))
	}
	if len(n.inLeft) > 0 {
		parts = append(parts, "in="+pairs(n.inLeft, n.inRight, " IN "))
	}
	if n.on != nil {
		parts = append(parts, "on="+describeScalar(n.on))
	}
	if n.kind == MarkJoin {
		parts = append(parts, "mark="+describeColumn(n.mark))
	}
	return strings.Join(parts, " ")
}

// lower lowers inner and outer joins; semi, anti and mark joins have their
// own shape (lowerSemiJoin).
func (n *logicalJoin) lower(l *lowerer) (*lowered, error) {
	if n.kind >= SemiJoin {
		return n.lowerSemiJoin(l)
	}
	if l.stream {
		if len(n.leftKeys) == 0 {
			return nil, pgerror.Unsupported("joins without an equality condition in materialized views are not supported yet")
		}
	}
	j, left, right, err := n.lowerInputs(l)
	if err != nil {
		return nil, err
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
		// The key holds the join key too (the left's, or the right's for
		// a right join, both for a full join, whose unmatched rows of
		// either side have the other's NULL): a row whose join key
		// changes then leaves one key and enters another, so the
		// instances owning the old and the new join key never change
		// the same output key in one epoch (stream_fragments.go).
		if n.kind != RightJoin {
			j.Key = appendMissing(j.Key, j.LeftKeys...)
		}
		if n.kind == RightJoin || n.kind == FullJoin {
			for _, k := range j.RightKeys {
				j.Key = appendMissing(j.Key, nl+k)
			}
		}
		j.StateTables = []uint32{l.alloc(), l.alloc()}
	}
	return both, nil
}

// lowerInputs lowers both inputs of any kind of join and the equality
// keys between them.
func (n *logicalJoin) lowerInputs(l *lowerer) (*Join, *lowered, *lowered, error) {
	left, right, err := lowerBoth(l, n.left, n.right)
	if err != nil {
		return nil, nil, nil, err
	}
	j := &Join{Kind: n.kind, Left: left.plan, Right: right.plan}
	lenv, renv := l.envOf(left), l.envOf(right)
	for i := range n.leftKeys {
		j.LeftKeys = append(j.LeftKeys, lenv.pos[n.leftKeys[i]])
		j.RightKeys = append(j.RightKeys, renv.pos[n.rightKeys[i]])
	}
	return j, left, right, nil
}

// lowerSemiJoin lowers semi, anti and mark joins: the output is the left
// input's columns (and the mark), the condition is over left then right.
func (n *logicalJoin) lowerSemiJoin(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("subqueries in materialized views are not supported yet")
	}
	j, left, right, err := n.lowerInputs(l)
	if err != nil {
		return nil, err
	}
	lenv, renv := l.envOf(left), l.envOf(right)
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

// appendMissing appends the columns not yet in key.
func appendMissing(key []int, cols ...int) []int {
	for _, c := range cols {
		if !slices.Contains(key, c) {
			key = append(key, c)
		}
	}
	return key
}
