package planner

// logicalFilter keeps the rows of input for which pred is true.
type logicalFilter struct {
	input logical
	pred  scalar
}

var _ logical = (*logicalFilter)(nil)

func (n *logicalFilter) columns() []column { return n.input.columns() }

func (n *logicalFilter) children() []logical { return []logical{n.input} }

func (n *logicalFilter) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

func (n *logicalFilter) mapScalars(f func(scalar) scalar) { n.pred = f(n.pred) }

func (n *logicalFilter) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalFilter) prune(required map[colID]bool, _ bool) []map[colID]bool {
	return []map[colID]bool{requiredAndReads(required, n)}
}

// pushDown takes the filter's own conjuncts down with those from above;
// the filter itself goes away.
func (n *logicalFilter) pushDown(preds []scalar) logical {
	return n.input.pushDown(append(preds, conjuncts(n.pred)...))
}

func (n *logicalFilter) describe() string { return "Filter " + describeScalar(n.pred) }

// lower lowers the filter, or in a streaming plan a filter over a window
// as a per-group top-N (lower_top_n.go).
func (n *logicalFilter) lower(l *lowerer) (*lowered, error) {
	if w, ok := n.input.(*logicalWindow); ok && l.stream {
		return l.lowerGroupTopN(n, w)
	}
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	return l.filter(in, n.pred)
}
