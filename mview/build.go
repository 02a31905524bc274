package mview

import (
	"context"
	"time"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
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
	// parallelism is the plan's: the instances of each stateful operator.
	parallelism int
	subs        []Subscription
	tasks       []func(context.Context)

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
	b.parallelism = max(plan.Parallelism, 1)
	in, err := b.node(plan.Input)
	if err != nil {
		return nil, nil, err
	}
	if err := b.startBuild(); err != nil {
		return nil, nil, err
	}
	mat := rt.newMaterialize(b.flow, rel)
	// Materialize gathers the instances of its input (when several):
	// changes to one key come from the one instance owning the vnode of
	// the key's distribution columns, which the stream key holds.
	b.tasks = append(b.tasks, (&task{name: "materialize", df: b.flow.df, op: mat, inputs: b.inputs(plan, 0, in)[0], out: b.flow.dispatcher.send}).run)
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
		vb.inputs = inputBuilds(scans)
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
	vb.inputs = inputBuilds(scans)
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

// inputBuilds returns the builds of the views being built that scans read.
func inputBuilds(scans []*StreamScan) []*viewBuild {
	var builds []*viewBuild
	for _, s := range scans {
		if s.inputBuild != nil {
			builds = append(builds, s.inputBuild)
		}
	}
	return builds
}

func (b *flowBuilder) channel() chan Message { return make(chan Message, b.rt.opts.ChannelCapacity) }

// stream is a fragment's output: one channel per instance.
type stream []<-chan Message

// inputs returns, for each of the n instances of p, what it reads of p's
// input side from in: the instance of in it is fused with, or through a
// hash exchange on p's distribution columns every instance of in.
func (b *flowBuilder) inputs(p planner.Plan, side int, in stream) [][]<-chan Message {
	n := planner.Instances(p, b.parallelism)
	out := make([][]<-chan Message, n)
	if !planner.Exchanged(p, side, b.parallelism) {
		for j := range out {
			out[j] = []<-chan Message{in[j]}
		}
		return out
	}
	input := p.Inputs()[side]
	var dist []int
	if _, gather := p.(*planner.Materialize); !gather {
		dist = planner.DistributionKey(p, side)
	}
	inTypes := planner.Types(input)
	distTypes := make([]types.T, len(dist))
	for i, c := range dist {
		distTypes[i] = inTypes[c]
	}
	ex := newChannelExchange(len(in), n, dist, distTypes, b.rt.opts.ChannelCapacity)
	for i, ch := range in {
		sender := i
		send := func(ctx context.Context, m Message) bool { return ex.Send(ctx, sender, m) }
		b.tasks = append(b.tasks, (&task{name: "exchange", df: b.flow.df, op: exchangeSender{}, inputs: []<-chan Message{ch}, out: send}).run)
	}
	for j := range out {
		out[j] = ex.Inputs(j)
	}
	return out
}

// exchangeSender passes its input on to an exchange, the out of its task.
type exchangeSender struct{}

func (exchangeSender) chunk(_ int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	emit(c)
	return nil
}

func (exchangeSender) barrier(*Barrier, func(*chunk.Chunk)) error { return nil }

// instances runs n instances of an operator, newOp making instance j's,
// each reading inputs[j] (the operator's input sides given by sides, nil
// for side 0 or input i as side i), and returns their outputs.
func (b *flowBuilder) instances(name string, inputs [][]<-chan Message, sides []int, newOp func(j int) (operator, error)) (stream, error) {
	out := make(stream, len(inputs))
	for j, in := range inputs {
		op, err := newOp(j)
		if err != nil {
			return nil, err
		}
		ch := b.channel()
		b.tasks = append(b.tasks, (&task{name: name, df: b.flow.df, op: op, inputs: in, sides: sides, out: sendTo(ch)}).run)
		out[j] = ch
	}
	return out, nil
}

// fused returns inputs for operators fused with each instance of in.
func fused(in stream) [][]<-chan Message {
	out := make([][]<-chan Message, len(in))
	for j, ch := range in {
		out[j] = []<-chan Message{ch}
	}
	return out
}

func (b *flowBuilder) node(p planner.Plan) (stream, error) {
	evalCtx := b.rt.evalCtx
	switch p := p.(type) {
	case *planner.Scan:
		out, err := b.scan(p)
		return stream{out}, err
	case *planner.Filter:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		errors := b.rowErrors("filter", p.Input)
		return b.instances("filter", fused(in), nil, func(int) (operator, error) {
			f := NewFilter(p.Predicate, evalCtx)
			f.errors = errors.forInstance()
			return f, nil
		})
	case *planner.Project:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		errors := b.rowErrors("project", p.Input)
		return b.instances("project", fused(in), nil, func(int) (operator, error) {
			op := NewProject(p.Exprs, evalCtx)
			op.errors = errors.forInstance()
			return op, nil
		})
	case *planner.Aggregate:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		if len(p.StateTables) == 0 {
			return nil, pgerror.Internal("aggregate has no state table 0")
		}
		b.flow.tables = append(b.flow.tables, p.StateTables...)
		errors := b.rowErrors("hash agg", p.Input)
		return b.instances("hash agg", b.inputs(p, 0, in), nil, func(int) (operator, error) {
			groups := storage.NewStateTable(b.rt.store, p.StateTables[0])
			var values *storage.StateTable
			if len(p.StateTables) > 1 {
				values = storage.NewStateTable(b.rt.store, p.StateTables[1])
			}
			op, err := NewHashAgg(planner.Types(p.Input), p.GroupBy, p.Aggs, groups, values, evalCtx)
			if err != nil {
				return nil, err
			}
			op.errors = errors.forInstance()
			return op, nil
		})
	case *planner.TopN:
		in, err := b.node(p.Input)
		if err != nil {
			return nil, err
		}
		if len(p.StateTables) == 0 {
			return nil, pgerror.Internal("top-n has no state table 0")
		}
		if p.Input.StreamKey() == nil {
			return nil, pgerror.Internal("top-n input without a stream key")
		}
		b.flow.tables = append(b.flow.tables, p.StateTables[0])
		return b.instances("top-n", b.inputs(p, 0, in), nil, func(int) (operator, error) {
			state := storage.NewStateTable(b.rt.store, p.StateTables[0])
			return NewTopN(planner.Types(p.Input), p.PartitionBy, p.Keys, p.Input.StreamKey(), p.Count, p.Offset, p.Rank, state), nil
		})
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
		if len(p.StateTables) < 2 {
			return nil, pgerror.Internal("join has no state table %d", len(p.StateTables))
		}
		if p.Left.StreamKey() == nil || p.Right.StreamKey() == nil {
			return nil, pgerror.Internal("join input without a stream key")
		}
		b.flow.tables = append(b.flow.tables, p.StateTables[0], p.StateTables[1])
		var errors *rowErrorLog
		if p.Condition != nil {
			errors = b.joinRowErrors(p.Left, p.Right)
		}
		// Each instance reads every sender of the left exchange, then
		// every sender of the right one.
		lefts, rights := b.inputs(p, 0, left), b.inputs(p, 1, right)
		inputs := make([][]<-chan Message, len(lefts))
		for j := range inputs {
			inputs[j] = append(append([]<-chan Message{}, lefts[j]...), rights[j]...)
		}
		sides := make([]int, len(inputs[0]))
		for i := len(lefts[0]); i < len(sides); i++ {
			sides[i] = 1
		}
		return b.instances("hash join", inputs, sides, func(int) (operator, error) {
			op := NewHashJoin(p.Kind, planner.Types(p.Left), planner.Types(p.Right), p.LeftKeys, p.RightKeys,
				p.Left.StreamKey(), p.Right.StreamKey(), p.Condition,
				storage.NewStateTable(b.rt.store, p.StateTables[0]), storage.NewStateTable(b.rt.store, p.StateTables[1]), evalCtx)
			op.errors = errors.forInstance()
			return op, nil
		})
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
