package executor

import (
	"context"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Window computes window functions. It reads its whole input, then for
// each function sorts the rows by partition and ORDER BY keys (a stable
// sort, values compared as Sort compares them, NULLs equal to each other
// within a partition) and computes the function over each partition:
// ranking functions from positions and peer groups (rows equal on ORDER
// BY), lag/lead from positions, and first/last/nth_value and aggregates
// over each row's frame. An aggregate whose frame starts at UNBOUNDED
// PRECEDING is computed incrementally; other frames recompute per row.
//
// Output: the input rows with one column per function appended, in the
// order of the last function's sort (what PostgreSQL emits when the query
// has no ORDER BY of its own, for a single window).
type Window struct {
	plan     *planner.Window
	input    Operator
	ectx     *expr.Context
	inTypes  []types.T
	outTypes []types.T

	computed bool
	rows     *chunk.Chunk
	results  [][]types.Datum // per function, per input row
	perm     []int32
	pos      int
}

var _ Operator = (*Window)(nil)

// NewWindow returns a Window of p over input.
func NewWindow(p *planner.Window, input Operator, ectx *expr.Context) (*Window, error) {
	for _, f := range p.Funcs {
		if isWindowAggregate(f.Name) {
			if _, err := agg.NewAccumulator(windowAggCall(f)); err != nil {
				return nil, err
			}
		}
	}
	return &Window{plan: p, input: input, ectx: ectx, inTypes: planner.Types(p.Input), outTypes: planner.Types(p)}, nil
}

func isWindowAggregate(name string) bool {
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
		"lag", "lead", "first_value", "last_value", "nth_value":
		return false
	}
	return true
}

func windowAggCall(f planner.WindowFunc) agg.Call {
	return agg.Call{Name: f.Name, Star: f.Star, Args: f.Args, Filter: f.Filter, Result: f.Result}
}

// evalDatums evaluates es over c, one datum slice per expression.
func (w *Window) evalDatums(es []expr.Expr, c *chunk.Chunk) ([][]types.Datum, error) {
	out := make([][]types.Datum, len(es))
	for i, e := range es {
		arr, err := e.Eval(w.ectx, c)
		if err != nil {
			return nil, err
		}
		out[i] = arrayDatums(arr, e.Type())
		arr.Release()
	}
	return out, nil
}

func arrayDatums(arr arrow.Array, t types.T) []types.Datum {
	ds := make([]types.Datum, arr.Len())
	for i := range ds {
		ds[i] = chunk.Datum(arr, t, i)
	}
	return ds
}

// compareNullable orders datums of type t, NULLs first or last.
func compareNullable(t types.T, a, b types.Datum, desc, nullsFirst bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if nullsFirst {
			return -1
		}
		return 1
	case b == nil:
		if nullsFirst {
			return 1
		}
		return -1
	}
	c := types.Compare(t, a, b)
	if desc {
		c = -c
	}
	return c
}

func (w *Window) compute(ctx context.Context) error {
	rows, err := drain(ctx, w.input, w.inTypes)
	if err != nil || rows.Len() == 0 {
		return err
	}
	w.rows = rows
	n := rows.Len()
	w.results = make([][]types.Datum, len(w.plan.Funcs))
	for fi, f := range w.plan.Funcs {
		if err := checkContext(ctx); err != nil {
			return err
		}
		part, err := w.evalDatums(f.PartitionBy, rows)
		if err != nil {
			return err
		}
		orderExprs := make([]expr.Expr, len(f.OrderBy))
		for i, o := range f.OrderBy {
			orderExprs[i] = o.Expr
		}
		ord, err := w.evalDatums(orderExprs, rows)
		if err != nil {
			return err
		}
		perm := make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortStableFunc(perm, func(a, b int32) int {
			for k, e := range f.PartitionBy {
				if c := compareNullable(e.Type(), part[k][a], part[k][b], false, false); c != 0 {
					return c
				}
			}
			for k, o := range f.OrderBy {
				if c := compareNullable(o.Expr.Type(), ord[k][a], ord[k][b], o.Desc, o.NullsFirst); c != 0 {
					return c
				}
			}
			return 0
		})
		res := make([]types.Datum, n)
		fc := &frameComputer{w: w, f: f, ord: ord, res: res}
		for i, e := range []expr.Expr{f.Frame.StartValue, f.Frame.EndValue} {
			if e == nil {
				continue
			}
			vs, err := w.evalDatums([]expr.Expr{e}, rows)
			if err != nil {
				return err
			}
			fc.bounds[i], fc.boundType = vs[0], e.Type()
		}
		if fc.args, err = w.evalDatums(f.Args, rows); err != nil {
			return err
		}
		if f.Filter != nil {
			fs, err := w.evalDatums([]expr.Expr{f.Filter}, rows)
			if err != nil {
				return err
			}
			fc.filter = fs[0]
		}
		for s := 0; s < n; {
			e := s + 1
			for e < n && samePartition(f, part, perm[s], perm[e]) {
				e++
			}
			if err := fc.partition(perm[s:e]); err != nil {
				return err
			}
			s = e
		}
		w.results[fi] = res
		w.perm = perm
	}
	return nil
}

func samePartition(f planner.WindowFunc, part [][]types.Datum, a, b int32) bool {
	for k, e := range f.PartitionBy {
		if compareNullable(e.Type(), part[k][a], part[k][b], false, false) != 0 {
			return false
		}
	}
	return true
}

// frameComputer computes one function over one partition at a time.
type frameComputer struct {
	w      *Window
	f      planner.WindowFunc
	ord    [][]types.Datum
	args   [][]types.Datum
	filter []types.Datum
	res    []types.Datum
	// bounds are the RANGE offset frame's start and end values per row.
	bounds    [2][]types.Datum
	boundType types.T
}

// rangeEdge finds, for RANGE offset bounds, the first position (start) or
// the last position (end) of rows whose key lies within bound of the
// row's key in the window's order; NULL keys are never within.
func (fc *frameComputer) rangeEdge(rows []int32, bound types.Datum, start bool) int {
	desc := fc.f.OrderBy[0].Desc
	key := func(p int) types.Datum { return fc.ord[0][rows[p]] }
	if fc.f.OrderBy[0].Expr.Type().Kind == types.KindDate && fc.boundType.Kind != types.KindDate {
		// date ± interval is a timestamp: compare the dates as midnights.
		key = func(p int) types.Datum {
			d := fc.ord[0][rows[p]]
			if d == nil {
				return nil
			}
			return types.Timestamp(int64(d.(types.Date)) * types.MicrosPerDay)
		}
	}
	lo, hi := 0, len(rows)
	for lo < hi && key(lo) == nil {
		lo++
	}
	for hi > lo && key(hi-1) == nil {
		hi--
	}
	// beyond reports whether position p is past the bound in the order.
	cmp := func(p int) int {
		c := types.Compare(fc.boundType, key(p), bound)
		if desc {
			c = -c
		}
		return c
	}
	if start {
		return lo + sort.Search(hi-lo, func(i int) bool { return cmp(lo+i) >= 0 })
	}
	return lo + sort.Search(hi-lo, func(i int) bool { return cmp(lo+i) > 0 }) - 1
}

func (fc *frameComputer) peers(a, b int32) bool {
	for k, o := range fc.f.OrderBy {
		if compareNullable(o.Expr.Type(), fc.ord[k][a], fc.ord[k][b], false, false) != 0 {
			return false
		}
	}
	return true
}

// partition computes the function for the rows of one partition, given in
// window order.
func (fc *frameComputer) partition(rows []int32) error {
	m := len(rows)
	peerStart := make([]int, m)
	peerEnd := make([]int, m)
	group := make([]int, m)
	for p := 0; p < m; p++ {
		if p > 0 && fc.peers(rows[p-1], rows[p]) {
			peerStart[p], group[p] = peerStart[p-1], group[p-1]
		} else {
			peerStart[p] = p
			if p > 0 {
				group[p] = group[p-1] + 1
			}
		}
	}
	for p := m - 1; p >= 0; p-- {
		if p < m-1 && peerStart[p+1] == peerStart[p] {
			peerEnd[p] = peerEnd[p+1]
		} else {
			peerEnd[p] = p
		}
	}
	frame := func(p int) (int, int) {
		fr := fc.f.Frame
		var s, e int
		switch fr.Start {
		case planner.UnboundedPreceding:
			s = 0
		case planner.OffsetPreceding, planner.OffsetFollowing:
			switch {
			case fr.Rows && fr.Start == planner.OffsetPreceding:
				s = p - int(fr.StartOffset)
			case fr.Rows:
				s = p + int(fr.StartOffset)
			case fc.ord[0][rows[p]] == nil:
				s = peerStart[p]
			default:
				s = fc.rangeEdge(rows, fc.bounds[0][rows[p]], true)
			}
		case planner.CurrentRow:
			s = p
			if !fr.Rows {
				s = peerStart[p]
			}
		}
		switch fr.End {
		case planner.UnboundedFollowing:
			e = m - 1
		case planner.OffsetPreceding, planner.OffsetFollowing:
			switch {
			case fr.Rows && fr.End == planner.OffsetPreceding:
				e = p - int(fr.EndOffset)
			case fr.Rows:
				e = p + int(fr.EndOffset)
			case fc.ord[0][rows[p]] == nil:
				e = peerEnd[p]
			default:
				e = fc.rangeEdge(rows, fc.bounds[1][rows[p]], false)
			}
		case planner.CurrentRow:
			e = p
			if !fr.Rows {
				e = peerEnd[p]
			}
		}
		return max(s, 0), min(e, m-1)
	}
	res := fc.res
	arg := func(k int, row int32) types.Datum { return fc.args[k][row] }
	switch fc.f.Name {
	case "row_number":
		for p, r := range rows {
			res[r] = int64(p + 1)
		}
	case "rank":
		for p, r := range rows {
			res[r] = int64(peerStart[p] + 1)
		}
	case "dense_rank":
		for p, r := range rows {
			res[r] = int64(group[p] + 1)
		}
	case "percent_rank":
		for p, r := range rows {
			if m > 1 {
				res[r] = float64(peerStart[p]) / float64(m-1)
			} else {
				res[r] = float64(0)
			}
		}
	case "cume_dist":
		for p, r := range rows {
			res[r] = float64(peerEnd[p]+1) / float64(m)
		}
	case "ntile":
		for p, r := range rows {
			d := arg(0, rows[0])
			if d == nil {
				res[r] = nil
				continue
			}
			k := d.(int64)
			if k <= 0 {
				return pgerror.New(pgerror.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
			}
			per, rem := int64(m)/k, int64(m)%k
			pp := int64(p)
			if pp < rem*(per+1) {
				res[r] = pp/(per+1) + 1
			} else {
				res[r] = rem + (pp-rem*(per+1))/per + 1
			}
		}
	case "lag", "lead":
		for p, r := range rows {
			off := int64(1)
			if len(fc.args) > 1 {
				d := arg(1, r)
				if d == nil {
					res[r] = nil
					continue
				}
				off = d.(int64)
			}
			if fc.f.Name == "lag" {
				off = -off
			}
			t := int64(p) + off
			switch {
			case t >= 0 && t < int64(m):
				res[r] = arg(0, rows[t])
			case len(fc.args) > 2:
				res[r] = arg(2, r)
			default:
				res[r] = nil
			}
		}
	case "first_value", "last_value", "nth_value":
		for p, r := range rows {
			s, e := frame(p)
			res[r] = nil
			if s > e {
				continue
			}
			switch fc.f.Name {
			case "first_value":
				res[r] = arg(0, rows[s])
			case "last_value":
				res[r] = arg(0, rows[e])
			default:
				d := arg(1, r)
				if d == nil {
					continue
				}
				k := d.(int64)
				if k <= 0 {
					return pgerror.New(pgerror.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
				}
				if idx := int64(s) + k - 1; idx <= int64(e) {
					res[r] = arg(0, rows[idx])
				}
			}
		}
	default:
		return fc.aggregate(rows, frame)
	}
	return nil
}

// aggregate computes an aggregate over each row's frame.
func (fc *frameComputer) aggregate(rows []int32, frame func(int) (int, int)) error {
	call := windowAggCall(fc.f)
	vals := make([]types.Datum, len(fc.args))
	add := func(acc agg.Accumulator, r int32) error {
		if fc.filter != nil {
			if b, ok := fc.filter[r].(bool); !ok || !b {
				return nil
			}
		}
		for k := range fc.args {
			vals[k] = fc.args[k][r]
		}
		return acc.Add(vals, 1)
	}
	incremental := fc.f.Frame.Start == planner.UnboundedPreceding
	var acc agg.Accumulator
	added := 0 // rows [0, added) folded into acc
	for p, r := range rows {
		s, e := frame(p)
		if !incremental || acc == nil {
			var err error
			if acc, err = agg.NewAccumulator(call); err != nil {
				return err
			}
			added = s
		}
		for ; added <= e; added++ {
			if err := add(acc, rows[added]); err != nil {
				return err
			}
		}
		d, err := acc.Result()
		if err != nil {
			return err
		}
		fc.res[r] = d
	}
	return nil
}

func (w *Window) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !w.computed {
		w.computed = true
		if err := w.compute(ctx); err != nil {
			return nil, err
		}
	}
	if w.rows == nil || w.pos >= len(w.perm) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	end := min(w.pos+chunkSize, len(w.perm))
	sel := w.perm[w.pos:end]
	w.pos = end
	cols := make([]arrow.Array, 0, len(w.outTypes))
	for j := range w.inTypes {
		cols = append(cols, take(w.rows.Column(j), sel))
	}
	for fi, f := range w.plan.Funcs {
		ds := make([]types.Datum, len(sel))
		for k, r := range sel {
			ds[k] = w.results[fi][r]
		}
		cols = append(cols, datumArray(f.Result, ds))
	}
	return newChunk(w.outTypes, cols, len(sel)), nil
}

// datumArray builds an array of type t from datums.
func datumArray(t types.T, ds []types.Datum) arrow.Array {
	b := chunk.NewBuilder([]types.T{t})
	row := make([]types.Datum, 1)
	for _, d := range ds {
		row[0] = d
		b.Append(chunk.Insert, row)
	}
	c := b.Build()
	arr := c.Column(0)
	arr.Retain()
	c.Batch.Release()
	return arr
}

func (w *Window) Close() {
	w.input.Close()
	w.rows, w.results, w.perm = nil, nil, nil
}
