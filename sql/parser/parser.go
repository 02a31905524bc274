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
//     no grammar for: FLUSH, SHOW TABLES|SOURCES|…, CREATE SOURCE|SINK,
//     DROP SOURCE|SINK, table definitions with WATERMARK or a connector
//     clause (WITH (…) FORMAT … ENCODE …), and CREATE MATERIALIZED VIEW …
//     EMIT ON WINDOW CLOSE. It walks PostgreSQL's own tokens (pg_query.Scan),
//     so quoting, E” strings and comments behave exactly as in PostgreSQL,
//     and hands the pieces it does not understand (column lists, watermark
//     expressions, queries) back to PostgreSQL's grammar.
//
// # Routing
//
// A query string is scanned once and split into statements at top-level
// semicolons. Each statement's leading tokens decide its grammar (route in
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
	pieces, err := split(sql)
	if err != nil {
		return nil, err
	}
	stmts = make([]ast.Statement, 0, len(pieces))
	for _, p := range pieces {
		s, err := p.parse()
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	return stmts, nil
}

// ParseOne parses exactly one statement, as the extended protocol's Parse
// message carries. An empty string (or only comments) gives (nil, nil).
func ParseOne(sql string) (stmt ast.Statement, err error) {
	defer recoverError(&err)
	pieces, err := split(sql)
	if err != nil {
		return nil, err
	}
	switch len(pieces) {
	case 0:
		return nil, nil
	case 1:
		return pieces[0].parse()
	default:
		return nil, pgerror.New(pgerror.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
}

// ParseExpr parses a standalone scalar expression, such as a column default
// or a watermark expression stored in the catalog.
func ParseExpr(sql string) (expr ast.Expr, err error) {
	defer recoverError(&err)
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

// piece is one statement of a query string: its tokens and byte range.
type piece struct {
	sql        string // the whole query string
	tokens     []*pg_query.ScanToken
	start, end int // byte range of the statement, from its first token to its last
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
			pieces = append(pieces, &piece{sql: sql, tokens: cur,
				start: int(cur[0].Start), end: int(cur[len(cur)-1].End)})
		}
		cur = nil
	}
	for _, t := range scan.Tokens {
		switch t.Token {
		case pg_query.Token_SQL_COMMENT, pg_query.Token_C_COMMENT:
			continue
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
	for _, t := range p.tokens {
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
