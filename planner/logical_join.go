package planner

import "strings"

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
