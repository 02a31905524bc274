package mview

import (
	"context"
	"time"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// flowBuilder turns a streaming plan into the operators of one dataflow,
// each with its own goroutine, connected by bounded channels.
type flowBuilder struct {
	rt       *Runtime
	flow     *relationFlow
	view     *catalog.Relation
	backfill bool
	subs     []Subscription
	tasks    []func(context.Context)

	// evaluators counts the operators that evaluate expressions, so each
	// has a place of its own in the view's row errors.
	evaluators int
}

// build creates the dataflow of view rel from plan and starts its
// goroutines; they wait for input. It returns the subscriptions that
// connect the dataflow to the relations it reads: the caller attaches them
// at a barrier (create) or directly (restore).
func (rt *Runtime) build(rel *catalog.Relation, plan *planner.Materialize, backfill bool) (*relationFlow, []Subscription, error) {
	if plan.RelationID != rel.ID {
		return nil, nil, pgerror.Internal("plan materializes relation %d, not %d", plan.RelationID, rel.ID)
	}
	if got, want := len(plan.Input.Output()), len(rel.Columns); got != want {
		return nil, nil, pgerror.Internal("plan of %s produces %d columns for %d", rel.Name, got, want)
	}
	rt.mu.Lock()
	_, exists := rt.flows[rel.ID]
	rt.mu.Unlock()
	if exists {
		return nil, nil, pgerror.Internal("relation %d already has a dataflow", rel.ID)
	}
	b := &flowBuilder{rt: rt, flow: rt.newFlow(rel.ID, []uint32{rel.ID}), view: rel, backfill: backfill}
	b.flow.abandon = make(chan struct{})
	in, err := b.node(plan.Input)
	if err != nil {
		return nil, nil, err
	}
	if err := b.startBuild(); err != nil {
		return nil, nil, err
	}
	mat := rt.newMaterialize(b.flow, rel)
	b.tasks = append(b.tasks, (&task{name: "materialize", df: b.flow.df, op: mat, inputs: []<-chan Message{in}, out: b.flow.dispatcher.send}).run)
	ctx := rt.flowContext(b.flow)
	for _, run := range b.tasks {
		rt.spawn(b.flow, ctx, run)
	}
	return b.flow, b.subs, nil
}

// startBuild sets the view's scans up to read their inputs' snapshots:
// from the start for a new view, or from the stored progress for a view
// restored in the middle of its build. A restored view without stored
// progress is built.
func (b *flowBuilder) startBuild() error {
	scans := b.flow.scans
	if len(scans) == 0 {
		return nil
	}
	if b.backfill {
		vb := newViewBuild(b.flow.id, len(scans))
		started := time.Now().UnixMicro()
		for _, s := range scans {
			s.build, s.progress.StartedAt = vb, started
			s.snapshot = make(chan *storage.Snapshot, 1)
		}
		b.flow.build = vb
		return nil
	}
	stored := map[int]storage.BackfillProgress{}
	err := storage.ScanBackfillProgress(b.rt.store, b.flow.id, func(_ uint32, scan int, p storage.BackfillProgress) error {
		stored[scan] = p
		return nil
	})
	if err != nil || len(stored) == 0 {
		return err
	}
	for i, s := range scans {
		if p, ok := stored[i]; !ok || p.Input != s.rel.ID {
			return pgerror.Internal("materialized view %d: stored build progress does not match its scans", b.flow.id)
		}
	}
	vb := newViewBuild(b.flow.id, 0)
	for i, s := range scans {
		s.progress = stored[i]
		if !s.progress.Done {
			vb.pending.Add(1)
		}
	}
	if vb.pending.Load() == 0 {
		return nil
	}
	// Snapshots are taken once nothing can fail; a scan that stops before
	// reading its snapshot closes it (StreamScan.deliver).
	for _, s := range scans {
		s.build = vb
		if !s.progress.Done {
			s.snapshot = make(chan *storage.Snapshot, 1)
			s.deliver(b.rt.store.Snapshot())
		}
	}
	b.flow.build = vb
	return nil
}

func (b *flowBuilder) channel() chan Message { return make(chan Message, b.rt.opts.ChannelCapacity) }

// addTask runs op reading inputs and returns its output channel.
func (b *flowBuilder) addTask(name string, op operator, inputs ...<-chan Message) <-chan Message {
	out := b.channel()
	b.tasks = append(b.tasks, (&task{name: name, df: b.flow.df, op: op, inputs: inputs, out: sendTo(out)}).run)
	return out
}

func (b *flowBuilder) stateTable(ids []uint32, i int, what string) (*storage.StateTable, error) {
	if i >= len(ids) {
		return nil, pgerror.Internal("%s has no state table %d", what, i)
	}
	b.flow.tables = append(b.flow.tables, ids[i])
	return storage.NewStateTable(b.rt.store, ids[i]), nil
}

func (b *flowBuilder) node(p planner.Plan) (<-chan Message, error) {
	evalCtx := b.rt.evalCtx
	switch p := p.(type) {
	case *planner.Scan:
		return b.scan(p)
	case *planner.Filter:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		f := NewFilter(p.Predicate, evalCtx)
		f.errors = b.rowErrors("filter", p.Input)
		return b.addTask("filter", f, in), nil
	case *planner.Project:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		op := NewProject(p.Exprs, evalCtx)
		op.errors = b.rowErrors("project", p.Input)
		return b.addTask("project", op, in), nil
	case *planner.Aggregate:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		groups, err := b.stateTable(p.StateTables, 0, "aggregate")
		if err != nil {
			return nil, err
		}
		var values *storage.StateTable
		if len(p.StateTables) > 1 {
			values, _ = b.stateTable(p.StateTables, 1, "aggregate")
		}
		op, err := NewHashAgg(planner.Types(p.Input), p.GroupBy, p.Aggs, groups, values, evalCtx)
		if err != nil {
			return nil, err
		}
		op.errors = b.rowErrors("hash agg", p.Input)
		return b.addTask("hash agg", op, in), nil
	case *planner.TopN:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		state, err := b.stateTable(p.StateTables, 0, "top-n")
		if err != nil {
			return nil, err
		}
		if p.Input.StreamKey() == nil {
			return nil, pgerror.Internal("top-n input without a stream key")
		}
		op := NewTopN(planner.Types(p.Input), p.PartitionBy, p.Keys, p.Input.StreamKey(), p.Count, p.Offset, p.Rank, state)
		return b.addTask("top-n", op, in), nil
	case *planner.Join:
		if p.Kind > planner.FullJoin {
			return nil, pgerror.Unsupported("semi and anti joins are not supported in materialized views yet")
		}
		if len(p.LeftKeys) == 0 {
			return nil, pgerror.Unsupported("joins without an equality condition are not supported in materialized views")
		}
		left, err := b.node(p.Left)
		if err != nil {
			return nil, err
		}
		right, err := b.node(p.Right)
		if err != nil {
			return nil, err
		}
		leftState, err := b.stateTable(p.StateTables, 0, "join")
		if err != nil {
			return nil, err
		}
		rightState, err := b.stateTable(p.StateTables, 1, "join")
		if err != nil {
			return nil, err
		}
		if p.Left.StreamKey() == nil || p.Right.StreamKey() == nil {
			return nil, pgerror.Internal("join input without a stream key")
		}
		op := NewHashJoin(p.Kind, planner.Types(p.Left), planner.Types(p.Right), p.LeftKeys, p.RightKeys,
			p.Left.StreamKey(), p.Right.StreamKey(), p.Condition, leftState, rightState, evalCtx)
		if p.Condition != nil {
			op.errors = b.joinRowErrors(p.Left, p.Right)
		}
		return b.addTask("hash join", op, left, right), nil
	}
	return nil, pgerror.Unsupported("%T is not supported in materialized views yet", p)
}

// rowErrors returns the row error log of an operator evaluating
// expressions over the rows of input.
func (b *flowBuilder) rowErrors(operator string, input planner.Plan) *rowErrorLog {
	var names []string
	for _, c := range input.Output() {
		names = append(names, c.Name)
	}
	key := input.StreamKey()
	if key == nil {
		for i := range names {
			key = append(key, i)
		}
	}
	b.evaluators++
	return newRowErrorLog(b.view.ID, b.view.Name, operator, b.evaluators, names, planner.Types(input), key)
}

// joinRowErrors returns the row error log of a join's condition, which is
// evaluated over the left row's columns followed by the right row's, each
// pair identified by both stream keys.
func (b *flowBuilder) joinRowErrors(left, right planner.Plan) *rowErrorLog {
	var names []string
	for _, c := range append(append([]planner.OutputColumn(nil), left.Output()...), right.Output()...) {
		names = append(names, c.Name)
	}
	key := append([]int(nil), left.StreamKey()...)
	for _, k := range right.StreamKey() {
		key = append(key, len(left.Output())+k)
	}
	b.evaluators++
	ts := append(planner.Types(left), planner.Types(right)...)
	return newRowErrorLog(b.view.ID, b.view.Name, "hash join", b.evaluators, names, ts, key)
}

func (b *flowBuilder) scan(p *planner.Scan) (<-chan Message, error) {
	b.rt.mu.Lock()
	input, ok := b.rt.flows[p.Relation.ID]
	live := ok && input.stopAt == 0
	var inputBuild *viewBuild
	if live && !input.build.builtBy(b.rt.store.CommittedEpoch()) {
		inputBuild = input.build
	}
	b.rt.mu.Unlock()
	if !live {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", p.Relation.Name)
	}
	columns := p.Columns
	if columns == nil {
		for i := range p.Relation.Columns {
			columns = append(columns, i)
		}
	}
	relTypes := p.Relation.ColumnTypes()
	outTypes := make([]types.T, len(columns))
	for i, c := range columns {
		outTypes[i] = relTypes[c]
	}
	s := &StreamScan{
		rel:          p.Relation,
		columns:      columns,
		outTypes:     outTypes,
		input:        b.channel(),
		out:          nil,
		df:           b.flow.df,
		abandon:      b.flow.abandon,
		store:        b.rt.store,
		index:        len(b.flow.scans),
		inputBuild:   inputBuild,
		keyCols:      p.Relation.Key,
		budget:       min(maxChunkRows, b.rt.opts.BackfillRowsPerEpoch),
		rowsPerEpoch: b.rt.opts.BackfillRowsPerEpoch,
		epochTarget:  b.rt.opts.BackfillTimePerEpoch,
		progress:     storage.BackfillProgress{Input: p.Relation.ID},
	}
	for _, k := range p.Relation.Key {
		s.keyTypes = append(s.keyTypes, relTypes[k])
	}
	if p.Filter != nil {
		s.filter = NewFilter(p.Filter, b.rt.evalCtx)
		s.filter.errors = b.rowErrors("stream scan", p)
	}
	out := b.channel()
	s.out = out
	b.flow.scans = append(b.flow.scans, s)
	b.subs = append(b.subs, Subscription{Relation: p.Relation.ID, Dataflow: b.flow.id, Input: s.input})
	b.tasks = append(b.tasks, s.run)
	return out, nil
}
