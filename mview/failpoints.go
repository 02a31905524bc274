package mview

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/storage"
)

// Failpoints inject the internal errors the runtime recovers from, so that
// end-to-end tests can see it recover: they are off unless a test sets
// them (cmd/eddy reads them from the EDDY_FAILPOINTS environment
// variable). Each names a relation whose Materialize misbehaves:
//
//	panic=REL    panics on every chunk it receives
//	stuck=REL    never passes the barrier of an epoch in which it received
//	             a chunk (until the recovery stops it)
//	commit=REL   an epoch in which it received a chunk fails its commit,
//	             through storage.Options.CommitFault (CommitFault below)
//
// as a comma-separated list, e.g. "panic=v_panic,commit=t_commit". A view
// whose filter passes only some rows thus fails only on those.
type Failpoints struct {
	panicOn, stuckOn, commitOn map[string]bool
	// failCommit is the epoch whose commit fails, 0 for none.
	failCommit atomic.Uint64
}

// ParseFailpoints parses a failpoint list; "" is none (nil).
func ParseFailpoints(s string) (*Failpoints, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	fp := &Failpoints{panicOn: map[string]bool{}, stuckOn: map[string]bool{}, commitOn: map[string]bool{}}
	for _, item := range strings.Split(s, ",") {
		kind, rel, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || rel == "" {
			return nil, fmt.Errorf("failpoint %q is not kind=relation", item)
		}
		switch kind {
		case "panic":
			fp.panicOn[rel] = true
		case "stuck":
			fp.stuckOn[rel] = true
		case "commit":
			fp.commitOn[rel] = true
		default:
			return nil, fmt.Errorf("unknown failpoint %q (want panic, stuck or commit)", kind)
		}
	}
	return fp, nil
}

// CommitFault fails the commit of an epoch a commit failpoint doomed; it is
// meant for storage.Options.CommitFault.
func (fp *Failpoints) CommitFault(b *storage.EpochBatch) error {
	if fp != nil && fp.failCommit.CompareAndSwap(b.Epoch(), 0) {
		return fmt.Errorf("failpoint: commit of epoch %d failed", b.Epoch())
	}
	return nil
}

// inject returns mat with the faults the failpoints name for flow's
// relation, or mat itself.
func (fp *Failpoints) inject(flow *relationFlow, mat *Materialize) operator {
	if fp == nil {
		return mat
	}
	name := flow.rel.Name
	if !fp.panicOn[name] && !fp.stuckOn[name] && !fp.commitOn[name] {
		return mat
	}
	return &faultyMaterialize{Materialize: mat, fp: fp, flow: flow,
		panics: fp.panicOn[name], sticks: fp.stuckOn[name], failsCommit: fp.commitOn[name]}
}

// faultyMaterialize is a Materialize with injected faults.
type faultyMaterialize struct {
	*Materialize
	fp                          *Failpoints
	flow                        *relationFlow
	panics, sticks, failsCommit bool
	// changed is set by a chunk and cleared by the barrier after it.
	changed bool
}

func (m *faultyMaterialize) chunk(side int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	if m.panics {
		panic(fmt.Sprintf("failpoint: materialize of %s received a chunk", m.flow.rel.Name))
	}
	m.changed = true
	return m.Materialize.chunk(side, c, emit)
}

func (m *faultyMaterialize) barrier(b *Barrier, emit func(*chunk.Chunk)) error {
	changed := m.changed
	m.changed = false
	if changed && m.sticks {
		<-m.flow.ctx.Done()
		return context.Cause(m.flow.ctx)
	}
	if changed && m.failsCommit {
		m.fp.failCommit.Store(b.Epoch)
	}
	return m.Materialize.barrier(b, emit)
}
