package planner

// extractJoinKeys turns the conjuncts `l = r` of a join's condition, where
// l is a column of the left input and r one of the right of the same type,
// into the join's equi-join keys; the other conjuncts remain the residual
// condition. Keys are what let the join hash (batch) and what a streaming
// join requires.
func extractJoinKeys(n logical) logical {
	return mapLogical(n, func(n logical) logical {
		j, ok := n.(*logicalJoin)
		if !ok {
			return n
		}
		leftIDs, rightIDs := idSet(j.left), idSet(j.right)
		var rest []scalar
		for _, p := range conjuncts(j.on) {
			l, r, ok := equiPair(p, leftIDs, rightIDs)
			if !ok {
				rest = append(rest, p)
				continue
			}
			j.leftKeys = append(j.leftKeys, l)
			j.rightKeys = append(j.rightKeys, r)
		}
		j.on = mustAnd(rest)
		return j
	})
}

func equiPair(p scalar, leftIDs, rightIDs map[colID]bool) (colID, colID, bool) {
	c, ok := p.(*callScalar)
	if !ok || c.op != opCompare || c.cmp != cmpEQ {
		return 0, 0, false
	}
	a, okA := c.args[0].(*colScalar)
	b, okB := c.args[1].(*colScalar)
	if !okA || !okB || a.t.Kind != b.t.Kind {
		return 0, 0, false
	}
	switch {
	case leftIDs[a.id] && rightIDs[b.id]:
		return a.id, b.id, true
	case leftIDs[b.id] && rightIDs[a.id]:
		return b.id, a.id, true
	}
	return 0, 0, false
}
