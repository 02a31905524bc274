package planner

import "strings"

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

func (n *logicalAggregate) columns() []column {
	out := append([]column{}, n.groupCols...)
	for _, a := range n.aggs {
		out = append(out, a.col)
	}
	return out
}

func (n *logicalAggregate) children() []logical { return []logical{n.input} }

func (n *logicalAggregate) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

// mapScalars maps the aggregates' arguments and filters; their ORDER BY
// is planned as a sort below the aggregate (bind_aggregate_order.go).
func (n *logicalAggregate) mapScalars(f func(scalar) scalar) {
	for i := range n.aggs {
		for j := range n.aggs[i].args {
			n.aggs[i].args[j] = f(n.aggs[i].args[j])
		}
		n.aggs[i].filter = mapOptional(n.aggs[i].filter, f)
	}
}

func (n *logicalAggregate) reads(set map[colID]bool) {
	scalarReads(n, set)
	for _, g := range n.groupCols {
		set[g.id] = true
	}
}

func (n *logicalAggregate) prune(map[colID]bool, bool) []map[colID]bool {
	set := map[colID]bool{}
	n.reads(set)
	return []map[colID]bool{set}
}

// pushDown moves below the aggregate the predicates that read only
// grouping columns (none when there are no groups: the one group of a
// whole-input aggregate exists even over no rows).
func (n *logicalAggregate) pushDown(preds []scalar) logical {
	var below, above []scalar
	groups := map[colID]bool{}
	for _, g := range n.groupCols {
		groups[g.id] = true
	}
	for _, p := range preds {
		if len(n.groupCols) > 0 && readsOnly(p, groups) {
			below = append(below, p)
		} else {
			above = append(above, p)
		}
	}
	n.input = n.input.pushDown(below)
	return filterOver(n, above)
}

func (n *logicalAggregate) describe() string {
	items := make([]string, len(n.aggs))
	for i, a := range n.aggs {
		args := "*"
		if !a.star {
			args = strings.Trim(describeScalars(a.args), "[]")
		}
		if a.distinct {
			args = "DISTINCT " + args
		}
		items[i] = describeColumn(a.col) + " := " + a.name + "(" + args + ")"
		if a.filter != nil {
			items[i] += " FILTER " + describeScalar(a.filter)
		}
	}
	name := "Aggregate"
	if n.distinct {
		name = "Distinct"
	}
	return name + " group=" + describeColumns(n.groupCols) + " aggs=[" + strings.Join(items, ", ") + "]"
}
