package planner

import "fmt"

// logicalWorkTableScan reads the working table of the recursive union
// labelled workTable: the rows of the previous iteration.
type logicalWorkTableScan struct {
	workTable int
	cols      []column
}

var _ logical = (*logicalWorkTableScan)(nil)

func (n *logicalWorkTableScan) columns() []column { return n.cols }

func (n *logicalWorkTableScan) children() []logical { return nil }

func (n *logicalWorkTableScan) withChildren([]logical) logical { c := *n; return &c }

func (n *logicalWorkTableScan) mapScalars(func(scalar) scalar) {}

func (n *logicalWorkTableScan) reads(map[colID]bool) {}

func (n *logicalWorkTableScan) prune(map[colID]bool, bool) []map[colID]bool { return nil }

func (n *logicalWorkTableScan) pushDown(preds []scalar) logical {
	return keepPredicatesAbove(n, preds)
}

func (n *logicalWorkTableScan) describe() string {
	return fmt.Sprintf("WorkTableScan worktable=%d %s", n.workTable, describeColumns(n.cols))
}

func (n *logicalWorkTableScan) lower(*lowerer) (*lowered, error) {
	p := &WorkTableScan{WorkTable: n.workTable}
	p.Out = outputOf(n.cols)
	return &lowered{plan: p, ids: idsOf(n.cols)}, nil
}
