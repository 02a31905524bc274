package planner

// mergeProjections folds a projection into the projection above it by
// inlining the lower one's expressions, unless that would compute one of
// them more than once.
func mergeProjections(n logical) logical {
	return mapLogical(n, func(n logical) logical {
		p, ok := n.(*logicalProject)
		if !ok {
			return n
		}
		if isIdentity(p) {
			return p.input
		}
		inner, ok := p.input.(*logicalProject)
		if !ok {
			return n
		}
		byID := map[colID]scalar{}
		for i, c := range inner.cols {
			byID[c.id] = inner.exprs[i]
		}
		uses := map[colID]int{}
		for _, e := range p.exprs {
			countColumnUses(e, uses)
		}
		for id, k := range uses {
			if _, computed := byID[id].(*callScalar); computed && k > 1 {
				return n
			}
		}
		exprs := make([]scalar, len(p.exprs))
		for i, e := range p.exprs {
			m, err := rewrite(e, func(c *colScalar) scalar { return byID[c.id] })
			if err != nil {
				return n
			}
			exprs[i] = m
		}
		p.exprs, p.input = exprs, inner.input
		return p
	})
}

func countColumnUses(s scalar, uses map[colID]int) {
	switch s := s.(type) {
	case *colScalar:
		uses[s.id]++
	case *callScalar:
		for _, a := range s.args {
			countColumnUses(a, uses)
		}
	}
}

// isIdentity reports whether p passes its input's columns through unchanged.
func isIdentity(p *logicalProject) bool {
	in := p.input.columns()
	if len(in) != len(p.cols) {
		return false
	}
	for i, c := range p.cols {
		ref, ok := p.exprs[i].(*colScalar)
		if !ok || ref.id != c.id || in[i].id != c.id || in[i].name != c.name || in[i].hidden != c.hidden {
			return false
		}
	}
	return true
}
