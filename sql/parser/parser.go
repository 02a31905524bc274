// Package parser turns SQL text into Eddy's syntax tree (sql/ast).
//
// It owns the text → ast step and nothing after it: names are not resolved,
// types are not checked, functions are not looked up (the planner's binder
// does all of that). Two grammars feed it:
//
//   - PostgreSQL's own grammar, through pg_query (cgo). Every statement
//     PostgreSQL can parse goes here, and its protobuf tree is converted
//     node by node into ast (convert.go). Nothing outside this package sees
//     pg_query's nodes.
//   - A small hand parser (streaming.go) for Eddy's statements PostgreSQL has
//     no grammar for: FLUSH, SHOW TABLES|SOURCES|…, SHOW CREATE, DESCRIBE,
//     CREATE SOURCE|SINK,
//     DROP SOURCE|SINK, table definitions with WATERMARK or a connector
//     clause (WITH (…) FORMAT … ENCODE …), CREATE MATERIALIZED VIEW …
//     EMIT ON WINDOW CLOSE, and DECLARE … CURSOR FOR SUBSCRIBE (refused,
//     with 0A000, until SUBSCRIBE exists). It walks PostgreSQL's own tokens (pg_query.Scan),
//     so quoting, E” strings and comments behave exactly as in PostgreSQL,
//     and hands the pieces it does not understand (column lists, watermark
//     expressions, queries) back to PostgreSQL's grammar.
//
// # Routing
//
// A query string that contains none of the words Eddy's own statements need
// (FLUSH, SHOW, SOURCE, SINK, WATERMARK, FORMAT, EMIT, connector,
// SUBSCRIBE) goes to PostgreSQL's grammar in one call, with no scan. Any
// other string is scanned once and split into statements at top-level
// semicolons, and each
// statement's leading tokens decide its grammar (parseStreaming in
// streaming.go). When a piece is handed back to PostgreSQL, the parser builds
// a copy of the statement text of the same byte length in which everything
// but that piece is blanked with spaces. Offsets therefore never need
// translating: ast Pos fields and error positions refer to the original
// query string.
//
// # Errors
//
// Every error is a *pgerror.Error: 42601 with PostgreSQL's own message and a
// 1-based character Position for syntax errors, 0A000 naming the construct
// for valid PostgreSQL that Eddy does not support. No input panics: a panic
// in conversion is recovered and reported as an error.
package parser

import (
	"runtime/debug"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Parse parses a query string that may hold several statements separated by
// ';'. Empty statements are skipped.
func Parse(sql string) (stmts []ast.Statement, err error) {
	defer recoverError(&err)
	if err := checkEncoding(sql); err != nil {
		return nil, err
	}
	return parse(sql, false)
}

// checkEncoding rejects text that is not UTF-8, Eddy's only server
// encoding, as PostgreSQL does before parsing.
func checkEncoding(sql string) error {
	if utf8.ValidString(sql) {
		return nil
	}
	off := 0
	for off < len(sql) {
		r, n := utf8.DecodeRuneInString(sql[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return pgerror.New(characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", sql[off])
}

const characterNotInRepertoire pgerror.Code = pgerror.CharacterNotInRepertoire

// parse parses sql. Unless slowOnly, a string that cannot hold one of
// Eddy's own statements takes the fast path: one pg_query.Parse of the whole
// string, with no scan. Anything else, and any string the fast path fails
// on, is scanned, split and routed statement by statement.
func parse(sql string, slowOnly bool) ([]ast.Statement, error) {
	if !slowOnly && !mayNeedHandParser(sql) {
		if stmts, ok := parseFast(sql); ok {
			return stmts, nil
		}
	}
	pieces, err := split(sql)
	if err != nil {
		return nil, err
	}
	stmts := make([]ast.Statement, 0, len(pieces))
	for _, p := range pieces {
		s, err := p.parse()
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	return stmts, nil
}

// parseFast parses all of sql with PostgreSQL's grammar in one call. It
// reports false if the grammar rejects the string; the slow path then finds
// the error and its position statement by statement.
func parseFast(sql string) ([]ast.Statement, bool) {
	if mayHaveNumericJunk(sql) {
		return nil, false
	}
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, false
	}
	stmts := make([]ast.Statement, 0, len(tree.Stmts))
	for _, raw := range tree.Stmts {
		p := &piece{sql: sql, start: int(raw.StmtLocation), end: int(raw.StmtLocation + raw.StmtLen)}
		if raw.StmtLen == 0 {
			p.end = len(sql)
		}
		c := &converter{text: sql, orig: sql, base: 0, piece: p}
		stmts = append(stmts, c.statement(raw.Stmt))
	}
	return stmts, true
}

// handParserWords are words at least one of which every statement for the
// hand parser contains (FLUSH, SHOW, CREATE SOURCE, …, CREATE TABLE …
// WITH (connector = …)). A string with none of them skips the scan.
var handParserWords = []string{"flush", "show", "describe", "source", "sink", "watermark", "format", "emit", "connector", "subscribe"}

func mayNeedHandParser(sql string) bool {
	for _, w := range handParserWords {
		if containsFold(sql, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w in any
// case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// ParseOne parses exactly one statement, as the extended protocol's Parse
// message carries. An empty string (or only comments) gives (nil, nil).
func ParseOne(sql string) (stmt ast.Statement, err error) {
	defer recoverError(&err)
	if err := checkEncoding(sql); err != nil {
		return nil, err
	}
	stmts, err := parse(sql, false)
	switch {
	case err != nil:
		return nil, err
	case len(stmts) == 0:
		return nil, nil
	case len(stmts) > 1:
		return nil, pgerror.New(pgerror.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	return stmts[0], nil
}

// ParseExpr parses a standalone scalar expression, such as a column default
// or a watermark expression stored in the catalog.
func ParseExpr(sql string) (expr ast.Expr, err error) {
	defer recoverError(&err)
	if err := checkEncoding(sql); err != nil {
		return nil, err
	}
	const prefix = "SELECT "
	return parseExprText(prefix+sql, len(prefix), -len(prefix), sql)
}

// parseExprText parses text, which must read "SELECT <expr>" with the
// expression starting at byte exprStart, into one expression. base is added
// to every offset to make it relative to orig, the caller's string.
func parseExprText(text string, exprStart, base int, orig string) (ast.Expr, error) {
	c := &converter{text: text, orig: orig, base: base}
	tree, err := pg_query.Parse(text)
	if err != nil {
		return nil, c.syntaxError(err)
	}
	if len(tree.Stmts) != 1 {
		return nil, c.errorAt(pgerror.New(pgerror.SyntaxError, "expected one expression"), exprStart)
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 || len(sel.FromClause) > 0 || sel.WhereClause != nil ||
		len(sel.GroupClause) > 0 || sel.HavingClause != nil || len(sel.SortClause) > 0 ||
		sel.LimitCount != nil || sel.LimitOffset != nil || sel.WithClause != nil ||
		len(sel.DistinctClause) > 0 || sel.Op != pg_query.SetOperation_SETOP_NONE || sel.IntoClause != nil {
		return nil, c.errorAt(pgerror.New(pgerror.SyntaxError, "expected one expression"), exprStart)
	}
	target := sel.TargetList[0].GetResTarget()
	if target == nil || target.Name != "" || target.Val.GetColumnRef() != nil && isStar(target.Val.GetColumnRef()) {
		return nil, c.errorAt(pgerror.New(pgerror.SyntaxError, "expected one expression"), exprStart)
	}
	return c.expr(target.Val), nil
}

// piece is one statement of a query string: its byte range and tokens.
type piece struct {
	sql        string // the whole query string
	start, end int    // byte range of the statement
	tokens     []*pg_query.ScanToken
	scanned    bool // tokens is set (the fast path scans only on demand)
}

// toks returns the statement's tokens without comments, offsets relative
// to p.sql.
func (p *piece) toks() []*pg_query.ScanToken {
	if p.scanned {
		return p.tokens
	}
	p.scanned = true
	scan, err := pg_query.Scan(p.sql[p.start:p.end])
	if err != nil {
		return nil
	}
	for _, t := range scan.Tokens {
		if t.Token != pg_query.Token_SQL_COMMENT && t.Token != pg_query.Token_C_COMMENT {
			t.Start += int32(p.start)
			t.End += int32(p.start)
			p.tokens = append(p.tokens, t)
		}
	}
	return p.tokens
}

func (p *piece) text() string { return p.sql[p.start:p.end] }

// split scans sql and cuts it at top-level semicolons, dropping comments and
// empty statements.
func split(sql string) ([]*piece, error) {
	scan, err := pg_query.Scan(sql)
	if err != nil {
		return nil, convertPgError(err, sql, 0, sql)
	}
	var pieces []*piece
	var cur []*pg_query.ScanToken
	flush := func() {
		if len(cur) > 0 {
			pieces = append(pieces, &piece{sql: sql, tokens: cur, scanned: true,
				start: int(cur[0].Start), end: int(cur[len(cur)-1].End)})
		}
		cur = nil
	}
	for _, t := range scan.Tokens {
		switch t.Token {
		case pg_query.Token_SQL_COMMENT, pg_query.Token_C_COMMENT:
			continue
		case pg_query.Token_ICONST, pg_query.Token_FCONST:
			if err := numericJunk(sql, t); err != nil {
				return nil, err
			}
		case pg_query.Token_ASCII_59: // ';'
			flush()
			continue
		}
		cur = append(cur, t)
	}
	flush()
	return pieces, nil
}

// parse parses one statement with the grammar its leading tokens call for.
func (p *piece) parse() (ast.Statement, error) {
	if s, handled, err := parseStreaming(p); handled {
		return s, err
	}
	return parsePostgres(p, p.text(), nil)
}

// parsePostgres parses text (p's statement text, or a copy of the same
// length with parts blanked)
// with PostgreSQL's grammar and converts it. adjust, if set, edits the
// result (the hand parser uses it to add what it stripped).
func parsePostgres(p *piece, text string, adjust func(*converter, ast.Statement) (ast.Statement, error)) (ast.Statement, error) {
	c := &converter{text: text, orig: p.sql, base: p.start, piece: p}
	tree, err := pg_query.Parse(text)
	if err != nil {
		return nil, c.syntaxError(err)
	}
	if len(tree.Stmts) != 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "expected one statement")
	}
	s := c.statement(tree.Stmts[0].Stmt)
	if adjust != nil {
		return adjust(c, s)
	}
	return s, nil
}

// converter turns one pg_query tree into ast. text is what pg_query parsed;
// its byte i is byte base+i of orig, the caller's query string. Conversion
// reports unsupported constructs by panicking with a *pgerror.Error, which
// recoverError turns back into an error at the API boundary; this keeps the
// recursive conversion free of error plumbing.
type converter struct {
	text  string
	orig  string
	base  int
	piece *piece // the statement being converted; nil for ParseExpr
	// windows are the named windows of the query level being converted
	// (window_clause.go).
	windows map[string]*pg_query.WindowDef
}

// pos converts a pg_query location into an offset in orig.
func (c *converter) pos(loc int32) int {
	if loc < 0 {
		return -1
	}
	return int(loc) + c.base
}

// syntaxError converts an error of pg_query on c.text.
func (c *converter) syntaxError(err error) error {
	return convertPgError(err, c.text, c.base, c.orig)
}

// errorAt sets e's position to byte offset off of c.text.
func (c *converter) errorAt(e *pgerror.Error, off int) *pgerror.Error {
	return e.WithPosition(charPosition(c.orig, off+c.base))
}

// convertPgError turns a pg_query error on text (byte i of which is byte
// base+i of orig) into a 42601 error positioned in orig.
func convertPgError(err error, text string, base int, orig string) error {
	pe, ok := err.(*pgparser.Error)
	if !ok {
		if strings.Contains(err.Error(), "recursion depth") {
			// The parse tree is deeper than its protobuf form may nest: what
			// PostgreSQL reports as a too-deep expression.
			return pgerror.New(pgerror.StatementTooComplex, "statement is too deeply nested").
				WithHint("Split the expression, or build it from fewer nested terms.")
		}
		return pgerror.New(pgerror.SyntaxError, "%s", err.Error())
	}
	e := pgerror.New(pgerror.SyntaxError, "%s", pe.Message)
	if pe.Cursorpos > 0 {
		off := byteOffset(text, pe.Cursorpos-1) + base
		e.Position = charPosition(orig, off)
	}
	return e
}

// byteOffset returns the byte offset of the n-th (0-based) character of s, or
// len(s) past the end.
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// charPosition returns the 1-based character position of byte offset off of s.
func charPosition(s string, off int) int32 {
	off = max(0, min(off, len(s)))
	return int32(utf8.RuneCountInString(s[:off]) + 1)
}

// unsupported aborts conversion with a 0A000 error.
func unsupported(format string, args ...any) {
	panic(pgerror.Unsupported(format+" is not supported", args...))
}

// recoverError turns a panic during parsing into an error: *pgerror.Error
// panics are how conversion reports unsupported constructs; anything else
// is a bug, reported as XX000 rather than crashing the server.
func recoverError(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if pe, ok := r.(*pgerror.Error); ok {
		*err = pe
		return
	}
	*err = pgerror.Internal("parser panic: %v", r).WithDetail("%s", debug.Stack())
}

// syntaxErrorAt builds PostgreSQL's syntax error for token t of p (nil for
// end of input).
func syntaxErrorAt(p *piece, t *pg_query.ScanToken) *pgerror.Error {
	if t == nil {
		return pgerror.New(pgerror.SyntaxError, "syntax error at end of input").
			WithPosition(charPosition(p.sql, p.end))
	}
	return pgerror.New(pgerror.SyntaxError, "syntax error at or near %s",
		quoteNear(p.sql[t.Start:t.End])).WithPosition(charPosition(p.sql, int(t.Start)))
}

func quoteNear(s string) string { return `"` + s + `"` }

// statementName names the statement p for an "is not supported" error: its
// leading keywords in upper case ("CREATE FUNCTION", "VACUUM").
func statementName(p *piece) string {
	if p == nil {
		return "statement"
	}
	var words []string
	for _, t := range p.toks() {
		if t.KeywordKind == pg_query.KeywordKind_NO_KEYWORD || len(words) == 3 {
			break
		}
		words = append(words, strings.ToUpper(p.sql[t.Start:t.End]))
	}
	if len(words) == 0 {
		return "statement"
	}
	return strings.Join(words, " ")
}

// numericJunk rejects what PostgreSQL 15's lexer calls trailing junk after
// a numeric literal: the scanner here (PostgreSQL 17's) also reads
// 0x1F, 0o17, 0b101 and 1_000 as numbers, which 15 does not.
func numericJunk(sql string, t *pg_query.ScanToken) *pgerror.Error {
	text := sql[t.Start:t.End]
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9' || c == '.':
			continue
		case (c == 'e' || c == 'E') && t.Token == pg_query.Token_FCONST:
			continue
		case (c == '+' || c == '-') && i > 0 && (text[i-1] == 'e' || text[i-1] == 'E'):
			continue
		}
		// PostgreSQL quotes the number with the identifier glued to it.
		end := int(t.End)
		for end < len(sql) && (sql[end] == '_' || sql[end] >= '0' && sql[end] <= '9' || (sql[end]|0x20) >= 'a' && (sql[end]|0x20) <= 'z' || sql[end] >= 0x80) {
			end++
		}
		return pgerror.New(pgerror.SyntaxError, "trailing junk after numeric literal at or near %s", quoteNear(sql[t.Start:end])).
			WithPosition(charPosition(sql, int(t.Start)))
	}
	return nil
}

// mayHaveNumericJunk reports whether sql may hold a number with junk glued
// on (0x1F, 1_000, 12ab): a digit that starts no identifier, followed by
// a letter or underscore other than an exponent's e. The slow path's scan
// then decides.
func mayHaveNumericJunk(sql string) bool {
	isIdent := func(c byte) bool {
		return c == '_' || c == '$' || c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= 0x80
	}
	for i := 1; i < len(sql); i++ {
		c, prev := sql[i], sql[i-1]
		if prev < '0' || prev > '9' || !(c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z') || c|0x20 == 'e' {
			continue
		}
		// Walk back over the digits: a number starts after a non-identifier
		// character (or a dot, for .5e3).
		j := i - 1
		for j > 0 && (sql[j-1] >= '0' && sql[j-1] <= '9' || sql[j-1] == '.') {
			j--
		}
		if j == 0 || !isIdent(sql[j-1]) {
			return true
		}
	}
	return false
}
