package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/catalog"
)

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

var _ logical = (*logicalScan)(nil)

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

func (n *logicalScan) mapScalars(f func(scalar) scalar) {
	n.filter = mapOptional(n.filter, f)
	for i := range n.keyPrefix {
		n.keyPrefix[i] = f(n.keyPrefix[i])
	}
}

func (n *logicalScan) reads(set map[colID]bool) { scalarReads(n, set) }

// prune keeps the columns read above or by the filter, and at least one
// (the first key column) so the row count survives (count(*)).
func (n *logicalScan) prune(required map[colID]bool, _ bool) []map[colID]bool {
	used := requiredAndReads(required, n)
	n.needed = make([]bool, len(n.cols))
	any := false
	for i, c := range n.cols {
		n.needed[i] = used[c.id]
		any = any || n.needed[i]
	}
	if !any && len(n.cols) > 0 {
		first := 0
		if len(n.rel.Key) > 0 {
			first = n.rel.Key[0]
		}
		n.needed[first] = true
	}
	return nil
}

// pushDown ends the predicates' way down: they join the scan's filter.
func (n *logicalScan) pushDown(preds []scalar) logical {
	all := append(conjuncts(n.filter), preds...)
	n.filter = mustAnd(dropTrue(all))
	return n
}

func (n *logicalScan) describe() string {
	parts := []string{"Scan " + n.rel.Name, describeColumns(n.columns())}
	if n.filter != nil {
		parts = append(parts, "filter="+describeScalar(n.filter))
	}
	if len(n.keyPrefix) > 0 {
		parts = append(parts, "keyPrefix="+describeScalars(n.keyPrefix))
	}
	return strings.Join(parts, " ")
}

// lower reads the needed columns; a streaming scan reads the key columns
// too (they are its stream key) and its filter becomes an operator of its
// own, while a batch scan filters and seeks its key prefix itself.
func (n *logicalScan) lower(l *lowerer) (*lowered, error) {
	s := &Scan{Relation: n.rel}
	var cols []column
	for i, c := range n.cols {
		if n.needed == nil || n.needed[i] || (l.stream && isKeyColumn(n.rel.Key, i)) {
			s.Columns = append(s.Columns, i)
			cols = append(cols, c)
		}
	}
	s.Out = outputOf(cols)
	out := &lowered{plan: s, ids: idsOf(cols)}
	if l.stream {
		s.Key = []int{}
		for _, k := range n.rel.Key {
			for pos, ci := range s.Columns {
				if ci == k {
					s.Key = append(s.Key, pos)
				}
			}
		}
		// The scan's filter becomes its own operator in a dataflow.
		if n.filter != nil {
			return l.filter(out, n.filter)
		}
		return out, nil
	}
	var err error
	if s.Filter, err = buildOpt(n.filter, l.envOf(out)); err != nil {
		return nil, err
	}
	if s.KeyPrefix, err = buildAll(n.keyPrefix, l.emptyEnv()); err != nil {
		return nil, err
	}
	if len(s.KeyPrefix) == 0 {
		s.KeyPrefix = nil
	}
	return out, nil
}

func isKeyColumn(key []int, i int) bool {
	for _, k := range key {
		if k == i {
			return true
		}
	}
	return false
}
