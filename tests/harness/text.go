package harness

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Result is what one statement returned, in PostgreSQL's text format exactly
// as the server sent it over the simple query protocol.
type Result struct {
	Columns []string
	OIDs    []uint32
	Rows    [][]*string // nil = SQL NULL
	Tag     string      // command tag, e.g. "INSERT 0 3"
}

// SimpleExec runs sql (one or more statements) over the simple query
// protocol and returns the last statement's result. A server error comes back
// as *pgconn.PgError.
func SimpleExec(ctx context.Context, conn *pgconn.PgConn, sql string) (*Result, error) {
	mrr := conn.Exec(ctx, sql)
	var last *Result
	var firstErr error
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		res := &Result{}
		// Field descriptions are read before any row so that a query
		// returning no rows still reports its columns.
		for _, fd := range rr.FieldDescriptions() {
			res.Columns = append(res.Columns, fd.Name)
			res.OIDs = append(res.OIDs, fd.DataTypeOID)
		}
		for rr.NextRow() {
			values := rr.Values()
			row := make([]*string, len(values))
			for i, v := range values {
				if v != nil {
					s := string(v)
					row[i] = &s
				}
			}
			res.Rows = append(res.Rows, row)
		}
		tag, err := rr.Close()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		res.Tag = tag.String()
		last = res
	}
	if err := mrr.Close(); err != nil && firstErr == nil {
		firstErr = err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if last == nil {
		last = &Result{}
	}
	return last, nil
}

// SQLState returns the SQLSTATE of a server error, "" for any other error.
func SQLState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// FormatValue renders one text-format value the way .slt files and the
// differential tests write it: NULL for SQL NULL, (empty) for the empty string.
func FormatValue(v *string) string {
	switch {
	case v == nil:
		return "NULL"
	case *v == "":
		return "(empty)"
	default:
		return *v
	}
}

// FormatRows renders rows one line each, values separated by a single space.
func FormatRows(rows [][]*string) []string {
	lines := make([]string, len(rows))
	for i, row := range rows {
		vals := make([]string, len(row))
		for j, v := range row {
			vals[j] = FormatValue(v)
		}
		lines[i] = strings.Join(vals, " ")
	}
	return lines
}

// SortedRows is FormatRows sorted, for comparing results as multisets.
func SortedRows(rows [][]*string) []string {
	lines := FormatRows(rows)
	sort.Strings(lines)
	return lines
}
