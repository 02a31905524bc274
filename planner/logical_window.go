package planner

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
// to CURRENT ROW) has rows false, start UnboundedPreceding, end
// CurrentRow.
type windowFrame struct {
	rows       bool
	start, end FrameBound
	// startOffset/endOffset are the n of n PRECEDING/FOLLOWING (ROWS).
	startOffset, endOffset int64
	// startValue/endValue (RANGE with an offset) compute, for each row,
	// the ORDER BY value where the frame starts or ends: key - offset for
	// PRECEDING in ascending order, key + offset for FOLLOWING, and the
	// other way round in descending order.
	startValue, endValue scalar
}

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

func (n *logicalWindow) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}
