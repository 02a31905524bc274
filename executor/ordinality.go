package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// ordinality runs a table function WITH ORDINALITY: the function's own
// rows, each followed by a bigint numbering them from 1 in the order the
// function produced them.
type ordinality struct {
	input Operator
	types []types.T
	n     int64
}

var _ Operator = (*ordinality)(nil)

func newOrdinality(p *planner.TableFunction, ectx *expr.Context) (Operator, error) {
	inner := *p
	inner.Ordinality = false
	inner.Out = p.Out[:len(p.Out)-1]
	in, err := NewTableFunction(&inner, ectx)
	if err != nil {
		return nil, err
	}
	return &ordinality{input: in, types: planner.Types(p)}, nil
}

func (o *ordinality) Next(ctx context.Context) (*chunk.Chunk, error) {
	c, err := o.input.Next(ctx)
	if err != nil || c == nil {
		return c, err
	}
	b := chunk.NewBuilder(o.types)
	for i := 0; i < c.Len(); i++ {
		o.n++
		b.Append(chunk.Insert, append(c.Row(i), o.n))
	}
	return b.Build(), nil
}

func (o *ordinality) Close() { o.input.Close() }
