package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
)

// Filter passes the rows of its input for which the predicate is true; rows
// where it is false or NULL are dropped. It evaluates the predicate once per
// input chunk and compacts the survivors; input chunks with no survivors are
// skipped, so Filter never returns an empty chunk.
type Filter struct {
	plan  *planner.Filter
	input Operator
	ectx  *expr.Context
	sel   []int32
}

var _ Operator = (*Filter)(nil)

// NewFilter returns a Filter of p over input.
func NewFilter(p *planner.Filter, input Operator, ectx *expr.Context) *Filter {
	return &Filter{plan: p, input: input, ectx: ectx}
}

func (f *Filter) Next(ctx context.Context) (*chunk.Chunk, error) {
	for {
		c, err := f.input.Next(ctx)
		if err != nil || c == nil {
			return nil, err
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		mask, err := f.plan.Predicate.Eval(f.ectx, c)
		if err != nil {
			return nil, err
		}
		f.sel, err = selectTrue(mask, f.sel[:0])
		mask.Release()
		if err != nil {
			return nil, err
		}
		if len(f.sel) > 0 {
			return selectRows(c, f.sel), nil
		}
	}
}

func (f *Filter) Close() { f.input.Close() }
