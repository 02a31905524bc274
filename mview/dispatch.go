package mview

import (
	"context"
	"sync"
)

// Dispatcher fans the changes of one relation out to the dataflows reading
// it. Each Materialize owns one and is its only sender.
//
// Subscribers change only at barriers carrying a Mutation: a barrier is
// forwarded to the current subscribers first, then the subscriptions it
// stops are dropped and the ones it adds for this relation are attached. So
// a new reader receives whole epochs from the next one on, and a stopping
// reader receives the barrier that stops it.
//
// Ownership: every subscriber receives the same chunk; chunks are immutable.
type Dispatcher struct {
	relationID uint32

	mu          sync.Mutex
	subscribers []Subscription
}

// NewDispatcher returns the dispatcher of relationID, with no subscribers.
func NewDispatcher(relationID uint32) *Dispatcher {
	return &Dispatcher{relationID: relationID}
}

// subscribe attaches a reader outside of any barrier: only for dataflows
// restored before the runtime starts.
func (d *Dispatcher) subscribe(s Subscription) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.subscribers = append(d.subscribers, s)
}

// send delivers m to every subscriber, blocking on full ones
// (backpressure), and applies a barrier's mutation after forwarding it.
func (d *Dispatcher) send(ctx context.Context, m Message) bool {
	d.mu.Lock()
	subs := d.subscribers
	d.mu.Unlock()
	for _, s := range subs {
		select {
		case s.Input <- m:
		case <-ctx.Done():
			return false
		}
	}
	if b, ok := m.(*Barrier); ok && b.Mutation != nil {
		d.apply(b.Mutation)
	}
	return true
}

func (d *Dispatcher) apply(mu *Mutation) {
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := make([]Subscription, 0, len(d.subscribers))
	for _, s := range d.subscribers {
		if !mu.Stop[s.Dataflow] {
			kept = append(kept, s)
		}
	}
	for _, s := range mu.Subscribe {
		if s.Relation == d.relationID {
			kept = append(kept, s)
		}
	}
	d.subscribers = kept
}
