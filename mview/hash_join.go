package mview

import (
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// HashJoin is an inner equi-join of two change streams with an optional
// residual Condition over the joined row. Output: the left row's columns
// followed by the right row's.
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
// match and are not stored.
//
// State: StateTables[0] holds the left rows, [1] the right rows, each keyed
// by EncodeKey(join key) + EncodeKey(the side's stream key) with the value
// EncodeRow(row); a probe is a prefix scan on the join key.
//
// Output is emitted per input chunk. Ownership: output chunks are new.
type HashJoin struct {
	sides     [2]joinSide
	outTypes  []types.T
	condition expr.Expr
	evalCtx   *expr.Context
}

type joinSide struct {
	types     []types.T
	joinKeys  []int
	keyTypes  []types.T
	streamKey []int
	skTypes   []types.T
	state     *storage.StateTable
}

// NewHashJoin returns a HashJoin of rows of leftTypes and rightTypes.
func NewHashJoin(leftTypes, rightTypes []types.T, leftKeys, rightKeys, leftStreamKey, rightStreamKey []int,
	condition expr.Expr, leftState, rightState *storage.StateTable, evalCtx *expr.Context) *HashJoin {
	side := func(ts []types.T, keys, sk []int, st *storage.StateTable) joinSide {
		s := joinSide{types: ts, joinKeys: keys, streamKey: sk, state: st}
		for _, k := range keys {
			s.keyTypes = append(s.keyTypes, ts[k])
		}
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
	return j
}

func (j *HashJoin) chunk(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	this, other := &j.sides[side], &j.sides[1-side]
	out := chunk.NewBuilder(j.outTypes)
	joined := make([]types.Datum, len(j.outTypes))
	var probeErr error
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
		op := chunk.Insert
		if c.Op(i).IsRetraction() {
			op = chunk.Delete
			this.state.Delete(key)
		} else {
			this.state.Put(key, encoding.EncodeRow(nil, this.types, row))
		}
		err := other.state.ScanPrefix(prefix, func(_, value []byte) (bool, error) {
			match, err := encoding.DecodeRow(other.types, value)
			if err != nil {
				return false, err
			}
			if side == 0 {
				copy(joined, row)
				copy(joined[len(row):], match)
			} else {
				copy(joined, match)
				copy(joined[len(match):], row)
			}
			out.Append(op, joined)
			return true, nil
		})
		if err != nil && probeErr == nil {
			probeErr = err
		}
		if out.Len() >= maxChunkRows {
			if err := j.emit(out.Build(), emit); err != nil {
				return err
			}
		}
	}
	if out.Len() > 0 {
		if err := j.emit(out.Build(), emit); err != nil {
			return err
		}
	}
	return probeErr
}

// emit applies the residual condition to joined rows and emits them.
func (j *HashJoin) emit(c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	if j.condition == nil {
		emit(c)
		return nil
	}
	pass, err := evalPredicate(j.evalCtx, j.condition, c)
	if err != nil {
		return err
	}
	var rows []int
	var ops []chunk.Op
	for i, p := range pass {
		if p {
			rows, ops = append(rows, i), append(ops, c.Op(i))
		}
	}
	if len(rows) > 0 {
		emit(selectRows(c, rows, ops))
	}
	return nil
}

func (j *HashJoin) barrier(b *Barrier, _ func(*chunk.Chunk)) error {
	j.sides[0].state.Flush(b.Batch)
	j.sides[1].state.Flush(b.Batch)
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
