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
	kids := n.children()
	for i, childRequired := range n.prune(required, root) {
		prune(kids[i], childRequired, false)
	}
}

// requiredAndReads is what a node passing its input's columns through
// needs of that input: the columns read above and those it reads itself.
func requiredAndReads(required map[colID]bool, n logical) map[colID]bool {
	set := map[colID]bool{}
	for id := range required {
		set[id] = true
	}
	n.reads(set)
	return set
}
