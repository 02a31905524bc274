package mview

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// # Row errors
//
// An expression that fails on one row (division by zero, overflow, invalid
// input) must neither stop a view nor drop the rest of the chunk: the
// operator evaluates with expr.EvalTolerant, the failing value is NULL (a
// failing predicate is false), and every other row flows. The retraction
// of the row computes the same NULL, so the view stays exact for every
// good row and updating the bad row updates the view.
//
// Each such error is counted (eddy_view_row_errors_total) and recorded in
// eddy_catalog.view_errors: the rows a view lacks a value for now. A
// record is keyed by (view, operator, row key, sqlstate) under
// storage.ViewErrorPrefix(view): the operator's position in its dataflow
// (2 bytes), EncodeKey of the row's stream key, then the SQLSTATE; the
// value holds the operator's kind, the message, the epoch, the time and the
// row key as text. An insertion of a failing row (Insert, UpdateAfter)
// writes its record, a retraction (Delete, UpdateBefore) removes it, in
// row order, so the same row failing again is held once and a row that was
// fixed or deleted leaves the list. The records go into the epoch's batch
// at the barrier and commit with the state they explain; dropping the view
// deletes them (deleteTables).

// rowErrorLog records the row errors of one operator of a view's
// dataflow. A nil log tolerates row errors without recording them.
type rowErrorLog struct {
	view     uint32
	viewName string // for the metric's label
	operator string // the operator's kind, as view_errors shows it
	position uint16 // the operator's place in its dataflow, to tell two of a kind apart
	// key lists the columns identifying a row of the chunks the operator
	// evaluates over (their stream key), with their names and types.
	key      []int
	keyNames []string
	keyTypes []types.T
	// pending holds the epoch's records by storage key (nil: removed), in
	// order of first change.
	pending map[string][]byte
	order   []string
}

// newRowErrorLog returns the log of an operator of view's dataflow whose
// input rows have the given column names and types and are identified by
// columns key.
func newRowErrorLog(view uint32, viewName, operator string, position int, names []string, ts []types.T, key []int) *rowErrorLog {
	l := &rowErrorLog{view: view, viewName: viewName, operator: operator, position: uint16(position), key: key, pending: map[string][]byte{}}
	for _, k := range key {
		l.keyNames = append(l.keyNames, names[k])
		l.keyTypes = append(l.keyTypes, ts[k])
	}
	return l
}

// forInstance returns a log of the same operator for another of its
// instances: the rows of one key go through one instance, so their records
// stay in order.
func (l *rowErrorLog) forInstance() *rowErrorLog {
	if l == nil {
		return nil
	}
	c := *l
	c.pending, c.order = map[string][]byte{}, nil
	return &c
}

// viewErrorTypes are the columns of a record's value: operator, message,
// epoch (filled at the barrier), time and the row's key as text.
var viewErrorTypes = []types.T{types.Text, types.Text, types.Int64, types.TimestampTZ, types.Text}

// record notes the errors rows of c raised, which may come from several
// expressions: they are applied in row order, so an update pair's
// UpdateBefore takes its record back before its UpdateAfter writes one. An
// operator that reads its state after evaluating calls it once every read
// that can fail is done, or holds the errors in a rowErrorBatch until then.
func (l *rowErrorLog) record(c *chunk.Chunk, errs []expr.RowError) {
	b := l.batch()
	b.add(c, errs)
	b.commit()
}

// rowErrorBatch holds the row errors of one chunk until the operator has
// read everything the chunk needs: a chunk whose read fails is not
// applied, so its errors must be neither recorded nor counted.
type rowErrorBatch struct {
	log     *rowErrorLog
	records []rowErrorRecord
}

type rowErrorRecord struct {
	key   string
	value []byte // nil: removed
}

// batch returns an empty batch of l's records.
func (l *rowErrorLog) batch() *rowErrorBatch { return &rowErrorBatch{log: l} }

// add holds the errors rows of c raised, in row order (see record).
func (b *rowErrorBatch) add(c *chunk.Chunk, errs []expr.RowError) {
	l := b.log
	if l == nil || len(errs) == 0 {
		return
	}
	slices.SortStableFunc(errs, func(a, b expr.RowError) int { return a.Row - b.Row })
	now := types.Timestamp(time.Now().UnixMicro())
	for _, re := range errs {
		values := make([]types.Datum, len(l.key))
		for k, col := range l.key {
			values[k] = c.Datum(re.Row, col)
		}
		key := binary.BigEndian.AppendUint16(storage.ViewErrorPrefix(l.view), l.position)
		key = encoding.EncodeKey(key, l.keyTypes, values)
		key = append(key, re.Err.Code...)
		var value []byte
		if !c.Op(re.Row).IsRetraction() {
			value = encoding.EncodeRow(nil, viewErrorTypes, []types.Datum{l.operator, re.Err.Message, nil, now, l.keyText(values)})
		}
		b.records = append(b.records, rowErrorRecord{key: string(key), value: value})
	}
}

// commit records and counts the errors the batch holds, in the order they
// were added.
func (b *rowErrorBatch) commit() {
	l := b.log
	if l == nil || len(b.records) == 0 {
		return
	}
	metricViewRowErrors.WithLabelValues(l.viewName, l.operator).Add(float64(len(b.records)))
	for _, r := range b.records {
		if _, seen := l.pending[r.key]; !seen {
			l.order = append(l.order, r.key)
		}
		l.pending[r.key] = r.value
	}
	b.records = b.records[:0]
}

// keyText prints a row key as PostgreSQL's key details do: (a, b)=(1, x).
func (l *rowErrorLog) keyText(values []types.Datum) string {
	text := make([]string, len(values))
	for i, v := range values {
		if v == nil {
			text[i] = "NULL"
		} else {
			text[i] = types.FormatText(l.keyTypes[i], v)
		}
	}
	return "(" + strings.Join(l.keyNames, ", ") + ")=(" + strings.Join(text, ", ") + ")"
}

// flush writes the epoch's records into b.
func (l *rowErrorLog) flush(b *storage.EpochBatch) {
	if l == nil || len(l.order) == 0 {
		return
	}
	for _, key := range l.order {
		value := l.pending[key]
		if value == nil {
			b.Delete([]byte(key))
			continue
		}
		row, err := encoding.DecodeRow(viewErrorTypes, value)
		if err != nil {
			continue // encoded above: cannot fail
		}
		row[2] = int64(b.Epoch())
		b.Set([]byte(key), encoding.EncodeRow(nil, viewErrorTypes, row))
	}
	clear(l.pending)
	l.order = l.order[:0]
}

// ReadViewErrors returns the row errors recorded in r for the views that
// view finds (others are skipped: a view being created or dropped), by view
// and operator, then row key.
func ReadViewErrors(r storage.Reader, view func(id uint32) bool) ([]catalog.ViewError, error) {
	var out []catalog.ViewError
	prefix := storage.ViewErrorPrefix(0)[:1]
	err := r.Scan(prefix, storage.PrefixEnd(prefix), func(key, value []byte) (bool, error) {
		const fixed = 1 + 4 + 2
		if len(key) < fixed+5 {
			return false, fmt.Errorf("mview: view error key %x too short", key)
		}
		id := binary.BigEndian.Uint32(key[1:5])
		if !view(id) {
			return true, nil
		}
		row, err := encoding.DecodeRow(viewErrorTypes, value)
		if err != nil {
			return false, fmt.Errorf("mview: view error %x: %w", key, err)
		}
		out = append(out, catalog.ViewError{
			ViewID:   id,
			Operator: row[0].(string),
			SQLState: string(key[len(key)-5:]),
			Message:  row[1].(string),
			Epoch:    row[2].(int64),
			Time:     row[3],
			RowKey:   row[4].(string),
		})
		return true, nil
	})
	return out, err
}
