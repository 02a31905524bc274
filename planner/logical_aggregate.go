package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/pgerror"
)

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

var _ logical = (*logicalAggregate)(nil)

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

func (n *logicalAggregate) lower(l *lowerer) (*lowered, error) {
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	a := &Aggregate{Input: in.plan}
	for _, g := range n.groupCols {
		pos, ok := env.pos[g.id]
		if !ok {
			return nil, pgerror.Internal("planner: group column %s is not in the aggregate's input", g.name)
		}
		a.GroupBy = append(a.GroupBy, pos)
	}
	nonInvertible := false
	for _, it := range n.aggs {
		call := agg.Call{Name: it.name, Star: it.star, Distinct: it.distinct, Result: it.col.t}
		if call.Args, err = buildAll(it.args, env); err != nil {
			return nil, err
		}
		if call.Filter, err = buildOpt(it.filter, env); err != nil {
			return nil, err
		}
		a.Aggs = append(a.Aggs, call)
		// A DISTINCT aggregate keeps its input multiset in the second state
		// table, like the non-invertible ones, to know when a value's last
		// copy goes.
		nonInvertible = nonInvertible || !invertible(it.name) || it.distinct
	}
	inOut := in.plan.Output()
	for _, g := range a.GroupBy {
		oc := inOut[g]
		oc.Hidden = false
		a.Out = append(a.Out, oc)
	}
	for _, it := range n.aggs {
		a.Out = append(a.Out, OutputColumn{Name: it.col.name, Type: it.col.t})
	}
	if l.stream {
		a.Key = make([]int, len(a.GroupBy))
		for i := range a.Key {
			a.Key[i] = i
		}
		a.StateTables = []uint32{l.alloc()}
		if nonInvertible {
			a.StateTables = append(a.StateTables, l.alloc())
		}
	}
	return &lowered{plan: a, ids: idsOf(n.columns())}, nil
}
