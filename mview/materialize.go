package mview

import (
	"bytes"
	"log/slog"
	"slices"
	"sync/atomic"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Materialize is the end of every dataflow: it stores its input's rows as
// the rows of relation RelationID and forwards its input to the relation's
// Dispatcher, so the dataflows reading the relation see exactly the changes
// it stored.
//
// Input: change chunks whose rows are identified by the stream key. An
// Insert or UpdateAfter writes the row; a Delete or UpdateBefore removes it.
// A retraction of a key that is not stored is a bug upstream: it is logged
// as XX000, counted (Inconsistencies) and not forwarded, so readers of the
// relation see exactly the changes stored; it is not fatal.
//
// State: the relation's rows, StateTable RelationID, keyed by
// EncodeKey(stream key columns) with value EncodeRow(all columns): the
// layout every reader of a stored relation (executor, backfill) assumes.
//
// At a barrier it flushes the rows into the epoch's batch, forwards the
// barrier to the dispatcher and then reports the barrier collected to the
// coordinator. Ownership: input chunks are forwarded unchanged to every
// subscriber (unless rows were dropped as above); nobody modifies them.
type Materialize struct {
	relationID uint32
	keyCols    []int
	keyTypes   []types.T
	rowTypes   []types.T
	table      *storage.StateTable
	logger     *slog.Logger
	// collected reports a barrier collected to the coordinator.
	collected func(epoch uint64)

	inconsistencies atomic.Int64
	keyBuf          []byte
	rowBuf          []byte
	// row and key are reused for every input row: a row is encoded and
	// forgotten, so there is no need for one slice per row.
	row  []types.Datum
	key  []types.Datum
	keys [][]byte
}

// NewMaterialize returns the Materialize of relationID whose rows have
// types rowTypes and are keyed by keyCols.
func NewMaterialize(relationID uint32, rowTypes []types.T, keyCols []int, table *storage.StateTable, logger *slog.Logger, collected func(epoch uint64)) *Materialize {
	m := &Materialize{relationID: relationID, keyCols: keyCols, rowTypes: rowTypes, table: table, logger: logger, collected: collected}
	for _, k := range keyCols {
		m.keyTypes = append(m.keyTypes, rowTypes[k])
	}
	m.row = make([]types.Datum, len(rowTypes))
	m.key = make([]types.Datum, len(keyCols))
	return m
}

// Inconsistencies counts retractions of keys that were not stored.
func (m *Materialize) Inconsistencies() int64 { return m.inconsistencies.Load() }

func (m *Materialize) chunk(_ int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	row := m.row
	keys := m.encodeKeys(c)
	stored, err := m.storedBeforeRetractions(c, keys)
	if err != nil {
		return err
	}
	// skipped marks the rows not forwarded: retractions of rows not stored.
	var skipped []bool
	for i := 0; i < c.Len(); i++ {
		for j := range row {
			row[j] = c.Datum(i, j)
		}
		key := keys[i]
		if c.Op(i).IsRetraction() {
			ok := stored != nil && stored[i]
			if stored == nil {
				if _, ok, err = m.table.Get(key); err != nil {
					return err
				}
			}
			if !ok {
				m.inconsistencies.Add(1)
				metricInconsistencies.Inc()
				m.logger.Error("mview: retraction of a row not stored",
					"sqlstate", pgerror.InternalError, "relation", m.relationID, "op", c.Op(i).String(), "row", formatRow(m.rowTypes, row))
				if skipped == nil {
					skipped = make([]bool, c.Len())
				}
				skipped[i] = true
				continue
			}
			m.table.Delete(key)
			continue
		}
		m.rowBuf = encoding.EncodeRow(m.rowBuf[:0], m.rowTypes, row)
		m.table.Put(key, m.rowBuf)
	}
	if skipped != nil {
		c = withoutRows(c, skipped)
	}
	emit(c)
	return nil
}

// encodeKeys returns the stored key of every row of c, in one buffer reused
// from chunk to chunk.
func (m *Materialize) encodeKeys(c *chunk.Chunk) [][]byte {
	m.keyBuf, m.keys = m.keyBuf[:0], m.keys[:0]
	var ends []int
	for i := 0; i < c.Len(); i++ {
		for k, col := range m.keyCols {
			m.key[k] = c.Datum(i, col)
		}
		m.keyBuf = encoding.EncodeKey(m.keyBuf, m.keyTypes, m.key)
		ends = append(ends, len(m.keyBuf))
	}
	start := 0
	for _, end := range ends {
		m.keys = append(m.keys, m.keyBuf[start:end:end])
		start = end
	}
	return m.keys
}

// minBatchedRetractions is the number of retractions in a chunk from which
// their keys are looked up in one sorted pass rather than a Get each.
const minBatchedRetractions = 8

// storedBeforeRetractions reports, for each retraction of c, whether its
// key is stored when the retraction comes: stored before the chunk, or put
// by an earlier row of it and not removed since. It reads the keys stored
// before the chunk in one sorted pass (a view whose groups change emits a
// retraction per group at every barrier). It returns nil when c has too few
// retractions for that to pay off.
func (m *Materialize) storedBeforeRetractions(c *chunk.Chunk, keys [][]byte) ([]bool, error) {
	retractions := 0
	for i := 0; i < c.Len(); i++ {
		if c.Op(i).IsRetraction() {
			retractions++
		}
	}
	if retractions < minBatchedRetractions {
		return nil, nil
	}
	// The rows by key, and in chunk order within a key.
	order := make([]int, c.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
	// A key's state before the chunk matters only when its first row is a
	// retraction.
	var lookup [][]byte
	var lookupRow []int
	for n, i := range order {
		if c.Op(i).IsRetraction() && (n == 0 || !bytes.Equal(keys[order[n-1]], keys[i])) {
			lookup, lookupRow = append(lookup, keys[i]), append(lookupRow, i)
		}
	}
	stored := make([]bool, c.Len())
	err := m.table.GetSorted(lookup, func(n int, _ []byte, ok bool) error {
		stored[lookupRow[n]] = ok
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Walk each key's rows in chunk order: a put stores the key, a
	// retraction removes it (or finds it absent and is skipped).
	present := false
	for n, i := range order {
		if n == 0 || !bytes.Equal(keys[order[n-1]], keys[i]) {
			present = stored[i]
		}
		if c.Op(i).IsRetraction() {
			stored[i], present = present, false
		} else {
			present = true
		}
	}
	return stored, nil
}

// withoutRows drops the skipped rows of c; an UpdateAfter whose
// UpdateBefore was dropped becomes an Insert.
func withoutRows(c *chunk.Chunk, skipped []bool) *chunk.Chunk {
	var rows []int
	var ops []chunk.Op
	for i := 0; i < c.Len(); i++ {
		if skipped[i] {
			continue
		}
		op := c.Op(i)
		if op == chunk.UpdateAfter && (i == 0 || skipped[i-1]) {
			op = chunk.Insert
		}
		rows, ops = append(rows, i), append(ops, op)
	}
	return selectRows(c, rows, ops)
}

func (m *Materialize) barrier(b *Barrier, _ func(*chunk.Chunk)) error {
	m.table.Flush(b.Batch)
	return nil
}

func (m *Materialize) afterBarrier(b *Barrier) {
	if m.collected != nil {
		m.collected(b.Epoch)
	}
}

func formatRow(ts []types.T, row []types.Datum) string {
	b := chunk.NewBuilder(ts)
	b.Append(chunk.Insert, row)
	s := b.Build().String()
	return s[2 : len(s)-1]
}
