package session

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// COPY … FROM STDIN and COPY … TO STDOUT. The results below implement
// pgwire's CopyInResult and CopyOutResult (structurally: session does not
// import pgwire).
//
// COPY FROM parses the client's data as it arrives (PostgreSQL's text
// format, CSV or binary), converts each value to its column's type, and
// every copyChunkRows rows inserts them through the same path as INSERT
// (NOT NULL, duplicate keys) into the statement's transaction: the implicit
// one committed at Sync, or the explicit one.

// copyChunkRows is how many rows COPY FROM hands to the table writer at a
// time.
const copyChunkRows = 1024

// SQLSTATEs of COPY that sql/pgerror does not name.
const (
	codeBadCopyFileFormat      pgerror.Code = pgerror.BadCopyFileFormat
	codeInvalidTextRepr        pgerror.Code = pgerror.InvalidTextRepresentation
	codeInvalidBinaryRepr      pgerror.Code = pgerror.InvalidBinaryRepresentation
	codeCopyInvalidParamValue  pgerror.Code = pgerror.InvalidParameterValue
	codeCopyOptionSyntax       pgerror.Code = pgerror.SyntaxError
	codeCopyFeatureUnsupported pgerror.Code = pgerror.FeatureNotSupported
)

type copyFormat int

const (
	copyText copyFormat = iota
	copyCSV
	copyBinary
)

type copyOptions struct {
	format copyFormat
	header bool
	delim  byte
	null   string
	quote  byte
	escape byte
}

func parseCopyOptions(opts []ast.Option) (copyOptions, error) {
	o := copyOptions{}
	var delim, null, quote, escape *string
	seen := map[string]bool{}
	for _, opt := range opts {
		if seen[opt.Name] {
			return o, pgerror.New(codeCopyOptionSyntax, "conflicting or redundant options")
		}
		seen[opt.Name] = true
		v := opt.Value
		switch opt.Name {
		case "format":
			switch strings.ToLower(v) {
			case "text":
				o.format = copyText
			case "csv":
				o.format = copyCSV
			case "binary":
				o.format = copyBinary
			default:
				return o, pgerror.New(codeCopyInvalidParamValue, "COPY format %q not recognized", v)
			}
		case "header":
			switch strings.ToLower(v) {
			case "true", "on", "1", "yes", "t", "y":
				o.header = true
			case "false", "off", "0", "no", "f", "n":
			case "match":
				o.header = true
			default:
				return o, pgerror.New(codeCopyInvalidParamValue, "header requires a Boolean value or \"match\"")
			}
		case "delimiter":
			delim = &opt.Value
		case "null":
			null = &opt.Value
		case "quote":
			quote = &opt.Value
		case "escape":
			escape = &opt.Value
		case "encoding":
			if e := strings.ToUpper(strings.ReplaceAll(v, "-", "")); e != "UTF8" && e != "SQL_ASCII" {
				return o, pgerror.Unsupported("COPY encoding %q is not supported", v)
			}
		case "freeze":
		default:
			return o, pgerror.New(codeCopyOptionSyntax, "option %q not recognized", opt.Name)
		}
	}
	if o.format == copyBinary && (delim != nil || null != nil || quote != nil || escape != nil) {
		return o, pgerror.New(codeCopyOptionSyntax, "cannot specify DELIMITER, NULL, QUOTE or ESCAPE in BINARY mode")
	}
	if o.format != copyCSV && (quote != nil || escape != nil) {
		return o, pgerror.New(codeCopyFeatureUnsupported, "COPY QUOTE and ESCAPE require CSV mode")
	}
	single := func(p *string, what string, def byte) (byte, error) {
		if p == nil {
			return def, nil
		}
		if len(*p) != 1 {
			return 0, pgerror.New(codeCopyFeatureUnsupported, "COPY %s must be a single one-byte character", what)
		}
		return (*p)[0], nil
	}
	var err error
	if o.format == copyCSV {
		if o.delim, err = single(delim, "delimiter", ','); err != nil {
			return o, err
		}
		o.null = ""
		if o.quote, err = single(quote, "quote", '"'); err != nil {
			return o, err
		}
		if o.escape, err = single(escape, "escape", o.quote); err != nil {
			return o, err
		}
		if o.delim == o.quote {
			return o, pgerror.New(codeCopyInvalidParamValue, "COPY delimiter and quote must be different")
		}
	} else {
		if o.delim, err = single(delim, "delimiter", '\t'); err != nil {
			return o, err
		}
		o.null = `\N`
	}
	if null != nil {
		o.null = *null
	}
	if o.delim == '\n' || o.delim == '\r' || o.format == copyText && o.delim == '\\' {
		return o, pgerror.New(codeCopyInvalidParamValue, "COPY delimiter cannot be newline, carriage return or backslash")
	}
	return o, nil
}

// runCopy executes COPY.
// deadline is the statement_timeout's end, zero when none: the data is
// read after Execute returns, so the results apply it again.
func (s *Session) runCopy(ctx context.Context, n *ast.Copy, ectx *expr.Context, deadline time.Time) (Result, error) {
	opts, err := parseCopyOptions(n.Options)
	if err != nil {
		return nil, err
	}
	if n.From {
		return s.copyFrom(n, opts, ectx, deadline)
	}
	return s.copyTo(ctx, n, opts, ectx, deadline)
}

// ---- COPY FROM STDIN ----

func (s *Session) copyFrom(n *ast.Copy, opts copyOptions, ectx *expr.Context, deadline time.Time) (Result, error) {
	if n.Table == nil {
		return nil, pgerror.New(codeCopyOptionSyntax, "COPY (query) FROM is not supported")
	}
	// Planning INSERT INTO t (cols) DEFAULT VALUES checks the table and the
	// columns as INSERT does and yields the row of defaults.
	plan, err := s.planner().PlanInsert(&ast.Insert{Table: *n.Table, Columns: n.Columns}, &planner.Params{})
	if err != nil {
		return nil, err
	}
	rel := plan.Table
	targets := rel.VisibleColumns()
	if len(n.Columns) > 0 {
		targets = make([]int, len(n.Columns))
		for i, name := range n.Columns {
			targets[i] = rel.ColumnIndex(name)
		}
	}
	isTarget := make([]bool, len(rel.Columns))
	for _, t := range targets {
		isTarget[t] = true
	}
	return &copyIn{s: s, rel: rel, plan: plan, ectx: ectx, targets: targets, isTarget: isTarget, opts: opts, loc: s.Location(), deadline: deadline}, nil
}

type copyIn struct {
	s        *Session
	rel      *catalog.Relation
	plan     *planner.InsertPlan
	ectx     *expr.Context
	targets  []int
	isTarget []bool
	opts     copyOptions
	loc      *time.Location
	decode   func(types.T, []byte) (types.Datum, error)
	deadline time.Time

	buf   []byte // data received and not yet parsed
	line  int    // records read so far
	ended bool   // the end-of-data marker was read
	// binary format: the file header has been read
	headerRead bool

	rows     [][]types.Datum
	lines    []int
	raws     []string      // each row's text, for error messages (text formats)
	raw      string        // the current record's text
	defaults []types.Datum // nil until computed
	count    int
	tag      string
	failed   bool
}

// BeginCopyIn implements pgwire.CopyInResult.
func (c *copyIn) BeginCopyIn(decode func(types.T, []byte) (types.Datum, error)) (int16, int) {
	c.decode = decode
	if c.opts.format == copyBinary {
		return 1, len(c.targets)
	}
	return 0, len(c.targets)
}

// CopyData implements pgwire.CopyInResult.
func (c *copyIn) CopyData(ctx context.Context, data []byte) error {
	if c.failed {
		return nil
	}
	if c.ended {
		return nil // PostgreSQL ignores what follows the end marker
	}
	c.buf = append(c.buf, data...)
	ctx, cancel := c.withDeadline(ctx)
	defer cancel()
	return c.fail(c.consume(ctx, false))
}

// CopyDone implements pgwire.CopyInResult.
func (c *copyIn) CopyDone(ctx context.Context) error {
	if c.failed {
		return pgerror.New(pgerror.InFailedSQLTransaction, "COPY failed")
	}
	ctx, cancel := c.withDeadline(ctx)
	defer cancel()
	if err := c.consume(ctx, true); err != nil {
		return c.fail(err)
	}
	if err := c.flush(ctx); err != nil {
		return c.fail(err)
	}
	c.tag = "COPY " + strconv.Itoa(c.count)
	return nil
}

func (c *copyIn) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, c.deadline)
}

// CopyFail implements pgwire.CopyInResult.
func (c *copyIn) CopyFail(string) { c.fail(errors.New("COPY failed")) }

// fail marks the statement failed, as Execute does for an error it
// returns: the transaction rolls back.
func (c *copyIn) fail(err error) error {
	if err == nil {
		return nil
	}
	c.failed = true
	c.s.StatementFailed()
	return err
}

func (c *copyIn) Next(context.Context) (*chunk.Chunk, error) { return nil, nil }
func (c *copyIn) Tag() string                                { return c.tag }
func (c *copyIn) Close()                                     {}

// where is the CONTEXT line of an error at the current line.
func (c *copyIn) where() string {
	if c.opts.format == copyBinary || c.raw == "" && c.line == 0 {
		return fmt.Sprintf("COPY %s, line %d", c.rel.Name, c.line)
	}
	return fmt.Sprintf("COPY %s, line %d: \"%s\"", c.rel.Name, c.line, limitPrintout(c.raw))
}

// limitPrintout shortens a value quoted in an error context as PostgreSQL
// does.
func limitPrintout(s string) string {
	const max = 100
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func withWhere(err error, where string) error {
	pe := *pgerror.From(err)
	if pe.Where == "" {
		pe.Where = where
	}
	return &pe
}

// consume parses the complete records in buf; at the end of the data
// (final) whatever remains is the last record.
func (c *copyIn) consume(ctx context.Context, final bool) error {
	pos := 0
	for pos < len(c.buf) && !c.ended {
		var row []types.Datum
		var n int
		var err error
		switch c.opts.format {
		case copyBinary:
			row, n, err = c.binaryRecord(c.buf[pos:])
		default:
			row, n, err = c.textRecord(c.buf[pos:], final)
		}
		if err != nil {
			return err
		}
		if n == 0 {
			break // incomplete
		}
		pos += n
		if row != nil {
			c.rows = append(c.rows, row)
			c.lines = append(c.lines, c.line)
			c.raws = append(c.raws, c.raw)
			if len(c.rows) >= copyChunkRows {
				if err := c.flush(ctx); err != nil {
					return err
				}
			}
		}
	}
	if c.ended {
		c.buf = c.buf[:0]
		return nil
	}
	rest := copy(c.buf, c.buf[pos:])
	c.buf = c.buf[:rest]
	if final && len(c.buf) > 0 {
		c.line++
		c.raw = string(c.buf)
		if c.opts.format == copyBinary {
			return pgerror.New(codeBadCopyFileFormat, "unexpected EOF in COPY data").WithWhere(c.where())
		}
		return pgerror.New(codeBadCopyFileFormat, "unterminated CSV quoted field").WithWhere(c.where())
	}
	return nil
}

// flush inserts the rows parsed so far.
func (c *copyIn) flush(ctx context.Context) error {
	if len(c.rows) == 0 {
		return nil
	}
	// Once per chunk, as the executor does: the client may send data far
	// faster than the statement is allowed to run.
	if err := ctx.Err(); err != nil {
		return pgerror.Canceled(err)
	}
	rows, lines, raws := c.rows, c.lines, c.raws
	c.rows, c.lines, c.raws = c.rows[:0], c.lines[:0], c.raws[:0]
	return c.s.applyDML(ctx, c.rel, func(r storage.Reader, u *uniqueChecks) (*chunk.Builder, error) {
		if c.defaults == nil {
			def, err := collect(ctx, c.plan.Source, r, c.ectx)
			if err != nil {
				return nil, err
			}
			if len(def) != 1 {
				return nil, pgerror.Internal("COPY: %d rows of defaults", len(def))
			}
			c.defaults = def[0]
		}
		for _, row := range rows {
			for i, t := range c.isTarget {
				if !t {
					row[i] = c.defaults[i]
				}
			}
		}
		b, ins, failed, err := insertRows(r, u, c.rel, rows, nil, nil)
		if err != nil {
			if failed >= 0 {
				// Like PostgreSQL, which checks NOT NULL row by row but keys
				// when it flushes a batch.
				where := fmt.Sprintf("COPY %s, line %d", c.rel.Name, lines[failed])
				if pgerror.CodeOf(err) == pgerror.NotNullViolation && c.opts.format != copyBinary {
					where += `: "` + limitPrintout(raws[failed]) + `"`
				}
				err = withWhere(err, where)
			}
			return nil, err
		}
		c.count += len(ins)
		return b, nil
	})
}

// newRow converts a record's fields (nil for NULL) to a table row.
func (c *copyIn) newRow(fields []*string) ([]types.Datum, error) {
	if len(fields) > len(c.targets) {
		return nil, pgerror.New(codeBadCopyFileFormat, "extra data after last expected column").WithWhere(c.where())
	}
	if len(fields) < len(c.targets) {
		return nil, pgerror.New(codeBadCopyFileFormat, "missing data for column %q", c.rel.Columns[c.targets[len(fields)]].Name).WithWhere(c.where())
	}
	row := make([]types.Datum, len(c.rel.Columns))
	for i, f := range fields {
		if f == nil {
			continue
		}
		col := c.rel.Columns[c.targets[i]]
		d, err := types.ParseTextIn(col.Type, *f, c.loc)
		if err != nil {
			return nil, withWhere(err, fmt.Sprintf("COPY %s, line %d, column %s: \"%s\"", c.rel.Name, c.line, col.Name, limitPrintout(*f)))
		}
		row[c.targets[i]] = d
	}
	return row, nil
}

// textRecord reads one record of text or CSV data from b. It returns the
// bytes consumed (0 if b holds no complete record and more may come) and
// the row, nil for a header or the end marker.
func (c *copyIn) textRecord(b []byte, final bool) ([]types.Datum, int, error) {
	var fields []*string
	var n int
	var ok bool
	var raw []byte
	if c.opts.format == copyCSV {
		fields, raw, n, ok = c.csvRecord(b, final)
	} else {
		fields, raw, n, ok = c.textLine(b, final)
	}
	if !ok {
		return nil, 0, nil
	}
	c.line++
	c.raw = string(raw)
	if bytes.Equal(raw, []byte(`\.`)) {
		c.ended = true
		return nil, n, nil
	}
	if c.opts.header && c.line == 1 {
		return nil, n, nil
	}
	row, err := c.newRow(fields)
	return row, n, err
}

// lineEnd finds the end of the line starting b: the index of its
// terminator and the terminator's length; ok is false if b holds no
// complete line and more may come.
func lineEnd(b []byte, final bool) (end, term int, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		if !final {
			return 0, 0, false
		}
		return len(b), 0, true
	}
	if i > 0 && b[i-1] == '\r' {
		return i - 1, 2, true
	}
	return i, 1, true
}

// textLine splits one line of PostgreSQL's text format into fields.
func (c *copyIn) textLine(b []byte, final bool) (fields []*string, raw []byte, n int, ok bool) {
	end, term, ok := lineEnd(b, final)
	if !ok {
		return nil, nil, 0, false
	}
	line := b[:end]
	start := 0
	for i := 0; i <= len(line); i++ {
		if i+1 < len(line) && line[i] == '\\' {
			i++ // the escaped byte is never a delimiter
			continue
		}
		if i == len(line) || line[i] == c.opts.delim {
			f := line[start:min(i, len(line))]
			if string(f) == c.opts.null {
				fields = append(fields, nil)
			} else {
				v := unescapeText(f)
				fields = append(fields, &v)
			}
			start = i + 1
		}
	}
	return fields, line, end + term, true
}

func unescapeText(f []byte) string {
	if bytes.IndexByte(f, '\\') < 0 {
		return string(f)
	}
	out := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		ch := f[i]
		if ch != '\\' || i+1 >= len(f) {
			out = append(out, ch)
			continue
		}
		i++
		ch = f[i]
		switch ch {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(ch - '0')
			for k := 0; k < 2 && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(f[i]-'0')
			}
			out = append(out, byte(v))
		case 'x':
			if i+1 < len(f) && isHex(f[i+1]) {
				i++
				v := hexVal(f[i])
				if i+1 < len(f) && isHex(f[i+1]) {
					i++
					v = v*16 + hexVal(f[i])
				}
				out = append(out, byte(v))
			} else {
				out = append(out, 'x')
			}
		default:
			out = append(out, ch)
		}
	}
	return string(out)
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func hexVal(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	}
	return int(b-'A') + 10
}

// csvRecord reads one CSV record, which may span lines inside quotes.
func (c *copyIn) csvRecord(b []byte, final bool) (fields []*string, raw []byte, n int, ok bool) {
	q, esc, delim := c.opts.quote, c.opts.escape, c.opts.delim
	var cur []byte
	quotedField := false
	inQuote := false
	add := func() {
		if !quotedField && string(cur) == c.opts.null {
			fields = append(fields, nil)
		} else {
			v := string(cur)
			fields = append(fields, &v)
		}
		cur, quotedField = cur[:0], false
	}
	i := 0
	for ; i < len(b); i++ {
		ch := b[i]
		if inQuote {
			switch {
			case ch == esc && i+1 < len(b) && (b[i+1] == q || esc != q && b[i+1] == esc):
				i++
				cur = append(cur, b[i])
			case ch == esc && esc == q && i+1 >= len(b) && !final:
				return nil, nil, 0, false // "" may continue in the next message
			case ch == q:
				inQuote = false
			default:
				cur = append(cur, ch)
			}
			continue
		}
		switch ch {
		case delim:
			add()
		case q:
			inQuote, quotedField = true, true
		case '\n':
			if i > 0 && b[i-1] == '\r' && len(cur) > 0 && cur[len(cur)-1] == '\r' {
				cur = cur[:len(cur)-1]
			}
			add()
			end := i
			if end > 0 && b[end-1] == '\r' {
				end--
			}
			return fields, b[:end], i + 1, true
		default:
			cur = append(cur, ch)
		}
	}
	if !final || inQuote {
		return nil, nil, 0, false
	}
	if len(cur) > 0 && cur[len(cur)-1] == '\r' {
		cur = cur[:len(cur)-1]
	}
	add()
	end := len(b)
	if end > 0 && b[end-1] == '\r' {
		end--
	}
	return fields, b[:end], len(b), true
}

var binarySignature = []byte("PGCOPY\n\xff\r\n\x00")

// binaryRecord reads the file header or one tuple of the binary format.
func (c *copyIn) binaryRecord(b []byte) ([]types.Datum, int, error) {
	if !c.headerRead {
		if len(b) < len(binarySignature)+8 {
			return nil, 0, nil
		}
		if !bytes.Equal(b[:len(binarySignature)], binarySignature) {
			return nil, 0, pgerror.New(codeBadCopyFileFormat, "COPY file signature not recognized")
		}
		p := len(binarySignature)
		flags := binary.BigEndian.Uint32(b[p:])
		if flags&(1<<16) != 0 {
			return nil, 0, pgerror.New(codeBadCopyFileFormat, "invalid COPY file header (WITH OIDS)")
		}
		ext := int(binary.BigEndian.Uint32(b[p+4:]))
		if len(b) < p+8+ext {
			return nil, 0, nil
		}
		c.headerRead = true
		return nil, p + 8 + ext, nil
	}
	if len(b) < 2 {
		return nil, 0, nil
	}
	count := int(int16(binary.BigEndian.Uint16(b)))
	c.line++
	if count == -1 {
		c.ended = true
		return nil, 2, nil
	}
	if count != len(c.targets) {
		return nil, 0, pgerror.New(codeBadCopyFileFormat, "row field count is %d, expected %d", count, len(c.targets)).WithWhere(c.where())
	}
	p := 2
	row := make([]types.Datum, len(c.rel.Columns))
	for i := 0; i < count; i++ {
		if len(b) < p+4 {
			c.line--
			return nil, 0, nil
		}
		size := int(int32(binary.BigEndian.Uint32(b[p:])))
		p += 4
		if size == -1 {
			continue
		}
		if size < 0 {
			return nil, 0, pgerror.New(codeBadCopyFileFormat, "invalid field size").WithWhere(c.where())
		}
		if len(b) < p+size {
			c.line--
			return nil, 0, nil
		}
		col := c.rel.Columns[c.targets[i]]
		d, err := c.decode(col.Type, b[p:p+size])
		if err == nil && col.Type.Kind == types.KindNumeric && col.Type.Precision > 0 {
			d, err = types.CastAssign(d, types.Numeric, col.Type) // the column's scale, as the text formats get
		}
		if err != nil {
			var pe *pgerror.Error
			if !errors.As(err, &pe) {
				err = pgerror.New(codeInvalidBinaryRepr, "incorrect binary data format")
			}
			return nil, 0, withWhere(err, fmt.Sprintf("COPY %s, line %d, column %s", c.rel.Name, c.line, col.Name))
		}
		row[c.targets[i]] = d
		p += size
	}
	return row, p, nil
}

// ---- COPY TO STDOUT ----

func (s *Session) copyTo(ctx context.Context, n *ast.Copy, opts copyOptions, ectx *expr.Context, deadline time.Time) (Result, error) {
	if opts.format == copyBinary {
		return nil, pgerror.Unsupported("COPY TO in binary format is not supported")
	}
	query := n.Query
	if query == nil {
		block := &ast.SelectBlock{From: []ast.TableExpr{n.Table}}
		if len(n.Columns) == 0 {
			block.Targets = []ast.SelectItem{{Star: true}}
		}
		for _, c := range n.Columns {
			block.Targets = append(block.Targets, ast.SelectItem{Expr: &ast.ColumnRef{Parts: []string{c}}})
		}
		query = &ast.Select{Block: block}
	} else if len(n.Columns) > 0 {
		return nil, pgerror.New(codeCopyOptionSyntax, "COPY (query) does not take a column list")
	}
	plan, err := s.planner().PlanQuery(query, &planner.Params{})
	if err != nil {
		return nil, err
	}
	res, err := s.runQuery(ctx, plan, ectx, deadline)
	if err != nil {
		return nil, err
	}
	out := &copyOut{res: res.(*queryResult), opts: opts, loc: s.Location()}
	for i, c := range plan.Output() {
		out.all = append(out.all, c.Type)
		if !c.Hidden {
			out.visible = append(out.visible, i)
			out.names = append(out.names, c.Name)
		}
	}
	out.header = opts.header
	return out, nil
}

type copyOut struct {
	res     *queryResult
	opts    copyOptions
	loc     *time.Location
	all     []types.T
	visible []int
	names   []string
	header  bool
	count   int
	tag     string
	buf     []byte
	rows    [][]byte
}

// CopyOutFormat implements pgwire.CopyOutResult.
func (c *copyOut) CopyOutFormat() (int16, int) { return 0, len(c.visible) }

// CopyOutNext implements pgwire.CopyOutResult.
func (c *copyOut) CopyOutNext(ctx context.Context) ([][]byte, error) {
	c.buf, c.rows = c.buf[:0], c.rows[:0]
	if c.header {
		c.header = false
		start := len(c.buf)
		for i, name := range c.names {
			if i > 0 {
				c.buf = append(c.buf, c.opts.delim)
			}
			c.buf = c.appendField(c.buf, name)
		}
		c.buf = append(c.buf, '\n')
		c.rows = append(c.rows, c.buf[start:])
	}
	for len(c.rows) == 0 {
		ch, err := c.res.Next(ctx)
		if err != nil {
			return nil, err
		}
		if ch == nil {
			c.tag = "COPY " + strconv.Itoa(c.count)
			return nil, nil
		}
		cols := c.visible
		if len(ch.Types) != len(c.all) {
			cols = make([]int, len(ch.Types)) // hidden columns already dropped
			for i := range cols {
				cols[i] = i
			}
		}
		starts := make([]int, 0, ch.Len())
		for i := 0; i < ch.Len(); i++ {
			starts = append(starts, len(c.buf))
			for j, col := range cols {
				if j > 0 {
					c.buf = append(c.buf, c.opts.delim)
				}
				d := ch.Datum(i, col)
				if d == nil {
					c.buf = append(c.buf, c.opts.null...)
					continue
				}
				c.buf = c.appendField(c.buf, types.FormatTextIn(ch.Types[col], d, c.loc))
			}
			c.buf = append(c.buf, '\n')
			c.count++
		}
		// Slice after appending: c.buf may have moved while growing.
		for k, st := range starts {
			end := len(c.buf)
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			c.rows = append(c.rows, c.buf[st:end])
		}
	}
	return c.rows, nil
}

// appendField appends a non-NULL value escaped or quoted for the format.
func (c *copyOut) appendField(b []byte, v string) []byte {
	if c.opts.format == copyCSV {
		need := v == c.opts.null || v == `\.`
		for i := 0; i < len(v) && !need; i++ {
			ch := v[i]
			need = ch == c.opts.delim || ch == c.opts.quote || ch == '\n' || ch == '\r'
		}
		if !need {
			return append(b, v...)
		}
		b = append(b, c.opts.quote)
		for i := 0; i < len(v); i++ {
			if v[i] == c.opts.quote || v[i] == c.opts.escape {
				b = append(b, c.opts.escape)
			}
			b = append(b, v[i])
		}
		return append(b, c.opts.quote)
	}
	for i := 0; i < len(v); i++ {
		ch := v[i]
		switch ch {
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\v':
			b = append(b, '\\', 'v')
		default:
			if ch == c.opts.delim {
				b = append(b, '\\')
			}
			b = append(b, ch)
		}
	}
	return b
}

func (c *copyOut) Next(context.Context) (*chunk.Chunk, error) { return nil, nil }
func (c *copyOut) Tag() string                                { return c.tag }
func (c *copyOut) Close()                                     { c.res.Close() }
