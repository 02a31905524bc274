package planner

import "github.com/eddy-db/eddy/sql/catalog"

// logicalScan reads a relation. cols has one entry per relation column;
// needed marks those the plan reads (projection pushdown fills it).
type logicalScan struct {
	rel    *catalog.Relation
	cols   []column
	needed []bool
	filter scalar
	// keyPrefix holds constants for the first len(keyPrefix) key columns
	// (batch only).
	keyPrefix []scalar
}

func (n *logicalScan) columns() []column {
	var out []column
	for i, c := range n.cols {
		if n.needed == nil || n.needed[i] {
			out = append(out, c)
		}
	}
	return out
}

func (n *logicalScan) children() []logical { return nil }

func (n *logicalScan) withChildren([]logical) logical { c := *n; return &c }
