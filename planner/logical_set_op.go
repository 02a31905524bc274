package planner

// setOpKind is UNION, INTERSECT or EXCEPT.
type setOpKind uint8

const (
	setUnion setOpKind = iota
	setIntersect
	setExcept
)

// logicalSetOp combines two inputs of the same column types by position.
// Output: cols (new ids), named by the left input.
type logicalSetOp struct {
	kind        setOpKind
	all         bool
	left, right logical
	cols        []column
}

func (n *logicalSetOp) columns() []column   { return n.cols }
func (n *logicalSetOp) children() []logical { return []logical{n.left, n.right} }
