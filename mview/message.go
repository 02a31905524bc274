package mview

import (
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Message is what travels on a dataflow edge: a *chunk.Chunk, a *Barrier or
// a Watermark. Operators forward barriers and watermarks in order with their
// chunks.
type Message any

// Barrier ends epoch Epoch on an edge. An operator that receives it on all
// its inputs flushes its dirty state into Batch and forwards it. Barriers
// are shared by every operator and must not be modified.
type Barrier struct {
	Epoch uint64
	Batch *storage.EpochBatch
	// Mutation, when not nil, changes the shape of the dataflows at this
	// barrier.
	Mutation *Mutation
}

// Mutation is a change of the running dataflows that takes effect at a
// barrier, so that it falls exactly between two epochs.
type Mutation struct {
	// Subscribe attaches new readers to relations' dispatchers: they receive
	// every change after this barrier, and not the barrier itself.
	Subscribe []Subscription
	// Stop lists the dataflows, by the id of the relation each maintains,
	// that end at this barrier. Their operators forward the barrier and
	// exit; dispatchers drop their subscriptions after forwarding it.
	Stop map[uint32]bool
}

// Subscription is one reader of a relation's changes.
type Subscription struct {
	// Relation is the relation read.
	Relation uint32
	// Dataflow is the id of the relation the reading dataflow maintains.
	Dataflow uint32
	Input    chan<- Message
}

// stops reports whether the mutation ends dataflow id.
func (m *Mutation) stops(id uint32) bool { return m != nil && m.Stop[id] }

// stops reports whether b ends dataflow id.
func (b *Barrier) stops(id uint32) bool { return b.Mutation.stops(id) }

// Watermark says that no later row of the edge will have Column below
// Value. Defined for event-time operators; nothing generates one yet.
type Watermark struct {
	Column int
	Value  types.Datum
}

var (
	_ Message = (*chunk.Chunk)(nil)
	_ Message = (*Barrier)(nil)
	_ Message = Watermark{}
)
