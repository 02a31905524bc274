package planner

// keyPrefixScan turns a scan's filter conjuncts `key column = constant`
// (or `= $n`) that fix the first columns of the relation's key into
// Scan.KeyPrefix: a point lookup when they fix the whole key, a range scan
// of the prefix otherwise. The constant must have the column's type, so
// the executor can encode it as the key is encoded. Batch plans only.
func keyPrefixScan(n logical) logical {
	return mapLogical(n, func(n logical) logical {
		s, ok := n.(*logicalScan)
		if !ok || s.filter == nil {
			return n
		}
		rest := conjuncts(s.filter)
		for _, k := range s.rel.Key {
			col := s.cols[k]
			found := -1
			var value scalar
			for i, p := range rest {
				if v, ok := keyEquality(p, col, s); ok {
					found, value = i, v
					break
				}
			}
			if found < 0 {
				break
			}
			s.keyPrefix = append(s.keyPrefix, value)
			rest = append(rest[:found:found], rest[found+1:]...)
		}
		s.filter = mustAnd(rest)
		return s
	})
}

// keyEquality matches `col = v` or `v = col` with v a non-NULL constant, a
// parameter or an outer query's column of col's type.
func keyEquality(p scalar, col column, scan *logicalScan) (scalar, bool) {
	c, ok := p.(*callScalar)
	if !ok || c.op != opCompare || c.cmp != cmpEQ {
		return nil, false
	}
	for i := 0; i < 2; i++ {
		ref, ok := c.args[i].(*colScalar)
		if !ok || ref.id != col.id {
			continue
		}
		v := c.args[1-i]
		if v.typ() != col.t {
			return nil, false
		}
		switch v := v.(type) {
		case *paramScalar:
			return v, true
		case *colScalar:
			// A column the scan does not produce is an outer query's,
			// constant for one run of a correlated subquery.
			own := false
			for _, c := range scan.cols {
				own = own || c.id == v.id
			}
			if !own {
				return v, true
			}
		case *leafScalar:
			if d, ok := constValue(v.e); ok && d != nil {
				return v, true
			}
		}
	}
	return nil, false
}
