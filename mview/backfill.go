package mview

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// StreamScan is the leaf of a view's dataflow that reads a stored relation:
// first, for a view being created, every row of the relation as of the
// epoch N at whose barrier it subscribed (a snapshot, as Insert chunks of
// up to 1024 rows), then the relation's changes after barrier N as the
// relation's Dispatcher delivers them. Snapshot and changes meet with no
// gap and no overlap: the snapshot holds exactly the epochs up to N, the
// subscription exactly the epochs after it.
//
// The live changes are not read during the backfill, so the relation's
// Materialize blocks once the subscription channel is full; the epoch after
// N cannot commit before the backfill is done anyway.
//
// The backfill stops at the next chunk once abandon is closed (the create
// was cancelled; the view is dropped at the epoch after N), and the scan
// goes on forwarding barriers so that epoch can commit.
//
// Input: the relation's change chunks with all its columns. Output: the
// selected Columns, filtered by the pushed-down Filter with update pairs
// kept whole (see Filter). State: none; a restored view does not backfill.
// Ownership: output chunks share the input's arrays; nobody modifies them.
type StreamScan struct {
	rel      *catalog.Relation
	columns  []int
	outTypes []types.T
	filter   *Filter
	input    chan Message
	// snapshot delivers the snapshot of epoch N once it committed; nil when
	// there is nothing to backfill.
	snapshot chan *storage.Snapshot
	abandon  <-chan struct{}
	out      chan<- Message
	df       *dataflow
}

func (s *StreamScan) run(ctx context.Context) {
	send := sendTo(s.out)
	emit := func(c *chunk.Chunk) bool {
		if s.filter != nil {
			ok := true
			err := s.filter.chunk(0, c, func(c *chunk.Chunk) {
				if c.Len() > 0 {
					ok = send(ctx, c)
				}
			})
			if err != nil {
				s.df.fail("stream scan", err)
			}
			return ok
		}
		return send(ctx, c)
	}
	if s.snapshot != nil {
		var snap *storage.Snapshot
		select {
		case snap = <-s.snapshot:
		case <-ctx.Done():
			return
		}
		err := s.backfill(snap, emit)
		_ = snap.Close()
		if err != nil {
			s.df.fail("stream scan", fmt.Errorf("mview: backfill of %s: %w", s.rel.Name, err))
		}
	}
	for {
		var m Message
		select {
		case m = <-s.input:
		case <-ctx.Done():
			return
		}
		switch m := m.(type) {
		case *chunk.Chunk:
			if m.Len() > 0 && !emit(s.project(m)) {
				return
			}
		case *Barrier:
			if s.filter != nil {
				s.filter.errors.flush(m.Batch)
			}
			if !send(ctx, m) || m.stops(s.df.id) {
				return
			}
		}
	}
}

// backfillProgressEvery is how often a long backfill logs the rows it has
// read so far, so that whoever waits on a CREATE MATERIALIZED VIEW over a
// big table can tell it is moving.
var backfillProgressEvery = 2 * time.Second

// backfill emits every row of the relation in snap.
func (s *StreamScan) backfill(snap *storage.Snapshot, emit func(*chunk.Chunk) bool) (err error) {
	started := time.Now()
	lastLog := started
	var rows int64
	log, view := slog.Default(), uint32(0)
	if s.df != nil { // a scan tested on its own has no dataflow
		log, view = s.df.logger, s.df.id
	}
	log = log.With("view", view, "reading", s.rel.QualifiedName(), "epoch", snap.Epoch())
	defer func() {
		switch {
		case err != nil: // the caller records it as the dataflow's error, which logs it
		case s.abandoned():
			log.Info("view build abandoned", "rows", rows, "duration", time.Since(started).Round(time.Millisecond))
		default:
			log.Info("view build read its input", "rows", rows, "duration", time.Since(started).Round(time.Millisecond))
		}
	}()
	ts := s.rel.ColumnTypes()
	row := make([]types.Datum, len(ts))
	b := chunk.NewBuilder(s.outTypes)
	out := make([]types.Datum, len(s.columns))
	prefix := storage.TablePrefix(s.rel.ID)
	stopped := false
	err = snap.Scan(prefix, storage.PrefixEnd(prefix), func(_, value []byte) (bool, error) {
		if err := encoding.DecodeRowInto(row, ts, value); err != nil {
			return false, err
		}
		for i, c := range s.columns {
			out[i] = row[c]
		}
		b.Append(chunk.Insert, out)
		rows++
		if b.Len() == maxChunkRows {
			if now := time.Now(); now.Sub(lastLog) >= backfillProgressEvery {
				lastLog = now
				log.Info("view build in progress", "rows", rows, "elapsed", now.Sub(started).Round(time.Millisecond))
			}
			if s.abandoned() || !emit(b.Build()) {
				stopped = true
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil || stopped {
		return err
	}
	if b.Len() > 0 && !s.abandoned() {
		emit(b.Build())
	}
	return nil
}

// abandoned reports whether the view's create gave up on it.
func (s *StreamScan) abandoned() bool {
	select {
	case <-s.abandon:
		return true
	default:
		return false
	}
}

// project keeps the selected columns of a change chunk of the relation.
func (s *StreamScan) project(c *chunk.Chunk) *chunk.Chunk {
	if len(s.columns) == len(c.Types) && isIdentity(s.columns) {
		return c
	}
	cols := make([]arrow.Array, len(s.columns))
	for i, col := range s.columns {
		cols[i] = c.Column(col)
	}
	return &chunk.Chunk{
		Types: s.outTypes,
		Batch: array.NewRecordBatch(chunk.Schema(s.outTypes), cols, int64(c.Len())),
		Ops:   c.Ops,
	}
}

func isIdentity(cols []int) bool {
	for i, c := range cols {
		if i != c {
			return false
		}
	}
	return true
}
