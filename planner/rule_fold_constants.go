package planner

// foldConstants evaluates every maximal subexpression that reads no column
// and no parameter once, at planning time (expr.ConstFold decides what is
// safe to fold: volatile functions stay). A subexpression whose folding
// fails, such as 1/0, is left for execution to raise only if reached.
// Filters whose condition folds to true go away.
func foldConstants(n logical) logical {
	return mapLogical(n, func(n logical) logical {
		forEachScalar(n, foldScalar)
		if f, ok := n.(*logicalFilter); ok && isTrue(f.pred) {
			return f.input
		}
		if s, ok := n.(*logicalScan); ok && s.filter != nil && isTrue(s.filter) {
			s.filter = nil
		}
		return n
	})
}

func foldScalar(s scalar) scalar {
	c, ok := s.(*callScalar)
	if !ok {
		return s
	}
	if !hasColumnOrParam(c) {
		e, err := build(c, &columnEnv{})
		if err != nil {
			return s
		}
		folded, err := constFold(e)
		if err != nil {
			return s
		}
		return &leafScalar{e: folded}
	}
	args := make([]scalar, len(c.args))
	changed := false
	for i, a := range c.args {
		args[i] = foldScalar(a)
		changed = changed || args[i] != a
	}
	if !changed {
		return s
	}
	out, err := c.withArgs(args)
	if err != nil {
		return s
	}
	return out
}

// isTrue reports whether s is the constant true.
func isTrue(s scalar) bool {
	l, ok := s.(*leafScalar)
	if !ok {
		return false
	}
	d, ok := constValue(l.e)
	b, isBool := d.(bool)
	return ok && isBool && b
}

// forEachScalar replaces every scalar held directly by n with f's result.
func forEachScalar(n logical, f func(scalar) scalar) {
	opt := func(s scalar) scalar {
		if s == nil {
			return nil
		}
		return f(s)
	}
	switch n := n.(type) {
	case *logicalScan:
		n.filter = opt(n.filter)
		for i := range n.keyPrefix {
			n.keyPrefix[i] = f(n.keyPrefix[i])
		}
	case *logicalValues:
		for _, row := range n.rows {
			for i := range row {
				row[i] = f(row[i])
			}
		}
	case *logicalFilter:
		n.pred = f(n.pred)
	case *logicalProject:
		for i := range n.exprs {
			n.exprs[i] = f(n.exprs[i])
		}
	case *logicalAggregate:
		for i := range n.aggs {
			for j := range n.aggs[i].args {
				n.aggs[i].args[j] = f(n.aggs[i].args[j])
			}
			n.aggs[i].filter = opt(n.aggs[i].filter)
		}
	case *logicalJoin:
		n.on = opt(n.on)
	case *logicalTableFunc:
		for i := range n.args {
			n.args[i] = f(n.args[i])
		}
	case *logicalWindow:
		for i := range n.items {
			it := &n.items[i]
			for j := range it.args {
				it.args[j] = f(it.args[j])
			}
			if it.filter != nil {
				it.filter = f(it.filter)
			}
			for j := range it.partition {
				it.partition[j] = f(it.partition[j])
			}
			for j := range it.order {
				it.order[j].s = f(it.order[j].s)
			}
			if it.frame.startValue != nil {
				it.frame.startValue = f(it.frame.startValue)
			}
			if it.frame.endValue != nil {
				it.frame.endValue = f(it.frame.endValue)
			}
		}
	}
}
