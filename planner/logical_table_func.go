package planner

import "strings"

// logicalTableFunc is a set-returning function in FROM: its arguments are
// evaluated once (they read no input; under an Apply they may read outer
// columns) and it produces cols.
type logicalTableFunc struct {
	name string
	args []scalar
	cols []column
	// ordinality: WITH ORDINALITY, the last of cols numbers the rows.
	ordinality bool
}

func (n *logicalTableFunc) columns() []column { return n.cols }

func (n *logicalTableFunc) children() []logical { return nil }

func (n *logicalTableFunc) withChildren([]logical) logical { c := *n; return &c }

func (n *logicalTableFunc) mapScalars(f func(scalar) scalar) {
	for i := range n.args {
		n.args[i] = f(n.args[i])
	}
}

func (n *logicalTableFunc) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalTableFunc) prune(map[colID]bool, bool) []map[colID]bool { return nil }

func (n *logicalTableFunc) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalTableFunc) describe() string {
	out := "TableFunction " + n.name + "(" + strings.Trim(describeScalars(n.args), "[]") + ") " + describeColumns(n.cols)
	if n.ordinality {
		out += " WITH ORDINALITY"
	}
	return out
}
