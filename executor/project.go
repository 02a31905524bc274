package executor

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Project computes its expressions over each input chunk, producing a chunk
// of the same length with one column per expression. A column reference
// passes the input's array through without copying.
type Project struct {
	plan  *planner.Project
	input Operator
	ectx  *expr.Context
	types []types.T
}

var _ Operator = (*Project)(nil)

// NewProject returns a Project of p over input.
func NewProject(p *planner.Project, input Operator, ectx *expr.Context) *Project {
	// The plan's output types carry modifiers (varchar(10)) that clients
	// see; the expressions' own types are the fallback.
	ts := planner.Types(p)
	if len(ts) != len(p.Exprs) {
		ts = make([]types.T, len(p.Exprs))
		for i, e := range p.Exprs {
			ts[i] = e.Type()
		}
	}
	return &Project{plan: p, input: input, ectx: ectx, types: ts}
}

func (p *Project) Next(ctx context.Context) (*chunk.Chunk, error) {
	c, err := p.input.Next(ctx)
	if err != nil || c == nil {
		return nil, err
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	cols := make([]arrow.Array, len(p.plan.Exprs))
	for i, e := range p.plan.Exprs {
		if cols[i], err = e.Eval(p.ectx, c); err != nil {
			for _, a := range cols[:i] {
				a.Release()
			}
			return nil, err
		}
	}
	return newChunk(p.types, cols, c.Len()), nil
}

func (p *Project) Close() { p.input.Close() }
