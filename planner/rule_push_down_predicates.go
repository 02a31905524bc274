package planner

// pushDownPredicates moves each conjunct of a filter as close to the data
// as it may go: through projections (inlining the projected expressions),
// through sorts, through an aggregate when it reads only grouping columns,
// into the side of a join whose columns it reads (for an inner join, or the
// preserved side of an outer join), into an inner join's condition when it
// reads both sides, and finally into the scan's filter. A conjunct stops
// under a LIMIT (it would change which rows are counted).
func pushDownPredicates(n logical) logical { return pushDown(n, nil) }

func pushDown(n logical, preds []scalar) logical {
	switch n := n.(type) {
	case *logicalFilter:
		return pushDown(n.input, append(preds, conjuncts(n.pred)...))
	case *logicalScan:
		all := append(conjuncts(n.filter), preds...)
		n.filter = mustAnd(dropTrue(all))
		return n
	case *logicalProject:
		byID := map[colID]scalar{}
		for i, c := range n.cols {
			byID[c.id] = n.exprs[i]
		}
		var below, above []scalar
		for _, p := range preds {
			inlined, err := rewrite(p, func(c *colScalar) scalar { return byID[c.id] })
			if err != nil {
				above = append(above, p)
				continue
			}
			below = append(below, inlined)
		}
		n.input = pushDown(n.input, below)
		return filterOver(n, above)
	case *logicalSort:
		n.input = pushDown(n.input, preds)
		return n
	case *logicalAggregate:
		var below, above []scalar
		groups := map[colID]bool{}
		for _, g := range n.groupCols {
			groups[g.id] = true
		}
		for _, p := range preds {
			if len(n.groupCols) > 0 && readsOnly(p, groups) {
				below = append(below, p)
			} else {
				above = append(above, p)
			}
		}
		n.input = pushDown(n.input, below)
		return filterOver(n, above)
	case *logicalJoin:
		return pushIntoJoin(n, preds)
	case *logicalLimit:
		n.input = pushDown(n.input, nil)
		return filterOver(n, preds)
	case *logicalApply:
		inputIDs := idSet(n.input)
		var below, above []scalar
		for _, p := range preds {
			if readsOnly(p, inputIDs) {
				below = append(below, p)
			} else {
				above = append(above, p)
			}
		}
		n.input = pushDown(n.input, below)
		n.sub = pushDown(n.sub, nil)
		return filterOver(n, above)
	// Predicates stay above set operations, windows (a window's partition
	// could take some; not done yet) and recursive unions; pushing goes on
	// inside them.
	case *logicalSetOp:
		n.left = pushDown(n.left, nil)
		n.right = pushDown(n.right, nil)
		return filterOver(n, preds)
	case *logicalWindow:
		n.input = pushDown(n.input, nil)
		return filterOver(n, preds)
	case *logicalRecursiveUnion:
		n.seed = pushDown(n.seed, nil)
		n.recursive = pushDown(n.recursive, nil)
		return filterOver(n, preds)
	}
	return filterOver(n, preds)
}

func pushIntoJoin(n *logicalJoin, preds []scalar) logical {
	leftIDs, rightIDs := idSet(n.left), idSet(n.right)
	var toLeft, toRight, on, above []scalar
	// Conjuncts from above the join.
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
	// Conjuncts of the join's own condition: one side's may filter that
	// side's input unless that side is preserved by an outer join.
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
	n.left = pushDown(n.left, toLeft)
	n.right = pushDown(n.right, toRight)
	return filterOver(n, above)
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
