package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Values produces constant rows: each row's expressions are evaluated once,
// when the operator reaches that row, so an error in a later row (1/0) is
// raised only if the consumer reads that far.
type Values struct {
	plan  *planner.Values
	ectx  *expr.Context
	types []types.T
	next  int // index of the next row to produce
}

var _ Operator = (*Values)(nil)

// NewValues returns a Values operator for p.
func NewValues(p *planner.Values, ectx *expr.Context) (*Values, error) {
	return &Values{plan: p, ectx: ectx, types: planner.Types(p)}, nil
}

func (v *Values) Next(ctx context.Context) (*chunk.Chunk, error) {
	if v.next >= len(v.plan.Rows) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder(v.types)
	for v.next < len(v.plan.Rows) && b.Len() < chunkSize {
		row, err := evalConstants(v.ectx, v.plan.Rows[v.next])
		if err != nil {
			return nil, err
		}
		b.Append(chunk.Insert, row)
		v.next++
	}
	return b.Build(), nil
}

func (v *Values) Close() { v.next = len(v.plan.Rows) }
