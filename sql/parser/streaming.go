package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// This file is the hand parser for Eddy's statements that PostgreSQL's
// grammar cannot read:
//
//	FLUSH
//	SHOW TABLES | MATERIALIZED VIEWS | VIEWS | SOURCES | SINKS [FROM|IN schema]
//	SHOW CREATE TABLE | MATERIALIZED VIEW | VIEW name, DESCRIBE name (describe.go)
//	CREATE SOURCE [IF NOT EXISTS] name [(columns…, WATERMARK FOR col AS expr)] [WITH (options)] [FORMAT f ENCODE e [(options)]]
//	CREATE TABLE … as above, when it has a WATERMARK, WITH (…) or FORMAT clause
//	CREATE MATERIALIZED VIEW … EMIT ON WINDOW CLOSE
//	CREATE SINK [IF NOT EXISTS] name {FROM relation | AS query} [WITH (options)] [FORMAT f ENCODE e [(options)]]
//	DROP SOURCE | SINK [IF EXISTS] name [, …] [CASCADE | RESTRICT]
//	ALTER SOURCE | SINK [IF EXISTS] name RENAME TO newname
//
// It walks PostgreSQL's tokens and hands column lists, expressions and
// queries back to PostgreSQL's grammar as blanked copies of the statement
// text (see the package comment), so only the streaming clauses are parsed
// here. Syntax errors are raised by panicking with a *pgerror.Error, which
// Parse recovers.

// parseStreaming parses p if it is one of Eddy's own statements; handled
// reports whether it was.
func parseStreaming(p *piece) (stmt ast.Statement, handled bool, err error) {
	h := &hand{p: p, toks: p.toks()}
	switch {
	case h.is(0, "flush"):
		h.i = 1
		h.end()
		return &ast.Flush{}, true, nil
	case h.is(0, "show") && h.is(1, "create"):
		return h.showCreate(), true, nil
	case h.is(0, "describe"):
		return h.describe(), true, nil
	case h.is(0, "show") && (h.is(1, "tables", "sources", "sinks", "views") || h.is(1, "materialized") && h.is(2, "views")):
		return h.showObjects(), true, nil
	case h.is(0, "create") && h.is(1, "source"):
		return h.createSource(), true, nil
	case h.is(0, "create") && h.is(1, "sink"):
		return h.createSink(), true, nil
	case h.is(0, "create") && h.is(1, "table") && h.tableNeedsHand():
		return h.createTable(), true, nil
	case h.is(0, "create") && h.is(1, "materialized") && h.is(2, "view") && h.endsWith("emit", "on", "window", "close"):
		s, err := h.createMaterializedViewEmit()
		return s, true, err
	case h.is(0, "drop") && h.is(1, "source", "sink"):
		return h.drop(), true, nil
	case h.is(0, "alter") && h.is(1, "source", "sink"):
		return h.alterRename(), true, nil
	case h.declaresSubscribeCursor():
		return nil, true, pgerror.Unsupported("DECLARE … CURSOR FOR SUBSCRIBE is not supported yet").
			WithHint("Declare the cursor FOR a SELECT over the view; SUBSCRIBE cursors come with SUBSCRIBE.")
	}
	return nil, false, nil
}

// hand is a cursor over one statement's tokens.
type hand struct {
	p    *piece
	toks []*pg_query.ScanToken
	i    int // the next token
}

// tok returns token i, or nil past the end.
func (h *hand) tok(i int) *pg_query.ScanToken {
	if i < 0 || i >= len(h.toks) {
		return nil
	}
	return h.toks[i]
}

func (h *hand) text(t *pg_query.ScanToken) string { return h.p.sql[t.Start:t.End] }

// is reports whether token i is an unquoted word equal (ignoring case) to
// one of words.
func (h *hand) is(i int, words ...string) bool {
	t := h.tok(i)
	if t == nil || (t.Token != pg_query.Token_IDENT && t.KeywordKind == pg_query.KeywordKind_NO_KEYWORD) {
		return false
	}
	s := h.text(t)
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

func (h *hand) isToken(i int, kind pg_query.Token) bool {
	t := h.tok(i)
	return t != nil && t.Token == kind
}

func (h *hand) endsWith(words ...string) bool {
	n := len(h.toks) - len(words)
	for k, w := range words {
		if !h.is(n+k, w) {
			return false
		}
	}
	return n >= 0
}

// fail raises PostgreSQL's syntax error at token i.
func (h *hand) fail(i int) {
	panic(syntaxErrorAt(h.p, h.tok(i)))
}

// accept consumes words if the next tokens are exactly those words.
func (h *hand) accept(words ...string) bool {
	for k, w := range words {
		if !h.is(h.i+k, w) {
			return false
		}
	}
	h.i += len(words)
	return true
}

func (h *hand) expect(words ...string) {
	for _, w := range words {
		if !h.is(h.i, w) {
			h.fail(h.i)
		}
		h.i++
	}
}

func (h *hand) expectToken(kind pg_query.Token) {
	if !h.isToken(h.i, kind) {
		h.fail(h.i)
	}
	h.i++
}

func (h *hand) end() {
	if h.i < len(h.toks) {
		h.fail(h.i)
	}
}

// isName reports whether token i can be a name: an identifier or a keyword
// that is not reserved.
func (h *hand) isName(i int) bool {
	t := h.tok(i)
	return t != nil && (t.Token == pg_query.Token_IDENT ||
		t.KeywordKind != pg_query.KeywordKind_NO_KEYWORD && t.KeywordKind != pg_query.KeywordKind_RESERVED_KEYWORD)
}

// name consumes one identifier and returns it as PostgreSQL would: folded to
// lower case unless quoted, truncated to 63 bytes.
func (h *hand) name() string {
	if !h.isName(h.i) {
		h.fail(h.i)
	}
	s := h.text(h.tok(h.i))
	h.i++
	return identifier(s)
}

func identifier(s string) string {
	if strings.HasPrefix(s, `"`) {
		s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	} else if strings.HasPrefix(s, `U&"`) || strings.HasPrefix(s, `u&"`) {
		unsupported("Unicode escapes in identifiers")
	} else {
		s = lowerASCII(s)
	}
	const maxIdentifier = 63
	if len(s) > maxIdentifier {
		n := maxIdentifier
		for n > 0 && s[n]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			n--
		}
		s = s[:n]
	}
	return s
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// qualifiedName consumes name[.name[.name]].
func (h *hand) qualifiedName() ast.TableName {
	pos := -1
	if t := h.tok(h.i); t != nil {
		pos = int(t.Start)
	}
	parts := []string{h.name()}
	for h.isToken(h.i, pg_query.Token_ASCII_46) {
		h.i++
		parts = append(parts, h.name())
	}
	t := qualifiedName(parts)
	t.Pos = pos
	return t
}

// matching returns the index of the ')' closing the '(' at token i.
func (h *hand) matching(i int) int {
	depth := 0
	for k := i; k < len(h.toks); k++ {
		switch h.toks[k].Token {
		case pg_query.Token_ASCII_40:
			depth++
		case pg_query.Token_ASCII_41:
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	h.fail(len(h.toks))
	return -1
}

// blanked returns the statement text with the given token ranges [from, to)
// replaced by spaces, keeping every byte offset.
func (h *hand) blanked(ranges ...[2]int) []byte {
	b := []byte(h.p.text())
	for _, r := range ranges {
		if r[0] >= r[1] {
			continue
		}
		from := int(h.toks[r[0]].Start) - h.p.start
		to := len(b)
		if r[1] < len(h.toks) {
			to = int(h.toks[r[1]].Start) - h.p.start
		}
		for k := from; k < to; k++ {
			b[k] = ' '
		}
	}
	return b
}

// ---- statements ----

func (h *hand) showObjects() ast.Statement {
	h.i = 1
	out := &ast.ShowObjects{}
	switch {
	case h.accept("tables"):
		out.Kind = ast.ObjTable
	case h.accept("sources"):
		out.Kind = ast.ObjSource
	case h.accept("sinks"):
		out.Kind = ast.ObjSink
	case h.accept("views"):
		out.Kind = ast.ObjView
	case h.accept("materialized", "views"):
		out.Kind = ast.ObjMaterializedView
	}
	if h.accept("from") || h.accept("in") {
		out.Schema = h.name()
	}
	h.end()
	return out
}

func (h *hand) ifNotExists() bool {
	return h.accept("if", "not", "exists")
}

// tableNeedsHand reports whether a CREATE TABLE carries a streaming clause:
// a WATERMARK in its column list, or WITH / FORMAT after it.
func (h *hand) tableNeedsHand() bool {
	i := 2
	if h.is(i, "if") {
		i += 3
	}
	for h.isName(i) {
		i++
		if !h.isToken(i, pg_query.Token_ASCII_46) {
			break
		}
		i++
	}
	if h.isToken(i, pg_query.Token_ASCII_40) {
		depth := 0
		for ; i < len(h.toks); i++ {
			switch h.toks[i].Token {
			case pg_query.Token_ASCII_40:
				depth++
			case pg_query.Token_ASCII_41:
				depth--
			}
			if depth == 1 && (h.isToken(i, pg_query.Token_ASCII_40) || h.isToken(i, pg_query.Token_ASCII_44)) && h.isWatermark(i+1) {
				return true
			}
			if depth == 0 {
				i++
				break
			}
		}
	}
	return h.is(i, "with", "format")
}

// isWatermark reports whether a WATERMARK FOR clause starts at token i (a
// column may be named watermark).
func (h *hand) isWatermark(i int) bool {
	return h.is(i, "watermark") && h.isToken(i+1, pg_query.Token_FOR)
}

// tableBody holds what parseTableBody found.
type tableBody struct {
	name        ast.TableName
	ifNotExists bool
	columns     []ast.ColumnDef
	primaryKey  []string
	watermark   *ast.Watermark
	options     []ast.Option
	format      *ast.FormatSpec
}

// parseTableBody parses the part CREATE SOURCE and CREATE TABLE share, from the
// token after SOURCE/TABLE: [IF NOT EXISTS] name [(elements)] [WITH …]
// [FORMAT …]. The column list goes to PostgreSQL's grammar as
// `CREATE TABLE name (columns)` with the watermark and the trailing clauses
// blanked; the keyword at token 1 is rewritten to TABLE.
func (h *hand) parseTableBody() tableBody {
	var out tableBody
	h.i = 2
	out.ifNotExists = h.ifNotExists()
	out.name = h.qualifiedName()
	if h.isToken(h.i, pg_query.Token_ASCII_40) {
		open := h.i
		closing := h.matching(open)
		var blank [][2]int
		// Split the elements at top-level commas to find the watermark.
		depth := 0
		elemStart := open + 1
		for k := open + 1; k <= closing; k++ {
			switch h.toks[k].Token {
			case pg_query.Token_ASCII_40:
				depth++
				continue
			case pg_query.Token_ASCII_41:
				if depth > 0 {
					depth--
					continue
				}
			case pg_query.Token_ASCII_44:
				if depth > 0 {
					continue
				}
			default:
				continue
			}
			if h.isWatermark(elemStart) {
				if out.watermark != nil {
					panic(pgerror.New(pgerror.SyntaxError, "multiple WATERMARK clauses are not allowed").
						WithPosition(charPosition(h.p.sql, int(h.toks[elemStart].Start))))
				}
				out.watermark = h.watermark(elemStart, k)
				// Blank the element with one adjacent comma.
				if elemStart-1 > open {
					blank = append(blank, [2]int{elemStart - 1, k})
				} else if k < closing {
					blank = append(blank, [2]int{elemStart, k + 1})
				} else {
					blank = append(blank, [2]int{elemStart, k})
				}
			}
			elemStart = k + 1
		}
		h.i = closing + 1
		text := h.blanked(append(blank, [2]int{h.i, len(h.toks)})...)
		if h.is(1, "source") { // same length: offsets stay put
			copy(text[int(h.toks[1].Start)-h.p.start:], "table ")
		}
		s, err := parsePostgres(h.p, string(text), nil)
		if err != nil {
			panic(err)
		}
		t := s.(*ast.CreateTable)
		out.columns, out.primaryKey = t.Columns, t.PrimaryKey
	}
	if h.accept("with") {
		out.options = h.options()
	}
	if h.accept("format") {
		out.format = &ast.FormatSpec{Format: upperASCII(h.name())}
		h.expect("encode")
		out.format.Encode = upperASCII(h.name())
		if h.isToken(h.i, pg_query.Token_ASCII_40) {
			out.format.Options = h.options()
		}
	}
	h.end()
	return out
}

// watermark parses WATERMARK FOR col AS expr over tokens [from, to).
func (h *hand) watermark(from, to int) *ast.Watermark {
	// Reading past the element is harmless: the token at to is ',' or
	// ')', which every step below rejects with the right error.
	sub := &hand{p: h.p, toks: h.toks, i: from}
	sub.expect("watermark")
	if !sub.isToken(sub.i, pg_query.Token_FOR) {
		sub.fail(sub.i)
	}
	sub.i++
	col := sub.name()
	if !sub.isToken(sub.i, pg_query.Token_AS) {
		sub.fail(sub.i)
	}
	sub.i++
	if sub.i >= to {
		sub.fail(sub.i)
	}
	return &ast.Watermark{Column: col, Expr: h.exprAt(sub.i, to)}
}

// exprAt parses tokens [from, to) as one expression by PostgreSQL's grammar.
func (h *hand) exprAt(from, to int) ast.Expr {
	text := h.blanked([2]int{0, from}, [2]int{to, len(h.toks)})
	start := int(h.toks[from].Start) - h.p.start
	if start < len("select ") {
		h.fail(from)
	}
	copy(text, "select")
	e, err := parseExprText(string(text), start, h.p.start, h.p.sql)
	if err != nil {
		panic(h.endOfPiece(err, to))
	}
	return e
}

// endOfPiece rewrites PostgreSQL's "at end of input" error for a piece that
// ends before token to into the error PostgreSQL would give on the whole
// statement: at or near token to.
func (h *hand) endOfPiece(err error, to int) error {
	pe, ok := err.(*pgerror.Error)
	if ok && pe.Message == "syntax error at end of input" && to < len(h.toks) {
		return syntaxErrorAt(h.p, h.toks[to])
	}
	return err
}

// options parses ( name = value [, …] ). Names may be dotted
// (properties.bootstrap.server) and may be keywords; values are strings,
// numbers or words, all kept as text.
func (h *hand) options() []ast.Option {
	h.expectToken(pg_query.Token_ASCII_40)
	var out []ast.Option
	for {
		t := h.tok(h.i)
		if t == nil || t.Token != pg_query.Token_IDENT && t.KeywordKind == pg_query.KeywordKind_NO_KEYWORD {
			h.fail(h.i)
		}
		parts := []string{identifier(h.text(t))}
		h.i++
		for h.isToken(h.i, pg_query.Token_ASCII_46) {
			h.i++
			t := h.tok(h.i)
			if t == nil || t.Token != pg_query.Token_IDENT && t.KeywordKind == pg_query.KeywordKind_NO_KEYWORD {
				h.fail(h.i)
			}
			parts = append(parts, identifier(h.text(t)))
			h.i++
		}
		h.expectToken(pg_query.Token_ASCII_61)
		out = append(out, ast.Option{Name: strings.Join(parts, "."), Value: h.optionValue()})
		if h.isToken(h.i, pg_query.Token_ASCII_44) {
			h.i++
			continue
		}
		h.expectToken(pg_query.Token_ASCII_41)
		return out
	}
}

func (h *hand) optionValue() string {
	t := h.tok(h.i)
	if t == nil {
		h.fail(h.i)
	}
	switch {
	case t.Token == pg_query.Token_SCONST || t.Token == pg_query.Token_USCONST:
		h.i++
		s := h.text(t)
		if strings.HasPrefix(s, "'") {
			return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
		}
		// E'…', U&'…' and $$…$$: let PostgreSQL unescape it.
		lit, ok := h.exprAt(h.i-1, h.i).(*ast.Literal)
		if !ok || lit.Kind != ast.LitString {
			h.fail(h.i - 1)
		}
		return lit.Text
	case t.Token == pg_query.Token_ICONST || t.Token == pg_query.Token_FCONST:
		h.i++
		return h.text(t)
	case t.Token == pg_query.Token_ASCII_45 && (h.isToken(h.i+1, pg_query.Token_ICONST) || h.isToken(h.i+1, pg_query.Token_FCONST)):
		h.i += 2
		return "-" + h.text(h.tok(h.i-1))
	case t.Token == pg_query.Token_IDENT || t.KeywordKind != pg_query.KeywordKind_NO_KEYWORD:
		h.i++
		return identifier(h.text(t))
	}
	h.fail(h.i)
	return ""
}

func (h *hand) createSource() ast.Statement {
	b := h.parseTableBody()
	for _, c := range b.columns {
		if c.PrimaryKey {
			unsupported("PRIMARY KEY on a source")
		}
	}
	if b.primaryKey != nil {
		unsupported("PRIMARY KEY on a source")
	}
	return &ast.CreateSource{Name: b.name, IfNotExists: b.ifNotExists, Columns: b.columns,
		Watermark: b.watermark, Options: b.options, Format: b.format}
}

func (h *hand) createTable() ast.Statement {
	b := h.parseTableBody()
	return &ast.CreateTable{Name: b.name, IfNotExists: b.ifNotExists, Columns: b.columns, PrimaryKey: b.primaryKey,
		Watermark: b.watermark, Options: b.options, Format: b.format}
}

func (h *hand) createSink() ast.Statement {
	h.i = 2
	out := &ast.CreateSink{IfNotExists: h.ifNotExists(), Name: h.qualifiedName()}
	// The query, if any, runs up to the trailing WITH (…) and FORMAT
	// clauses, found from the end so that WITH inside the query (a CTE,
	// WITH TIME ZONE) is left alone.
	clauses := len(h.toks)
	for k := len(h.toks) - 4; k > h.i; k-- {
		if h.isFormatClause(k) {
			clauses = k
			break
		}
	}
	if h.isToken(clauses-1, pg_query.Token_ASCII_41) {
		depth := 0
		for k := clauses - 1; k > h.i; k-- {
			switch h.toks[k].Token {
			case pg_query.Token_ASCII_41:
				depth++
			case pg_query.Token_ASCII_40:
				depth--
			}
			if depth == 0 {
				if h.isToken(k-1, pg_query.Token_WITH) {
					clauses = k - 1
				}
				break
			}
		}
	}
	switch {
	case h.accept("from"):
		from := h.qualifiedName()
		out.From = &from
	case h.isToken(h.i, pg_query.Token_AS):
		h.i++
		if h.i >= clauses {
			h.fail(h.i)
		}
		text := h.blanked([2]int{0, h.i}, [2]int{clauses, len(h.toks)})
		s, err := parsePostgres(h.p, string(text), nil)
		if err != nil {
			panic(h.endOfPiece(err, clauses))
		}
		q, ok := s.(*ast.Select)
		if !ok {
			panic(pgerror.New(pgerror.SyntaxError, "CREATE SINK … AS needs a query").
				WithPosition(charPosition(h.p.sql, int(h.toks[h.i].Start))))
		}
		out.Query = q
		out.QueryText = strings.TrimSpace(string(text[int(h.toks[h.i].Start)-h.p.start:]))
		h.i = clauses
	default:
		h.fail(h.i)
	}
	if h.accept("with") {
		out.Options = h.options()
	}
	if h.accept("format") {
		out.Format = &ast.FormatSpec{Format: upperASCII(h.name())}
		h.expect("encode")
		out.Format.Encode = upperASCII(h.name())
		if h.isToken(h.i, pg_query.Token_ASCII_40) {
			out.Format.Options = h.options()
		}
	}
	h.end()
	return out
}

// isFormatClause reports whether FORMAT f ENCODE e [(options)] starts at
// token k and ends the statement.
func (h *hand) isFormatClause(k int) bool {
	if !h.isToken(k, pg_query.Token_FORMAT) || !h.isName(k+1) || !h.is(k+2, "encode") || !h.isName(k+3) {
		return false
	}
	rest := k + 4
	if rest == len(h.toks) {
		return true
	}
	if !h.isToken(rest, pg_query.Token_ASCII_40) {
		return false
	}
	depth := 0
	for i := rest; i < len(h.toks); i++ {
		switch h.toks[i].Token {
		case pg_query.Token_ASCII_40:
			depth++
		case pg_query.Token_ASCII_41:
			depth--
			if depth == 0 {
				return i == len(h.toks)-1
			}
		}
	}
	return false
}

func (h *hand) createMaterializedViewEmit() (ast.Statement, error) {
	n := len(h.toks)
	text := h.blanked([2]int{n - 4, n})
	return parsePostgres(h.p, string(text), func(c *converter, s ast.Statement) (ast.Statement, error) {
		mv, ok := s.(*ast.CreateMaterializedView)
		if !ok {
			h.fail(n - 4)
		}
		mv.EmitOnWindowClose = true
		return mv, nil
	})
}

func (h *hand) kind() ast.ObjectKind {
	if h.is(1, "source") {
		return ast.ObjSource
	}
	return ast.ObjSink
}

func (h *hand) drop() ast.Statement {
	h.i = 2
	out := &ast.Drop{Kind: h.kind(), IfExists: h.accept("if", "exists")}
	out.Names = append(out.Names, h.qualifiedName())
	for h.isToken(h.i, pg_query.Token_ASCII_44) {
		h.i++
		out.Names = append(out.Names, h.qualifiedName())
	}
	if h.accept("cascade") {
		out.Cascade = true
	} else {
		h.accept("restrict")
	}
	h.end()
	return out
}

func (h *hand) alterRename() ast.Statement {
	h.i = 2
	out := &ast.AlterRename{Kind: h.kind(), IfExists: h.accept("if", "exists")}
	out.Name = h.qualifiedName()
	h.expect("rename", "to")
	out.NewName = h.name()
	h.end()
	return out
}
