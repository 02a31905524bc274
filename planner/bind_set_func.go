package planner

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// exprSetFunc types a call of one of sql/expr's set-returning functions
// (jsonb_each, regexp_matches, …): its arguments are cast to the chosen
// variant's parameter types, and its columns are the variant's.
func (b *binder) exprSetFunc(name string, args []scalar, pos int) (*logicalTableFunc, error) {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.typ()
	}
	f, err := resolveSetFunc(name, ts)
	if err != nil {
		if pe, ok := err.(*pgerror.Error); ok {
			return nil, pe.WithPosition(position(pos))
		}
		return nil, err
	}
	for i := range args {
		if p, ok := args[i].(*paramScalar); ok {
			b.params.infer(p.index, f.Params[i])
		}
		c, err := castTo(args[i], f.Params[i])
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	n := &logicalTableFunc{name: name, args: args}
	for _, c := range f.Cols {
		n.cols = append(n.cols, b.newCol(c.Name, c.T))
	}
	return n, nil
}
