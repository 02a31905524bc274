package planner

// pruneColumns drops what no one above reads: projection outputs of inner
// projections and the columns a scan produces (Scan.Columns). The root's
// columns are all kept. A scan keeps at least one column so its row count
// survives (SELECT count(*) FROM t).
func pruneColumns(n logical) logical {
	prune(n, idSet(n), true)
	return n
}

func prune(n logical, required map[colID]bool, root bool) {
	need := func(extra ...scalar) map[colID]bool {
		set := map[colID]bool{}
		for id := range required {
			set[id] = true
		}
		for _, s := range extra {
			if s != nil {
				columnsOf(s, set)
			}
		}
		return set
	}
	switch n := n.(type) {
	case *logicalScan:
		used := need(n.filter)
		n.needed = make([]bool, len(n.cols))
		any := false
		for i, c := range n.cols {
			n.needed[i] = used[c.id]
			any = any || n.needed[i]
		}
		if !any && len(n.cols) > 0 {
			first := 0
			if len(n.rel.Key) > 0 {
				first = n.rel.Key[0]
			}
			n.needed[first] = true
		}
	case *logicalFilter:
		prune(n.input, need(n.pred), false)
	case *logicalProject:
		if !root {
			var exprs []scalar
			var cols []column
			for i, c := range n.cols {
				if required[c.id] {
					exprs = append(exprs, n.exprs[i])
					cols = append(cols, c)
				}
			}
			n.exprs, n.cols = exprs, cols
		}
		set := map[colID]bool{}
		for _, e := range n.exprs {
			columnsOf(e, set)
		}
		prune(n.input, set, false)
	case *logicalAggregate:
		set := map[colID]bool{}
		for _, g := range n.groupCols {
			set[g.id] = true
		}
		for _, a := range n.aggs {
			for _, arg := range a.args {
				columnsOf(arg, set)
			}
			if a.filter != nil {
				columnsOf(a.filter, set)
			}
		}
		prune(n.input, set, false)
	case *logicalJoin:
		set := need(n.on)
		for _, id := range n.leftKeys {
			set[id] = true
		}
		for _, id := range n.rightKeys {
			set[id] = true
		}
		for _, id := range n.inLeft {
			set[id] = true
		}
		for _, id := range n.inRight {
			set[id] = true
		}
		prune(n.left, set, false)
		prune(n.right, set, false)
	case *logicalSort:
		set := need()
		for _, k := range n.keys {
			set[k.col] = true
		}
		prune(n.input, set, false)
	case *logicalLimit:
		prune(n.input, required, false)
	case *logicalApply:
		set := need()
		for id := range freeColumns(n.sub) {
			set[id] = true
		}
		prune(n.input, set, false)
		// The subquery keeps all its columns: an Apply's computed column
		// reads the first, and LATERAL's are few.
		prune(n.sub, idSet(n.sub), false)
	case *logicalSetOp:
		// Set operations compare whole rows: every column stays.
		prune(n.left, idSet(n.left), false)
		prune(n.right, idSet(n.right), false)
	case *logicalWindow:
		set := need()
		n.reads(set)
		prune(n.input, set, false)
	case *logicalRecursiveUnion:
		// Both terms keep every column: the working table's shape is the
		// seed's.
		prune(n.seed, idSet(n.seed), false)
		prune(n.recursive, idSet(n.recursive), false)
	}
}
