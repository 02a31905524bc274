package mview

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
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
	// err is the first error an operator met: a view being created fails
	// with it; a live dataflow's error aborts the epoch (internalError).
	err    atomic.Pointer[error]
	errors atomic.Int64
	// internalError reports an operator's error to the runtime, which
	// aborts the epoch and recovers; nil in tests that drive operators
	// alone.
	internalError func(op string, err error)

	tasksMu sync.Mutex
	tasks   []*task
}

// fail records an operator error: every error an operator returns is an
// internal one (a row's expression errors are data, see doc.go), so the
// chunk or barrier it failed on cannot be skipped without losing changes,
// and the epoch aborts. The operator goes on until the recovery stops it.
func (d *dataflow) fail(op string, err error) {
	d.errors.Add(1)
	metricOperatorErrors.WithLabelValues(op).Inc()
	d.err.CompareAndSwap(nil, &err)
	d.logger.Error("mview: operator error", "dataflow", d.id, "operator", op, "err", err)
	if d.internalError != nil {
		d.internalError(op, err)
	}
}

// stuckTask returns the name of an operator that entered the barrier of
// epoch and has not forwarded it, or "".
func (d *dataflow) stuckTask(epoch uint64) string {
	d.tasksMu.Lock()
	defer d.tasksMu.Unlock()
	for _, t := range d.tasks {
		if t.entered.Load() == epoch && t.passed.Load() < epoch {
			return t.name
		}
	}
	return ""
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
	// sides gives the operator's input side of each input (a join
	// instance reads every sender of two exchanges); nil when input i is
	// side i.
	sides []int
	// out receives the operator's output; it blocks when downstream is
	// full (backpressure) and fails only when ctx is done.
	out func(ctx context.Context, m Message) bool

	// entered and passed are the epochs of the last barrier the operator
	// was given and the last it forwarded, for naming the operator that
	// holds an epoch back.
	entered, passed atomic.Uint64
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
	t.df.tasksMu.Lock()
	t.df.tasks = append(t.df.tasks, t)
	t.df.tasksMu.Unlock()
	ok := true
	emit := func(c *chunk.Chunk) {
		if ok && c.Len() > 0 {
			ok = t.out(ctx, c)
		}
	}
	// pending[i] is the barrier received on input i that another input
	// has not delivered yet; input i is not read meanwhile.
	pending := make([]*Barrier, len(t.inputs))
	var cases []reflect.SelectCase
	for ok {
		input, m, received := t.receive(ctx, pending, &cases)
		if !received {
			return
		}
		switch m := m.(type) {
		case *chunk.Chunk:
			side := input
			if t.sides != nil {
				side = t.sides[input]
			}
			if err := safely(func() error { return t.op.chunk(side, m, emit) }); err != nil {
				t.df.fail(t.name, err)
			}
		case Watermark:
			// No operator maps watermarks yet: they are dropped here
			// rather than forwarded with a column index that may be wrong.
		case *Barrier:
			pending[input] = m
			if done, err := aligned(pending); err != nil {
				// A bug upstream: the epoch aborts, and the operator
				// stops rather than forward a barrier it cannot trust.
				t.df.fail(t.name, err)
				<-ctx.Done()
				return
			} else if !done {
				continue
			}
			clear(pending)
			t.entered.Store(m.Epoch)
			if err := safely(func() error { return t.op.barrier(m, emit) }); err != nil {
				t.df.fail(t.name, err)
			}
			if ok = ok && t.out(ctx, m); !ok {
				return
			}
			t.passed.Store(m.Epoch)
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
// kernel — into an XX000 error, which aborts the epoch like any operator
// error instead of ending the server and every session with it.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = pgerror.Internal("operator panic: %v", r)
		}
	}()
	return f()
}

// receive reads the next message from an input not held by a pending
// barrier, and returns the input's index. cases is kept from call to call
// for tasks of more than two inputs.
func (t *task) receive(ctx context.Context, pending []*Barrier, cases *[]reflect.SelectCase) (int, Message, bool) {
	switch len(t.inputs) {
	case 1:
		select {
		case m := <-t.inputs[0]:
			return 0, m, true
		case <-ctx.Done():
			return 0, nil, false
		}
	case 2:
		// A nil channel is never ready, which mutes a held input.
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
	// The instances of an exchange's receivers read one input per sender.
	if *cases == nil {
		*cases = make([]reflect.SelectCase, len(t.inputs)+1)
		(*cases)[len(t.inputs)] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())}
	}
	for i, in := range t.inputs {
		(*cases)[i] = reflect.SelectCase{Dir: reflect.SelectRecv}
		if pending[i] == nil {
			(*cases)[i].Chan = reflect.ValueOf(in)
		}
	}
	chosen, value, ok := reflect.Select(*cases)
	if chosen == len(t.inputs) || !ok {
		return 0, nil, false
	}
	return chosen, value.Interface(), true
}

// aligned reports whether every input delivered its barrier; barriers of
// different epochs are a bug upstream.
func aligned(pending []*Barrier) (bool, error) {
	for _, b := range pending {
		if b == nil {
			return false, nil
		}
	}
	for _, b := range pending[1:] {
		if b.Epoch != pending[0].Epoch {
			return false, pgerror.Internal("barriers of epochs %d and %d aligned", pending[0].Epoch, b.Epoch)
		}
	}
	return true, nil
}
