package pgwire

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// SQLSTATEs pgwire raises that sql/pgerror does not name.
const (
	codeDuplicatePreparedStatement  pgerror.Code = pgerror.DuplicatePstatement
	codeDuplicateCursor             pgerror.Code = pgerror.DuplicateCursor
	codeInvalidBinaryRepresentation pgerror.Code = pgerror.InvalidBinaryRepresentation
	codeCharacterNotInRepertoire    pgerror.Code = pgerror.CharacterNotInRepertoire
)

// statement is a prepared statement: named ones live until closed, the
// unnamed one until the next Parse or simple query replaces it.
type statement struct {
	sql        string
	prepared   Prepared
	paramTypes []types.T
	columns    []Column
}

// portal is a bound statement, possibly part way through its rows.
type portal struct {
	stmt    *statement
	params  []types.Datum
	formats []int16 // one per column

	// ctx is the portal's execution context: it lives from the first
	// Execute until the portal is closed, so a Result may keep using it
	// between the Executes of a suspended portal. A cancel request cancels
	// it, which also ends the portal.
	ctx    context.Context
	cancel context.CancelCauseFunc

	result Result // nil until the first Execute
	chunk  *chunk.Chunk
	row    int
	// done is set once CommandComplete was sent; tag is what it said.
	done bool
	tag  string
}

func (p *portal) close() {
	if p.result != nil {
		p.result.Close()
		p.result = nil
	}
	p.chunk = nil
	if p.cancel != nil {
		p.cancel(errConnClosed)
	}
}

func (c *conn) parse(m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, exists := c.stmts[m.Name]; exists {
			return pgerror.New(codeDuplicatePreparedStatement, "prepared statement %q already exists", m.Name)
		}
	} else {
		delete(c.stmts, "")
	}
	stmt, err := c.prepare(m.Query, m.ParameterOIDs)
	if err != nil {
		return err
	}
	c.stmts[m.Name] = stmt
	return c.send(&pgproto3.ParseComplete{}, 0)
}

// prepare runs Session.Prepare under a cancellable statement context.
func (c *conn) prepare(sql string, paramOIDs []uint32) (*statement, error) {
	ctx, cancel := context.WithCancelCause(c.ctx)
	defer cancel(nil)
	end := c.beginStatement(ctx, cancel)
	defer end()
	prepared, err := c.session.Prepare(ctx, sql, append([]uint32(nil), paramOIDs...))
	if err != nil {
		return nil, c.toPgError(err, ctx)
	}
	return &statement{
		sql:        sql,
		prepared:   prepared,
		paramTypes: prepared.ParamTypes(),
		columns:    prepared.Columns(),
	}, nil
}

func (c *conn) bind(m *pgproto3.Bind) error {
	stmt, err := c.lookupStatement(m.PreparedStatement)
	if err != nil {
		return err
	}
	if m.DestinationPortal != "" {
		if _, exists := c.portals[m.DestinationPortal]; exists {
			return pgerror.New(codeDuplicateCursor, "portal %q already exists", m.DestinationPortal)
		}
	} else if p := c.portals[""]; p != nil {
		p.close()
		delete(c.portals, "")
	}

	if len(m.Parameters) != len(stmt.paramTypes) {
		return pgerror.New(pgerror.ProtocolViolation,
			"bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, len(stmt.paramTypes))
	}
	paramFormats, err := expandFormats(m.ParameterFormatCodes, len(m.Parameters), "parameter")
	if err != nil {
		return err
	}
	params := make([]types.Datum, len(m.Parameters))
	for i, raw := range m.Parameters {
		d, err := decodeParam(stmt.paramTypes[i], paramFormats[i], raw, i+1, sessionLocation(c.session))
		if err != nil {
			return err
		}
		params[i] = d
	}
	resultFormats, err := expandFormats(m.ResultFormatCodes, len(stmt.columns), "result")
	if err != nil {
		return err
	}
	c.portals[m.DestinationPortal] = &portal{stmt: stmt, params: params, formats: resultFormats}
	return c.send(&pgproto3.BindComplete{}, 0)
}

// expandFormats applies the protocol's rule for format codes: none means
// all text, one applies to all, otherwise one per value.
func expandFormats(codes []int16, n int, what string) ([]int16, error) {
	for _, f := range codes {
		if f != pgproto3.TextFormat && f != pgproto3.BinaryFormat {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "unsupported format code: %d", f)
		}
	}
	out := make([]int16, n)
	switch len(codes) {
	case 0:
	case 1:
		for i := range out {
			out[i] = codes[0]
		}
	case n:
		copy(out, codes)
	default:
		if what == "parameter" {
			return nil, pgerror.New(pgerror.ProtocolViolation,
				"bind message has %d parameter formats but %d parameters", len(codes), n)
		}
		return nil, pgerror.New(pgerror.ProtocolViolation,
			"bind message has %d result formats but query has %d columns", len(codes), n)
	}
	return out, nil
}

func (c *conn) lookupStatement(name string) (*statement, error) {
	stmt := c.stmts[name]
	if stmt == nil {
		if name == "" {
			return nil, pgerror.New(pgerror.InvalidSQLStatementName, "unnamed prepared statement does not exist")
		}
		return nil, pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement %q does not exist", name)
	}
	return stmt, nil
}

func (c *conn) lookupPortal(name string) (*portal, error) {
	p := c.portals[name]
	if p == nil {
		return nil, pgerror.New(pgerror.InvalidCursorName, "portal %q does not exist", name)
	}
	return p, nil
}

func (c *conn) describe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		stmt, err := c.lookupStatement(m.Name)
		if err != nil {
			return err
		}
		oids := make([]uint32, len(stmt.paramTypes))
		for i, t := range stmt.paramTypes {
			oids[i] = paramOID(t)
		}
		if err := c.send(&pgproto3.ParameterDescription{ParameterOIDs: oids}, 4*len(oids)); err != nil {
			return err
		}
		return c.sendRowDescription(stmt.columns, nil)
	case 'P':
		p, err := c.lookupPortal(m.Name)
		if err != nil {
			return err
		}
		return c.sendRowDescription(p.stmt.columns, p.formats)
	}
	return pgerror.New(pgerror.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
}

// paramOID is the type a parameter is described as. A parameter of unknown
// type is described as text: the client then sends text, which is what
// Prepared.Execute receives for it.
func paramOID(t types.T) uint32 {
	if t.Kind == types.KindUnknown {
		return types.OIDText
	}
	return t.OID()
}

// sendRowDescription describes columns (NoData when nil) with the given
// formats (nil: all text).
func (c *conn) sendRowDescription(cols []Column, formats []int16) error {
	if cols == nil {
		return c.send(&pgproto3.NoData{}, 0)
	}
	fields := make([]pgproto3.FieldDescription, len(cols))
	size := 2
	for i, col := range cols {
		t := col.Type
		if t.Kind == types.KindUnknown {
			// An unknown literal in a select list comes out as text.
			t = types.Text
		}
		var format int16
		if formats != nil {
			format = formats[i]
		}
		fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableOID,
			TableAttributeNumber: uint16(col.AttrNum),
			DataTypeOID:          t.OID(),
			DataTypeSize:         t.Size(),
			TypeModifier:         t.Modifier(),
			Format:               format,
		}
		size += len(col.Name) + 19
	}
	return c.send(&pgproto3.RowDescription{Fields: fields}, size)
}

func (c *conn) execute(m *pgproto3.Execute) error {
	p, err := c.lookupPortal(m.Portal)
	if err != nil {
		return err
	}
	maxRows := int64(m.MaxRows)
	if err := c.runPortal(p, maxRows); err != nil {
		// A failed portal cannot be resumed.
		p.close()
		delete(c.portals, m.Portal)
		return err
	}
	return nil
}

// runPortal executes p (or resumes it) and sends up to maxRows rows (0: all)
// followed by CommandComplete, or PortalSuspended when the limit was reached
// first. Errors come back already mapped for the client.
func (c *conn) runPortal(p *portal, maxRows int64) error {
	if p.done {
		return c.sendCommandComplete(p.tag)
	}
	if p.ctx == nil {
		p.ctx, p.cancel = context.WithCancelCause(c.ctx)
	}
	end := c.beginStatement(p.ctx, p.cancel)
	defer end()

	if p.result == nil {
		result, err := p.stmt.prepared.Execute(p.ctx, p.params)
		if err != nil {
			return c.toPgError(err, p.ctx)
		}
		p.result = result
	}
	if tag, ok, err := c.runCopy(p.ctx, p.result); ok {
		if err != nil {
			return err
		}
		p.result.Close()
		p.result = nil
		p.done, p.tag = true, tag
		c.sendNotices()
		return c.sendCommandComplete(tag)
	}
	var sent int64
	for {
		if p.chunk == nil || p.row >= p.chunk.Len() {
			if err := p.ctx.Err(); err != nil {
				return c.toPgError(context.Cause(p.ctx), p.ctx)
			}
			if sr, ok := p.result.(StreamingResult); ok && sr.Streaming() {
				// The next rows may be a long time coming: let the client
				// have what there is.
				if err := c.flush(); err != nil {
					return err
				}
			}
			ch, err := p.result.Next(p.ctx)
			if err != nil {
				return c.toPgError(err, p.ctx)
			}
			if ch == nil {
				break
			}
			if len(ch.Types) != len(p.stmt.columns) || ch.Batch == nil && ch.Len() > 0 {
				return pgerror.Internal("result chunk has %d columns, statement describes %d", len(ch.Types), len(p.stmt.columns))
			}
			p.chunk, p.row = ch, 0
			c.row.loc = sessionLocation(c.session)
			continue
		}
		if maxRows > 0 && sent >= maxRows {
			// Like PostgreSQL, suspend as soon as the limit is reached
			// without looking ahead: a streaming result may block for its
			// next row.
			return c.send(&pgproto3.PortalSuspended{}, 0)
		}
		if err := c.sendDataRow(p.chunk, p.row, p.stmt.columns, p.formats); err != nil {
			return err
		}
		p.row++
		sent++
	}
	p.chunk = nil
	tag := p.result.Tag()
	if tag == "" && p.stmt.columns != nil {
		tag = "SELECT " + strconv.FormatInt(sent, 10)
	}
	p.result.Close()
	p.result = nil
	p.done, p.tag = true, tag
	c.sendNotices()
	return c.sendCommandComplete(tag)
}

func (c *conn) sendCommandComplete(tag string) error {
	return c.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)}, len(tag)+1)
}

// sendDataRow encodes row i of ch.
func (c *conn) sendDataRow(ch *chunk.Chunk, i int, cols []Column, formats []int16) error {
	values, size, err := c.row.encode(ch, i, cols, formats)
	if err != nil {
		return err
	}
	return c.send(&pgproto3.DataRow{Values: values}, size)
}

func (c *conn) closeObject(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		// Portals made from the statement stay usable, as in PostgreSQL.
		delete(c.stmts, m.Name)
	case 'P':
		if p := c.portals[m.Name]; p != nil {
			p.close()
			delete(c.portals, m.Name)
		}
	default:
		return pgerror.New(pgerror.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	return c.send(&pgproto3.CloseComplete{}, 0)
}

// sync ends an extended-query sequence: the session ends its implicit
// transaction, portals die with it, and the client gets ReadyForQuery.
func (c *conn) sync() error {
	if status := c.session.TxStatus(); status == 'I' {
		c.closePortals()
	}
	if err := c.syncSession(); err != nil {
		return err
	}
	if c.session.TxStatus() == 'I' {
		c.closePortals()
	}
	c.readyForQuery()
	return c.mustEnd()
}

// syncSession calls Session.Sync and reports its error. It returns an error
// only if the connection must end.
func (c *conn) syncSession() error {
	ctx, cancel := context.WithCancelCause(c.ctx)
	defer cancel(nil)
	end := c.beginStatement(ctx, cancel)
	defer end()
	if err := c.session.Sync(ctx); err != nil {
		if end := c.mustEnd(); end != nil {
			return end
		}
		return c.sendError(c.toPgError(err, ctx))
	}
	return nil
}

func (c *conn) closePortals() {
	for name, p := range c.portals {
		p.close()
		delete(c.portals, name)
	}
}

// simpleQuery runs a Query message: every statement in the string in turn,
// stopping at the first error, then Sync and ReadyForQuery. It returns an
// error only if the connection must end.
func (c *conn) simpleQuery(sql string) error {
	// A simple query replaces the unnamed statement and portal.
	delete(c.stmts, "")
	if p := c.portals[""]; p != nil {
		p.close()
		delete(c.portals, "")
	}
	err := c.runSimpleQuery(sql)
	if err != nil {
		if end := c.mustEnd(); end != nil {
			return end
		}
		c.session.StatementFailed()
		if err := c.sendError(c.toPgError(err, nil)); err != nil {
			return err
		}
	}
	if err := c.syncSession(); err != nil {
		return err
	}
	c.readyForQuery()
	return c.mustEnd()
}

func (c *conn) runSimpleQuery(sql string) error {
	stmts, err := c.session.SplitQuery(sql)
	if err != nil {
		return err
	}
	if len(stmts) == 0 {
		return c.send(&pgproto3.EmptyQueryResponse{}, 0)
	}
	for _, text := range stmts {
		if err := c.runSimpleStatement(text); err != nil {
			return err
		}
	}
	return nil
}

func (c *conn) runSimpleStatement(sql string) error {
	stmt, err := c.prepare(sql, nil)
	if err != nil {
		return err
	}
	if n := len(stmt.paramTypes); n > 0 {
		return pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", 1)
	}
	p := &portal{stmt: stmt, formats: make([]int16, len(stmt.columns))}
	for i, col := range stmt.columns {
		if col.Binary {
			p.formats[i] = pgproto3.BinaryFormat
		}
	}
	defer p.close()
	// In the simple protocol RowDescription precedes the rows; the statement
	// is known to be valid once Prepare succeeded.
	if stmt.columns != nil {
		if err := c.sendRowDescription(stmt.columns, p.formats); err != nil {
			return err
		}
	}
	return c.runPortal(p, 0)
}
