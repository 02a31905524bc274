package mview

import (
	"bytes"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TopN passes the rows ranked Offset+1 to Offset+Count of its input, in the
// order of its sort keys with ties broken by the input's stream key
// (ORDER BY … LIMIT … OFFSET …). Output: the input's columns.
//
// Input: rows identified by the input's stream key; a retraction retracts
// a row inserted before.
//
// Retractions: every row, in the window or not, is kept in state, so when
// a row of the window goes the next one moves up. Insert and UpdateAfter
// store a row, Delete and UpdateBefore remove it; nothing is emitted before
// the barrier. At the barrier the window is read again from state and
// compared with the window emitted before: a row that left it (or whose
// columns changed) is emitted as a Delete, then a row that entered it as an
// Insert. A row keeps its place when rows change outside the window, so
// most changes below the cut emit nothing.
//
// State: StateTables[0] holds every input row, keyed by AppendSortKey of
// each sort column + EncodeKey(stream key), with the value EncodeRow(row):
// the window is the first Offset+Count keys. The window last emitted is
// kept in memory (read from state after a restart, when state and output
// agree).
//
// Ownership: output chunks are new.
type TopN struct {
	types     []types.T
	keys      []planner.SortKey
	streamKey []int
	skTypes   []types.T
	count     int64
	offset    int64
	state     *storage.StateTable
	// emitted is the window in the output; loaded is set once it is known.
	emitted []topNRow
	loaded  bool
	dirty   bool
}

// topNRow is a stored row of the window.
type topNRow struct {
	key, value []byte
}

// NewTopN returns a TopN over rows of inputTypes.
func NewTopN(inputTypes []types.T, keys []planner.SortKey, streamKey []int, count, offset int64, state *storage.StateTable) *TopN {
	t := &TopN{types: inputTypes, keys: keys, streamKey: streamKey, count: count, offset: offset, state: state}
	for _, k := range streamKey {
		t.skTypes = append(t.skTypes, inputTypes[k])
	}
	return t
}

// OutputTypes are the input's types.
func (t *TopN) OutputTypes() []types.T { return t.types }

func (t *TopN) chunk(_ int, c *chunk.Chunk, _ func(*chunk.Chunk)) error {
	if !t.loaded {
		// The state has not changed since the window was last emitted.
		window, err := t.window()
		if err != nil {
			return err
		}
		t.emitted, t.loaded = window, true
	}
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		key := t.key(row)
		if c.Op(i).IsRetraction() {
			t.state.Delete(key)
		} else {
			t.state.Put(key, encoding.EncodeRow(nil, t.types, row))
		}
	}
	t.dirty = t.dirty || c.Len() > 0
	return nil
}

func (t *TopN) key(row []types.Datum) []byte {
	var key []byte
	for _, k := range t.keys {
		key = encoding.AppendSortKey(key, t.types[k.Column], row[k.Column], k.Desc, k.NullsFirst)
	}
	return encoding.EncodeKey(key, t.skTypes, pick(row, t.streamKey))
}

// window reads the rows ranked Offset+1 to Offset+Count from state.
func (t *TopN) window() ([]topNRow, error) {
	var rows []topNRow
	if t.count == 0 {
		return nil, nil
	}
	rank := int64(0)
	err := t.state.Scan(nil, nil, func(key, value []byte) (bool, error) {
		rank++
		if rank > t.offset {
			rows = append(rows, topNRow{key: bytes.Clone(key), value: bytes.Clone(value)})
		}
		return rank < t.offset+t.count, nil
	})
	return rows, err
}

func (t *TopN) barrier(b *Barrier, emit func(*chunk.Chunk)) error {
	if t.dirty {
		window, err := t.window()
		if err != nil {
			return err
		}
		after := make(map[string][]byte, len(window))
		for _, r := range window {
			after[string(r.key)] = r.value
		}
		before := make(map[string][]byte, len(t.emitted))
		out := chunk.NewBuilder(t.types)
		for _, r := range t.emitted {
			before[string(r.key)] = r.value
			if v, ok := after[string(r.key)]; !ok || !bytes.Equal(v, r.value) {
				if err := t.append(out, chunk.Delete, r.value, emit); err != nil {
					return err
				}
			}
		}
		for _, r := range window {
			if v, ok := before[string(r.key)]; !ok || !bytes.Equal(v, r.value) {
				if err := t.append(out, chunk.Insert, r.value, emit); err != nil {
					return err
				}
			}
		}
		if out.Len() > 0 {
			emit(out.Build())
		}
		t.emitted, t.dirty = window, false
	}
	t.state.Flush(b.Batch)
	return nil
}

// append decodes a stored row into out, emitting out when it is full.
func (t *TopN) append(out *chunk.Builder, op chunk.Op, value []byte, emit func(*chunk.Chunk)) error {
	row, err := encoding.DecodeRow(t.types, value)
	if err != nil {
		return err
	}
	out.Append(op, row)
	if out.Len() >= maxChunkRows {
		emit(out.Build())
	}
	return nil
}
