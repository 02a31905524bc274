package mview

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// StreamScan is the leaf of a view's dataflow that reads a stored relation:
// its changes as the relation's Dispatcher delivers them and, while the
// view is being built, the relation's rows as of the last committed epoch,
// a bounded range per epoch (RisingWave's backfill).
//
// A build never holds an epoch open. After each barrier k has passed (for
// a new view: the barrier N that subscribed it) the scan waits until epoch
// k committed, reads from a snapshot of exactly k the next rows in key
// order after the last key it has done, a budget of rows that adapts so
// that an epoch with a range takes about the runtime's
// BackfillTimePerEpoch, and only then reads the changes of epoch k+1.
// Of those, a change to a key at or before the last key done goes
// through; one to a key not reached yet is dropped, because a later
// snapshot range holds it. So every row reaches the view exactly once:
// the snapshot gives the state of its key as of some epoch k, the changes
// passed give every later one. At barrier k+1 the scan writes its progress
// (the last key done, the rows done) into the epoch's batch; a restart
// resumes from the last committed progress. Once a range reads to the end
// of the relation, every change goes through and the scan is done; the
// scan that finishes last ends the view's build at its barrier and deletes
// the stored progress in that epoch.
//
// A scan of a view that is itself being built reads nothing until that
// build committed (and drops every change until then): a half-built
// snapshot is no snapshot.
//
// The scan stops reading once abandon is closed (the create was
// cancelled; the view is dropped at the next epoch), and goes on
// forwarding barriers so that epoch can commit.
//
// Input: the relation's change chunks with all its columns. Output: the
// selected Columns, filtered by the pushed-down Filter with update pairs
// kept whole (see Filter). State: the build's progress, one meta entry per
// scan (storage.BackfillProgress), only while the view is being built.
// Ownership: output chunks share the input's arrays; nobody modifies them.
type StreamScan struct {
	rel      *catalog.Relation
	columns  []int
	outTypes []types.T
	filter   *Filter
	input    chan Message
	abandon  <-chan struct{}
	out      chan<- Message
	df       *dataflow
	store    *storage.Store

	// build is the view's build, nil when the view is built (then the
	// scan only forwards changes). The fields below serve the build.
	build *viewBuild
	// index is the scan's place among the view's scans, which names its
	// stored progress.
	index int
	// inputBuild is the build of the relation read when that is a view
	// being built, nil otherwise.
	inputBuild *viewBuild
	// snapshot delivers the snapshot of the first range: the epoch at
	// whose barrier a new view subscribed, or the last committed epoch
	// of a build resumed at restart.
	snapshot chan *storage.Snapshot
	// snapshotMu guards stopped, set when run returns: a snapshot
	// delivered after that is closed at once.
	snapshotMu sync.Mutex
	stopped    bool
	// progress is what the scan has done, as stored; finished is set once
	// a range reached the end of the relation.
	progress storage.BackfillProgress
	finished bool
	// keyCols and keyTypes give the relation's key, whose encoding orders
	// its rows.
	keyCols  []int
	keyTypes []types.T
	keyBuf   []byte

	// budget is the rows the next range reads: it starts at a chunk and
	// grows by a quarter, up to rowsPerEpoch, while an epoch with a range
	// takes less than half of epochTarget, and shrinks in proportion when
	// one takes longer. What the dataflow downstream does with the rows, not the
	// reading, is what makes a build's epochs long.
	budget       int
	rowsPerEpoch int
	epochTarget  time.Duration
	rangeStarted time.Time
	started      time.Time
	lastLog      time.Time
}

// minBackfillBudget is the fewest rows a range reads, so a build always
// moves on however slow its epochs are.
const minBackfillBudget = 64

// adapt sets the budget of the next range from the duration of the epoch
// that read the last one.
func (s *StreamScan) adapt(epoch time.Duration) {
	switch {
	case epoch < s.epochTarget/2:
		s.budget = min(s.budget+s.budget/4+1, s.rowsPerEpoch)
	case epoch > s.epochTarget:
		s.budget = max(minBackfillBudget, int(float64(s.budget)*float64(s.epochTarget)/float64(epoch)))
	}
	s.budget = min(s.budget, s.rowsPerEpoch)
}

// viewBuild is the build of one view: the scans that have not finished
// and, once the last finished, the epoch at whose barrier it did.
type viewBuild struct {
	viewID  uint32
	pending atomic.Int32
	// builtAt is the epoch that ended the build, 0 before.
	builtAt atomic.Uint64
	// built is closed by the coordinator once epoch builtAt committed.
	built         chan struct{}
	builtSignaled bool // guarded by Runtime.mu
	// failed is closed when a scan cannot go on reading (a storage
	// error); the build then never ends.
	failed     chan struct{}
	failedOnce sync.Once
	// inputs are the builds of the views being built that its scans read:
	// it reads nothing of them before they end.
	inputs []*viewBuild
}

func newViewBuild(viewID uint32, scans int) *viewBuild {
	vb := &viewBuild{viewID: viewID, built: make(chan struct{}), failed: make(chan struct{})}
	vb.pending.Store(int32(scans))
	return vb
}

// stalled reports whether a scan of the build cannot go on.
func (vb *viewBuild) stalled() bool {
	select {
	case <-vb.failed:
		return true
	default:
		return false
	}
}

// blocked reports whether the build cannot end: a scan of it cannot go
// on, or it waits for a build that is blocked. Epochs then do nothing for
// it, so the coordinator does not run them on its behalf.
func (vb *viewBuild) blocked() bool {
	if vb.stalled() {
		return true
	}
	for _, in := range vb.inputs {
		if in.builtAt.Load() == 0 && in.blocked() {
			return true
		}
	}
	return false
}

// builtBy reports whether the build had ended by epoch (a nil build is a
// view built long ago, or a table).
func (vb *viewBuild) builtBy(epoch uint64) bool {
	if vb == nil {
		return true
	}
	at := vb.builtAt.Load()
	return at != 0 && at <= epoch
}

// deliver hands the scan the snapshot of its first range. A scan that has
// stopped (its dataflow dropped, cancelled or torn down by a recovery)
// closes it instead, so no snapshot outlives its reader.
func (s *StreamScan) deliver(snap *storage.Snapshot) {
	s.snapshotMu.Lock()
	defer s.snapshotMu.Unlock()
	if s.stopped {
		_ = snap.Close()
		return
	}
	s.snapshot <- snap // one delivery per scan: the buffer holds it
}

// stopReading closes the snapshot delivered and not read.
func (s *StreamScan) stopReading() {
	s.snapshotMu.Lock()
	defer s.snapshotMu.Unlock()
	s.stopped = true
	select {
	case snap := <-s.snapshot:
		_ = snap.Close()
	default:
	}
}

func (s *StreamScan) run(ctx context.Context) {
	defer s.stopReading()
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
	if s.reading() {
		var snap *storage.Snapshot
		select {
		case snap = <-s.snapshot:
		case <-ctx.Done():
			return
		}
		ok := s.readRange(snap, emit)
		_ = snap.Close()
		if !ok {
			return
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
			if s.reading() {
				m = s.gate(m)
			}
			if m.Len() > 0 && !emit(s.project(m)) {
				return
			}
		case *Barrier:
			if s.filter != nil {
				s.filter.errors.flush(m.Batch)
			}
			s.recordProgress(m)
			if !send(ctx, m) || m.stops(s.df.id) {
				return
			}
			if !s.reading() {
				continue
			}
			snap, err := s.store.SnapshotAt(ctx, m.Epoch)
			if ctx.Err() != nil {
				return
			}
			if err == nil && snap.Epoch() != m.Epoch {
				_ = snap.Close()
				err = pgerror.Internal("snapshot of epoch %d read for epoch %d: an epoch committed past an open build", snap.Epoch(), m.Epoch)
			}
			if err != nil {
				s.stall(err)
				continue
			}
			s.adapt(time.Since(s.rangeStarted))
			ok := s.readRange(snap, emit)
			_ = snap.Close()
			if !ok {
				return
			}
		}
	}
}

// reading reports whether the scan still has snapshot ranges to read.
func (s *StreamScan) reading() bool {
	return s.build != nil && !s.finished && !s.progress.Done
}

// stall records an error that keeps the scan from reading on: the build
// can no longer end, and whoever waits for it is told.
func (s *StreamScan) stall(err error) {
	s.df.fail("stream scan", fmt.Errorf("mview: backfill of %s: %w", s.rel.Name, err))
	s.build.failedOnce.Do(func() { close(s.build.failed) })
	s.build = nil
}

// backfillProgressEvery is how often a long backfill logs the rows it has
// read so far, so that whoever waits on a CREATE MATERIALIZED VIEW over a
// big table can tell it is moving.
var backfillProgressEvery = 2 * time.Second

// readRange emits the next range of the relation's rows in snap: after the
// last key done, up to the scan's budget. It returns false when the output
// is gone (the dataflow is stopping).
func (s *StreamScan) readRange(snap *storage.Snapshot, emit func(*chunk.Chunk) bool) bool {
	if s.abandoned() || !s.inputBuild.builtBy(snap.Epoch()) {
		return true
	}
	now := time.Now()
	if s.started.IsZero() {
		s.started, s.lastLog = now, now
	}
	s.rangeStarted = now
	// Reading alone may take at most the epoch's target, whatever the
	// budget.
	deadline := now.Add(s.epochTarget)
	log := s.logger().With("reading", s.rel.QualifiedName(), "epoch", snap.Epoch())
	ts := s.rel.ColumnTypes()
	row := make([]types.Datum, len(ts))
	b := chunk.NewBuilder(s.outTypes)
	out := make([]types.Datum, len(s.columns))
	prefix := storage.TablePrefix(s.rel.ID)
	lower := prefix
	if len(s.progress.LastKey) > 0 {
		lower = storage.KeyAfter(append(append([]byte(nil), prefix...), s.progress.LastKey...))
	}
	read, stopped, budgetSpent := 0, false, false
	flush := func() bool {
		if b.Len() == 0 {
			return true
		}
		if !emit(b.Build()) {
			stopped = true
			return false
		}
		return true
	}
	err := snap.Scan(lower, storage.PrefixEnd(prefix), func(key, value []byte) (bool, error) {
		if read >= s.budget || (read%maxChunkRows == 0 && read > 0 && time.Now().After(deadline)) {
			budgetSpent = true
			return false, nil
		}
		if err := encoding.DecodeRowInto(row, ts, value); err != nil {
			return false, err
		}
		for i, c := range s.columns {
			out[i] = row[c]
		}
		b.Append(chunk.Insert, out)
		s.progress.LastKey = append(s.progress.LastKey[:0], key[len(prefix):]...)
		s.progress.Rows++
		read++
		if b.Len() == maxChunkRows {
			if now := time.Now(); now.Sub(s.lastLog) >= backfillProgressEvery {
				s.lastLog = now
				log.Info("view build in progress", "rows", s.progress.Rows, "elapsed", now.Sub(s.started).Round(time.Millisecond))
			}
			if s.abandoned() || !flush() {
				budgetSpent = true
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		s.stall(err)
		return true
	}
	if stopped {
		return false
	}
	if !flush() {
		return false
	}
	if !budgetSpent && !s.abandoned() {
		s.finished = true
		log.Info("view build read its input", "rows", s.progress.Rows, "duration", time.Since(s.started).Round(time.Millisecond))
	}
	return true
}

// recordProgress writes the scan's progress into the batch of barrier b;
// the scan that finishes its view's build last ends the build there.
func (s *StreamScan) recordProgress(b *Barrier) {
	if s.build == nil || s.progress.Done {
		return
	}
	if s.abandoned() {
		return // the view is dropped in this epoch
	}
	s.progress.Done = s.finished
	storage.PutBackfillProgress(b.Batch, s.build.viewID, s.index, s.progress)
	if s.progress.Done && s.build.pending.Add(-1) == 0 {
		storage.DeleteBackfillProgress(b.Batch, s.build.viewID)
		s.build.builtAt.Store(b.Epoch)
		s.logger().Info("view built", "epoch", b.Epoch, "duration", time.Since(time.UnixMicro(s.progress.StartedAt)).Round(time.Millisecond))
	}
}

func (s *StreamScan) logger() *slog.Logger {
	if s.df == nil { // a scan tested on its own has no dataflow
		return slog.Default()
	}
	return s.df.logger.With("view", s.df.id)
}

// gate keeps the changes of c to keys the scan has done (at or before its
// last key); the others are left to a later snapshot range.
func (s *StreamScan) gate(c *chunk.Chunk) *chunk.Chunk {
	var keep []bool
	s.keyBuf, keep = keysDone(c, s.keyCols, s.keyTypes, s.progress.LastKey, s.keyBuf)
	return keptRows(c, keep)
}

// keysDone marks the rows of c whose key, encoded as the relation stores
// it, is at or before last (an empty last: no key is done yet). buf is
// reused for the encodings and returned.
func keysDone(c *chunk.Chunk, keyCols []int, keyTypes []types.T, last []byte, buf []byte) ([]byte, []bool) {
	keep := make([]bool, c.Len())
	if len(last) == 0 {
		return buf, keep
	}
	key := make([]types.Datum, len(keyCols))
	for i := range keep {
		for k, col := range keyCols {
			key[k] = c.Datum(i, col)
		}
		buf = encoding.EncodeKey(buf[:0], keyTypes, key)
		keep[i] = bytes.Compare(buf, last) <= 0
	}
	return buf, keep
}

// keptRows returns the rows of c marked kept. An update whose other half
// is dropped becomes a Delete or an Insert, so pairs stay whole.
func keptRows(c *chunk.Chunk, keep []bool) *chunk.Chunk {
	all := true
	for _, k := range keep {
		all = all && k
	}
	if all {
		return c
	}
	var rows []int
	var ops []chunk.Op
	for i := 0; i < c.Len(); i++ {
		if !keep[i] {
			continue
		}
		op := c.Op(i)
		switch {
		case op == chunk.UpdateBefore && (i+1 >= c.Len() || !keep[i+1]):
			op = chunk.Delete
		case op == chunk.UpdateAfter && (i == 0 || !keep[i-1]):
			op = chunk.Insert
		}
		rows, ops = append(rows, i), append(ops, op)
	}
	return selectRows(c, rows, ops)
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
