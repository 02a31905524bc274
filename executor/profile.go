package executor

import (
	"context"
	"time"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/storage"
)

// Profile is what each plan node's operator returned while a plan ran
// under RunProfiled, for EXPLAIN ANALYZE. Nodes that a subquery or a
// recursive term builds anew on every run are not counted.
type Profile struct {
	nodes map[planner.Plan]*NodeStats
}

// NodeStats counts one operator's output. Time is inclusive, as
// PostgreSQL's actual time is: it holds the time of the operator's inputs.
type NodeStats struct {
	Rows   int64
	Chunks int64
	Time   time.Duration
}

// Of returns the counts of node n, and false when n never ran.
func (p *Profile) Of(n planner.Plan) (NodeStats, bool) {
	st, ok := p.nodes[n]
	if !ok {
		return NodeStats{}, false
	}
	return *st, true
}

func (p *Profile) count(n planner.Plan, op Operator) Operator {
	st := p.nodes[n]
	if st == nil {
		st = &NodeStats{}
		p.nodes[n] = st
	}
	return &countedOperator{input: op, stats: st}
}

// RunProfiled is Run with every operator counted into the returned
// Profile, which is complete once the rows are drained.
func RunProfiled(ctx context.Context, plan planner.Plan, r storage.Reader, ectx *expr.Context) (*Rows, *Profile, error) {
	if err := checkContext(ctx); err != nil {
		return nil, nil, err
	}
	if ectx == nil {
		ectx = &expr.Context{}
	}
	prof := &Profile{nodes: map[planner.Plan]*NodeStats{}}
	root, err := buildProfiled(plan, r, ectx, prof)
	if err != nil {
		return nil, nil, err
	}
	return &Rows{root: root}, prof, nil
}

// countedOperator passes its input's chunks on, counting rows, chunks and
// the time spent in Next.
type countedOperator struct {
	input Operator
	stats *NodeStats
}

var _ Operator = (*countedOperator)(nil)

func (c *countedOperator) Next(ctx context.Context) (*chunk.Chunk, error) {
	start := time.Now()
	ch, err := c.input.Next(ctx)
	c.stats.Time += time.Since(start)
	if ch != nil {
		c.stats.Rows += int64(ch.Len())
		c.stats.Chunks++
	}
	return ch, err
}

func (c *countedOperator) Close() { c.input.Close() }
