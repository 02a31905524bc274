package executor

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// HashAgg groups its whole input by the GroupBy columns in an in-memory hash
// table and then emits one row per group: the group columns in GroupBy
// order followed by each aggregate's result. Groups come out in the order
// their first row arrived. With no GroupBy it emits exactly one row, even
// over empty input (count 0, sum NULL, …).
//
// Grouping follows SQL equality (see appendHashKey) with NULLs forming one
// group; a group's key values are those of its first row. An aggregate's
// FILTER drops the rows where it is not true; DISTINCT folds each distinct
// argument tuple (by the same equality) once per group. Input is batch
// only: every row is an insert.
type HashAgg struct {
	plan     *planner.Aggregate
	input    Operator
	ectx     *expr.Context
	inTypes  []types.T
	outTypes []types.T
	argTypes [][]types.T

	consumed bool
	groups   []*aggGroup
	index    map[string]int32
	emitted  int

	keyBuf   []byte
	groupIDs []int32
	args     []types.Datum
}

// aggGroup is one group's key and accumulators.
type aggGroup struct {
	key  []types.Datum
	accs []agg.Accumulator
	// seen holds, per DISTINCT aggregate, the argument keys folded so far.
	seen []map[string]struct{}
}

var _ Operator = (*HashAgg)(nil)

// NewHashAgg returns a HashAgg of p over input.
func NewHashAgg(p *planner.Aggregate, input Operator, ectx *expr.Context) (*HashAgg, error) {
	h := &HashAgg{
		plan:     p,
		input:    input,
		ectx:     ectx,
		inTypes:  planner.Types(p.Input),
		outTypes: planner.Types(p),
		index:    map[string]int32{},
	}
	maxArgs := 0
	for _, c := range p.Aggs {
		ts := make([]types.T, len(c.Args))
		for i, e := range c.Args {
			ts[i] = e.Type()
		}
		h.argTypes = append(h.argTypes, ts)
		maxArgs = max(maxArgs, len(ts))
		// Resolve every call now so that a bad call fails before any input
		// is read.
		if _, err := agg.NewAccumulator(c); err != nil {
			return nil, err
		}
	}
	h.args = make([]types.Datum, maxArgs)
	return h, nil
}

func (h *HashAgg) newGroup(key []types.Datum) (*aggGroup, error) {
	g := &aggGroup{key: key, accs: make([]agg.Accumulator, len(h.plan.Aggs))}
	for k, c := range h.plan.Aggs {
		acc, err := agg.NewAccumulator(c)
		if err != nil {
			return nil, err
		}
		g.accs[k] = acc
		if c.Distinct {
			if g.seen == nil {
				g.seen = make([]map[string]struct{}, len(h.plan.Aggs))
			}
			g.seen[k] = map[string]struct{}{}
		}
	}
	h.groups = append(h.groups, g)
	return g, nil
}

// consume folds the whole input into the groups.
func (h *HashAgg) consume(ctx context.Context) error {
	if len(h.plan.GroupBy) == 0 {
		if _, err := h.newGroup(nil); err != nil {
			return err
		}
	}
	for {
		c, err := h.input.Next(ctx)
		if err != nil {
			return err
		}
		if c == nil {
			return nil
		}
		if err := checkContext(ctx); err != nil {
			return err
		}
		if err := h.fold(c); err != nil {
			return err
		}
	}
}

// fold assigns each row of c to its group, then runs each aggregate over
// the chunk's rows.
func (h *HashAgg) fold(c *chunk.Chunk) error {
	n := c.Len()
	h.groupIDs = h.groupIDs[:0]
	if len(h.plan.GroupBy) == 0 {
		for i := 0; i < n; i++ {
			h.groupIDs = append(h.groupIDs, 0)
		}
	} else {
		cols := make([]arrow.Array, len(h.plan.GroupBy))
		for j, col := range h.plan.GroupBy {
			cols[j] = c.Column(col)
		}
		for i := 0; i < n; i++ {
			h.keyBuf = h.keyBuf[:0]
			for j, col := range h.plan.GroupBy {
				h.keyBuf = appendHashKey(h.keyBuf, h.inTypes[col], cols[j], i)
			}
			id, ok := h.index[string(h.keyBuf)]
			if !ok {
				key := make([]types.Datum, len(h.plan.GroupBy))
				for j, col := range h.plan.GroupBy {
					key[j] = chunk.Datum(cols[j], h.inTypes[col], i)
				}
				if _, err := h.newGroup(key); err != nil {
					return err
				}
				id = int32(len(h.groups) - 1)
				h.index[string(h.keyBuf)] = id
			}
			h.groupIDs = append(h.groupIDs, id)
		}
	}
	for k := range h.plan.Aggs {
		if err := h.foldAggregate(k, c); err != nil {
			return err
		}
	}
	return nil
}

func (h *HashAgg) foldAggregate(k int, c *chunk.Chunk) error {
	call := h.plan.Aggs[k]
	argArrays := make([]arrow.Array, len(call.Args))
	defer func() {
		for _, a := range argArrays {
			if a != nil {
				a.Release()
			}
		}
	}()
	for j, e := range call.Args {
		a, err := e.Eval(h.ectx, c)
		if err != nil {
			return err
		}
		argArrays[j] = a
	}
	var filter *array.Boolean
	if call.Filter != nil {
		mask, err := call.Filter.Eval(h.ectx, c)
		if err != nil {
			return err
		}
		defer mask.Release()
		filter, _ = mask.(*array.Boolean)
	}
	ts := h.argTypes[k]
	args := h.args[:len(ts)]
	for i, id := range h.groupIDs {
		if filter != nil && (filter.IsNull(i) || !filter.Value(i)) {
			continue
		}
		for j, a := range argArrays {
			args[j] = chunk.Datum(a, ts[j], i)
		}
		g := h.groups[id]
		if call.Distinct {
			h.keyBuf = h.keyBuf[:0]
			for j, a := range argArrays {
				h.keyBuf = appendHashKey(h.keyBuf, ts[j], a, i)
			}
			if _, dup := g.seen[k][string(h.keyBuf)]; dup {
				continue
			}
			g.seen[k][string(h.keyBuf)] = struct{}{}
		}
		if err := g.accs[k].Add(args, 1); err != nil {
			return err
		}
	}
	return nil
}

func (h *HashAgg) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !h.consumed {
		h.consumed = true
		if err := h.consume(ctx); err != nil {
			return nil, err
		}
	}
	if h.emitted >= len(h.groups) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	b := chunk.NewBuilder(h.outTypes)
	row := make([]types.Datum, len(h.outTypes))
	for ; h.emitted < len(h.groups) && b.Len() < chunkSize; h.emitted++ {
		g := h.groups[h.emitted]
		copy(row, g.key)
		for k, acc := range g.accs {
			d, err := acc.Result()
			if err != nil {
				return nil, err
			}
			row[len(g.key)+k] = d
		}
		b.Append(chunk.Insert, row)
		h.groups[h.emitted] = nil // emitted groups are garbage
	}
	return b.Build(), nil
}

func (h *HashAgg) Close() {
	h.input.Close()
	h.groups, h.index = nil, nil
}
