package mview

import (
	"bytes"
	"slices"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TopN passes, in each group of rows with equal PartitionBy columns, the
// rows ranked Offset+1 to Offset+Count in the order of its sort keys, ties
// broken by the input's stream key: ORDER BY … LIMIT … OFFSET … without
// partition columns, row_number() OVER (PARTITION BY … ORDER BY …) <= n
// with them. Output: the input's columns, then, when Rank is set, the
// row's rank in its group (bigint, from 1).
//
// Input: rows identified by the input's stream key; a retraction retracts
// a row inserted before.
//
// Retractions: every row, in the window or not, is kept in state, so when
// a row of the window goes the next one moves up. Insert and UpdateAfter
// store a row, Delete and UpdateBefore remove it; nothing is emitted before
// the barrier. The first change to a group in an epoch reads the group's
// window from state, which is then what the output holds; at the barrier
// the window is read again and the two compared: a row that left the
// window, or whose columns or rank changed, is emitted as a Delete, then a
// row that entered it, or its new version, as an Insert. Changes below the
// cut emit nothing; with Rank, a change inside the window re-emits the rows
// after it, whose ranks moved.
//
// State: StateTables[0] holds every input row, keyed by EncodeKey(partition
// columns) + AppendSortKey of each sort column + EncodeKey(stream key),
// with the value EncodeRow(row): a group's window is its first
// Offset+Count keys, stored after the vnode of the partition columns
// (vnode.go). The windows of a chunk's (or a barrier's) groups are
// read in key order through one iterator.
//
// Ownership: output chunks are new.
type TopN struct {
	types       []types.T
	outTypes    []types.T
	partitionBy []int
	partTypes   []types.T
	keys        []planner.SortKey
	streamKey   []int
	skTypes     []types.T
	count       int64
	offset      int64
	rank        bool
	state       *vnodeTable
	// emitted holds, for each group changed in the epoch, its window as
	// the output has it, by the group's key prefix; dirty lists them in
	// order of first change.
	emitted map[string][]topNRow
	dirty   []string
}

// topNRow is a stored row of a window.
type topNRow struct {
	key, value []byte
	rank       int64
}

// NewTopN returns a TopN over rows of inputTypes; rank adds the rank
// column.
func NewTopN(inputTypes []types.T, partitionBy []int, keys []planner.SortKey, streamKey []int, count, offset int64,
	rank bool, state *storage.StateTable) *TopN {
	t := &TopN{types: inputTypes, partitionBy: partitionBy, keys: keys, streamKey: streamKey, count: count,
		offset: offset, rank: rank, emitted: map[string][]topNRow{}}
	for _, k := range partitionBy {
		t.partTypes = append(t.partTypes, inputTypes[k])
	}
	t.state = newVnodeTable(state, t.partTypes, 0)
	for _, k := range streamKey {
		t.skTypes = append(t.skTypes, inputTypes[k])
	}
	t.outTypes = append([]types.T(nil), inputTypes...)
	if rank {
		t.outTypes = append(t.outTypes, types.Int64)
	}
	return t
}

// OutputTypes are the input's types, then bigint for the rank.
func (t *TopN) OutputTypes() []types.T { return t.outTypes }

func (t *TopN) chunk(_ int, c *chunk.Chunk, _ func(*chunk.Chunk)) error {
	// The groups first changed in the epoch have not changed since their
	// windows were emitted: read those windows, in one pass, before the
	// chunk's writes.
	groups := make([][]byte, c.Len())
	var first [][]byte
	for i := 0; i < c.Len(); i++ {
		groups[i] = encoding.EncodeKey(nil, t.partTypes, pick(c.Row(i), t.partitionBy))
		if _, seen := t.emitted[string(groups[i])]; !seen {
			t.emitted[string(groups[i])] = nil
			first = append(first, groups[i])
		}
	}
	windows, err := t.windows(first)
	if err != nil {
		return err
	}
	for i, group := range first {
		t.emitted[string(group)] = windows[i]
		t.dirty = append(t.dirty, string(group))
	}
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		key := groups[i]
		for _, k := range t.keys {
			key = encoding.AppendSortKey(key, t.types[k.Column], row[k.Column], k.Desc, k.NullsFirst)
		}
		key = encoding.EncodeKey(key, t.skTypes, pick(row, t.streamKey))
		if c.Op(i).IsRetraction() {
			t.state.Delete(key)
		} else {
			t.state.Put(key, encoding.EncodeRow(nil, t.types, row))
		}
	}
	return nil
}

// windows reads the rows of each group ranked Offset+1 to Offset+Count,
// the groups in key order through one iterator (StateTable.ScanPrefixes).
func (t *TopN) windows(groups [][]byte) ([][]topNRow, error) {
	out := make([][]topNRow, len(groups))
	if t.count == 0 || len(groups) == 0 {
		return out, nil
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(groups[a], groups[b]) })
	sorted := make([][]byte, len(groups))
	for n, i := range order {
		sorted[n] = groups[i]
	}
	ranks := make([]int64, len(groups))
	err := t.state.ScanPrefixes(sorted, func(n int, key, value []byte) (bool, error) {
		ranks[n]++
		rank := ranks[n]
		if rank > t.offset {
			out[order[n]] = append(out[order[n]], topNRow{key: bytes.Clone(key), value: bytes.Clone(value), rank: rank})
		}
		return rank < t.offset+t.count, nil
	})
	return out, err
}

func (t *TopN) barrier(b *Barrier, emit func(*chunk.Chunk)) error {
	// All Deletes go before all Inserts: a row that moved to another group
	// keeps its stream key, and the Insert must not be taken back.
	groups := make([][]byte, len(t.dirty))
	for i, group := range t.dirty {
		groups[i] = []byte(group)
	}
	windows, err := t.windows(groups)
	if err != nil {
		return err
	}
	out := chunk.NewBuilder(t.outTypes)
	for i, group := range t.dirty {
		if err := t.diff(out, chunk.Delete, t.emitted[group], windows[i], emit); err != nil {
			return err
		}
	}
	for i, group := range t.dirty {
		if err := t.diff(out, chunk.Insert, windows[i], t.emitted[group], emit); err != nil {
			return err
		}
	}
	if out.Len() > 0 {
		emit(out.Build())
	}
	t.emitted = clearedMap(t.emitted)
	t.dirty = t.dirty[:0]
	if cap(t.dirty) > keptCapacity {
		t.dirty = nil
	}
	t.state.Flush(b.Batch)
	return nil
}

// diff appends with op the rows of from that are not in to, or differ.
func (t *TopN) diff(out *chunk.Builder, op chunk.Op, from, to []topNRow, emit func(*chunk.Chunk)) error {
	in := make(map[string]topNRow, len(to))
	for _, r := range to {
		in[string(r.key)] = r
	}
	for _, r := range from {
		if other, ok := in[string(r.key)]; !ok || !t.same(other, r) {
			if err := t.append(out, op, r, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// same reports whether two versions of a row are output equally.
func (t *TopN) same(a, b topNRow) bool {
	return bytes.Equal(a.value, b.value) && (!t.rank || a.rank == b.rank)
}

// append decodes a stored row into out, emitting out when it is full.
func (t *TopN) append(out *chunk.Builder, op chunk.Op, r topNRow, emit func(*chunk.Chunk)) error {
	row, err := encoding.DecodeRow(t.types, r.value)
	if err != nil {
		return err
	}
	if t.rank {
		row = append(row, r.rank)
	}
	out.Append(op, row)
	if out.Len() >= maxChunkRows {
		emit(out.Build())
	}
	return nil
}
