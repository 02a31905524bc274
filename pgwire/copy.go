package pgwire

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// The COPY sub-protocol. A COPY statement's Result implements CopyInResult
// or CopyOutResult; runPortal hands it to runCopy instead of reading rows.

// runCopy runs the COPY sub-protocol for a result that implements one of
// the COPY interfaces; ok is false for any other result.
func (c *conn) runCopy(ctx context.Context, res Result) (tag string, ok bool, err error) {
	switch r := res.(type) {
	case CopyInResult:
		tag, err := c.copyIn(ctx, r)
		return tag, true, err
	case CopyOutResult:
		tag, err := c.copyOut(ctx, r)
		return tag, true, err
	}
	return "", false, nil
}

func (c *conn) copyIn(ctx context.Context, r CopyInResult) (string, error) {
	format, n := r.BeginCopyIn(DecodeBinary)
	formats := make([]uint16, n)
	for i := range formats {
		formats[i] = uint16(format)
	}
	if err := c.send(&pgproto3.CopyInResponse{OverallFormat: byte(format), ColumnFormatCodes: formats}, 3+2*n); err != nil {
		return "", err
	}
	if err := c.flush(); err != nil {
		return "", err
	}
	for {
		msg, err := c.be.Receive()
		if err != nil {
			return "", c.receiveFailed(err)
		}
		if err := ctx.Err(); err != nil {
			r.CopyFail("canceled") // nothing of a cancelled COPY may stay
			return "", c.toPgError(context.Cause(ctx), ctx)
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			if err := r.CopyData(ctx, m.Data); err != nil {
				return "", c.toPgError(err, ctx)
			}
		case *pgproto3.CopyDone:
			if err := r.CopyDone(ctx); err != nil {
				return "", c.toPgError(err, ctx)
			}
			return r.Tag(), nil
		case *pgproto3.CopyFail:
			r.CopyFail(m.Message)
			return "", pgerror.New(pgerror.QueryCanceled, "COPY from stdin failed: %s", m.Message)
		case *pgproto3.Flush, *pgproto3.Sync:
			// PostgreSQL ignores these during COPY FROM STDIN.
		case *pgproto3.Terminate:
			return "", errClientGone
		default:
			return "", pgerror.New(pgerror.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", messageType(msg))
		}
	}
}

func messageType(msg pgproto3.FrontendMessage) byte {
	b, err := msg.Encode(nil)
	if err != nil || len(b) == 0 {
		return 0
	}
	return b[0]
}

func (c *conn) copyOut(ctx context.Context, r CopyOutResult) (string, error) {
	format, n := r.CopyOutFormat()
	formats := make([]uint16, n)
	for i := range formats {
		formats[i] = uint16(format)
	}
	if err := c.send(&pgproto3.CopyOutResponse{OverallFormat: byte(format), ColumnFormatCodes: formats}, 3+2*n); err != nil {
		return "", err
	}
	var sent int64
	for {
		if err := ctx.Err(); err != nil {
			return "", c.toPgError(context.Cause(ctx), ctx)
		}
		rows, err := r.CopyOutNext(ctx)
		if err != nil {
			return "", c.toPgError(err, ctx)
		}
		if rows == nil {
			break
		}
		for _, row := range rows {
			if err := c.send(&pgproto3.CopyData{Data: row}, len(row)); err != nil {
				return "", err
			}
			sent++
		}
	}
	if err := c.send(&pgproto3.CopyDone{}, 0); err != nil {
		return "", err
	}
	tag := r.Tag()
	if tag == "" {
		tag = "COPY " + strconv.FormatInt(sent, 10)
	}
	return tag, nil
}
