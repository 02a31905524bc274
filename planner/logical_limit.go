package planner

import "fmt"

// logicalLimit passes count rows of its input after skipping offset.
type logicalLimit struct {
	input  logical
	count  int64 // -1: no limit
	offset int64
	// countExpr/offsetExpr are set when the value is a parameter.
	countExpr, offsetExpr scalar
}

var _ logical = (*logicalLimit)(nil)

func (n *logicalLimit) columns() []column { return n.input.columns() }

func (n *logicalLimit) children() []logical { return []logical{n.input} }

func (n *logicalLimit) withChildren(kids []logical) logical {
	c := *n
	c.input = kids[0]
	return &c
}

func (n *logicalLimit) mapScalars(f func(scalar) scalar) {
	n.countExpr = mapOptional(n.countExpr, f)
	n.offsetExpr = mapOptional(n.offsetExpr, f)
}

func (n *logicalLimit) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalLimit) prune(required map[colID]bool, _ bool) []map[colID]bool {
	return []map[colID]bool{requiredAndReads(required, n)}
}

// pushDown keeps the predicates above: below, they would change which
// rows are counted.
func (n *logicalLimit) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalLimit) describe() string {
	count, offset := fmt.Sprint(n.count), fmt.Sprint(n.offset)
	if n.countExpr != nil {
		count = describeScalar(n.countExpr)
	}
	if n.offsetExpr != nil {
		offset = describeScalar(n.offsetExpr)
	}
	return "Limit count=" + count + " offset=" + offset
}

// lower lowers the limit, or in a streaming plan the limit over an
// optional sort as a top-N (lower_top_n.go).
func (n *logicalLimit) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return l.lowerTopN(n)
	}
	in, err := n.input.lower(l)
	if err != nil {
		return nil, err
	}
	lim := &Limit{Input: in.plan, Count: n.count, Offset: n.offset}
	lim.Out = in.plan.Output()
	empty := l.emptyEnv()
	if lim.CountExpr, err = buildOpt(n.countExpr, empty); err != nil {
		return nil, err
	}
	if lim.OffsetExpr, err = buildOpt(n.offsetExpr, empty); err != nil {
		return nil, err
	}
	return &lowered{plan: lim, ids: in.ids}, nil
}
