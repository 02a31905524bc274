package executor

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// memReader is a storage.Reader over a sorted in-memory map.
type memReader struct {
	keys  []string
	vals  map[string][]byte
	scans int // Scan calls, to check that operators read lazily
}

func newMemReader() *memReader { return &memReader{vals: map[string][]byte{}} }

func (m *memReader) put(k, v []byte) {
	if _, ok := m.vals[string(k)]; !ok {
		i := sort.SearchStrings(m.keys, string(k))
		m.keys = append(m.keys, "")
		copy(m.keys[i+1:], m.keys[i:])
		m.keys[i] = string(k)
	}
	m.vals[string(k)] = append([]byte(nil), v...)
}

func (m *memReader) Get(key []byte) ([]byte, bool, error) {
	v, ok := m.vals[string(key)]
	return append([]byte(nil), v...), ok, nil
}

func (m *memReader) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	m.scans++
	for i := sort.SearchStrings(m.keys, string(lower)); i < len(m.keys); i++ {
		k := []byte(m.keys[i])
		if upper != nil && bytes.Compare(k, upper) >= 0 {
			break
		}
		// The value is a scratch copy: the contract says it is valid only
		// during the call, and operators must not keep it.
		v := append([]byte(nil), m.vals[m.keys[i]]...)
		more, err := fn(k, v)
		for j := range v {
			v[j] = 0xee
		}
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func (m *memReader) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return fmt.Errorf("memReader: ScanReverse not implemented")
}

var _ storage.Reader = (*memReader)(nil)

// relation describes a stored table with the given columns and key.
func relation(id uint32, name string, key []int, cols ...catalog.Column) *catalog.Relation {
	return &catalog.Relation{ID: id, Kind: catalog.KindTable, Schema: "public", Name: name, Columns: cols, Key: key}
}

// load stores rows of rel as Materialize would.
func load(r *memReader, rel *catalog.Relation, rows ...[]types.Datum) {
	ts := rel.ColumnTypes()
	keyTypes := make([]types.T, len(rel.Key))
	for i, k := range rel.Key {
		keyTypes[i] = ts[k]
	}
	for _, row := range rows {
		keyRow := make([]types.Datum, len(rel.Key))
		for i, k := range rel.Key {
			keyRow[i] = row[k]
		}
		key := encoding.EncodeKey(storage.TablePrefix(rel.ID), keyTypes, keyRow)
		r.put(key, encoding.EncodeRow(nil, ts, row))
	}
}

func outputs(ts ...types.T) []planner.OutputColumn {
	out := make([]planner.OutputColumn, len(ts))
	for i, t := range ts {
		out[i] = planner.OutputColumn{Name: fmt.Sprintf("c%d", i), Type: t}
	}
	return out
}

func scanOf(rel *catalog.Relation, cols ...int) *planner.Scan {
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		ts[i] = rel.Columns[c].Type
	}
	return &planner.Scan{Node: planner.Node{Out: outputs(ts...)}, Relation: rel, Columns: cols}
}

func col(i int, t types.T) expr.Expr { return expr.NewColumnRef(i, t, "") }

func constant(d types.Datum, t types.T) expr.Expr { return expr.NewConst(d, t) }

func op(t *testing.T, op string, l, r expr.Expr) expr.Expr {
	t.Helper()
	e, err := expr.NewBinary(op, l, r)
	if err != nil {
		t.Fatalf("NewBinary(%s): %v", op, err)
	}
	return e
}

// run executes p to the end and returns its rows as text, one chunk after
// another, or the error as "error CODE: message".
func run(t *testing.T, p planner.Plan, r storage.Reader) string {
	t.Helper()
	rows, err := Run(context.Background(), p, r, &expr.Context{})
	if err != nil {
		return errText(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for {
		c, err := rows.Next(context.Background())
		if err != nil {
			return sb.String() + errText(err)
		}
		if c == nil {
			return sb.String()
		}
		if c.Len() == 0 || c.Len() > chunkSize {
			t.Errorf("chunk of %d rows", c.Len())
		}
		if len(c.Types) != len(p.Output()) {
			t.Errorf("chunk of %d columns, plan outputs %d", len(c.Types), len(p.Output()))
		}
		sb.WriteString(c.String())
	}
}

// count runs p and returns the number of rows and chunks.
func count(t *testing.T, p planner.Plan, r storage.Reader) (rows, chunks int) {
	t.Helper()
	cur, err := Run(context.Background(), p, r, &expr.Context{})
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	for {
		c, err := cur.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			return rows, chunks
		}
		if c.Len() == 0 || c.Len() > chunkSize {
			t.Errorf("chunk of %d rows", c.Len())
		}
		rows += c.Len()
		chunks++
	}
}

func errText(err error) string {
	return fmt.Sprintf("error %s: %s\n", pgerror.CodeOf(err), err.Error())
}

// lines joins expected rows with newlines, ending with one.
func lines(rows ...string) string {
	if len(rows) == 0 {
		return ""
	}
	return strings.Join(rows, "\n") + "\n"
}
