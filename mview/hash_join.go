package mview

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// HashJoin is an inner, left, right or full equi-join of two change
// streams with an optional residual Condition over the joined row. Output:
// the left row's columns followed by the right row's; a row of a preserved
// side (left for LEFT, right for RIGHT, both for FULL) with no match is
// output once, padded with NULLs for the other side's columns.
//
// Input: each side's rows are identified by that side's stream key, and a
// retraction retracts a row inserted before on the same side. The task
// running it aligns barriers: after barrier N on one side it reads only the
// other until barrier N arrives there too.
//
// Retractions: an Insert on one side is stored and probes the other side's
// state for rows with the same join key, emitting one Insert per match for
// which Condition is true; a Delete removes the row and emits the matching
// Deletes, which retract exactly the Inserts emitted before since the other
// side has not changed in between without emitting its own changes. An
// UpdateBefore/UpdateAfter pair is processed as a Delete then an Insert and
// emitted as Deletes and Inserts (a pair cannot stay a pair when the key or
// the number of matches changes). Rows with a NULL in the join key never
// match; they are not stored, and on a preserved side only their padded
// row is emitted or retracted.
//
// # Outer joins
//
// Every stored row of a preserved side carries its match degree: the
// number of rows on the other side that match it and pass Condition. A row
// stored with degree 0 has its padded row in the output. When a probe from
// the other side takes a row's degree 0→1, the operator emits a Delete of
// its padded row before the Insert of the joined one; when a retraction
// takes it 1→0, the Delete of the joined row is followed by an Insert of
// the padded one. So the output's stream key (both sides' stream keys, the
// padded side's parts NULL) identifies each row. One case it does not: in
// a FULL join, a left row whose stream key is all NULL and a right row
// whose stream key is all NULL (NULL groups of two aggregates), both
// unmatched, get the same output key, and the view keeps only one of them.
//
// # State
//
// StateTables[0] holds the left rows, [1] the right rows, each keyed by
// EncodeKey(join key) + EncodeKey(the side's stream key); a probe is a
// prefix scan on the join key, and a chunk's probes are one pass over its
// distinct join keys in key order through one iterator. The value is EncodeRow(row), preceded on a
// preserved side by the degree as 8 bytes big-endian. Keys are stored after
// the vnode of their join key (vnode.go).
//
// Output is emitted per input chunk. Ownership: output chunks are new.
type HashJoin struct {
	sides     [2]joinSide
	outer     bool
	outTypes  []types.T
	condition expr.Expr
	evalCtx   *expr.Context
	errors    *rowErrorLog
}

type joinSide struct {
	types     []types.T
	joinKeys  []int
	keyTypes  []types.T
	streamKey []int
	skTypes   []types.T
	state     *vnodeTable
	// preserved is set when the side's unmatched rows are output padded;
	// its state values then start with the row's degree.
	preserved bool
}

// NewHashJoin returns a HashJoin of the given kind (inner, left, right or
// full) of rows of leftTypes and rightTypes.
func NewHashJoin(kind planner.JoinKind, leftTypes, rightTypes []types.T, leftKeys, rightKeys, leftStreamKey, rightStreamKey []int,
	condition expr.Expr, leftState, rightState *storage.StateTable, evalCtx *expr.Context) *HashJoin {
	side := func(ts []types.T, keys, sk []int, st *storage.StateTable) joinSide {
		s := joinSide{types: ts, joinKeys: keys, streamKey: sk}
		for _, k := range keys {
			s.keyTypes = append(s.keyTypes, ts[k])
		}
		s.state = newVnodeTable(st, s.keyTypes, 0)
		for _, k := range sk {
			s.skTypes = append(s.skTypes, ts[k])
		}
		return s
	}
	j := &HashJoin{
		sides:     [2]joinSide{side(leftTypes, leftKeys, leftStreamKey, leftState), side(rightTypes, rightKeys, rightStreamKey, rightState)},
		condition: condition,
		evalCtx:   evalCtx,
	}
	j.outTypes = append(append(j.outTypes, leftTypes...), rightTypes...)
	j.sides[0].preserved = kind == planner.LeftJoin || kind == planner.FullJoin
	j.sides[1].preserved = kind == planner.RightJoin || kind == planner.FullJoin
	j.outer = j.sides[0].preserved || j.sides[1].preserved
	return j
}

func (j *HashJoin) chunk(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	if j.outer {
		return j.chunkOuter(side, c, emit)
	}
	// Probes read only the other side's state, so every joined row and
	// its condition are computed before this side's state changes: an
	// error leaves the state as it was.
	this := &j.sides[side]
	out := chunk.NewBuilder(j.outTypes)
	var joinedChunks []*chunk.Chunk
	joined := make([]types.Datum, len(j.outTypes))
	type write struct {
		key, value []byte // value nil: delete
	}
	writes := make([]write, 0, c.Len())
	rows := make([][]types.Datum, c.Len())
	prefixes := make([][]byte, c.Len())
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		joinKey := make([]types.Datum, len(this.joinKeys))
		hasNull := false
		for k, col := range this.joinKeys {
			joinKey[k] = row[col]
			hasNull = hasNull || row[col] == nil
		}
		if hasNull {
			continue
		}
		prefix := encoding.EncodeKey(nil, this.keyTypes, joinKey)
		key := encoding.EncodeKey(prefix, this.skTypes, pick(row, this.streamKey))
		if c.Op(i).IsRetraction() {
			writes = append(writes, write{key: key})
		} else {
			writes = append(writes, write{key: key, value: encoding.EncodeRow(nil, this.types, row)})
		}
		rows[i], prefixes[i] = row, prefix[:len(prefix):len(prefix)]
	}
	found, err := j.probe(side, prefixes)
	if err != nil {
		return err
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		op := chunk.Insert
		if c.Op(i).IsRetraction() {
			op = chunk.Delete
		}
		for _, m := range found[string(prefixes[i])] {
			if side == 0 {
				copy(joined, row)
				copy(joined[len(row):], m.row)
			} else {
				copy(joined, m.row)
				copy(joined[len(m.row):], row)
			}
			out.Append(op, joined)
		}
		if out.Len() >= maxChunkRows {
			joinedChunks = append(joinedChunks, out.Build())
		}
	}
	if out.Len() > 0 {
		joinedChunks = append(joinedChunks, out.Build())
	}
	outputs := make([]*chunk.Chunk, 0, len(joinedChunks))
	for _, joined := range joinedChunks {
		passed, err := j.applyCondition(joined)
		if err != nil {
			return err
		}
		outputs = append(outputs, passed)
	}
	for _, w := range writes {
		if w.value == nil {
			this.state.Delete(w.key)
		} else {
			this.state.Put(w.key, w.value)
		}
	}
	for _, o := range outputs {
		emit(o)
	}
	return nil
}

// applyCondition returns the joined rows of c for which the residual
// condition is true; a row on which it fails is left out and its error
// recorded.
func (j *HashJoin) applyCondition(c *chunk.Chunk) (*chunk.Chunk, error) {
	if j.condition == nil {
		return c, nil
	}
	pass, rowErrs, err := evalPredicate(j.evalCtx, j.condition, c)
	if err != nil {
		return nil, err
	}
	j.errors.record(c, rowErrs)
	var rows []int
	var ops []chunk.Op
	for i, p := range pass {
		if p {
			rows, ops = append(rows, i), append(ops, c.Op(i))
		}
	}
	return selectRows(c, rows, ops), nil
}

func (j *HashJoin) barrier(b *Barrier, _ func(*chunk.Chunk)) error {
	j.sides[0].state.Flush(b.Batch)
	j.sides[1].state.Flush(b.Batch)
	j.errors.flush(b.Batch)
	return nil
}

// OutputTypes are the left types followed by the right types.
func (j *HashJoin) OutputTypes() []types.T { return j.outTypes }

func pick(row []types.Datum, cols []int) []types.Datum {
	out := make([]types.Datum, len(cols))
	for i, c := range cols {
		out[i] = row[c]
	}
	return out
}

// joinMatch is a stored row of the other side that matches a probing row.
type joinMatch struct {
	key   []byte
	value []byte // the stored value: degree (preserved side), then the row
	row   []types.Datum
}

// chunkOuter is chunk for joins with a preserved side: it keeps degrees and
// emits and retracts padded rows (see the type comment). It first finds
// every row's matches and evaluates the condition over all of them, then
// changes state: an error leaves the state as it was.
func (j *HashJoin) chunkOuter(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	this, other := &j.sides[side], &j.sides[1-side]
	type probe struct {
		row     []types.Datum
		key     []byte
		matches []joinMatch
	}
	probes := make([]probe, c.Len())
	prefixes := make([][]byte, c.Len())
	for i := range probes {
		p := &probes[i]
		p.row = c.Row(i)
		joinKey := pick(p.row, this.joinKeys)
		if hasNull(joinKey) {
			continue
		}
		prefix := encoding.EncodeKey(nil, this.keyTypes, joinKey)
		prefixes[i] = prefix[:len(prefix):len(prefix)]
		p.key = encoding.EncodeKey(prefix, this.skTypes, pick(p.row, this.streamKey))
	}
	found, err := j.probe(side, prefixes)
	if err != nil {
		return err
	}
	pairs := chunk.NewBuilder(j.outTypes)
	for i := range probes {
		p := &probes[i]
		if p.key == nil {
			continue
		}
		// Each probe gets its own slice: the condition filters it in
		// place.
		p.matches = slices.Clone(found[string(prefixes[i])])
		if j.condition != nil {
			for _, m := range p.matches {
				pairs.Append(c.Op(i), j.joined(side, p.row, m.row))
			}
		}
	}
	if j.condition != nil && pairs.Len() > 0 {
		joined := pairs.Build()
		pass, rowErrs, err := evalPredicate(j.evalCtx, j.condition, joined)
		if err != nil {
			return err
		}
		j.errors.record(joined, rowErrs)
		k := 0
		for i := range probes {
			kept := probes[i].matches[:0]
			for _, m := range probes[i].matches {
				if pass[k] {
					kept = append(kept, m)
				}
				k++
			}
			probes[i].matches = kept
		}
	}
	// degrees holds the other side's stored values this chunk changed: a
	// later row's matches were read before.
	degrees := map[string][]byte{}
	out := chunk.NewBuilder(j.outTypes)
	for i, p := range probes {
		retract := c.Op(i).IsRetraction()
		op := chunk.Insert
		if retract {
			op = chunk.Delete
		}
		if p.key == nil {
			if this.preserved {
				out.Append(op, j.padded(side, p.row))
			}
			continue
		}
		for _, m := range p.matches {
			joined := j.joined(side, p.row, m.row)
			if !other.preserved {
				out.Append(op, joined)
				continue
			}
			value := m.value
			if changed, ok := degrees[string(m.key)]; ok {
				value = changed
			}
			degree := binary.BigEndian.Uint64(value)
			if retract {
				if degree == 0 {
					return pgerror.Internal("hash join: retraction matches a row of degree 0")
				}
				degree--
				out.Append(chunk.Delete, joined)
				if degree == 0 {
					out.Append(chunk.Insert, j.padded(1-side, m.row))
				}
			} else {
				if degree == 0 {
					out.Append(chunk.Delete, j.padded(1-side, m.row))
				}
				degree++
				out.Append(chunk.Insert, joined)
			}
			value = append([]byte(nil), value...)
			binary.BigEndian.PutUint64(value, degree)
			degrees[string(m.key)] = value
			other.state.Put(m.key, value)
		}
		if this.preserved && len(p.matches) == 0 {
			out.Append(op, j.padded(side, p.row))
		}
		if retract {
			this.state.Delete(p.key)
		} else {
			var value []byte
			if this.preserved {
				value = binary.BigEndian.AppendUint64(value, uint64(len(p.matches)))
			}
			this.state.Put(p.key, encoding.EncodeRow(value, this.types, p.row))
		}
		if out.Len() >= maxChunkRows {
			emit(out.Build())
		}
	}
	if out.Len() > 0 {
		emit(out.Build())
	}
	return nil
}

// probe returns the other side's rows under each of the join key
// prefixes (nil ones skipped), by prefix. The prefixes are read in key
// order through one iterator (StateTable.ScanPrefixes), each once.
func (j *HashJoin) probe(side int, prefixes [][]byte) (map[string][]joinMatch, error) {
	other := &j.sides[1-side]
	var sorted [][]byte
	for _, p := range prefixes {
		if p != nil {
			sorted = append(sorted, p)
		}
	}
	slices.SortFunc(sorted, bytes.Compare)
	sorted = slices.CompactFunc(sorted, bytes.Equal)
	found := make(map[string][]joinMatch, len(sorted))
	err := other.state.ScanPrefixes(sorted, func(i int, key, value []byte) (bool, error) {
		encoded := value
		if other.preserved {
			encoded = value[8:]
		}
		match, err := encoding.DecodeRow(other.types, encoded)
		if err != nil {
			return false, err
		}
		m := joinMatch{key: append([]byte(nil), key...), value: append([]byte(nil), value...), row: match}
		found[string(sorted[i])] = append(found[string(sorted[i])], m)
		return true, nil
	})
	return found, err
}

// joined is the output row of row (of side) and match (of the other side).
func (j *HashJoin) joined(side int, row, match []types.Datum) []types.Datum {
	out := make([]types.Datum, 0, len(j.outTypes))
	if side == 0 {
		return append(append(out, row...), match...)
	}
	return append(append(out, match...), row...)
}

// padded is the output row of an unmatched row of side.
func (j *HashJoin) padded(side int, row []types.Datum) []types.Datum {
	out := make([]types.Datum, len(j.outTypes))
	if side == 0 {
		copy(out, row)
	} else {
		copy(out[len(j.sides[0].types):], row)
	}
	return out
}

func hasNull(values []types.Datum) bool {
	for _, v := range values {
		if v == nil {
			return true
		}
	}
	return false
}
