package planner

import (
	"fmt"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// logicalRecursiveUnion is a WITH RECURSIVE item's query (see the top of
// bind_recursive_cte.go). The recursive term reads the working table
// through logicalWorkTableScan nodes with the same workTable label.
// Output: cols (new ids).
type logicalRecursiveUnion struct {
	name            string
	all             bool
	workTable       int
	seed, recursive logical
	cols            []column
}

var _ logical = (*logicalRecursiveUnion)(nil)

func (n *logicalRecursiveUnion) columns() []column { return n.cols }

func (n *logicalRecursiveUnion) children() []logical { return []logical{n.seed, n.recursive} }

func (n *logicalRecursiveUnion) withChildren(kids []logical) logical {
	c := *n
	c.seed, c.recursive = kids[0], kids[1]
	return &c
}

func (n *logicalRecursiveUnion) mapScalars(func(scalar) scalar) {}

func (n *logicalRecursiveUnion) reads(map[colID]bool) {}

// prune keeps every column of both terms: the working table's shape is the
// seed's.
func (n *logicalRecursiveUnion) prune(map[colID]bool, bool) []map[colID]bool {
	return []map[colID]bool{idSet(n.seed), idSet(n.recursive)}
}

func (n *logicalRecursiveUnion) pushDown(preds []scalar) logical {
	return keepPredicatesAbove(n, preds)
}

func (n *logicalRecursiveUnion) describe() string {
	all := ""
	if n.all {
		all = " ALL"
	}
	return fmt.Sprintf("RecursiveUnion %s%s worktable=%d %s", n.name, all, n.workTable, describeColumns(n.cols))
}

// lower lowers WITH RECURSIVE (batch only).
func (n *logicalRecursiveUnion) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("WITH RECURSIVE in materialized views is not supported yet")
	}
	seed, err := n.seed.lower(l)
	if err != nil {
		return nil, err
	}
	rec, err := n.recursive.lower(l)
	if err != nil {
		return nil, err
	}
	p := &RecursiveUnion{Name: n.name, All: n.all, WorkTable: n.workTable, Seed: seed.plan, Recursive: rec.plan}
	p.Out = outputOf(n.cols)
	return &lowered{plan: p, ids: idsOf(n.cols)}, nil
}
