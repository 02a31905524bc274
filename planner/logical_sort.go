package planner

import "strings"

type sortItem struct {
	col        colID
	desc       bool
	nullsFirst bool
}

// logicalSort orders its input by keys.
type logicalSort struct {
	input logical
	keys  []sortItem
}

var _ logical = (*logicalSort)(nil)

func (n *logicalSort) columns() []column { return n.input.columns() }

func (n *logicalSort) children() []logical { return []logical{n.input} }

func (n *logicalSort) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

func (n *logicalSort) mapScalars(func(scalar) scalar) {}

func (n *logicalSort) reads(set map[colID]bool) {
	for _, k := range n.keys {
		set[k.col] = true
	}
}

func (n *logicalSort) prune(required map[colID]bool, _ bool) []map[colID]bool {
	return []map[colID]bool{requiredAndReads(required, n)}
}

func (n *logicalSort) pushDown(preds []scalar) logical {
	n.input = n.input.pushDown(preds)
	return n
}

func (n *logicalSort) describe() string {
	in := n.input.columns()
	keys := make([]string, len(n.keys))
	for i, k := range n.keys {
		keys[i] = describeID(k.col, in)
		if k.desc {
			keys[i] += " DESC"
		}
		if k.nullsFirst {
			keys[i] += " NULLS FIRST"
		}
	}
	return "Sort [" + strings.Join(keys, ", ") + "]"
}

func (n *logicalSort) lower(l *lowerer) (*lowered, error) {
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	if l.stream {
		// A view's rows have no order; PostgreSQL-compatible streaming
		// systems accept ORDER BY without LIMIT and ignore it.
		return in, nil
	}
	env := l.envOf(in)
	s := &Sort{Input: in.plan}
	s.Out = in.plan.Output()
	for _, k := range n.keys {
		s.Keys = append(s.Keys, SortKey{Column: env.pos[k.col], Desc: k.desc, NullsFirst: k.nullsFirst})
	}
	return &lowered{plan: s, ids: in.ids}, nil
}
