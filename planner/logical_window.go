package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
)

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

var _ logical = (*logicalWindow)(nil)

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

func (n *logicalWindow) mapScalars(f func(scalar) scalar) {
	for i := range n.items {
		it := &n.items[i]
		for j := range it.args {
			it.args[j] = f(it.args[j])
		}
		it.filter = mapOptional(it.filter, f)
		for j := range it.partition {
			it.partition[j] = f(it.partition[j])
		}
		for j := range it.order {
			it.order[j].s = f(it.order[j].s)
		}
		it.frame.startValue = mapOptional(it.frame.startValue, f)
		it.frame.endValue = mapOptional(it.frame.endValue, f)
	}
}

func (n *logicalWindow) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalWindow) prune(required map[colID]bool, _ bool) []map[colID]bool {
	return []map[colID]bool{requiredAndReads(required, n)}
}

// pushDown keeps the predicates above (one reading only partition columns
// could go below; not done yet).
func (n *logicalWindow) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalWindow) describe() string {
	items := make([]string, len(n.items))
	for i, it := range n.items {
		args := "*"
		if !it.star {
			args = strings.Trim(describeScalars(it.args), "[]")
		}
		items[i] = describeColumn(it.col) + " := " + it.name + "(" + args + ")"
		if len(it.partition) > 0 {
			items[i] += " PARTITION BY " + describeScalars(it.partition)
		}
		if len(it.order) > 0 {
			order := make([]scalar, len(it.order))
			for j, o := range it.order {
				order[j] = o.s
			}
			items[i] += " ORDER BY " + describeScalars(order)
		}
	}
	return "Window [" + strings.Join(items, ", ") + "]"
}

func (n *logicalWindow) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("window functions in materialized views are not supported yet")
	}
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	w := &Window{Input: in.plan}
	w.Out = append([]OutputColumn{}, in.plan.Output()...)
	ids := append([]colID{}, in.ids...)
	for _, it := range n.items {
		f := WindowFunc{Name: it.name, Star: it.star, Result: it.col.t, Frame: WindowFrame{
			Rows: it.frame.rows, Start: it.frame.start, End: it.frame.end,
			StartOffset: it.frame.startOffset, EndOffset: it.frame.endOffset,
		}}
		if f.Args, err = buildAll(it.args, env); err != nil {
			return nil, err
		}
		if f.Frame.StartValue, err = buildOpt(it.frame.startValue, env); err != nil {
			return nil, err
		}
		if f.Frame.EndValue, err = buildOpt(it.frame.endValue, env); err != nil {
			return nil, err
		}
		if f.Filter, err = buildOpt(it.filter, env); err != nil {
			return nil, err
		}
		if f.PartitionBy, err = buildAll(it.partition, env); err != nil {
			return nil, err
		}
		for _, o := range it.order {
			e, err := build(o.s, env)
			if err != nil {
				return nil, err
			}
			f.OrderBy = append(f.OrderBy, WindowOrder{Expr: e, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		w.Funcs = append(w.Funcs, f)
		w.Out = append(w.Out, OutputColumn{Name: it.col.name, Type: it.col.t})
		ids = append(ids, it.col.id)
	}
	return &lowered{plan: w, ids: ids}, nil
}
