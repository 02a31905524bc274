package planner

import "strings"

// logicalProject computes exprs; cols[i] is exprs[i]'s output column.
type logicalProject struct {
	input logical
	exprs []scalar
	cols  []column
}

var _ logical = (*logicalProject)(nil)

func (n *logicalProject) columns() []column { return n.cols }

func (n *logicalProject) children() []logical { return []logical{n.input} }

func (n *logicalProject) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

func (n *logicalProject) mapScalars(f func(scalar) scalar) {
	for i := range n.exprs {
		n.exprs[i] = f(n.exprs[i])
	}
}

func (n *logicalProject) reads(set map[colID]bool) { scalarReads(n, set) }

// prune drops the outputs no one reads (all are kept at the root, which
// the client sees) and needs of its input what the rest compute from.
func (n *logicalProject) prune(required map[colID]bool, root bool) []map[colID]bool {
	if !root {
		var exprs []scalar
		var cols []column
		for i, c := range n.cols {
			if required[c.id] {
				exprs = append(exprs, n.exprs[i])
				cols = append(cols, c)
			}
		}
		n.exprs, n.cols = exprs, cols
	}
	set := map[colID]bool{}
	n.reads(set)
	return []map[colID]bool{set}
}

// pushDown inlines the projected expressions into each predicate and
// pushes it below; one that cannot be inlined stays above.
func (n *logicalProject) pushDown(preds []scalar) logical {
	byID := map[colID]scalar{}
	for i, c := range n.cols {
		byID[c.id] = n.exprs[i]
	}
	var below, above []scalar
	for _, p := range preds {
		inlined, err := rewrite(p, func(c *colScalar) scalar { return byID[c.id] })
		if err != nil {
			above = append(above, p)
			continue
		}
		below = append(below, inlined)
	}
	n.input = n.input.pushDown(below)
	return filterOver(n, above)
}

func (n *logicalProject) describe() string {
	items := make([]string, len(n.exprs))
	for i, e := range n.exprs {
		items[i] = describeColumn(n.cols[i]) + " := " + describeScalar(e)
	}
	return "Project [" + strings.Join(items, ", ") + "]"
}

func (n *logicalProject) lower(l *lowerer) (*lowered, error) {
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	env := l.envOf(in)
	p := &Project{Input: in.plan}
	if p.Exprs, err = buildAll(n.exprs, env); err != nil {
		return nil, err
	}
	p.Out = outputOf(n.cols)
	ids := idsOf(n.cols)
	if l.stream {
		// Carry the input's stream key: a projection that drops a key
		// column keeps it as a hidden output.
		p.Key = []int{}
		inOut := in.plan.Output()
		for _, k := range in.plan.StreamKey() {
			pos := -1
			for i, e := range n.exprs {
				if c, ok := e.(*colScalar); ok && c.id == in.ids[k] {
					pos = i
					break
				}
			}
			if pos < 0 {
				pos = len(p.Exprs)
				p.Exprs = append(p.Exprs, mkColumnRef(k, inOut[k].Type, inOut[k].Name))
				oc := inOut[k]
				oc.Hidden = true
				p.Out = append(p.Out, oc)
				ids = append(ids, in.ids[k])
			}
			p.Key = append(p.Key, pos)
		}
	}
	return &lowered{plan: p, ids: ids}, nil
}
