package planner

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// lowerOther lowers the nodes of logical_more.go.
func (l *lowerer) lowerOther(n logical) (*lowered, error) {
	if r, ok, err := l.lowerRecursive(n); ok {
		return r, err
	}
	switch n := n.(type) {
	case *logicalSetOp:
		if l.stream {
			return nil, pgerror.Unsupported("set operations in materialized views are not supported yet")
		}
		left, err := l.lower(n.left)
		if err != nil {
			return nil, err
		}
		right, err := l.lower(n.right)
		if err != nil {
			return nil, err
		}
		s := &SetOp{Kind: SetOpKind(n.kind), All: n.all, Left: left.plan, Right: right.plan}
		s.Out = outputOf(n.cols)
		return &lowered{plan: s, ids: idsOf(n.cols)}, nil
	case *logicalTableFunc:
		if l.stream {
			return nil, pgerror.Unsupported("set-returning functions in materialized views are not supported yet")
		}
		f := &TableFunction{Name: n.name, Ordinality: n.ordinality}
		var err error
		if f.Args, err = buildAll(n.args, l.emptyEnv()); err != nil {
			return nil, err
		}
		f.Out = outputOf(n.cols)
		if t := n.cols[0].t; n.name == "generate_series" && (!t.IsInteger() && len(f.Args) == 3 || t.Kind == types.KindNumeric) {
			step := f.Args[len(f.Args)-1].Type()
			if len(f.Args) == 2 {
				step = t
			}
			if f.Add, err = mkBinary("+", expr.NewColumnRef(0, t, "value"), expr.NewColumnRef(1, step, "step")); err != nil {
				return nil, err
			}
		}
		return &lowered{plan: f, ids: idsOf(n.cols)}, nil
	case *logicalWindow:
		return l.lowerWindow(n)
	}
	return nil, pgerror.Internal("planner: cannot lower %T", n)
}

func (l *lowerer) lowerWindow(n *logicalWindow) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("window functions in materialized views are not supported yet")
	}
	in, err := l.lower(n.input)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	w := &Window{Input: in.plan}
	w.Out = append([]OutputColumn{}, in.plan.Output()...)
	ids := append([]colID{}, in.ids...)
	for _, it := range n.items {
		f := WindowFunc{Name: it.name, Star: it.star, Result: it.col.t, Frame: WindowFrame{
			Rows: it.frame.rows, Start: FrameBound(it.frame.start), End: FrameBound(it.frame.end),
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
