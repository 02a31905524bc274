package planner

import (
	"github.com/eddy-db/eddy/sql/pgerror"
)

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
