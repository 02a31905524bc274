package planner

import "github.com/eddy-db/eddy/sql/pgerror"

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

var _ logical = (*logicalApply)(nil)

func (n *logicalApply) columns() []column {
	out := append([]column{}, n.input.columns()...)
	if n.kind == ApplyInner || n.kind == ApplyLeft {
		return append(out, n.sub.columns()...)
	}
	return append(out, n.col)
}

func (n *logicalApply) children() []logical { return []logical{n.input, n.sub} }

func (n *logicalApply) withChildren(kids []logical) logical {
	c := *n
	c.input, c.sub = kids[0], kids[1]
	return &c
}

func (n *logicalApply) mapScalars(func(scalar) scalar) {}

// reads is empty: what the subquery reads of the input is its free
// columns, found by walking it.
func (n *logicalApply) reads(map[colID]bool) {}

// prune needs of the input what is read above and what the subquery reads
// of it. The subquery keeps all its columns: an Apply's computed column
// reads the first, and LATERAL's are few.
func (n *logicalApply) prune(required map[colID]bool, _ bool) []map[colID]bool {
	set := requiredAndReads(required, n)
	for id := range freeColumns(n.sub) {
		set[id] = true
	}
	return []map[colID]bool{set, idSet(n.sub)}
}

// pushDown moves below the Apply the predicates that read only its input.
func (n *logicalApply) pushDown(preds []scalar) logical {
	inputIDs := idSet(n.input)
	var below, above []scalar
	for _, p := range preds {
		if readsOnly(p, inputIDs) {
			below = append(below, p)
		} else {
			above = append(above, p)
		}
	}
	n.input = n.input.pushDown(below)
	n.sub = n.sub.pushDown(nil)
	return filterOver(n, above)
}

func (n *logicalApply) describe() string {
	if n.kind == ApplyInner || n.kind == ApplyLeft {
		return "Apply " + n.kind.String()
	}
	return "Apply " + n.kind.String() + " " + describeColumn(n.col)
}

// lower lowers an Apply. The subquery's free columns that no
// enclosing Apply binds already become this Apply's OuterColumns, each
// given the next outer slot, and the subquery is lowered with them in
// scope so its references build as expr.OuterRef.
func (n *logicalApply) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("correlated subqueries and LATERAL in materialized views are not supported yet")
	}
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	inEnv := l.envOf(in)
	saved := l.outer
	inner := make(map[colID]int, len(saved))
	for id, slot := range saved {
		inner[id] = slot
	}
	a := &Apply{Kind: n.kind, Input: in.plan}
	for _, id := range sortedIDs(freeColumns(n.sub)) {
		if _, bound := saved[id]; bound {
			continue
		}
		pos, ok := inEnv.pos[id]
		if !ok {
			return nil, pgerror.Internal("planner: column #%d read by a subquery is not available", id)
		}
		inner[id] = len(inner)
		a.OuterColumns = append(a.OuterColumns, pos)
	}
	l.outer = inner
	sub, err := n.sub.lower(l)
	l.outer = saved
	if err != nil {
		return nil, err
	}
	a.Subquery = sub.plan
	a.Out = append([]OutputColumn{}, in.plan.Output()...)
	ids := append([]colID{}, in.ids...)
	switch n.kind {
	case ApplyInner, ApplyLeft:
		a.Out = append(a.Out, sub.plan.Output()...)
		ids = append(ids, sub.ids...)
	default:
		a.Out = append(a.Out, OutputColumn{Name: n.col.name, Type: n.col.t})
		ids = append(ids, n.col.id)
	}
	return &lowered{plan: a, ids: ids}, nil
}
