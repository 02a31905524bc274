// Package session owns what happens to a statement after the wire: the
// engine that opens storage, loads the catalog and restores the dataflows on
// start, and the per-connection sessions that parse, plan and dispatch each
// statement — queries to the executor over one committed snapshot, DML to a
// table's writer, DDL to the catalog and the streaming runtime.
//
// It sits between pgwire (which it never imports: cmd/eddy adapts it) and
// the layers below: executor, mview, planner, sql, storage.
//
// Invariants:
//   - DML is synchronous: a statement's changes are committed (durable and
//     visible in every view) before its CommandComplete, so anything a client
//     was told succeeded survives a crash.
//   - A query reads one storage snapshot, so it sees every relation at the
//     same committed epoch.
//   - Catalog changes commit in the same epoch batch as the data and
//     dataflow state they describe.
package session
