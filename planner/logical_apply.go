package planner

// logicalApply runs sub once per row of input with the input's columns
// that sub reads (its free columns) bound as outer values: the general,
// always correct way to evaluate a correlated subquery or LATERAL item. The
// binder uses it for what decorrelation cannot turn into a join.
//
// Output: input's columns, then col (scalar, exists, any, all) or sub's
// columns (inner, left).
type logicalApply struct {
	kind  ApplyKind
	input logical
	sub   logical
	col   column
}

func (n *logicalApply) columns() []column {
	out := append([]column{}, n.input.columns()...)
	if n.kind == ApplyInner || n.kind == ApplyLeft {
		return append(out, n.sub.columns()...)
	}
	return append(out, n.col)
}

func (n *logicalApply) children() []logical { return []logical{n.input, n.sub} }

// definedColumns are the ids every node of n produces.
func definedColumns(n logical, set map[colID]bool) {
	for _, c := range n.columns() {
		set[c.id] = true
	}
	if s, ok := n.(*logicalScan); ok {
		for _, c := range s.cols {
			set[c.id] = true
		}
	}
	for _, k := range n.children() {
		definedColumns(k, set)
	}
}

// referencedColumns are the ids the scalars and keys of n's nodes read.
func referencedColumns(n logical, set map[colID]bool) {
	forEachScalar(n, func(s scalar) scalar {
		columnsOf(s, set)
		return s
	})
	switch n := n.(type) {
	case *logicalSort:
		for _, k := range n.keys {
			set[k.col] = true
		}
	case *logicalAggregate:
		for _, g := range n.groupCols {
			set[g.id] = true
		}
	}
	for _, k := range n.children() {
		referencedColumns(k, set)
	}
}

// freeColumns are the columns n reads but does not produce: its references
// to enclosing queries.
func freeColumns(n logical) map[colID]bool {
	def, ref := map[colID]bool{}, map[colID]bool{}
	definedColumns(n, def)
	referencedColumns(n, ref)
	free := map[colID]bool{}
	for id := range ref {
		if !def[id] {
			free[id] = true
		}
	}
	return free
}
