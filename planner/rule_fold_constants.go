package planner

// foldConstants evaluates every maximal subexpression that reads no column
// and no parameter once, at planning time (expr.ConstFold decides what is
// safe to fold: volatile functions stay). A subexpression whose folding
// fails, such as 1/0, is left for execution to raise only if reached.
// Filters whose condition folds to true go away.
func foldConstants(n logical) logical {
	return mapLogical(n, func(n logical) logical {
		n.mapScalars(foldScalar)
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
