// Package mview runs streaming plans: it turns a planner.Materialize tree
// into a dataflow of incremental operators that consume and produce change
// chunks, keeps their state in storage state tables, and drives epochs with
// a barrier coordinator so that every view commits atomically with the
// tables it reads.
//
// It owns the operators (one per file: filter.go, project.go, hash_agg.go,
// hash_join.go, top_n.go, materialize.go, …), the fan-out of a relation's changes to
// the dataflows reading it (dispatch.go), the vnodes that partition
// operator state and prefix its keys (vnode.go), the row errors of views
// (view_errors.go), the barrier coordinator (barrier.go) and its recovery
// from aborted epochs (recovery.go, failpoints.go), DML entry into
// tables (table_writer.go, source_table.go) and the Runtime the session layer drives (runtime.go). It does not own plans
// (planner), expression or aggregate semantics (sql/expr, sql/agg), value
// encodings (sql/encoding) or Pebble (storage).
//
// # Dataflows
//
// Every stored relation is maintained by one dataflow ending in a
// Materialize operator that writes the relation's rows and forwards its
// changes to a Dispatcher. A table's dataflow is TableSource → Materialize;
// a materialized view's dataflow starts at the Dispatchers of the relations
// it reads. Barriers are injected only into table sources (and any other
// source operators) and travel through the dispatchers into the views, so a
// view on a view sees each barrier after every change of its epoch.
//
// # Parallel instances
//
// Each stateful operator runs as Materialize.Parallelism instances (one
// without distribution columns), each a task owning a range of vnodes
// (vnode.go) with its own state table handles; stateless operators run
// fused with the instances of their input; a scan and Materialize run as
// one. Between fragments an Exchange (exchange.go) routes each chunk's
// rows by vnode and broadcasts barriers, and a task of several inputs
// aligns barriers across all of them. planner/stream_fragments.go decides
// where fragments begin; the stream key of a join or top-N holds its
// distribution columns, so that all changes to one output key come from
// one instance and the gathered stream needs no reordering.
//
// # Invariants
//
//   - Retraction pairs: an UpdateBefore row is immediately followed by its
//     UpdateAfter in the same chunk. An operator that cannot keep a pair
//     together turns it into a Delete and an Insert. Every operator can take
//     back anything it emitted: retractions of rows never emitted are bugs,
//     detected at Materialize (XX000 logged and counted, not a crash).
//   - Barrier alignment: every operator forwards barriers in order with its
//     chunks; an operator with several inputs (a join, an instance reading
//     every sender of an exchange), after barrier N on one input, reads
//     only the others until barrier N arrived on all of them.
//   - At most one epoch in flight: the coordinator injects barrier N+1 only
//     after epoch N committed. State tables rely on it to drop their
//     pending layers; a view's build relies on it to read each range of
//     its inputs from a snapshot that is exactly the epoch whose barrier
//     it just passed (and checks that it is).
//   - Builds span epochs: a StreamScan of a view being built reads a
//     bounded range of its input's snapshot per epoch, in key order,
//     passes the changes to keys it has done and drops the others (a
//     later range holds them), and stores its progress with each epoch;
//     no build holds an epoch open, and while one goes on epochs follow
//     each other at once. A restart resumes a build from its progress.
//   - Subscriptions change only at barriers: a dataflow starts or stops
//     reading a relation at the barrier carrying that mutation, so it sees
//     whole epochs, never part of one.
//   - Watermarks only rise (none are generated yet).
//
// # Row errors
//
// An expression that fails on one row (division by zero, overflow, invalid
// input or cast, a bad jsonb path) is not an operator failure: Filter,
// Project, HashAgg (arguments and FILTER) and HashJoin (its residual
// condition) evaluate a chunk with expr.EvalTolerant, which makes the
// failing value NULL and a failing condition false for that row alone, so
// every other row flows. Evaluation is deterministic, so a retraction
// computes the same NULL and the view stays exact for every good row;
// updating the bad row updates the view. Each such error is counted
// (eddy_view_row_errors_total) and recorded in eddy_catalog.view_errors,
// committed with the epoch (view_errors.go). An operator evaluates all of
// a chunk's expressions before it changes any state, so an error that
// does fail a chunk never leaves its state half-updated by it.
//
// # Memory
//
// Operators hold only the current epoch's working state in memory (decoded
// aggregate groups, a chunk's probe results, top-N windows changed in the
// epoch) and forget it at the barrier; everything else is in their state
// tables, read through the Store's shared byte-bounded state cache and
// looked up a chunk at a time in key order (GetSorted, ScanPrefixes). What
// they hold for the epoch is charged to the Store's Memory, and the Runtime
// runs the next barrier at once when it reaches its share of
// --memory-limit.
//
// # Internal errors
//
// Anything else that goes wrong is an internal error and aborts the epoch:
// an error an operator returns for a chunk or a barrier (a storage read,
// an inconsistency it cannot step over), a panic in an operator (the task
// guard, safely, recovers it), barriers of different epochs meeting at a
// join, a barrier not collected within Options.BarrierTimeout, a failed
// commit. Nothing of the epoch commits; every statement waiting on it (DML
// waiting for its epoch, DDL, FLUSH) gets a 40000 error naming the epoch
// and the cause; and the runtime recovers in process: it stops every
// dataflow, drops what was not committed (the batch, the operators' state
// tables with their pending layers, the table writers' overlays) and
// rebuilds the tables and committed views from their plans and the stored
// state, as a restart would (recovery.go). The server never exits because
// of a dataflow. A DML statement is acknowledged only once its epoch
// committed, so an abort loses nothing acknowledged; a transaction whose
// reads span a recovery fails at COMMIT (Generation). An operator error in
// a view being created fails only its CREATE. Failpoints inject these
// faults for tests. Aborts and recoveries are logged and counted
// (eddy_epochs_aborted_total, eddy_runtime_recoveries_total).
//
// # Ownership
//
// Chunks are immutable once sent: a Dispatcher hands the same chunk to every
// subscriber, and no operator modifies a chunk it received. An EpochBatch is
// shared by all operators of an epoch (it is safe for concurrent use); a
// StateTable belongs to its operator's goroutine.
//
// # Time zone
//
// View expressions are evaluated in UTC, whatever TimeZone the session that
// created the view had: a view's rows must not change when a client later
// runs SET TimeZone, and they are maintained by no session at all. So the
// expressions PostgreSQL marks stable because they read TimeZone
// (timestamptz to and from text, date and timestamp, date_trunc and
// extract on timestamptz, timestamptz ± interval, timestamptz literals
// without an offset) mean their UTC reading inside a view; write
// date_trunc('day', ts AT TIME ZONE 'Europe/Berlin') to bucket by a zone's
// days. Reading the view from a session prints its timestamptz columns in
// that session's zone, as any timestamptz.
package mview
