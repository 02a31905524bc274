package planner

import "fmt"

// logicalValues produces constant rows.
type logicalValues struct {
	cols []column
	rows [][]scalar
}

func (n *logicalValues) columns() []column { return n.cols }

func (n *logicalValues) children() []logical { return nil }

func (n *logicalValues) withChildren([]logical) logical { c := *n; return &c }

func (n *logicalValues) mapScalars(f func(scalar) scalar) {
	for _, row := range n.rows {
		for i := range row {
			row[i] = f(row[i])
		}
	}
}

func (n *logicalValues) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalValues) prune(map[colID]bool, bool) []map[colID]bool { return nil }

func (n *logicalValues) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalValues) describe() string {
	return fmt.Sprintf("Values %s rows=%d", describeColumns(n.cols), len(n.rows))
}
