package planner

import (
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/types"
)

// column describes one output column of a logical node.
type column struct {
	id     colID
	name   string
	t      types.T
	hidden bool
	// tableID and attrNum name the base column (RowDescription), 0 if
	// computed.
	tableID uint32
	attrNum int16
}

// logical is a node of the logical plan: what to compute, with columns
// named by colID. Physical choices (keys, positions, state tables) are made
// when it is lowered.
type logical interface {
	columns() []column
	children() []logical
}

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

// logicalValues produces constant rows.
type logicalValues struct {
	cols []column
	rows [][]scalar
}

type logicalFilter struct {
	input logical
	pred  scalar
}

// logicalProject computes exprs; cols[i] is exprs[i]'s output column.
type logicalProject struct {
	input logical
	exprs []scalar
	cols  []column
}

// aggItem is one aggregate call of a logicalAggregate.
type aggItem struct {
	name     string
	star     bool
	distinct bool
	args     []scalar
	filter   scalar
	// order is the aggregate's own ORDER BY (string_agg(x, ',' ORDER BY y)).
	order []windowOrder
	col   column
}

// logicalAggregate groups by groupCols (columns of the input) and computes
// aggs. Output: the group columns, then the aggregates.
type logicalAggregate struct {
	input     logical
	groupCols []column
	aggs      []aggItem
	// distinct marks SELECT DISTINCT (for EXPLAIN and messages only).
	distinct bool
}

// logicalJoin joins left and right. on is the join condition as written
// (plus conjuncts pushed into it); leftKeys/rightKeys are the equi-join
// pairs the join-key rule extracted from it.
type logicalJoin struct {
	kind      JoinKind
	left      logical
	right     logical
	on        scalar
	leftKeys  []colID
	rightKeys []colID
	// inLeft/inRight (semi, anti and mark joins from IN and NOT IN) are
	// compared with PostgreSQL's NULL semantics for IN: a NULL on either
	// side makes the comparison unknown rather than false.
	inLeft  []colID
	inRight []colID
	// mark is the boolean column a mark join adds: whether the left row
	// has a match (NULL when only unknown comparisons were found).
	mark column
}

type sortItem struct {
	col        colID
	desc       bool
	nullsFirst bool
}

type logicalSort struct {
	input logical
	keys  []sortItem
}

type logicalLimit struct {
	input  logical
	count  int64 // -1: no limit
	offset int64
	// countParam/offsetParam are set when the value is a parameter.
	countExpr, offsetExpr scalar
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
func (n *logicalValues) columns() []column  { return n.cols }
func (n *logicalFilter) columns() []column  { return n.input.columns() }
func (n *logicalProject) columns() []column { return n.cols }
func (n *logicalAggregate) columns() []column {
	out := append([]column{}, n.groupCols...)
	for _, a := range n.aggs {
		out = append(out, a.col)
	}
	return out
}
func (n *logicalJoin) columns() []column {
	switch n.kind {
	case SemiJoin, AntiJoin:
		return n.left.columns()
	case MarkJoin:
		return append(append([]column{}, n.left.columns()...), n.mark)
	}
	return append(append([]column{}, n.left.columns()...), n.right.columns()...)
}
func (n *logicalSort) columns() []column  { return n.input.columns() }
func (n *logicalLimit) columns() []column { return n.input.columns() }

func (n *logicalScan) children() []logical      { return nil }
func (n *logicalValues) children() []logical    { return nil }
func (n *logicalFilter) children() []logical    { return []logical{n.input} }
func (n *logicalProject) children() []logical   { return []logical{n.input} }
func (n *logicalAggregate) children() []logical { return []logical{n.input} }
func (n *logicalJoin) children() []logical      { return []logical{n.left, n.right} }
func (n *logicalSort) children() []logical      { return []logical{n.input} }
func (n *logicalLimit) children() []logical     { return []logical{n.input} }

// idSet is the set of colIDs a node produces.
func idSet(n logical) map[colID]bool {
	set := map[colID]bool{}
	for _, c := range n.columns() {
		set[c.id] = true
	}
	return set
}
