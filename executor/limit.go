package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Limit skips the first Offset rows of its input and then passes at most
// Count rows (Count < 0: all of them). It stops pulling its input as soon as
// it has passed Count rows, so the operators below do no more work than the
// limit needs (a Sort below still sorts everything). CountExpr and
// OffsetExpr, when set, are evaluated once before the first row; a NULL
// count means no limit and a NULL offset none.
type Limit struct {
	plan  *planner.Limit
	input Operator
	ectx  *expr.Context

	started bool
	count   int64 // rows still to pass; < 0 for no limit
	skip    int64 // rows still to skip
}

var _ Operator = (*Limit)(nil)

// NewLimit returns a Limit of p over input.
func NewLimit(p *planner.Limit, input Operator, ectx *expr.Context) (*Limit, error) {
	return &Limit{plan: p, input: input, ectx: ectx}, nil
}

func (l *Limit) start() error {
	l.started = true
	l.count, l.skip = l.plan.Count, l.plan.Offset
	if e := l.plan.CountExpr; e != nil {
		v, err := evalConstants(l.ectx, []expr.Expr{e})
		if err != nil {
			return err
		}
		switch n := v[0].(type) {
		case nil:
			l.count = -1
		case int64:
			if n < 0 {
				return pgerror.New(pgerror.InvalidRowCountInLimitClause, "LIMIT must not be negative")
			}
			l.count = n
		default:
			return pgerror.Internal("executor: LIMIT of type %s", e.Type())
		}
	}
	if e := l.plan.OffsetExpr; e != nil {
		v, err := evalConstants(l.ectx, []expr.Expr{e})
		if err != nil {
			return err
		}
		switch n := v[0].(type) {
		case nil:
			l.skip = 0
		case int64:
			if n < 0 {
				return pgerror.New(pgerror.InvalidRowCountInResultOffsetClause, "OFFSET must not be negative")
			}
			l.skip = n
		default:
			return pgerror.Internal("executor: OFFSET of type %s", e.Type())
		}
	}
	l.skip = max(l.skip, 0)
	return nil
}

func (l *Limit) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !l.started {
		if err := l.start(); err != nil {
			return nil, err
		}
	}
	for l.count != 0 {
		c, err := l.input.Next(ctx)
		if err != nil || c == nil {
			return nil, err
		}
		n := int64(c.Len())
		if l.skip >= n {
			l.skip -= n
			continue
		}
		start := l.skip
		l.skip = 0
		end := n
		if l.count >= 0 && end-start > l.count {
			end = start + l.count
		}
		if l.count > 0 {
			l.count -= end - start
		}
		return sliceChunk(c, int(start), int(end)), nil
	}
	return nil, nil
}

func (l *Limit) Close() { l.input.Close() }
