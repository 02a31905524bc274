package planner

import (
	"fmt"
	"strings"

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
//
// Each node kind lives in its own logical_<kind>.go file with every method
// below, so the optimizer's rules are generic walks over this interface and
// a new node kind is one new file (and its physical node in plan*.go).
// Rules own the tree they rewrite: no node is shared by two parents, so a
// rule may change a node in place.
type logical interface {
	// columns are the node's output columns, in order.
	columns() []column
	// children are the node's inputs, left to right.
	children() []logical
	// withChildren is a copy of the node over kids, one per child in the
	// order of children.
	withChildren(kids []logical) logical
	// mapScalars replaces each scalar the node holds (not its children's)
	// with f's result, in place.
	mapScalars(f func(scalar) scalar)
	// reads adds to set the columns the node itself reads: those of its
	// scalars and of its column lists (sort keys, group columns, join
	// keys). A column not produced below is an enclosing query's.
	reads(set map[colID]bool)
	// prune is told which of the node's columns are read above (all of
	// them at the root), drops what it may of the rest, and returns the
	// columns each child must still produce (rule_prune_columns.go).
	prune(required map[colID]bool, root bool) []map[colID]bool
	// pushDown takes the conjuncts preds from a filter above, moves what
	// it may of them into or below itself, pushes on into its children,
	// and returns itself under a filter of the rest
	// (rule_push_down_predicates.go).
	pushDown(preds []scalar) logical
	// describe is the node on one line, for explainLogical.
	describe() string
	// lower builds the node's physical plan, batch or streaming as l says
	// (lower.go), refusing with 0A000 what a streaming plan cannot run.
	lower(l *lowerer) (*lowered, error)
}

// idSet is the set of colIDs a node produces.
func idSet(n logical) map[colID]bool {
	set := map[colID]bool{}
	for _, c := range n.columns() {
		set[c.id] = true
	}
	return set
}

// mapLogical rebuilds a plan bottom-up through f.
func mapLogical(n logical, f func(logical) logical) logical {
	kids := n.children()
	if len(kids) > 0 {
		mapped := make([]logical, len(kids))
		for i, k := range kids {
			mapped[i] = mapLogical(k, f)
		}
		n = n.withChildren(mapped)
	}
	return f(n)
}

// definedColumns are the ids every node of n produces. A scan defines all
// its relation's columns, read or pruned: none of them is an enclosing
// query's.
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

// referencedColumns are the ids n's nodes read.
func referencedColumns(n logical, set map[colID]bool) {
	n.reads(set)
	for _, k := range n.children() {
		referencedColumns(k, set)
	}
}

// scalarReads adds the columns of n's scalars to set.
func scalarReads(n logical, set map[colID]bool) {
	n.mapScalars(func(s scalar) scalar {
		columnsOf(s, set)
		return s
	})
}

// mapOptional is f(s), or nil for a nil s.
func mapOptional(s scalar, f func(scalar) scalar) scalar {
	if s == nil {
		return nil
	}
	return f(s)
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

// explainLogical prints a logical plan as an indented tree, one node per
// line, for tests and debugging. Columns show as name#id.
func explainLogical(n logical) string {
	var sb strings.Builder
	var walk func(n logical, depth int)
	walk = func(n logical, depth int) {
		sb.WriteString(strings.Repeat("  ", depth))
		sb.WriteString(n.describe())
		sb.WriteByte('\n')
		for _, k := range n.children() {
			walk(k, depth+1)
		}
	}
	walk(n, 0)
	return sb.String()
}

func describeColumn(c column) string {
	out := fmt.Sprintf("%s#%d", c.name, c.id)
	if c.hidden {
		out += " hidden"
	}
	return out
}

func describeColumns(cols []column) string {
	items := make([]string, len(cols))
	for i, c := range cols {
		items[i] = describeColumn(c)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func describeScalar(s scalar) string { return s.probe().String() }

func describeScalars(ss []scalar) string {
	items := make([]string, len(ss))
	for i, s := range ss {
		items[i] = describeScalar(s)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// describeID is id as name#id when cols has it, else #id.
func describeID(id colID, cols []column) string {
	for _, c := range cols {
		if c.id == id {
			return describeColumn(c)
		}
	}
	return fmt.Sprintf("#%d", id)
}
