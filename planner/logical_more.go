package planner

// The logical nodes beyond select-project-join-aggregate: set operations,
// window functions and set-returning functions. The rules reach them
// through the hooks at the end of this file.

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

func (n *logicalTableFunc) columns() []column   { return n.cols }
func (n *logicalTableFunc) children() []logical { return nil }

// windowItem is one window function call.
type windowItem struct {
	name      string
	star      bool
	args      []scalar
	filter    scalar
	partition []scalar
	order     []windowOrder
	frame     windowFrame
	col       column
}

type windowOrder struct {
	s          scalar
	desc       bool
	nullsFirst bool
}

// windowFrame is a call's frame. The default (RANGE UNBOUNDED PRECEDING
// to CURRENT ROW) has rows false, start unboundedPreceding, end
// currentRow.
type windowFrame struct {
	rows       bool
	start, end frameBound
	// startOffset/endOffset are the n of n PRECEDING/FOLLOWING (ROWS).
	startOffset, endOffset int64
	// startValue/endValue (RANGE with an offset) compute, for each row,
	// the ORDER BY value where the frame starts or ends: key - offset for
	// PRECEDING in ascending order, key + offset for FOLLOWING, and the
	// other way round in descending order.
	startValue, endValue scalar
}

type frameBound uint8

const (
	unboundedPreceding frameBound = iota
	offsetPreceding
	currentRow
	offsetFollowing
	unboundedFollowing
)

// logicalWindow computes window functions over its whole input. Output:
// the input's columns, then one column per item.
type logicalWindow struct {
	input logical
	items []windowItem
}

func (n *logicalWindow) columns() []column {
	out := append([]column{}, n.input.columns()...)
	for _, it := range n.items {
		out = append(out, it.col)
	}
	return out
}
func (n *logicalWindow) children() []logical { return []logical{n.input} }

// mapOther is mapLogical for the nodes of this file.
func mapOther(n logical, f func(logical) logical) {
	if mapRecursive(n, f) {
		return
	}
	switch n := n.(type) {
	case *logicalSetOp:
		n.left = mapLogical(n.left, f)
		n.right = mapLogical(n.right, f)
	case *logicalWindow:
		n.input = mapLogical(n.input, f)
	}
}

// forEachOtherScalar is forEachScalar for the nodes of this file.
func forEachOtherScalar(n logical, f func(scalar) scalar) {
	switch n := n.(type) {
	case *logicalTableFunc:
		for i := range n.args {
			n.args[i] = f(n.args[i])
		}
	case *logicalWindow:
		for i := range n.items {
			it := &n.items[i]
			for j := range it.args {
				it.args[j] = f(it.args[j])
			}
			if it.filter != nil {
				it.filter = f(it.filter)
			}
			for j := range it.partition {
				it.partition[j] = f(it.partition[j])
			}
			for j := range it.order {
				it.order[j].s = f(it.order[j].s)
			}
			if it.frame.startValue != nil {
				it.frame.startValue = f(it.frame.startValue)
			}
			if it.frame.endValue != nil {
				it.frame.endValue = f(it.frame.endValue)
			}
		}
	}
}

// pushDownOther is pushDown for the nodes of this file: predicates stay
// above them (a window's partition could take some; not done yet) and
// pushing continues inside.
func pushDownOther(n logical, preds []scalar) (logical, bool) {
	if r, ok := pushDownRecursive(n, preds); ok {
		return r, true
	}
	switch n := n.(type) {
	case *logicalSetOp:
		n.left = pushDown(n.left, nil)
		n.right = pushDown(n.right, nil)
		return filterOver(n, preds), true
	case *logicalWindow:
		n.input = pushDown(n.input, nil)
		return filterOver(n, preds), true
	}
	return nil, false
}

// pruneOther is prune for the nodes of this file.
func pruneOther(n logical, required map[colID]bool) {
	if pruneRecursive(n) {
		return
	}
	switch n := n.(type) {
	case *logicalSetOp:
		// Set operations compare whole rows: every column stays.
		prune(n.left, idSet(n.left), false)
		prune(n.right, idSet(n.right), false)
	case *logicalWindow:
		set := map[colID]bool{}
		for id := range required {
			set[id] = true
		}
		forEachOtherScalar(n, func(s scalar) scalar { columnsOf(s, set); return s })
		prune(n.input, set, false)
	}
}
