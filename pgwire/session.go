package pgwire

import (
	"context"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Backend creates a Session for every connection that completes startup.
type Backend interface {
	// NewSession is called after startup and authentication with the
	// startup parameters (user, database, application_name, options…) and
	// what pgwire knows of the connection. An error (ideally a
	// *pgerror.Error) is sent to the client as FATAL.
	NewSession(ctx context.Context, params map[string]string, client Client) (Session, error)
}

// Client describes the connection a session serves.
type Client struct {
	// ProcessID is the process id sent in BackendKeyData, by which cancel
	// requests, CancelBackend and TerminateBackend find the connection.
	ProcessID uint32
	// RemoteAddr is the client's address.
	RemoteAddr net.Addr
	// Started is when the connection was accepted.
	Started time.Time
}

// Session is one client's session. pgwire calls its methods from the
// connection's goroutine only, one at a time; ctx is cancelled when the
// client cancels the statement, disconnects, or the server shuts down.
type Session interface {
	// Parameters are the ParameterStatus values sent after authentication
	// (server_version, client_encoding, DateStyle, TimeZone…) and re-sent
	// before ReadyForQuery whenever one of them changes (SET).
	Parameters() map[string]string
	// Prepare parses and plans one statement. paramTypes are the OIDs the
	// client declared, one per parameter it knows of (0 = infer).
	Prepare(ctx context.Context, sql string, paramTypes []uint32) (Prepared, error)
	// SplitQuery splits a simple-query string into statements; each then
	// goes through Prepare and Execute. No statements means an empty query.
	SplitQuery(sql string) ([]string, error)
	// TxStatus is 'I' (idle), 'T' (in a transaction block) or 'E' (in a
	// failed transaction block), as sent in ReadyForQuery.
	TxStatus() byte
	// Sync is called at a Sync message and at the end of every simple query
	// (also after an error): it ends an implicit transaction.
	Sync(ctx context.Context) error
	// StatementFailed is called for every error reported to the client
	// that does not end the connection (from Parse, Bind, Describe,
	// Execute, a result's rows, a COPY, a simple query), before Sync: the
	// session fails its transaction block, or rolls back the implicit
	// transaction, as PostgreSQL does for any error.
	StatementFailed()
	// Close releases the session; it is called exactly once.
	Close()
}

// Prepared is a parsed and planned statement. It may be executed many
// times, and several of its Results may be open at once (one per portal).
type Prepared interface {
	// ParamTypes are the types of $1…$n. A parameter still of type Unknown
	// is described to the client as text and passed to Execute as its text
	// string (or, if sent in binary, its raw bytes as a string).
	ParamTypes() []types.T
	// Columns describes the result rows; nil means the statement returns no
	// rows (e.g. INSERT without RETURNING).
	Columns() []Column
	// Execute runs the statement with one datum per parameter, of the
	// representation types documents for ParamTypes()[i]. The ctx stays
	// valid until the Result is closed; it is cancelled on a cancel request.
	Execute(ctx context.Context, params []types.Datum) (Result, error)
}

// Column describes one result column.
type Column struct {
	Name string
	Type types.T
	// TableOID and AttrNum identify the table column the value comes from,
	// or are 0.
	TableOID uint32
	AttrNum  int16
	// Binary sends the column in binary format in the simple query
	// protocol, where the client cannot choose (FETCH from a BINARY
	// cursor). In the extended protocol Bind's result formats decide, as
	// in PostgreSQL.
	Binary bool
}

// Result is the outcome of one execution: a cursor over rows for a query, or
// only a command tag.
type Result interface {
	// Next returns the next batch of rows (a chunk of all inserts whose
	// column types are the Prepared's Columns), or (nil, nil) at the end. A
	// returned chunk is only read until the next call to Next or Close.
	Next(ctx context.Context) (*chunk.Chunk, error)
	// Tag is the command tag once Next returned nil ("SELECT 3",
	// "INSERT 0 2", "CREATE TABLE"…). If it is empty for a row-returning
	// statement pgwire sends "SELECT n" with the count of rows it sent.
	Tag() string
	// Close releases the result; it is called exactly once, also when the
	// rows were not all read.
	Close()
}

// StreamingResult is implemented by a Result whose Next may wait for data
// that does not exist yet (SUBSCRIBE, a cursor tailing a view). When
// Streaming reports true, pgwire flushes what it has buffered before each
// call to Next instead of waiting for its buffer to fill or the statement to
// end.
type StreamingResult interface {
	Result
	Streaming() bool
}

// NoticeSource is implemented by a Session that raises notices (for example
// "table \"t\" does not exist, skipping"). pgwire drains it after every
// statement, before CommandComplete, and before ReadyForQuery, and sends each
// notice as a NoticeResponse (severity NOTICE and code 00000 unless set).
type NoticeSource interface {
	// Notices returns the notices raised since the last call and forgets
	// them.
	Notices() []*pgerror.Error
}

// ZonedSession is implemented by a Session whose TimeZone is not UTC:
// pgwire prints timestamptz results in text format, and reads timestamptz
// parameters sent as text, in Location. Binary timestamptz values are UTC
// microseconds in every zone, as in PostgreSQL.
type ZonedSession interface {
	Location() *time.Location
}

func sessionLocation(s Session) *time.Location {
	if z, ok := s.(ZonedSession); ok {
		if loc := z.Location(); loc != nil {
			return loc
		}
	}
	return time.UTC
}

// Authenticator checks a client's identity after startup and before the
// session is created. It may exchange authentication messages (SASL,
// passwords) over be; pgwire sends AuthenticationOk after it returns nil. A
// returned error is sent as FATAL (28P01 or 28000 are the usual codes).
// A nil Config.Authenticator trusts every client.
type Authenticator interface {
	Authenticate(ctx context.Context, be *pgproto3.Backend, params map[string]string) error
}

// CopyInResult is implemented by the Result of COPY … FROM STDIN. pgwire
// calls BeginCopyIn, answers CopyInResponse, then hands over the client's
// CopyData messages one by one (their bytes need not align with rows) until
// CopyDone, when it calls CopyDone and sends CommandComplete with Tag; or
// CopyFail, when it calls CopyFail and reports the failure. Next is not
// called.
type CopyInResult interface {
	Result
	// BeginCopyIn returns the format the data comes in (0 text or CSV, 1
	// binary) and the number of columns. decode reads one value of a
	// binary COPY (it is DecodeBinary).
	BeginCopyIn(decode func(t types.T, b []byte) (types.Datum, error)) (format int16, columns int)
	CopyData(ctx context.Context, data []byte) error
	CopyDone(ctx context.Context) error
	CopyFail(msg string)
}

// CopyOutResult is implemented by the Result of COPY … TO STDOUT: pgwire
// sends CopyOutResponse, one CopyData message per row CopyOutNext returns,
// CopyDone, then CommandComplete with Tag. Next is not called.
type CopyOutResult interface {
	Result
	// CopyOutFormat returns the format (0 text or CSV) and the number of
	// columns.
	CopyOutFormat() (format int16, columns int)
	// CopyOutNext returns the next rows, each one CopyData message's bytes,
	// or nil at the end. The slices are only read until the next call.
	CopyOutNext(ctx context.Context) ([][]byte, error)
}
