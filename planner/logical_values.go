package planner

// logicalValues produces constant rows.
type logicalValues struct {
	cols []column
	rows [][]scalar
}

func (n *logicalValues) columns() []column { return n.cols }

func (n *logicalValues) children() []logical { return nil }

func (n *logicalValues) withChildren([]logical) logical { c := *n; return &c }
