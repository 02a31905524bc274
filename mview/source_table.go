package mview

import (
	"context"
	"fmt"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/storage"
)

// tableWrite is one DML chunk on its way from a TableWriter to the table's
// source, with the writer's sequence number and row-id counter after it.
type tableWrite struct {
	chunk     *chunk.Chunk
	seq       uint64
	nextRowID int64
}

// TableSource is the source of a table's dataflow: one channel carries the
// DML chunks of the table's TableWriter and the barriers the coordinator
// injects, so every write falls into exactly the epoch it was sent in.
//
// Input: full-row change chunks, already checked by the session (keys
// unique, retractions of existing rows). Retractions are passed through.
// State: none of its own; at each barrier it writes the table's row-id
// counter (meta "row_id/<table id>", tables without a primary key) into the
// epoch batch and tells the writer the last write sequence the epoch
// carries, so that the writer's in-flight overlay drops those writes once
// the epoch committed. Ownership: the writer's chunks are forwarded as they
// are.
type TableSource struct {
	tableID   uint32
	input     chan Message
	writer    *TableWriter
	out       chan<- Message
	df        *dataflow
	hasRowID  bool
	nextRowID int64
}

// rowIDMeta names the meta entry holding a table's next row id.
func rowIDMeta(tableID uint32) string { return fmt.Sprintf("row_id/%d", tableID) }

func (s *TableSource) run(ctx context.Context) {
	var lastSeq uint64
	rowIDChanged := false
	send := sendTo(s.out)
	for {
		var m Message
		select {
		case m = <-s.input:
		case <-ctx.Done():
			return
		}
		switch m := m.(type) {
		case *tableWrite:
			lastSeq = m.seq
			if m.nextRowID != s.nextRowID {
				s.nextRowID, rowIDChanged = m.nextRowID, true
			}
			if !send(ctx, m.chunk) {
				return
			}
		case *Barrier:
			if rowIDChanged && s.hasRowID {
				storage.PutMetaUint64(m.Batch, rowIDMeta(s.tableID), uint64(s.nextRowID))
				rowIDChanged = false
			}
			s.writer.passed(m.Epoch, lastSeq)
			if !send(ctx, m) || m.stops(s.tableID) {
				return
			}
		}
	}
}
