package planner

// pushDownPredicates moves each conjunct of a filter as close to the data
// as it may go: through projections (inlining the projected expressions),
// through sorts, through an aggregate when it reads only grouping columns,
// into the side of a join whose columns it reads (for an inner join, or the
// preserved side of an outer join), into an inner join's condition when it
// reads both sides, and finally into the scan's filter. A conjunct stays
// above a LIMIT (it would change which rows are counted), a set operation,
// a window and a recursive union. Each node's pushDown says what passes it.
func pushDownPredicates(n logical) logical { return n.pushDown(nil) }

// keepPredicatesAbove is pushDown for a node that lets no predicate
// through: they stay in a filter above it, and pushing goes on inside its
// children.
func keepPredicatesAbove(n logical, preds []scalar) logical {
	if kids := n.children(); len(kids) > 0 {
		pushed := make([]logical, len(kids))
		for i, k := range kids {
			pushed[i] = k.pushDown(nil)
		}
		n = n.withChildren(pushed)
	}
	return filterOver(n, preds)
}

// filterOver puts the remaining conjuncts in a filter above n.
func filterOver(n logical, preds []scalar) logical {
	pred := mustAnd(dropTrue(preds))
	if pred == nil {
		return n
	}
	return &logicalFilter{input: n, pred: pred}
}

func dropTrue(ps []scalar) []scalar {
	var out []scalar
	for _, p := range ps {
		if !isTrue(p) {
			out = append(out, p)
		}
	}
	return out
}

// mustAnd joins conjuncts that were already typed as boolean, so the AND
// cannot fail to build.
func mustAnd(ps []scalar) scalar {
	s, err := andOf(ps)
	if err != nil {
		panic("planner: AND of boolean conjuncts failed: " + err.Error())
	}
	return s
}
