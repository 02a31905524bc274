package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// logicalSetOp combines two inputs of the same column types by position.
// Output: cols (new ids), named by the left input.
type logicalSetOp struct {
	kind        ast.SetOpKind
	all         bool
	left, right logical
	cols        []column
}

var _ logical = (*logicalSetOp)(nil)

func (n *logicalSetOp) columns() []column { return n.cols }

func (n *logicalSetOp) children() []logical { return []logical{n.left, n.right} }

func (n *logicalSetOp) withChildren(kids []logical) logical {
	c := *n
	c.left, c.right = kids[0], kids[1]
	return &c
}

func (n *logicalSetOp) mapScalars(func(scalar) scalar) {}

func (n *logicalSetOp) reads(map[colID]bool) {}

// prune keeps every column of both inputs: set operations compare whole
// rows.
func (n *logicalSetOp) prune(map[colID]bool, bool) []map[colID]bool {
	return []map[colID]bool{idSet(n.left), idSet(n.right)}
}

// pushDown keeps the predicates above (they could go into both inputs,
// renamed; not done yet).
func (n *logicalSetOp) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalSetOp) describe() string {
	all := ""
	if n.all {
		all = " ALL"
	}
	return "SetOp " + n.kind.String() + all + " " + describeColumns(n.cols)
}

// lower lowers UNION, INTERSECT and EXCEPT (batch only).
func (n *logicalSetOp) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("set operations in materialized views are not supported yet")
	}
	left, right, err := lowerBoth(l, n.left, n.right)
	if err != nil {
		return nil, err
	}
	s := &SetOp{Kind: n.kind, All: n.all, Left: left.plan, Right: right.plan}
	s.Out = outputOf(n.cols)
	return &lowered{plan: s, ids: idsOf(n.cols)}, nil
}
