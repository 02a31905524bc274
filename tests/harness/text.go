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
	results, err := conn.Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, r := range results {
		if r.Err != nil {
			return nil, r.Err
		}
	}
	if len(results) == 0 {
		return res, nil
	}
	last := results[len(results)-1]
	for _, fd := range last.FieldDescriptions {
		res.Columns = append(res.Columns, fd.Name)
		res.OIDs = append(res.OIDs, fd.DataTypeOID)
	}
	for _, row := range last.Rows {
		out := make([]*string, len(row))
		for i, v := range row {
			if v != nil {
				s := string(v)
				out[i] = &s
			}
		}
		res.Rows = append(res.Rows, out)
	}
	res.Tag = last.CommandTag.String()
	return res, nil
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
