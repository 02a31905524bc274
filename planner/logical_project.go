package planner

// logicalProject computes exprs; cols[i] is exprs[i]'s output column.
type logicalProject struct {
	input logical
	exprs []scalar
	cols  []column
}

func (n *logicalProject) columns() []column { return n.cols }

func (n *logicalProject) children() []logical { return []logical{n.input} }

func (n *logicalProject) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

func (n *logicalProject) mapScalars(f func(scalar) scalar) {
	for i := range n.exprs {
		n.exprs[i] = f(n.exprs[i])
	}
}

func (n *logicalProject) reads(set map[colID]bool) { scalarReads(n, set) }
