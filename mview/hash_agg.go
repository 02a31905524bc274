package mview

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// HashAgg groups its input by the GroupBy columns and maintains the
// aggregates of every group. Output: the group columns, then one column per
// aggregate.
//
// Input: any change chunks whose retractions retract rows inserted before.
// An argument that fails on a row (division by zero, …) is NULL for that
// row, a FILTER that fails is false, and the error is recorded
// (view_errors.go); the retraction of the row folds the same NULL.
//
// Retractions: every row folds into its group with sign +1 (Insert,
// UpdateAfter) or -1 (Delete, UpdateBefore). Invertible aggregates (count,
// sum, avg, …) subtract; the others (bool_and, string_agg, …) are
// recomputed from the multiset of their inputs kept in state. min and max
// keep their current extreme in the group and read the multiset only when a
// retraction removed it, so deleting the current minimum yields the next
// one. DISTINCT aggregates keep the same multiset and fold a value when its
// count goes 0→1 or 1→0. Count changes to the multisets are batched to the
// barrier (see hash_agg_values.go).
//
// Output is emitted at the barrier, once per group changed in the epoch:
// Insert for a new group, UpdateBefore/UpdateAfter when its results changed,
// Delete when its row count dropped to 0. Without GROUP BY there is always
// exactly one row: it is inserted at the first barrier (count 0, sum NULL on
// empty input) and only updated afterwards.
//
// State:
//
//   - groups (StateTables[0]): EncodeKey(group columns) → row count, the
//     results last emitted, and the invertible accumulators' states.
//   - values (StateTables[1], needed by non-invertible and DISTINCT
//     aggregates): aggregate index byte + EncodeKey(group) + EncodeKey(args)
//     → count of the value in the group, and the args as EncodeRow (so a
//     numeric keeps its display scale). min is the first key in the group's
//     range, max the last. Aggregates with the same arguments and filter
//     share the multiset of the first of them (its index is the key's
//     first byte).
//
// Every key of both is stored after the vnode of its group (vnode.go):
// the distribution columns are the group columns.
//
// Memory: a group touched in the epoch is decoded once and kept until the
// barrier, which writes it back and forgets it; between epochs the only
// copy in memory is its encoded state in the Store's state cache (a
// byte-bounded LRU shared by all operators), so what the operator holds is
// bounded by the memory limit, not by its largest epoch. The decoded groups
// and the batched count changes are charged to the epoch's dirty state
// (StateTable.Charge), so a build that touches more groups than its share
// ends its epoch early. The groups of a chunk not yet touched are read in
// one sorted pass (StateTable.GetSorted).
//
// Ownership: output chunks are new.
type HashAgg struct {
	groupBy     []int
	groupTypes  []types.T
	calls       []agg.Call
	argTypes    [][]types.T
	resultTypes []types.T
	outTypes    []types.T
	// multiset[k] is set when aggregate k keeps its input values; owner[k]
	// is the aggregate whose multiset it reads: the first one with the
	// same arguments and filter (min(v) and max(v) share one).
	multiset   []bool
	owner      []int
	before     []int64
	invertible []bool
	// isExtreme[k] is set for min and max; extremeReaders[o] lists them by
	// the multiset o they read.
	isExtreme      []bool
	extremeReaders [][]int
	// needsBefore[o] is set when a folded DISTINCT aggregate reads
	// multiset o's counts row by row.
	needsBefore []bool

	groups  *vnodeTable
	values  *vnodeTable
	evalCtx *expr.Context
	errors  *rowErrorLog

	// touched holds the groups decoded in the epoch by key; dirty lists
	// them in order of first change.
	touched map[string]*aggGroup
	dirty   []*aggGroup
	keyBuf  []byte
	argBuf  []types.Datum

	// changes are the epoch's multiset count changes, by values table key
	// and in order of first change.
	changes     map[string]*valueChange
	changeList  []*valueChange
	valueKeyBuf []byte
	valueBuf    []byte
	// cachedCounts is the number of counts in the groups' count caches,
	// at most maxCachedCounts.
	cachedCounts    int
	maxCachedCounts int
}

// aggGroup is one group's decoded state.
type aggGroup struct {
	key    []byte // EncodeKey of the group columns
	values []types.Datum
	count  int64
	// accs holds the accumulators of invertible aggregates (nil for the
	// others, which are recomputed from the value multiset).
	accs []agg.Accumulator
	// emitted is set when a row for the group is in the output; results
	// are the values of that row.
	emitted bool
	results []types.Datum
	dirty   bool
	// extremes[k] is min or max aggregate k's current value.
	extremes []extreme
	// counts holds every value count of the group's multisets by values
	// table key, or is nil when they must be read from storage.
	counts map[string]int64
}

// defaultCachedCounts bounds the value counts a HashAgg keeps in memory
// (some 10 MB).
const defaultCachedCounts = 1 << 17

// NewHashAgg returns a HashAgg over input rows of types inputTypes, keeping
// state in groups and, when some aggregate needs it, values.
func NewHashAgg(inputTypes []types.T, groupBy []int, calls []agg.Call, groups, values *storage.StateTable, evalCtx *expr.Context) (*HashAgg, error) {
	h := &HashAgg{
		groupBy: groupBy,
		calls:   calls,
		evalCtx: evalCtx,
		touched: map[string]*aggGroup{},
		changes: map[string]*valueChange{},

		maxCachedCounts: defaultCachedCounts,
	}
	for _, g := range groupBy {
		h.groupTypes = append(h.groupTypes, inputTypes[g])
	}
	h.groups = newVnodeTable(groups, h.groupTypes, 0)
	if values != nil {
		h.values = newVnodeTable(values, h.groupTypes, 1)
	}
	h.outTypes = append(h.outTypes, h.groupTypes...)
	if len(calls) > 255 {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "a materialized view can have at most 255 aggregates per GROUP BY")
	}
	for _, c := range calls {
		var ts []types.T
		for _, a := range c.Args {
			ts = append(ts, a.Type())
		}
		h.argTypes = append(h.argTypes, ts)
		h.resultTypes = append(h.resultTypes, c.Result)
		inv := agg.Invertible(c.Name)
		h.invertible = append(h.invertible, inv)
		needsValues := !inv || c.Distinct
		h.multiset = append(h.multiset, needsValues)
		h.owner = append(h.owner, len(h.owner))
		for j := range len(h.owner) - 1 {
			if needsValues && h.multiset[j] && sameInputs(calls[j], c) && agg.KeepsNulls(calls[j].Name) == agg.KeepsNulls(c.Name) {
				h.owner[len(h.owner)-1] = j
				break
			}
		}
		h.isExtreme = append(h.isExtreme, c.Name == "min" || c.Name == "max")
		if needsValues && values == nil {
			return nil, pgerror.Internal("aggregate %s needs a value state table", c.Name)
		}
		if needsValues && len(c.Args) == 0 {
			return nil, pgerror.Unsupported("%s(*) with DISTINCT is not supported", c.Name)
		}
		if _, err := agg.NewAccumulator(c); err != nil {
			return nil, err
		}
	}
	h.outTypes = append(h.outTypes, h.resultTypes...)
	h.before = make([]int64, len(calls))
	h.extremeReaders = make([][]int, len(calls))
	h.needsBefore = make([]bool, len(calls))
	for k, c := range calls {
		if h.isExtreme[k] {
			h.extremeReaders[h.owner[k]] = append(h.extremeReaders[h.owner[k]], k)
		}
		if c.Distinct && h.invertible[k] {
			h.needsBefore[h.owner[k]] = true
		}
	}
	return h, nil
}

// sameInputs reports whether two aggregate calls fold the same values.
func sameInputs(a, b agg.Call) bool {
	if len(a.Args) != len(b.Args) || (a.Filter == nil) != (b.Filter == nil) {
		return false
	}
	if a.Filter != nil && a.Filter.String() != b.Filter.String() {
		return false
	}
	for i := range a.Args {
		if a.Args[i].Type() != b.Args[i].Type() || a.Args[i].String() != b.Args[i].String() {
			return false
		}
	}
	return true
}

// OutputTypes are the group column types followed by the aggregate types.
func (h *HashAgg) OutputTypes() []types.T { return h.outTypes }

func (h *HashAgg) chunk(_ int, c *chunk.Chunk, _ func(*chunk.Chunk)) error {
	n := c.Len()
	// Evaluate every argument and filter once for the chunk, before any
	// state changes: an argument that fails on a row is NULL there, a
	// FILTER that fails leaves the row out.
	args := make([][]arrow.Array, len(h.calls))
	filters := make([][]bool, len(h.calls))
	var failed []expr.RowError
	for k, call := range h.calls {
		for _, a := range call.Args {
			arr, rowErrs, err := expr.EvalTolerant(h.evalCtx, a, c)
			if err != nil {
				return err
			}
			defer arr.Release()
			args[k] = append(args[k], arr)
			failed = append(failed, rowErrs...)
		}
		if call.Filter != nil {
			pass, rowErrs, err := evalPredicate(h.evalCtx, call.Filter, c)
			if err != nil {
				return err
			}
			filters[k] = pass
			failed = append(failed, rowErrs...)
		}
	}
	if err := h.loadGroups(c); err != nil {
		return err
	}
	groupValues := make([]types.Datum, len(h.groupBy))
	for i := 0; i < n; i++ {
		sign := c.Op(i).Sign()
		for j, col := range h.groupBy {
			groupValues[j] = c.Datum(i, col)
		}
		g, err := h.group(groupValues)
		if err != nil {
			return err
		}
		g.count += sign
		for k, call := range h.calls {
			if filters[k] != nil && !filters[k][i] {
				continue
			}
			rowArgs := h.argBuf[:0]
			for j, arr := range args[k] {
				rowArgs = append(rowArgs, chunk.Datum(arr, h.argTypes[k][j], i))
			}
			h.argBuf = rowArgs
			if !h.multiset[k] {
				if err := g.accs[k].Add(rowArgs, sign); err != nil {
					return err
				}
				continue
			}
			if rowArgs[0] == nil && !agg.KeepsNulls(call.Name) {
				continue // a strict aggregate skips the row; its multiset holds no NULLs
			}
			before := h.before[h.owner[k]]
			if h.owner[k] == k {
				var err error
				if before, err = h.changeValue(k, g, rowArgs, sign); err != nil {
					return err
				}
				h.before[k] = before
			}
			if call.Distinct && h.invertible[k] {
				switch {
				case before == 0 && sign > 0:
					err = g.accs[k].Add(rowArgs, 1)
				case before == 1 && sign < 0:
					err = g.accs[k].Add(rowArgs, -1)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	// Recorded last: a chunk whose state read fails is not applied.
	h.errors.record(c, failed)
	return nil
}

// loadGroups decodes the groups of c's rows not yet touched in the epoch,
// reading their state in one sorted pass.
func (h *HashAgg) loadGroups(c *chunk.Chunk) error {
	type miss struct {
		key []byte
		row int
	}
	var misses []miss
	values := make([]types.Datum, len(h.groupBy))
	for i := 0; i < c.Len(); i++ {
		for j, col := range h.groupBy {
			values[j] = c.Datum(i, col)
		}
		h.keyBuf = encoding.EncodeKey(h.keyBuf[:0], h.groupTypes, values)
		if _, ok := h.touched[string(h.keyBuf)]; !ok {
			misses = append(misses, miss{key: bytes.Clone(h.keyBuf), row: i})
		}
	}
	if len(misses) == 0 {
		return nil
	}
	slices.SortStableFunc(misses, func(a, b miss) int { return bytes.Compare(a.key, b.key) })
	misses = slices.CompactFunc(misses, func(a, b miss) bool { return bytes.Equal(a.key, b.key) })
	keys := make([][]byte, len(misses))
	for i, m := range misses {
		keys[i] = m.key
	}
	return h.groups.GetSorted(keys, func(i int, raw []byte, ok bool) error {
		m := misses[i]
		for j, col := range h.groupBy {
			values[j] = c.Datum(m.row, col)
		}
		g, err := h.decoded(m.key, values, raw, ok)
		if err != nil {
			return err
		}
		h.touched[string(g.key)] = g
		return nil
	})
}

// group returns the state of the group with the given values, loading it
// when the epoch has not touched it yet, and marks it dirty.
func (h *HashAgg) group(values []types.Datum) (*aggGroup, error) {
	h.keyBuf = encoding.EncodeKey(h.keyBuf[:0], h.groupTypes, values)
	g, ok := h.touched[string(h.keyBuf)]
	if !ok {
		var err error
		if g, err = h.load(bytes.Clone(h.keyBuf), values); err != nil {
			return nil, err
		}
		h.touched[string(g.key)] = g
	}
	if !g.dirty {
		g.dirty = true
		h.dirty = append(h.dirty, g)
	}
	return g, nil
}

// load reads a group's state, or starts an empty group.
func (h *HashAgg) load(key []byte, values []types.Datum) (*aggGroup, error) {
	raw, ok, err := h.groups.Get(key)
	if err != nil {
		return nil, err
	}
	return h.decoded(key, values, raw, ok)
}

// groupMemory estimates what a decoded group costs: the struct, its
// datums and accumulators, and its key in the touched map.
func (h *HashAgg) groupMemory(key, raw []byte) int64 {
	return int64(256 + 2*len(key) + 2*len(raw) + 96*len(h.calls) + 32*len(h.groupBy))
}

// decoded returns the group of key decoded from its stored state raw (ok
// false: a new group), and charges it to the epoch.
func (h *HashAgg) decoded(key []byte, values []types.Datum, raw []byte, ok bool) (*aggGroup, error) {
	h.groups.Charge(h.groupMemory(key, raw))
	g := &aggGroup{key: key, values: append([]types.Datum(nil), values...), accs: make([]agg.Accumulator, len(h.calls)),
		extremes: make([]extreme, len(h.calls))}
	for k, call := range h.calls {
		if h.invertible[k] {
			acc, err := agg.NewAccumulator(call)
			if err != nil {
				return nil, err
			}
			g.accs[k] = acc
		}
	}
	if ok {
		if err := h.decodeGroup(g, raw); err != nil {
			return nil, fmt.Errorf("mview: group state %x: %w", key, err)
		}
	} else if h.values != nil {
		// A group not in state has empty multisets.
		g.counts = map[string]int64{}
	}
	h.loadExtremes(g, ok)
	return g, nil
}

// Group state value: uvarint count, one byte emitted, uvarint length and
// EncodeRow of the results, then uvarint length and state of each
// invertible aggregate in order.
func (h *HashAgg) encodeGroup(g *aggGroup) ([]byte, error) {
	buf := binary.AppendVarint(nil, g.count)
	emitted := byte(0)
	if g.emitted {
		emitted = 1
	}
	buf = append(buf, emitted)
	results := encoding.EncodeRow(nil, h.resultTypes, g.results)
	if !g.emitted {
		results = nil
	}
	buf = binary.AppendUvarint(buf, uint64(len(results)))
	buf = append(buf, results...)
	for _, acc := range g.accs {
		if acc == nil {
			continue
		}
		state, err := acc.MarshalBinary()
		if err != nil {
			return nil, err
		}
		buf = binary.AppendUvarint(buf, uint64(len(state)))
		buf = append(buf, state...)
	}
	return buf, nil
}

func (h *HashAgg) decodeGroup(g *aggGroup, raw []byte) error {
	count, n := binary.Varint(raw)
	if n <= 0 || len(raw) < n+1 {
		return fmt.Errorf("corrupt count")
	}
	g.count, g.emitted = count, raw[n] == 1
	raw = raw[n+1:]
	field := func() ([]byte, error) {
		l, n := binary.Uvarint(raw)
		if n <= 0 || uint64(len(raw)-n) < l {
			return nil, fmt.Errorf("corrupt field")
		}
		f := raw[n : n+int(l)]
		raw = raw[n+int(l):]
		return f, nil
	}
	results, err := field()
	if err != nil {
		return err
	}
	if g.emitted {
		if g.results, err = encoding.DecodeRow(h.resultTypes, results); err != nil {
			return err
		}
	}
	for _, acc := range g.accs {
		if acc == nil {
			continue
		}
		state, err := field()
		if err != nil {
			return err
		}
		if err := acc.UnmarshalBinary(bytes.Clone(state)); err != nil {
			return err
		}
	}
	return nil
}

// valuePrefix is the key prefix of aggregate k's values in group g.
func valuePrefix(buf []byte, k int, g *aggGroup) []byte {
	return append(append(buf, byte(k)), g.key...)
}

// recompute computes non-invertible aggregate k of g from its multiset.
func (h *HashAgg) recompute(k int, g *aggGroup) (types.Datum, error) {
	call := h.calls[k]
	prefix := valuePrefix(nil, h.owner[k], g)
	decode := func(value []byte) (int64, []types.Datum, error) {
		count, n := binary.Varint(value)
		if n <= 0 {
			return 0, nil, fmt.Errorf("mview: corrupt value in group %x", g.key)
		}
		args, err := encoding.DecodeRow(h.argTypes[k], value[n:])
		return count, args, err
	}
	acc, err := agg.NewAccumulator(call)
	if err != nil {
		return nil, err
	}
	err = h.values.ScanPrefix(prefix, func(_, value []byte) (bool, error) {
		count, args, err := decode(value)
		if err != nil {
			return false, err
		}
		if call.Distinct {
			count = 1
		}
		for range count {
			if err := acc.Add(args, 1); err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return acc.Result()
}

func (h *HashAgg) barrier(b *Barrier, emit func(*chunk.Chunk)) error {
	if len(h.groupBy) == 0 {
		// The single row of an aggregate without GROUP BY exists from the
		// first barrier on, even on empty input.
		if _, err := h.group(nil); err != nil {
			return err
		}
	}
	// A failed change still lets the other groups settle, as a failed
	// group does.
	firstErr := h.applyValueChanges()
	out := chunk.NewBuilder(h.outTypes)
	flush := func() {
		if out.Len() >= maxChunkRows-1 {
			emit(out.Build())
		}
	}
	row := make([]types.Datum, len(h.outTypes))
	for _, g := range h.dirty {
		g.dirty = false
		if err := h.settle(g, out, row); err != nil && firstErr == nil {
			firstErr = err
		}
		flush()
	}
	if out.Len() > 0 {
		emit(out.Build())
	}
	h.endEpoch()
	h.groups.Flush(b.Batch)
	if h.values != nil {
		h.values.Flush(b.Batch)
	}
	h.errors.flush(b.Batch)
	return firstErr
}

// settle emits the change of one dirty group and writes its state.
func (h *HashAgg) settle(g *aggGroup, out *chunk.Builder, row []types.Datum) error {
	if g.count < 0 {
		h.groups.Delete(g.key)
		h.dropCounts(g)
		delete(h.touched, string(g.key))
		return pgerror.Internal("aggregate group %x has %d rows", g.key, g.count)
	}
	global := len(h.groupBy) == 0
	if g.count == 0 && !global {
		if g.emitted {
			out.Append(chunk.Delete, h.outputRow(row, g, g.results))
		}
		h.groups.Delete(g.key)
		h.dropCounts(g)
		delete(h.touched, string(g.key))
		return nil
	}
	results := make([]types.Datum, len(h.calls))
	for k := range h.calls {
		var err error
		switch {
		case g.accs[k] != nil:
			results[k], err = g.accs[k].Result()
		case h.isExtreme[k]:
			results[k], err = h.extremeResult(k, g)
		default:
			results[k], err = h.recompute(k, g)
		}
		if err != nil {
			return err
		}
	}
	switch {
	case !g.emitted:
		out.Append(chunk.Insert, h.outputRow(row, g, results))
	case !bytes.Equal(encoding.EncodeRow(nil, h.resultTypes, g.results), encoding.EncodeRow(nil, h.resultTypes, results)):
		out.Append(chunk.UpdateBefore, h.outputRow(row, g, g.results))
		out.Append(chunk.UpdateAfter, h.outputRow(row, g, results))
	}
	g.emitted, g.results = true, results
	state, err := h.encodeGroup(g)
	if err != nil {
		return err
	}
	h.groups.Put(g.key, state)
	return nil
}

func (h *HashAgg) outputRow(row []types.Datum, g *aggGroup, results []types.Datum) []types.Datum {
	copy(row, g.values)
	copy(row[len(g.values):], results)
	return row
}

// endEpoch forgets the epoch's decoded groups: their state is written
// back, and read again (from the state cache, mostly) when touched in a
// later epoch. A map or slice that grew large is dropped rather than
// cleared, because a cleared Go map keeps its buckets and a slice its
// array: kept, they would hold the largest epoch's size for good.
func (h *HashAgg) endEpoch() {
	h.touched = clearedMap(h.touched)
	h.dirty = clearedSlice(h.dirty)
	h.cachedCounts = 0
}

// keptCapacity is the size up to which endEpoch reuses a map or slice.
const keptCapacity = 4096

func clearedMap[V any](m map[string]V) map[string]V {
	if len(m) > keptCapacity {
		return map[string]V{}
	}
	clear(m)
	return m
}

func clearedSlice[V any](s []*V) []*V {
	if cap(s) > keptCapacity {
		return nil
	}
	clear(s)
	return s[:0]
}
