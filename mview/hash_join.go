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
// distinct join keys in key order through one iterator. The value is
// EncodeRow(row), preceded on a preserved side by the degree as 8 bytes
// big-endian. Keys are stored after the vnode of their join key (vnode.go).
//
// # Memory
//
// What a chunk holds does not grow with the number of matches of a key:
// the batched probe holds the matches of the chunk's keys up to
// joinProbeBudget, and a key whose matches do not fit is read again for
// each of its rows, joinSegmentMatches at a time. The chunk's rows are
// joined in order, maxChunkRows pairs at a time, their condition evaluated
// over the batch, and output is emitted in chunks of maxChunkRows as it
// fills, in the order of the input rows.
//
// The chunk's writes to this side's state, the degrees its batched probe
// read, and its row errors wait until every read is done; only a key read
// in segments writes its matches' degrees as it goes, so that its next
// segment and next row read them. A read that fails after output was
// emitted leaves that output emitted: such a failure is an internal error
// of the epoch, not a row error.
//
// Ownership: output chunks are new.
type HashJoin struct {
	sides     [2]joinSide
	outer     bool
	outTypes  []types.T
	condition expr.Expr
	evalCtx   *expr.Context
	errors    *rowErrorLog
	// probeBudget and segmentMatches are joinProbeBudget and
	// joinSegmentMatches; tests lower them to read every key in segments.
	probeBudget    int
	segmentMatches int
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
		sides:          [2]joinSide{side(leftTypes, leftKeys, leftStreamKey, leftState), side(rightTypes, rightKeys, rightStreamKey, rightState)},
		condition:      condition,
		evalCtx:        evalCtx,
		probeBudget:    joinProbeBudget,
		segmentMatches: joinSegmentMatches,
	}
	j.outTypes = append(append(j.outTypes, leftTypes...), rightTypes...)
	j.sides[0].preserved = kind == planner.LeftJoin || kind == planner.FullJoin
	j.sides[1].preserved = kind == planner.RightJoin || kind == planner.FullJoin
	j.outer = j.sides[0].preserved || j.sides[1].preserved
	return j
}

func (j *HashJoin) chunk(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	this := &j.sides[side]
	rows := make([]joinRow, c.Len())
	prefixes := make([][]byte, c.Len())
	for i := range rows {
		r := &rows[i]
		r.row, r.op = c.Row(i), c.Op(i)
		joinKey := pick(r.row, this.joinKeys)
		if hasNull(joinKey) {
			continue
		}
		prefix := encoding.EncodeKey(nil, this.keyTypes, joinKey)
		r.prefix = prefix[:len(prefix):len(prefix)]
		r.key = encoding.EncodeKey(prefix, this.skTypes, pick(r.row, this.streamKey))
		prefixes[i] = r.prefix
	}
	found, streamed, err := j.probe(side, prefixes)
	if err != nil {
		return err
	}
	p := &joinPass{j: j, side: side, rows: rows, emit: emit, out: chunk.NewBuilder(j.outTypes),
		degrees: map[string][]byte{}, errors: j.errors.batch()}
	if j.condition != nil {
		p.pairs = chunk.NewBuilder(j.outTypes)
	}
	for i := range rows {
		r := &rows[i]
		switch {
		case r.prefix == nil:
		case streamed[string(r.prefix)]:
			if err := p.stream(i); err != nil {
				return err
			}
		default:
			for _, m := range found[string(r.prefix)] {
				if err := p.add(i, m, false); err != nil {
					return err
				}
			}
		}
		p.steps = append(p.steps, joinStep{row: i, end: true})
	}
	if err := p.flush(); err != nil {
		return err
	}
	// Every read is done: the chunk's state changes and row errors stand.
	other := &j.sides[1-side]
	for key, value := range p.degrees {
		other.state.Put([]byte(key), value)
	}
	for _, r := range rows {
		switch {
		case r.prefix == nil:
		case r.op.IsRetraction():
			this.state.Delete(r.key)
		default:
			var value []byte
			if this.preserved {
				value = binary.BigEndian.AppendUint64(value, uint64(r.passed))
			}
			this.state.Put(r.key, encoding.EncodeRow(value, this.types, r.row))
		}
	}
	p.errors.commit()
	if p.out.Len() > 0 {
		emit(p.out.Build())
	}
	return nil
}

// joinRow is a row of a chunk being joined.
type joinRow struct {
	row    []types.Datum
	op     chunk.Op
	prefix []byte // EncodeKey(join key); nil when it has a NULL
	key    []byte // the row's state key: prefix + EncodeKey(stream key)
	// passed counts the matches for which the condition was true: the
	// row's degree on a preserved side.
	passed int
}

// joinStep is a step of a joinPass: a pair of a row and one of its matches,
// or the end of a row's matches.
type joinStep struct {
	row   int
	match joinMatch
	// streamed is set when the match was read by joinPass.stream: its
	// degree is read and written in the state, not in joinPass.degrees.
	streamed bool
	end      bool
}

// joinPass joins one chunk's rows to their matches, in row order and
// holding a bounded number of joined rows: steps collect up to
// maxChunkRows pairs, then flush evaluates the condition over them in one
// batch, emits what they output (and the padded rows of the rows they
// end) and keeps the degrees they change.
type joinPass struct {
	j    *HashJoin
	side int
	rows []joinRow
	emit func(*chunk.Chunk)
	out  *chunk.Builder

	steps []joinStep
	// pairs holds the joined rows of steps' pairs for the condition (nil
	// without one).
	pairs   *chunk.Builder
	npairs  int
	segment []joinMatch
	// degrees holds the stored values of the other side's rows, read by
	// the batched probe, whose degrees the chunk changed: the probe read
	// them before. They are written when the chunk ends.
	degrees map[string][]byte
	errors  *rowErrorBatch
}

// add joins row i to match m.
func (p *joinPass) add(i int, m joinMatch, streamed bool) error {
	p.steps = append(p.steps, joinStep{row: i, match: m, streamed: streamed})
	if p.pairs != nil {
		p.pairs.Append(p.rows[i].op, p.j.joined(p.side, p.rows[i].row, m.row))
	}
	if p.npairs++; p.npairs >= maxChunkRows {
		return p.flush()
	}
	return nil
}

// stream joins row i to the other side's rows under its join key, too
// many to hold: it reads them a segment of segmentMatches at a time,
// each read after the steps before it changed their degrees in the state,
// so that a later row of the same key reads its matches' new degrees.
func (p *joinPass) stream(i int) error {
	other := &p.j.sides[1-p.side]
	prefix := p.rows[i].prefix
	from := prefix
	for {
		if err := p.flush(); err != nil {
			return err
		}
		segment := p.segment[:0]
		err := other.state.ScanPrefixFrom(prefix, from, func(key, value []byte) (bool, error) {
			m, err := other.match(key, value)
			if err != nil {
				return false, err
			}
			segment = append(segment, m)
			return len(segment) < p.j.segmentMatches, nil
		})
		p.segment = segment
		if err != nil {
			return err
		}
		for _, m := range segment {
			if err := p.add(i, m, true); err != nil {
				return err
			}
		}
		if len(segment) < p.j.segmentMatches {
			return nil
		}
		// The key right after the last one read.
		from = append(bytes.Clone(segment[len(segment)-1].key), 0)
	}
}

// flush evaluates the condition over the pending pairs and applies the
// pending steps in order.
func (p *joinPass) flush() error {
	j := p.j
	var pass []bool
	if p.pairs != nil && p.pairs.Len() > 0 {
		joined := p.pairs.Build()
		var rowErrs []expr.RowError
		var err error
		if pass, rowErrs, err = evalPredicate(j.evalCtx, j.condition, joined); err != nil {
			return err
		}
		p.errors.add(joined, rowErrs)
	}
	this, other := &j.sides[p.side], &j.sides[1-p.side]
	k := 0
	for _, s := range p.steps {
		r := &p.rows[s.row]
		op := chunk.Insert
		if r.op.IsRetraction() {
			op = chunk.Delete
		}
		if s.end {
			if this.preserved && r.passed == 0 {
				p.append(op, j.padded(p.side, r.row))
			}
			continue
		}
		if pass != nil && !pass[k] {
			k++
			continue
		}
		k++
		r.passed++
		joined := j.joined(p.side, r.row, s.match.row)
		if !other.preserved {
			p.append(op, joined)
			continue
		}
		value := s.match.value
		if changed, ok := p.degrees[string(s.match.key)]; ok && !s.streamed {
			value = changed
		}
		degree := binary.BigEndian.Uint64(value)
		if op == chunk.Delete {
			if degree == 0 {
				return pgerror.Internal("hash join: retraction matches a row of degree 0")
			}
			degree--
			p.append(chunk.Delete, joined)
			if degree == 0 {
				p.append(chunk.Insert, j.padded(1-p.side, s.match.row))
			}
		} else {
			if degree == 0 {
				p.append(chunk.Delete, j.padded(1-p.side, s.match.row))
			}
			degree++
			p.append(chunk.Insert, joined)
		}
		value = append([]byte(nil), value...)
		binary.BigEndian.PutUint64(value, degree)
		if s.streamed {
			other.state.Put(s.match.key, value)
		} else {
			p.degrees[string(s.match.key)] = value
		}
	}
	p.steps, p.npairs = p.steps[:0], 0
	return nil
}

func (p *joinPass) append(op chunk.Op, row []types.Datum) {
	p.out.Append(op, row)
	if p.out.Len() >= maxChunkRows {
		p.emit(p.out.Build())
	}
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

// match decodes a stored row of the side; key and value are copied.
func (s *joinSide) match(key, value []byte) (joinMatch, error) {
	encoded := value
	if s.preserved {
		encoded = value[8:]
	}
	row, err := encoding.DecodeRow(s.types, encoded)
	if err != nil {
		return joinMatch{}, err
	}
	return joinMatch{key: bytes.Clone(key), value: bytes.Clone(value), row: row}, nil
}

// joinMatchMemory estimates what a held match costs: its bytes, decoded
// datums and the slice slot.
func joinMatchMemory(key, value []byte, columns int) int {
	return 96 + len(key) + 2*len(value) + 16*columns
}

// joinProbeBudget bounds the matches (by joinMatchMemory) a chunk's
// batched probe holds. The matches of a join key that do not fit are read
// again for each row of the key, a segment at a time (joinPass.stream): a
// key with a million matches costs a bounded amount of memory.
const joinProbeBudget = 4 << 20

// joinSegmentMatches is how many matches of a streamed join key are held
// at once.
const joinSegmentMatches = maxChunkRows

// probe returns the other side's rows under each of the join key prefixes
// (nil ones skipped), by prefix, and the prefixes whose rows did not fit in
// probeBudget, whose rows are left out. The prefixes are read in key
// order through one iterator (StateTable.ScanPrefixes), each once.
func (j *HashJoin) probe(side int, prefixes [][]byte) (map[string][]joinMatch, map[string]bool, error) {
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
	streamed := map[string]bool{}
	held, prefixHeld := 0, 0
	current := -1
	err := other.state.ScanPrefixes(sorted, func(i int, key, value []byte) (bool, error) {
		prefix := string(sorted[i])
		if i != current {
			current, prefixHeld = i, 0
		}
		size := joinMatchMemory(key, value, len(other.types))
		if held+size > j.probeBudget {
			delete(found, prefix)
			held -= prefixHeld
			streamed[prefix] = true
			return false, nil
		}
		m, err := other.match(key, value)
		if err != nil {
			return false, err
		}
		held, prefixHeld = held+size, prefixHeld+size
		found[prefix] = append(found[prefix], m)
		return true, nil
	})
	return found, streamed, err
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
