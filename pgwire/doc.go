// Package pgwire serves PostgreSQL's frontend/backend protocol version 3 (and
// 3.2) on top of github.com/jackc/pgx/v5/pgproto3, so that psql, BI tools
// and every Postgres driver can talk to Eddy.
//
// pgwire owns connections and the protocol: startup (SSL and GSSAPI
// encryption requests are declined, CancelRequest is honoured),
// authentication hooks, the simple and extended query flows with their
// prepared statements and portals, error and notice reporting, and the text
// and binary encodings of values on the wire (encode.go, decode.go). Its
// table of connections by process id is the server's one list of sessions:
// Sessions, CancelBackend and TerminateBackend (backends.go) serve
// pg_stat_activity, pg_cancel_backend and pg_terminate_backend above it.
//
// pgwire knows nothing of SQL. It hands statement text and decoded parameter
// datums to a Session (implemented by the session layer above the executor)
// and encodes the chunks of rows it gets back. Transaction state, session
// variables, parsing, planning and execution all belong to the Session.
//
// Invariants:
//   - The server never crashes on client input: malformed or oversized
//     messages end that connection with a FATAL 08P01 error, a panic in a
//     connection is recovered, logged and reported as FATAL XX000, and every
//     other connection goes on.
//   - Only the connection's own goroutine writes to its socket. A second
//     goroutine per connection only reads (so that a client that vanishes
//     mid-query cancels the running statement at once).
//   - Output is buffered and flushed at Sync, Flush, the end of a simple
//     query, before blocking on the client, and whenever the buffer grows
//     large, never per row.
//   - Every Result handed out by a Prepared is closed exactly once, however
//     the connection ends.
package pgwire
