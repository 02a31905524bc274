package planner

import "github.com/eddy-db/eddy/sql/expr"

// lowerer turns an optimized logical plan into plan.go's physical nodes,
// through each node's lower method (in the node's logical_<kind>.go, so a
// node kind without a lowering does not compile). In stream mode it also
// derives every node's stream key and allocates state table ids in
// post-order, left input before right.
type lowerer struct {
	stream bool
	alloc  func() uint32
	// outer maps the enclosing queries' columns that a correlated subquery
	// reads to their expr.Context.Outer slots (see logicalApply.lower).
	outer map[colID]int
}

// envOf is x's column environment, with the outer slots in scope.
func (l *lowerer) envOf(x *lowered) *columnEnv {
	env := x.env()
	env.outer = l.outer
	return env
}

// emptyEnv is the environment of expressions that read no input column.
func (l *lowerer) emptyEnv() *columnEnv { return &columnEnv{outer: l.outer} }

// lowered is a physical node with the colIDs of its output positions.
type lowered struct {
	plan Plan
	ids  []colID
}

func (l *lowered) env() *columnEnv {
	env := &columnEnv{pos: map[colID]int{}, names: map[colID]string{}}
	out := l.plan.Output()
	for i, id := range l.ids {
		if _, dup := env.pos[id]; !dup {
			env.pos[id] = i
			env.names[id] = out[i].Name
		}
	}
	return env
}

func outputOf(cols []column) []OutputColumn {
	out := make([]OutputColumn, len(cols))
	for i, c := range cols {
		out[i] = OutputColumn{Name: c.name, Type: c.t, Hidden: c.hidden, TableID: c.tableID, AttrNum: c.attrNum}
	}
	return out
}

func idsOf(cols []column) []colID {
	ids := make([]colID, len(cols))
	for i, c := range cols {
		ids[i] = c.id
	}
	return ids
}

func buildAll(ss []scalar, env *columnEnv) ([]expr.Expr, error) {
	out := make([]expr.Expr, len(ss))
	for i, s := range ss {
		e, err := build(s, env)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func buildOpt(s scalar, env *columnEnv) (expr.Expr, error) {
	if s == nil {
		return nil, nil
	}
	return build(s, env)
}

// lowerBatch lowers a logical plan to a batch plan.
func lowerBatch(n logical) (Plan, error) {
	l := &lowerer{}
	out, err := n.lower(l)
	if err != nil {
		return nil, err
	}
	return out.plan, nil
}

func (l *lowerer) filter(in *lowered, pred scalar) (*lowered, error) {
	p, err := build(pred, l.envOf(in))
	if err != nil {
		return nil, err
	}
	f := &Filter{Input: in.plan, Predicate: p}
	f.Out = in.plan.Output()
	f.Key = in.plan.StreamKey()
	return &lowered{plan: f, ids: in.ids}, nil
}

// lowerBoth lowers the two inputs of a binary node, left first.
func lowerBoth(l *lowerer, left, right logical) (*lowered, *lowered, error) {
	lo, err := left.lower(l)
	if err != nil {
		return nil, nil, err
	}
	ro, err := right.lower(l)
	if err != nil {
		return nil, nil, err
	}
	return lo, ro, nil
}
