package mview

import (
	"context"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
)

// Exchange moves a dataflow's messages from the instances of one fragment
// (its senders) to the instances of the next (its receivers), each
// receiver owning a contiguous range of vnodes (instanceOf). A chunk's rows
// go, as chunks, to the receivers owning the vnodes of their distribution
// columns; barriers and watermarks go to every receiver. Each receiver
// reads one input per sender and aligns barriers across them (task), so
// an epoch's changes from every sender are in before its barrier.
//
// Order: the rows one sender sends one receiver arrive in the order sent;
// rows of different senders interleave. An UpdateBefore/UpdateAfter pair
// whose halves go to different receivers arrives as a Delete at one and an
// Insert at the other (a pair never spans receivers).
//
// The interface is the seam for exchanges between processes: an
// implementation over a Kafka repartition topic would have a partition per
// receiver, each sender producing to it with barriers as markers, and each
// receiver consume its partition and align markers of every sender. Only
// the in-process one, over bounded channels, exists.
type Exchange interface {
	// Send routes m from sender i. It blocks while a receiver it sends to
	// is full (backpressure) and is false only when ctx is done.
	Send(ctx context.Context, sender int, m Message) bool
	// Inputs returns receiver j's inputs, one per sender.
	Inputs(receiver int) []<-chan Message
}

// channelExchange is the in-process Exchange: a bounded channel from each
// sender to each receiver.
type channelExchange struct {
	receivers int
	// distCols are the distribution columns of the rows sent, of types
	// distTypes; none for an exchange into one receiver.
	distCols  []int
	distTypes []types.T
	channels  [][]chan Message // by sender, then receiver
	// keyBufs is each sender's buffer for encoding distribution columns:
	// senders run concurrently.
	keyBufs [][]byte
}

// newChannelExchange returns an exchange from senders to receivers routing
// rows on columns distCols (of types distTypes), with channels of the given
// capacity.
func newChannelExchange(senders, receivers int, distCols []int, distTypes []types.T, capacity int) *channelExchange {
	e := &channelExchange{receivers: receivers, distCols: distCols, distTypes: distTypes,
		channels: make([][]chan Message, senders), keyBufs: make([][]byte, senders)}
	for i := range e.channels {
		e.channels[i] = make([]chan Message, receivers)
		for j := range e.channels[i] {
			e.channels[i][j] = make(chan Message, capacity)
		}
	}
	return e
}

func (e *channelExchange) Inputs(receiver int) []<-chan Message {
	inputs := make([]<-chan Message, len(e.channels))
	for i := range e.channels {
		inputs[i] = e.channels[i][receiver]
	}
	return inputs
}

func (e *channelExchange) Send(ctx context.Context, sender int, m Message) bool {
	out := e.channels[sender]
	c, isChunk := m.(*chunk.Chunk)
	if !isChunk {
		for _, ch := range out {
			if !send(ctx, ch, m) {
				return false
			}
		}
		return true
	}
	if e.receivers == 1 {
		return send(ctx, out[0], c)
	}
	parts := e.split(sender, c)
	for j, part := range parts {
		if part != nil && !send(ctx, out[j], part) {
			return false
		}
	}
	return true
}

func send(ctx context.Context, ch chan<- Message, m Message) bool {
	select {
	case ch <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

// split returns the part of c for each receiver (nil for none), c itself
// when all of it goes to one receiver.
func (e *channelExchange) split(sender int, c *chunk.Chunk) []*chunk.Chunk {
	n := c.Len()
	dest := make([]int, n)
	counts := make([]int, e.receivers)
	buf := e.keyBufs[sender]
	for i := range n {
		buf = buf[:0]
		for k, col := range e.distCols {
			buf = encoding.AppendKey(buf, e.distTypes[k], c.Datum(i, col))
		}
		dest[i] = instanceOf(vnodeOf(buf, true), e.receivers)
		counts[dest[i]]++
	}
	e.keyBufs[sender] = buf
	parts := make([]*chunk.Chunk, e.receivers)
	for j, count := range counts {
		if count == n {
			parts[j] = c
			return parts
		}
	}
	rows := make([][]int, e.receivers)
	ops := make([][]chunk.Op, e.receivers)
	for i := 0; i < n; i++ {
		op, j := c.Op(i), dest[i]
		if op == chunk.UpdateBefore && i+1 < n && c.Op(i+1) == chunk.UpdateAfter && dest[i+1] != j {
			rows[j], ops[j] = append(rows[j], i), append(ops[j], chunk.Delete)
			k := dest[i+1]
			rows[k], ops[k] = append(rows[k], i+1), append(ops[k], chunk.Insert)
			i++
			continue
		}
		rows[j], ops[j] = append(rows[j], i), append(ops[j], op)
	}
	for j := range parts {
		if len(rows[j]) > 0 {
			parts[j] = selectRows(c, rows[j], ops[j])
		}
	}
	return parts
}
