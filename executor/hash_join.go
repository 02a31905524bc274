package executor

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// HashJoin joins its left and right inputs on equal keys (LeftKeys[i] =
// RightKeys[i]) and a true residual Condition, for inner, left, right and
// full outer joins. Output rows are the left columns then the right ones;
// the missing side of an unmatched outer row is NULL.
//
// It builds a hash table over the whole right input first, then streams the
// left input through it, so memory holds the right side. Keys compare by
// SQL equality (see appendHashKey); a NULL in any key column matches
// nothing, though outer joins still emit such rows unmatched. The Condition
// is evaluated a chunk of candidate pairs at a time; a pair where it is
// false or NULL does not match.
//
// Output order: for each left chunk, matched pairs in left order (build
// rows in input order per left row) with each unmatched left row after its
// batch; unmatched right rows (right and full joins) come last.
type HashJoin struct {
	plan        *planner.Join
	left, right Operator
	ectx        *expr.Context
	leftTypes   []types.T
	rightTypes  []types.T
	outTypes    []types.T
	leftKey     joinKey
	rightKey    joinKey

	built        bool
	build        *chunk.Chunk // every right row
	heads        map[string]int32
	chain        []int32 // next build row with the same key, or -1
	matchedRight []bool

	probe       *chunk.Chunk
	candidates  []int32 // first build row matching each probe row's key, or -1
	matchedLeft []bool
	probeRow    int   // the probe row whose candidates are being paired
	candidate   int32 // the next candidate of probeRow
	leftChecked int   // probe rows before this have had their outer row emitted
	leftDone    bool
	rightPos    int // next build row to check for an unmatched right row

	pending []*chunk.Chunk
	lsel    []int32
	rsel    []int32
	keep    []int32
}

var _ Operator = (*HashJoin)(nil)

// NewHashJoin returns a HashJoin of p over its two inputs.
func NewHashJoin(p *planner.Join, left, right Operator, ectx *expr.Context) (*HashJoin, error) {
	lt, rt := planner.Types(p.Left), planner.Types(p.Right)
	out := planner.Types(p)
	if len(out) != len(lt)+len(rt) {
		out = append(append([]types.T(nil), lt...), rt...)
	}
	return &HashJoin{plan: p, left: left, right: right, ectx: ectx, leftTypes: lt, rightTypes: rt, outTypes: out,
		leftKey: joinKey{cols: p.LeftKeys, types: lt}, rightKey: joinKey{cols: p.RightKeys, types: rt}}, nil
}

func (j *HashJoin) leftOuter() bool {
	return j.plan.Kind == planner.LeftJoin || j.plan.Kind == planner.FullJoin
}

func (j *HashJoin) rightOuter() bool {
	return j.plan.Kind == planner.RightJoin || j.plan.Kind == planner.FullJoin
}

func (j *HashJoin) buildTable(ctx context.Context) (err error) {
	j.built = true
	if j.build, err = drain(ctx, j.right, j.rightTypes); err != nil {
		return err
	}
	build := j.build
	n := build.Len()
	j.heads = make(map[string]int32)
	j.chain = make([]int32, n)
	// Insert in reverse so that each key's chain lists rows in input order.
	for i := n - 1; i >= 0; i-- {
		j.chain[i] = -1
		key, ok := j.rightKey.of(build, i)
		if !ok {
			continue
		}
		if head, ok := j.heads[string(key)]; ok {
			j.chain[i] = head
		}
		j.heads[string(key)] = int32(i)
	}
	if j.rightOuter() {
		j.matchedRight = make([]bool, n)
	}
	if n == 0 && !j.leftOuter() {
		// Nothing can match and no left row is wanted unmatched.
		j.leftDone = true
	}
	return nil
}

func (j *HashJoin) startProbe(c *chunk.Chunk) {
	j.probe = c
	n := c.Len()
	j.candidates = j.candidates[:0]
	for i := 0; i < n; i++ {
		first := int32(-1)
		if key, ok := j.leftKey.of(c, i); ok {
			if head, ok := j.heads[string(key)]; ok {
				first = head
			}
		}
		j.candidates = append(j.candidates, first)
	}
	if cap(j.matchedLeft) < n {
		j.matchedLeft = make([]bool, n)
	}
	j.matchedLeft = j.matchedLeft[:n]
	clear(j.matchedLeft)
	j.probeRow, j.leftChecked = 0, 0
	j.candidate = j.candidates[0]
}

// joined builds the chunk of pairs (left row lsel[k], build row rsel[k]);
// -1 on either side stands for a NULL-extended row.
func (j *HashJoin) joined(lsel, rsel []int32) *chunk.Chunk {
	cols := make([]arrow.Array, 0, len(j.outTypes))
	for c, t := range j.leftTypes {
		if j.probe == nil {
			cols = append(cols, nullArray(t, len(lsel)))
		} else {
			cols = append(cols, take(j.probe.Column(c), lsel))
		}
	}
	for c := range j.rightTypes {
		cols = append(cols, take(j.build.Column(c), rsel))
	}
	return newChunk(j.outTypes, cols, len(lsel))
}

// probeBatch pairs up to chunkSize candidates of the current probe chunk,
// keeps the pairs passing the condition and queues them, followed by the
// unmatched left rows completed so far for outer joins.
func (j *HashJoin) probeBatch() error {
	n := j.probe.Len()
	j.lsel, j.rsel = j.lsel[:0], j.rsel[:0]
	for j.probeRow < n && len(j.lsel) < chunkSize {
		if j.candidate < 0 {
			j.probeRow++
			if j.probeRow < n {
				j.candidate = j.candidates[j.probeRow]
			}
			continue
		}
		j.lsel = append(j.lsel, int32(j.probeRow))
		j.rsel = append(j.rsel, j.candidate)
		j.candidate = j.chain[j.candidate]
	}
	if len(j.lsel) > 0 {
		pairs := j.joined(j.lsel, j.rsel)
		if j.plan.Condition != nil {
			mask, err := j.plan.Condition.Eval(j.ectx, pairs)
			if err != nil {
				return err
			}
			j.keep, err = selectTrue(mask, j.keep[:0])
			mask.Release()
			if err != nil {
				return err
			}
			pairs = selectRows(pairs, j.keep)
			for _, k := range j.keep {
				j.markMatched(j.lsel[k], j.rsel[k])
			}
		} else {
			for k := range j.lsel {
				j.markMatched(j.lsel[k], j.rsel[k])
			}
		}
		if pairs.Len() > 0 {
			j.pending = append(j.pending, pairs)
		}
	}
	if j.leftOuter() {
		j.lsel, j.rsel = j.lsel[:0], j.rsel[:0]
		for ; j.leftChecked < j.probeRow; j.leftChecked++ {
			if !j.matchedLeft[j.leftChecked] {
				j.lsel = append(j.lsel, int32(j.leftChecked))
				j.rsel = append(j.rsel, -1)
			}
		}
		if len(j.lsel) > 0 {
			j.pending = append(j.pending, j.joined(j.lsel, j.rsel))
		}
	}
	if j.probeRow >= n {
		j.probe = nil
	}
	return nil
}

func (j *HashJoin) markMatched(l, r int32) {
	j.matchedLeft[l] = true
	if j.matchedRight != nil {
		j.matchedRight[r] = true
	}
}

func (j *HashJoin) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !j.built {
		if err := j.buildTable(ctx); err != nil {
			return nil, err
		}
	}
	for {
		if len(j.pending) > 0 {
			c := j.pending[0]
			j.pending[0] = nil
			j.pending = j.pending[1:]
			return c, nil
		}
		if !j.leftDone {
			if j.probe == nil {
				c, err := j.left.Next(ctx)
				if err != nil {
					return nil, err
				}
				if c == nil {
					j.leftDone = true
					continue
				}
				if err := checkContext(ctx); err != nil {
					return nil, err
				}
				j.startProbe(c)
			}
			if err := j.probeBatch(); err != nil {
				return nil, err
			}
			continue
		}
		if j.matchedRight == nil || j.rightPos >= len(j.matchedRight) {
			return nil, nil
		}
		j.lsel, j.rsel = j.lsel[:0], j.rsel[:0]
		for ; j.rightPos < len(j.matchedRight) && len(j.rsel) < chunkSize; j.rightPos++ {
			if !j.matchedRight[j.rightPos] {
				j.lsel = append(j.lsel, -1)
				j.rsel = append(j.rsel, int32(j.rightPos))
			}
		}
		if len(j.rsel) > 0 {
			return j.joined(j.lsel, j.rsel), nil
		}
	}
}

func (j *HashJoin) Close() {
	j.left.Close()
	j.right.Close()
	j.build, j.heads, j.pending = nil, nil, nil
}
