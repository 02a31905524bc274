package executor

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// SemiJoin runs semi, anti and mark joins: the forms EXISTS, NOT EXISTS,
// IN and NOT IN take once decorrelated. For each left row it decides a
// mark under three-valued logic and emits the left row if the mark is
// true (semi) or false (anti), or the row with the mark (mark). Output
// order is the left input's.
//
// The right rows that take part for a left row are those with equal
// LeftKeys/RightKeys (a NULL key matches nothing) and a true Condition.
// Among them the mark is true if one has equal IN columns (InLeft/InRight);
// otherwise NULL if a comparison was unknown (a NULL on either side), as
// x IN (…) is; otherwise false. With no IN columns the mark is whether any
// right row takes part. It builds a hash table of the whole right input;
// without a Condition an IN lookup is one probe, with one every candidate
// pair is evaluated a chunk at a time.
type SemiJoin struct {
	plan        *planner.Join
	left, right Operator
	ectx        *expr.Context
	leftTypes   []types.T
	rightTypes  []types.T
	pairTypes   []types.T
	outTypes    []types.T
	leftKey     joinKey
	rightKey    joinKey

	built  bool
	build  *chunk.Chunk
	groups map[string]*semiGroup
	// inKeys[r][k] is right row r's IN column k as a hash key, "" for NULL
	// (a real key is never empty: it starts with a marker byte).
	inKeys [][]string
}

// semiGroup is the right rows sharing one join key.
type semiGroup struct {
	rows []int32
	// byIn holds the IN keys of rows without NULL IN columns; nullIn the
	// rows with one. Filled only when there is no Condition.
	byIn   map[string]bool
	nullIn []int32
}

var _ Operator = (*SemiJoin)(nil)

// NewSemiJoin returns a SemiJoin of p over its two inputs.
func NewSemiJoin(p *planner.Join, left, right Operator, ectx *expr.Context) (*SemiJoin, error) {
	lt, rt := planner.Types(p.Left), planner.Types(p.Right)
	return &SemiJoin{
		plan: p, left: left, right: right, ectx: ectx,
		leftTypes: lt, rightTypes: rt,
		pairTypes: append(append([]types.T{}, lt...), rt...),
		outTypes:  planner.Types(p),
		leftKey:   joinKey{cols: p.LeftKeys, types: lt},
		rightKey:  joinKey{cols: p.RightKeys, types: rt},
	}, nil
}

// inKey is row i's IN columns as hash keys ("" for NULL) and whether any
// is NULL.
func inKey(c *chunk.Chunk, cols []int, ts []types.T, i int) ([]string, bool) {
	keys := make([]string, len(cols))
	hasNull := false
	for k, col := range cols {
		arr := c.Column(col)
		if arr.IsNull(i) {
			hasNull = true
			continue
		}
		keys[k] = string(appendHashKey(nil, ts[col], arr, i))
	}
	return keys, hasNull
}

func joinKeys(keys []string) string {
	n := 0
	for _, k := range keys {
		n += len(k) + 1
	}
	b := make([]byte, 0, n)
	for _, k := range keys {
		b = append(b, byte(len(k)))
		b = append(b, k...)
	}
	return string(b)
}

// mark values, ordered so that the best comparison wins.
const (
	markFalse int8 = iota
	markUnknown
	markTrue
)

// compareIn compares IN keys under three-valued logic.
func compareIn(l, r []string) int8 {
	out := markTrue
	for k := range l {
		switch {
		case l[k] == "" || r[k] == "":
			out = markUnknown
		case l[k] != r[k]:
			return markFalse
		}
	}
	return out
}

func (j *SemiJoin) buildTable(ctx context.Context) (err error) {
	j.built = true
	if j.build, err = drain(ctx, j.right, j.rightTypes); err != nil {
		return err
	}
	build := j.build
	j.groups = map[string]*semiGroup{}
	n := build.Len()
	j.inKeys = make([][]string, n)
	for i := 0; i < n; i++ {
		key, ok := j.rightKey.of(build, i)
		if !ok {
			continue
		}
		g := j.groups[string(key)]
		if g == nil {
			g = &semiGroup{byIn: map[string]bool{}}
			j.groups[string(key)] = g
		}
		g.rows = append(g.rows, int32(i))
		if len(j.plan.InRight) == 0 {
			continue
		}
		keys, hasNull := inKey(build, j.plan.InRight, j.rightTypes, i)
		j.inKeys[i] = keys
		if j.plan.Condition != nil {
			continue
		}
		if hasNull {
			g.nullIn = append(g.nullIn, int32(i))
		} else {
			g.byIn[joinKeys(keys)] = true
		}
	}
	return nil
}

// marks decides the mark of every row of the left chunk c.
func (j *SemiJoin) marks(c *chunk.Chunk) ([]int8, error) {
	n := c.Len()
	marks := make([]int8, n)
	groups := make([]*semiGroup, n)
	lin := make([][]string, n)
	for i := 0; i < n; i++ {
		if key, ok := j.leftKey.of(c, i); ok {
			groups[i] = j.groups[string(key)]
		}
		if len(j.plan.InLeft) > 0 {
			lin[i], _ = inKey(c, j.plan.InLeft, j.leftTypes, i)
		}
	}
	if j.plan.Condition == nil {
		for i, g := range groups {
			marks[i] = j.markWithoutCondition(g, lin[i])
		}
		return marks, nil
	}
	// Evaluate the condition over candidate pairs a chunk at a time.
	var lsel, rsel []int32
	flush := func() error {
		if len(lsel) == 0 {
			return nil
		}
		pairs := j.pairs(c, lsel, rsel)
		mask, err := j.plan.Condition.Eval(j.ectx, pairs)
		if err != nil {
			return err
		}
		keep, err := selectTrue(mask, nil)
		mask.Release()
		if err != nil {
			return err
		}
		for _, k := range keep {
			l, r := lsel[k], rsel[k]
			m := markTrue
			if len(j.plan.InLeft) > 0 {
				m = compareIn(lin[l], j.inKeys[r])
			}
			marks[l] = max(marks[l], m)
		}
		lsel, rsel = lsel[:0], rsel[:0]
		return nil
	}
	for i, g := range groups {
		if g == nil {
			continue
		}
		for _, r := range g.rows {
			lsel = append(lsel, int32(i))
			rsel = append(rsel, r)
			if len(lsel) == chunkSize {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return marks, nil
}

func (j *SemiJoin) markWithoutCondition(g *semiGroup, lin []string) int8 {
	if g == nil || len(g.rows) == 0 {
		return markFalse
	}
	if len(j.plan.InLeft) == 0 {
		return markTrue
	}
	leftNull := false
	for _, k := range lin {
		leftNull = leftNull || k == ""
	}
	candidates := g.nullIn
	if leftNull {
		candidates = g.rows
	} else if g.byIn[joinKeys(lin)] {
		return markTrue
	}
	best := markFalse
	for _, r := range candidates {
		best = max(best, compareIn(lin, j.inKeys[r]))
		if best == markTrue {
			break
		}
	}
	return best
}

// pairs is the chunk of (left row lsel[k], right row rsel[k]).
func (j *SemiJoin) pairs(c *chunk.Chunk, lsel, rsel []int32) *chunk.Chunk {
	cols := make([]arrow.Array, 0, len(j.pairTypes))
	for k := range j.leftTypes {
		cols = append(cols, take(c.Column(k), lsel))
	}
	for k := range j.rightTypes {
		cols = append(cols, take(j.build.Column(k), rsel))
	}
	return newChunk(j.pairTypes, cols, len(lsel))
}

func (j *SemiJoin) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !j.built {
		if err := j.buildTable(ctx); err != nil {
			return nil, err
		}
	}
	for {
		c, err := j.left.Next(ctx)
		if err != nil || c == nil {
			return nil, err
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		marks, err := j.marks(c)
		if err != nil {
			return nil, err
		}
		switch j.plan.Kind {
		case planner.MarkJoin:
			b := array.NewBooleanBuilder(mem)
			for _, m := range marks {
				if m == markUnknown {
					b.AppendNull()
				} else {
					b.Append(m == markTrue)
				}
			}
			cols := make([]arrow.Array, 0, len(j.outTypes))
			for k := range j.leftTypes {
				cols = append(cols, c.Column(k))
			}
			cols = append(cols, b.NewArray())
			b.Release()
			return newChunk(j.outTypes, cols, c.Len()), nil
		default:
			want := markTrue
			if j.plan.Kind == planner.AntiJoin {
				want = markFalse
			}
			var sel []int32
			for i, m := range marks {
				if m == want {
					sel = append(sel, int32(i))
				}
			}
			if len(sel) > 0 {
				return selectRows(c, sel), nil
			}
		}
	}
}

func (j *SemiJoin) Close() {
	j.left.Close()
	j.right.Close()
	j.build, j.groups, j.inKeys = nil, nil, nil
}
