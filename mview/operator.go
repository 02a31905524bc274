package mview

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// maxChunkRows bounds the rows of the chunks operators build.
const maxChunkRows = 1024

// operator is the logic of one streaming operator, apart from the goroutine
// and channels that drive it (task), so tests can drive it directly.
type operator interface {
	// chunk processes a chunk that arrived on input side (0, or 1 for the
	// right input of a join) and emits any output chunks.
	chunk(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error
	// barrier is called once barrier b arrived on every input: the operator
	// emits what it held back for the epoch and flushes its state into
	// b.Batch. The barrier is forwarded after it returns.
	barrier(b *Barrier, emit func(*chunk.Chunk)) error
}

// afterBarrier is implemented by operators that act once a barrier has been
// forwarded (Materialize reports it collected).
type afterBarrier interface {
	afterBarrier(b *Barrier)
}

// dataflow is what the operators of one dataflow share.
type dataflow struct {
	id      uint32 // the relation the dataflow maintains
	logger  *slog.Logger
	evalCtx *expr.Context
	// err is the first error an operator met; the dataflow goes on (it
	// skips the chunk that failed), but a view being created fails.
	err    atomic.Pointer[error]
	errors atomic.Int64
}

// fail records an operator error. Operators do not stop on errors: a stopped
// operator would hold every epoch back.
func (d *dataflow) fail(op string, err error) {
	d.errors.Add(1)
	metricOperatorErrors.WithLabelValues(op).Inc()
	d.err.CompareAndSwap(nil, &err)
	d.logger.Error("mview: operator error", "dataflow", d.id, "operator", op, "err", err)
}

// firstError returns the first error recorded, or nil.
func (d *dataflow) firstError() error {
	if p := d.err.Load(); p != nil {
		return *p
	}
	return nil
}

// task runs one operator in its own goroutine: it reads its inputs, aligns
// barriers across them, and sends what the operator emits on out.
type task struct {
	name   string
	df     *dataflow
	op     operator
	inputs []<-chan Message
	// out receives the operator's output; it blocks when downstream is
	// full (backpressure) and fails only when ctx is done.
	out func(ctx context.Context, m Message) bool
}

// sendTo returns an out function writing to ch.
func sendTo(ch chan<- Message) func(ctx context.Context, m Message) bool {
	return func(ctx context.Context, m Message) bool {
		select {
		case ch <- m:
			return true
		case <-ctx.Done():
			return false
		}
	}
}

func (t *task) run(ctx context.Context) {
	ok := true
	emit := func(c *chunk.Chunk) {
		if ok && c.Len() > 0 {
			ok = t.out(ctx, c)
		}
	}
	// pending[i] is the barrier received on input i that the other input
	// has not delivered yet; input i is not read meanwhile.
	pending := make([]*Barrier, len(t.inputs))
	for ok {
		side, m, received := t.receive(ctx, pending)
		if !received {
			return
		}
		switch m := m.(type) {
		case *chunk.Chunk:
			if err := safely(func() error { return t.op.chunk(side, m, emit) }); err != nil {
				t.df.fail(t.name, err)
			}
		case Watermark:
			// No operator maps watermarks yet: they are dropped here
			// rather than forwarded with a column index that may be wrong.
		case *Barrier:
			pending[side] = m
			if !aligned(pending) {
				continue
			}
			clear(pending)
			if err := safely(func() error { return t.op.barrier(m, emit) }); err != nil {
				t.df.fail(t.name, err)
			}
			if ok = ok && t.out(ctx, m); !ok {
				return
			}
			if ab, isAfter := t.op.(afterBarrier); isAfter {
				ab.afterBarrier(m)
			}
			if m.stops(t.df.id) {
				return
			}
		}
	}
}

// safely runs f, turning a panic — a bug in an operator or an expression
// kernel — into an XX000 error, so the chunk is skipped and counted like any
// operator error instead of ending the server and every session with it.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = pgerror.Internal("operator panic: %v", r)
		}
	}()
	return f()
}

// receive reads the next message from an input not held by a pending
// barrier.
func (t *task) receive(ctx context.Context, pending []*Barrier) (int, Message, bool) {
	if len(t.inputs) == 1 {
		select {
		case m := <-t.inputs[0]:
			return 0, m, true
		case <-ctx.Done():
			return 0, nil, false
		}
	}
	// Two inputs: a nil channel is never ready, which mutes a held input.
	left, right := t.inputs[0], t.inputs[1]
	if pending[0] != nil {
		left = nil
	}
	if pending[1] != nil {
		right = nil
	}
	select {
	case m := <-left:
		return 0, m, true
	case m := <-right:
		return 1, m, true
	case <-ctx.Done():
		return 0, nil, false
	}
}

func aligned(pending []*Barrier) bool {
	for _, b := range pending {
		if b == nil {
			return false
		}
	}
	if len(pending) == 2 && pending[0].Epoch != pending[1].Epoch {
		panic("mview: barriers of different epochs aligned")
	}
	return true
}
