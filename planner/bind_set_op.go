package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// bindSetOp binds UNION, INTERSECT and EXCEPT: each output column takes
// the common type of its two inputs (unknown literals become text), the
// inputs are cast to it, and the names come from the left input.
func (b *binder) bindSetOp(op *ast.SetOp, outer *scope) (*boundQuery, error) {
	name := op.Kind.String()
	l, err := b.bindQuery(op.Left, outer, false)
	if err != nil {
		return nil, err
	}
	r, err := b.bindQuery(op.Right, outer, false)
	if err != nil {
		return nil, err
	}
	if len(l.cols) != len(r.cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "each %s query must have the same number of columns", name)
	}
	n := &logicalSetOp{kind: op.Kind, all: op.All}
	var lx, rx []scalar
	lcast, rcast := false, false
	for i := range l.cols {
		lc, rc := l.cols[i], r.cols[i]
		t, err := commonType([]types.T{lc.t, rc.t}, name)
		if err != nil {
			return nil, err
		}
		if t.Kind == types.KindUnknown {
			t = types.Text
		}
		le, err := b.castColumn(lc, t)
		if err != nil {
			return nil, err
		}
		re, err := b.castColumn(rc, t)
		if err != nil {
			return nil, err
		}
		lcast = lcast || lc.t != t
		rcast = rcast || rc.t != t
		lx, rx = append(lx, le), append(rx, re)
		n.cols = append(n.cols, b.newCol(lc.name, t))
	}
	n.left, n.right = l.plan, r.plan
	if lcast {
		n.left = b.recast(l, lx)
	}
	if rcast {
		n.right = b.recast(r, rx)
	}
	if b.stream {
		return nil, pgerror.Unsupported("%s in materialized views is not supported yet", name)
	}
	return &boundQuery{plan: n, cols: n.cols}, nil
}

func (b *binder) castColumn(c column, t types.T) (scalar, error) {
	ref := &colScalar{id: c.id, t: c.t, name: c.name}
	if c.t == t {
		return ref, nil
	}
	return newCall(callScalar{op: opCoerce, t: t, args: []scalar{ref}})
}

// recast projects q's columns through exprs, one new column each.
func (b *binder) recast(q *boundQuery, exprs []scalar) logical {
	p := &logicalProject{input: q.plan, exprs: exprs}
	for i, c := range q.cols {
		p.cols = append(p.cols, b.newCol(c.name, exprs[i].typ()))
	}
	return p
}
