package session

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/eddy-db/eddy/executor"
	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Transaction status bytes of ReadyForQuery.
const (
	TxIdle   byte = 'I'
	TxActive byte = 'T'
	TxFailed byte = 'E'
)

// Session is one client connection's state. It is used by one goroutine at
// a time (pgwire's connection loop).
type Session struct {
	engine   *Engine
	vars     settings
	pid      int32
	user     string
	database string
	client   Client
	// activity is what pg_stat_activity shows of the session (activity.go).
	activity activity
	tx       byte
	// explicitTx is true between BEGIN and COMMIT/ROLLBACK.
	explicitTx bool
	// txn holds an explicit transaction's writes until COMMIT.
	txn     *txn
	cursors cursors
	notices []*pgerror.Error
	// sequences are the session's currval and lastval.
	sequences sessionSequences
}

// NewSession starts a session inside the server (no client connection)
// with these startup parameters.
func (e *Engine) NewSession(ctx context.Context, params map[string]string) (*Session, error) {
	return e.NewClientSession(ctx, params, Client{})
}

// NewClientSession starts a session for a client connection that sent
// these startup parameters.
func (e *Engine) NewClientSession(_ context.Context, params map[string]string, client Client) (*Session, error) {
	user := params["user"]
	if user == "" {
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
	}
	db := params["database"]
	if db == "" {
		db = user
	}
	if db != "eddy" {
		return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", db).
			WithHint("Eddy serves one database, named eddy.")
	}
	metricSessions.Inc()
	if client.PID == 0 {
		client.PID = e.nextPID.Add(1)
	}
	if client.Started.IsZero() {
		client.Started = time.Now()
	}
	s := &Session{
		engine:   e,
		vars:     newSettings(params),
		pid:      client.PID,
		user:     user,
		database: db,
		client:   client,
		tx:       TxIdle,
	}
	s.activity.ready(TxIdle, s.vars["application_name"])
	return s, nil
}

// Parameters are the ParameterStatus values to report.
func (s *Session) Parameters() map[string]string { return s.vars.reported() }

// PID is the session's backend process id.
func (s *Session) PID() int32 { return s.pid }

// TxStatus is the ReadyForQuery status.
func (s *Session) TxStatus() byte { return s.tx }

// Sync ends the implicit transaction of a simple query or an extended
// protocol batch.
func (s *Session) Sync(ctx context.Context) error {
	defer func() { s.activity.ready(s.TxStatus(), s.vars["application_name"]) }()
	if s.explicitTx {
		return nil
	}
	s.tx = TxIdle
	return s.settleImplicit(ctx)
}

// Close releases the session; an open transaction rolls back.
func (s *Session) Close() {
	if s.txn != nil {
		s.txn.release()
		s.txn = nil
	}
	s.cursors.closeAll()
	metricSessions.Dec()
}

// Notices returns and clears the notices raised since the last call.
func (s *Session) Notices() []*pgerror.Error {
	n := s.notices
	s.notices = nil
	return n
}

func (s *Session) notice(format string, args ...any) {
	s.notices = append(s.notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion, Message: fmt.Sprintf(format, args...)})
}

// SplitQuery splits a simple-query string into its statements.
func (s *Session) SplitQuery(sql string) ([]string, error) {
	return parser.Split(sql)
}

// Column describes one result column.
type Column struct {
	Name     string
	Type     types.T
	TableOID uint32
	AttrNum  int16
	// Binary asks for the binary format where the client does not choose
	// (the simple query protocol): FETCH from a BINARY cursor.
	Binary bool
}

// Statement is a prepared statement: parsed, with its parameter and result
// types known. Plans are made at prepare time and again if the catalog
// changed since.
type Statement struct {
	session  *Session
	sql      string
	stmt     ast.Statement
	params   []types.T
	columns  []Column
	version  uint64
	prepared preparedPlan
}

// preparedPlan is the planned form of a statement kind that has one.
type preparedPlan interface{}

// ParamTypes are the statement's parameter types.
func (st *Statement) ParamTypes() []types.T { return st.params }

// Columns describe the result rows; nil when the statement returns none.
func (st *Statement) Columns() []Column { return st.columns }

// Prepare parses and plans one statement.
func (s *Session) Prepare(ctx context.Context, sql string, paramOIDs []uint32) (st *Statement, err error) {
	defer func() {
		if err != nil {
			metricStatementErrors.WithLabelValues(string(pgerror.CodeOf(err))).Inc()
		}
	}()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	if err := s.checkNotAborted(stmt); err != nil {
		return nil, err
	}
	st = &Statement{session: s, sql: sql, stmt: stmt}
	st.params = make([]types.T, len(paramOIDs))
	for i, oid := range paramOIDs {
		if oid == 0 {
			st.params[i] = types.Unknown
			continue
		}
		t, ok := types.FromOID(oid)
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "type with OID %d is not supported", oid)
		}
		st.params[i] = t
	}
	if err := st.plan(); err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Session) planner() *planner.Planner {
	return planner.New(s.engine.catalog, planner.Options{SearchPath: s.searchPath(), StreamingParallelism: s.streamingParallelism()})
}

// searchPath resolves search_path into schema names.
func (s *Session) searchPath() []string {
	var out []string
	for _, part := range strings.Split(s.vars["search_path"], ",") {
		part = strings.Trim(strings.TrimSpace(part), `"`)
		if part == "$user" {
			part = s.user
		}
		if part != "" {
			out = append(out, part)
		}
	}
	if len(out) == 0 {
		out = []string{"public"}
	}
	return out
}

// plan plans the statement if its kind has a plan, and fills in parameter
// and result types.
func (st *Statement) plan() error {
	st.version = st.session.engine.catalogVersion.Load()
	params := &planner.Params{Types: st.params}
	p := st.session.planner()
	var err error
	switch n := st.stmt.(type) {
	case *ast.Select:
		var plan planner.Plan
		plan, err = p.PlanQuery(n, params)
		if err == nil {
			st.prepared = plan
			st.columns = outputColumns(plan.Output())
		}
	case *ast.Insert:
		var ip *planner.InsertPlan
		ip, err = p.PlanInsert(n, params)
		if err == nil {
			st.prepared = ip
			st.columns = returningColumns(ip.ReturningColumns)
		}
	case *ast.Update:
		var up *planner.UpdatePlan
		up, err = p.PlanUpdate(n, params)
		if err == nil {
			st.prepared = up
			st.columns = returningColumns(up.ReturningColumns)
		}
	case *ast.Delete:
		var dp *planner.DeletePlan
		dp, err = p.PlanDelete(n, params)
		if err == nil {
			st.prepared = dp
			st.columns = returningColumns(dp.ReturningColumns)
		}
	case *ast.DeclareCursor:
		if n.Scroll {
			return pgerror.Unsupported("SCROLL cursors are not supported").
				WithHint("Declare the cursor without SCROLL and fetch forward only.")
		}
		var plan planner.Plan
		plan, err = p.PlanQuery(n.Query, params)
		if err == nil {
			st.prepared = plan
		}
	case *ast.Fetch:
		st.columns, err = st.session.fetchColumns(n)
	case *ast.Explain:
		st.columns = []Column{{Name: "QUERY PLAN", Type: types.Text}}
	case *ast.ShowVariable:
		name := strings.ToLower(n.Name)
		if name == "all" {
			st.columns = []Column{{Name: "name", Type: types.Text}, {Name: "setting", Type: types.Text}, {Name: "description", Type: types.Text}}
		} else {
			st.columns = []Column{{Name: name, Type: types.Text}}
		}
	case *ast.ShowObjects:
		st.columns = []Column{{Name: "Name", Type: types.Text}}
	case *ast.ShowCreate:
		st.columns = showCreateColumns
	case *ast.Describe:
		st.columns = describeColumns
	}
	if err != nil {
		return err
	}
	st.params = params.Types
	return nil
}

func outputColumns(out []planner.OutputColumn) []Column {
	cols := make([]Column, 0, len(out))
	for _, c := range out {
		if c.Hidden {
			continue
		}
		cols = append(cols, Column{Name: c.Name, Type: c.Type, TableOID: c.TableID, AttrNum: c.AttrNum})
	}
	return cols
}

func returningColumns(out []planner.OutputColumn) []Column {
	if len(out) == 0 {
		return nil
	}
	return outputColumns(out)
}

// Result is a statement's outcome: rows (for statements with Columns) and a
// command tag.
type Result interface {
	// Next returns the next chunk of rows, or nil at the end.
	Next(ctx context.Context) (*chunk.Chunk, error)
	// Tag is the command tag, valid once Next returned nil.
	Tag() string
	Close()
}

// Execute runs the statement with bound parameter values.
func (st *Statement) Execute(ctx context.Context, params []types.Datum) (res Result, err error) {
	s := st.session
	if err := s.checkNotAborted(st.stmt); err != nil {
		return nil, err
	}
	s.activity.statementStarted(st.sql)
	kind := statementKind(st.stmt)
	started := time.Now()
	defer func() {
		if r := recover(); r != nil {
			err = pgerror.Internal("internal error: %v", r)
			s.engine.log.Error("panic executing statement", "sql", st.sql, "panic", r)
		}
		metricStatements.WithLabelValues(kind).Inc()
		metricStatementSeconds.WithLabelValues(kind).Observe(time.Since(started).Seconds())
		s.logStatement(st.stmt, kind, started, err)
		if err != nil {
			metricStatementErrors.WithLabelValues(string(pgerror.CodeOf(err))).Inc()
			s.StatementFailed()
		}
	}()
	if st.stmt == nil {
		return tagOnly(""), nil // an empty query
	}
	if st.version != s.engine.catalogVersion.Load() && st.prepared != nil {
		declared := st.params
		if err := st.plan(); err != nil {
			return nil, err
		}
		st.params = declared
	}
	if s.tx == TxIdle {
		s.tx = TxActive // implicit transaction until Sync
	}
	ectx := s.evalContext(params)
	var deadline time.Time
	if timeout := s.statementTimeout(); timeout > 0 {
		deadline = started.Add(timeout)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	switch st.stmt.(type) {
	case *ast.Select, *ast.Insert, *ast.Update, *ast.Delete, *ast.Copy, *ast.Transaction, *ast.SetVariable, *ast.ShowVariable,
		*ast.DeclareCursor, *ast.Fetch, *ast.CloseCursor:
	default:
		if err := s.settleImplicit(ctx); err != nil {
			return nil, err
		}
	}
	switch n := st.stmt.(type) {
	case *ast.Select:
		return s.runQuery(ctx, st.prepared.(planner.Plan), ectx, deadline)
	case *ast.Insert:
		return s.runInsert(ctx, st.prepared.(*planner.InsertPlan), ectx)
	case *ast.Update:
		return s.runUpdate(ctx, st.prepared.(*planner.UpdatePlan), ectx)
	case *ast.Delete:
		return s.runDelete(ctx, st.prepared.(*planner.DeletePlan), ectx)
	case *ast.Copy:
		return s.runCopy(ctx, n, ectx, deadline)
	case *ast.CreateTable:
		return s.createTable(ctx, n)
	case *ast.CreateMaterializedView:
		return s.createMaterializedView(ctx, n)
	case *ast.CreateView:
		return s.createView(ctx, n)
	case *ast.CreateSchema:
		return s.createSchema(ctx, n)
	case *ast.CreateSequence:
		return s.createSequence(ctx, n)
	case *ast.AlterSequence:
		return s.alterSequence(ctx, n)
	case *ast.Drop:
		return s.drop(ctx, n)
	case *ast.AlterRename:
		return s.alterRename(ctx, n)
	case *ast.Comment:
		return s.comment(ctx, n)
	case *ast.ShowCreate:
		return s.showCreate(n)
	case *ast.Describe:
		return s.describe(n)
	case *ast.Flush:
		if err := s.engine.runtime.Flush(ctx); err != nil {
			return nil, err
		}
		return tagOnly("FLUSH"), nil
	case *ast.RefreshMaterializedView:
		return s.refreshMaterializedView(ctx, n)
	case *ast.Transaction:
		return s.transaction(ctx, n)
	case *ast.DeclareCursor:
		return s.declareCursor(ctx, st, n, st.prepared.(planner.Plan), ectx)
	case *ast.Fetch:
		return s.fetch(st, n, deadline)
	case *ast.CloseCursor:
		return s.closeCursor(n)
	case *ast.SetVariable:
		return s.setVariable(n)
	case *ast.ShowVariable:
		return s.showVariable(n)
	case *ast.ShowObjects:
		return s.showObjects(n)
	case *ast.Explain:
		return s.explain(ctx, n)
	}
	unsupported := pgerror.Unsupported("%s is not supported yet", statementWords(st.stmt))
	switch st.stmt.(type) {
	case *ast.CreateSource, *ast.CreateSink:
		unsupported.WithHint("Tables take their data through INSERT and COPY today, and materialized views over them follow every change.")
	}
	return nil, unsupported
}

// statementWords names a statement in SQL's words for a message
// (CreateMaterializedView is "CREATE MATERIALIZED VIEW"), never by its Go
// type.
func statementWords(stmt ast.Statement) string {
	var b strings.Builder
	for i, r := range statementName(stmt) {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func statementName(stmt ast.Statement) string {
	name := fmt.Sprintf("%T", stmt)
	return strings.TrimPrefix(name, "*ast.")
}

// evalContext is what expressions of this statement may read.
func (s *Session) evalContext(params []types.Datum) *expr.Context {
	return &expr.Context{
		Now:      time.Now(),
		TimeZone: s.Location(),
		Params:   params,
		Session:  sessionInfo{s},
	}
}

// explainAnalyze runs a query's plan to the end on one snapshot, dropping
// its rows, and returns the plan with each operator's actual rows, chunks
// and inclusive time, then the whole run's time.
func (s *Session) explainAnalyze(ctx context.Context, plan planner.Plan) (string, error) {
	snap := s.engine.store.Snapshot()
	defer snap.Close()
	var r storage.Reader = snap
	if s.txn != nil {
		r = s.txn.overlay.Over(snap)
	}
	r = s.engine.builtViewsOnly(r, snap)
	start := time.Now()
	rows, prof, err := executor.RunProfiled(ctx, plan, r, s.evalContext(nil))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for {
		c, err := rows.Next(ctx)
		if err != nil {
			return "", err
		}
		if c == nil {
			break
		}
	}
	elapsed := time.Since(start)
	text := planner.ExplainAnnotated(plan, func(n planner.Plan) string {
		st, ok := prof.Of(n)
		if !ok {
			return " (never executed)"
		}
		return fmt.Sprintf(" (actual rows=%d chunks=%d time=%.3f ms)", st.Rows, st.Chunks, float64(st.Time.Microseconds())/1000)
	})
	return text + fmt.Sprintf("Execution Time: %.3f ms\n", float64(elapsed.Microseconds())/1000), nil
}

// runQuery runs a batch plan over one committed snapshot.
func (s *Session) runQuery(ctx context.Context, plan planner.Plan, ectx *expr.Context, deadline time.Time) (Result, error) {
	snap := s.engine.store.Snapshot()
	var r storage.Reader = snap
	if s.txn != nil {
		r = s.txn.overlay.Over(snap) // a transaction reads its own writes
	}
	r = s.engine.builtViewsOnly(r, snap)
	rows, err := executor.Run(ctx, plan, r, ectx)
	if err != nil {
		snap.Close()
		return nil, err
	}
	return &queryResult{rows: rows, release: func() { snap.Close() }, deadline: deadline}, nil
}

// queryResult streams executor output and counts rows for the SELECT tag.
type queryResult struct {
	rows    *executor.Rows
	release func()
	count   int
	done    bool
	// deadline is the statement_timeout's end, zero when none; rows are
	// read after Execute returns, so Next applies it again.
	deadline time.Time
}

func (r *queryResult) Next(ctx context.Context) (*chunk.Chunk, error) {
	if r.done {
		return nil, nil
	}
	if !r.deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, r.deadline)
		defer cancel()
	}
	c, err := r.rows.Next(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		r.done = true
		return nil, nil
	}
	r.count += c.Len()
	return c, nil
}

func (r *queryResult) Tag() string { return fmt.Sprintf("SELECT %d", r.count) }

func (r *queryResult) Close() {
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	if r.release != nil {
		r.release()
		r.release = nil
	}
}

// rowsResult is a result computed in full before it is returned.
type rowsResult struct {
	chunks []*chunk.Chunk
	tag    string
}

func (r *rowsResult) Next(context.Context) (*chunk.Chunk, error) {
	if len(r.chunks) == 0 {
		return nil, nil
	}
	c := r.chunks[0]
	r.chunks = r.chunks[1:]
	return c, nil
}
func (r *rowsResult) Tag() string { return r.tag }
func (r *rowsResult) Close()      {}

func tagOnly(tag string) Result { return &rowsResult{tag: tag} }

// textRows builds a result of text columns.
func textRows(tag string, rows [][]string) Result {
	if len(rows) == 0 {
		return &rowsResult{tag: tag}
	}
	ts := make([]types.T, len(rows[0]))
	for i := range ts {
		ts[i] = types.Text
	}
	data := make([][]types.Datum, len(rows))
	for i, r := range rows {
		data[i] = make([]types.Datum, len(r))
		for j, v := range r {
			data[i][j] = v
		}
	}
	return &rowsResult{chunks: []*chunk.Chunk{chunk.FromRows(ts, data)}, tag: tag}
}

func (s *Session) setVariable(n *ast.SetVariable) (Result, error) {
	name := strings.ToLower(n.Name)
	if n.Reset {
		if name == "all" {
			for k, v := range variables {
				if !v.readOnly {
					s.vars[k] = v.def
				}
			}
			return tagOnly("RESET"), nil
		}
		def, ok := variables[name]
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
		}
		s.vars[name] = def.def
		return tagOnly("RESET"), nil
	}
	if name == "timezone" && len(n.Values) == 1 {
		if zone, ok, err := timeZoneInterval(n.Values[0]); ok {
			if err != nil {
				return nil, err
			}
			s.vars[name] = zone
			return tagOnly("SET"), nil
		}
	}
	var parts []string
	for _, v := range n.Values {
		switch x := v.(type) {
		case *ast.Literal:
			parts = append(parts, x.Text)
		case *ast.ColumnRef:
			parts = append(parts, strings.Join(x.Parts, "."))
		case *ast.Default:
			if def, ok := variables[name]; ok {
				parts = append(parts, def.def)
			}
		default:
			return nil, pgerror.New(pgerror.SyntaxError, "SET %s takes a literal value", name)
		}
	}
	if err := s.vars.set(name, strings.Join(parts, ", ")); err != nil {
		return nil, err
	}
	return tagOnly("SET"), nil
}

func (s *Session) showVariable(n *ast.ShowVariable) (Result, error) {
	name := strings.ToLower(n.Name)
	if name == "all" {
		var rows [][]string
		for _, k := range s.vars.names() {
			rows = append(rows, []string{displayName(k), s.vars[k], ""})
		}
		return textRows("SHOW", rows), nil
	}
	v, err := s.vars.get(name)
	if err != nil {
		return nil, err
	}
	return textRows("SHOW", [][]string{{v}}), nil
}

func (s *Session) explain(ctx context.Context, n *ast.Explain) (Result, error) {
	p := s.planner()
	var text string
	switch inner := n.Statement.(type) {
	case *ast.Select:
		plan, err := p.PlanQuery(inner, &planner.Params{})
		if err != nil {
			return nil, err
		}
		if n.Analyze {
			if text, err = s.explainAnalyze(ctx, plan); err != nil {
				return nil, err
			}
			break
		}
		text = planner.Explain(plan)
	case *ast.CreateMaterializedView:
		ids := uint32(0)
		mv, err := p.PlanMaterializedView(inner, func() uint32 { ids++; return ids })
		if err != nil {
			return nil, err
		}
		text = planner.Explain(mv.Root)
	default:
		return nil, pgerror.Unsupported("EXPLAIN of %s is not supported", statementWords(n.Statement))
	}
	if n.Analyze {
		if _, ok := n.Statement.(*ast.Select); !ok {
			return nil, pgerror.Unsupported("EXPLAIN ANALYZE of %s is not supported yet", statementWords(n.Statement)).
				WithHint("EXPLAIN ANALYZE runs queries; EXPLAIN shows the dataflow of a materialized view.")
		}
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		rows = append(rows, []string{line})
	}
	return textRows("EXPLAIN", rows), nil
}
