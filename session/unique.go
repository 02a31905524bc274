package session

import (
	"bytes"
	"context"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// UNIQUE constraints are enforced through their index relations
// (catalog.UniqueIndexRelation): each is one more table of the
// transaction that writes its table, locked after it, so only the table's
// writer ever writes it. A statement checks each new row's index key
// against the transaction's view of the index and the keys the rows
// before it took and gave up, which is PostgreSQL's row-at-a-time check
// of a non-deferrable constraint (an UPDATE that swaps two values fails
// as it does there); the index's changes are derived from the table's
// change chunk and staged with it, so they commit, roll back to a
// savepoint and recover together.

// uniqueConstraints builds the UNIQUE constraints of a new table from its
// columns' and the table's clauses, named and deduplicated as PostgreSQL
// does: one equal to the primary key or to an earlier one is dropped.
func (s *Session) uniqueConstraints(n *ast.CreateTable, rel *catalog.Relation) ([]catalog.UniqueConstraint, error) {
	var specs []ast.UniqueConstraint
	for _, cd := range n.Columns {
		if cd.Unique != nil {
			u := *cd.Unique
			u.Columns = []string{cd.Name}
			specs = append(specs, u)
		}
	}
	specs = append(specs, n.Unique...)
	var out []catalog.UniqueConstraint
	names := map[string]bool{}
	if rel.UserPrimaryKey {
		names[catalog.PrimaryKeyName(rel)] = true
	}
	taken := func(name string) bool {
		if names[name] {
			return true
		}
		if _, ok := s.engine.catalog.Lookup(rel.Schema, name, nil); ok {
			return true
		}
		_, ok := s.engine.catalog.IndexByName(rel.Schema, name)
		return ok
	}
next:
	for _, spec := range specs {
		u := catalog.UniqueConstraint{NullsNotDistinct: spec.NullsNotDistinct}
		for _, name := range spec.Columns {
			i := rel.ColumnIndex(name)
			if i < 0 || rel.Columns[i].Hidden {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name)
			}
			u.Columns = append(u.Columns, i)
		}
		if rel.UserPrimaryKey && !u.NullsNotDistinct && equalInts(u.Columns, rel.Key) {
			continue
		}
		for i := range out {
			if out[i].NullsNotDistinct == u.NullsNotDistinct && equalInts(out[i].Columns, u.Columns) {
				if out[i].Name == "" {
					out[i].Name = spec.Name
				}
				continue next
			}
		}
		u.Name = spec.Name
		out = append(out, u)
	}
	for i := range out {
		if out[i].Name != "" {
			if taken(out[i].Name) {
				return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", out[i].Name)
			}
			names[out[i].Name] = true
		}
	}
	for i := range out {
		if out[i].Name == "" {
			cols := make([]string, len(out[i].Columns))
			for j, c := range out[i].Columns {
				cols[j] = rel.Columns[c].Name
			}
			out[i].Name = catalog.UniqueConstraintName(rel.Name, cols, taken)
			names[out[i].Name] = true
		}
	}
	return out, nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// addUniqueIndexes starts the dataflows of rel's unique indexes (at
// CREATE TABLE and at recovery).
func (e *Engine) addUniqueIndexes(rel *catalog.Relation) error {
	for _, u := range rel.Unique {
		if err := e.runtime.AddTable(catalog.UniqueIndexRelation(rel, u)); err != nil {
			return err
		}
	}
	return nil
}

// uniqueIndexIDs are the ids of rel's unique index relations.
func uniqueIndexIDs(rel *catalog.Relation) []uint32 {
	ids := make([]uint32, len(rel.Unique))
	for i, u := range rel.Unique {
		ids[i] = u.IndexID
	}
	return ids
}

// uniqueChecks are one statement's view of the unique indexes of the
// table it writes.
type uniqueChecks struct {
	table   *catalog.Relation
	indexes []*uniqueIndex
}

// uniqueIndex is one unique constraint as a statement checks it.
type uniqueIndex struct {
	c        catalog.UniqueConstraint
	rel      *catalog.Relation
	tt       *txnTable
	reader   storage.Reader
	prefix   []byte
	keyTypes []types.T
	// claimed and freed are the keys the statement's rows so far took and
	// gave up; stored caches what reader holds. They live for one
	// statement: its changes reach the index only when it succeeds.
	claimed, freed, stored map[string]bool
}

// uniqueChecks takes the transaction's part of each unique index of rel
// (after rel's own, so the table's lock orders them) for one statement.
func (s *Session) uniqueChecks(ctx context.Context, t *txn, rel *catalog.Relation) (*uniqueChecks, error) {
	u := &uniqueChecks{table: rel}
	for _, c := range rel.Unique {
		irel := catalog.UniqueIndexRelation(rel, c)
		tt, err := t.table(ctx, s.engine.runtime, irel)
		if err != nil {
			return nil, err
		}
		ix := &uniqueIndex{c: c, rel: irel, tt: tt, reader: t.overlay.Over(tt.writer.Reader()),
			prefix: storage.TablePrefix(irel.ID), keyTypes: keyTypes(irel),
			claimed: map[string]bool{}, freed: map[string]bool{}, stored: map[string]bool{}}
		u.indexes = append(u.indexes, ix)
	}
	return u, nil
}

// key is the index key of a table row, false when a NULL in it means the
// row cannot conflict.
func (ix *uniqueIndex) key(row []types.Datum) ([]byte, bool) {
	vals := make([]types.Datum, len(ix.c.Columns))
	for i, col := range ix.c.Columns {
		if row[col] == nil && !ix.c.NullsNotDistinct {
			return nil, false
		}
		vals[i] = row[col]
	}
	return encoding.EncodeKey(bytes.Clone(ix.prefix), ix.keyTypes, vals), true
}

// load reads in one sorted pass which of rows' keys the index holds, so a
// multi-row INSERT or a COPY batch does not probe once per row.
func (u *uniqueChecks) load(rows [][]types.Datum) error {
	for _, ix := range u.indexes {
		var keys [][]byte
		for _, row := range rows {
			if k, ok := ix.key(row); ok {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		exist, err := existingKeys(ix.reader, keys)
		if err != nil {
			return err
		}
		for i, k := range keys {
			ix.stored[string(k)] = exist[i]
		}
	}
	return nil
}

// check returns the unique violation a new row would cause, nil if none.
func (u *uniqueChecks) check(row []types.Datum) error {
	ix, err := u.conflict(row)
	if err != nil || ix < 0 {
		return err
	}
	return u.violation(u.indexes[ix], row)
}

// conflict returns the position in u.indexes (and in the table's Unique)
// of the first constraint a new row conflicts on, -1 if none.
func (u *uniqueChecks) conflict(row []types.Datum) (int, error) {
	for i, ix := range u.indexes {
		k, ok := ix.key(row)
		if !ok {
			continue
		}
		if ix.claimed[string(k)] {
			return i, nil
		}
		if ix.freed[string(k)] {
			continue
		}
		exists, known := ix.stored[string(k)]
		if !known {
			var err error
			if _, exists, err = ix.reader.Get(k); err != nil {
				return -1, err
			}
			ix.stored[string(k)] = exists
		}
		if exists {
			return i, nil
		}
	}
	return -1, nil
}

// claim records that a new row, checked, takes its keys.
func (u *uniqueChecks) claim(row []types.Datum) {
	for _, ix := range u.indexes {
		if k, ok := ix.key(row); ok {
			ix.claimed[string(k)] = true
			delete(ix.freed, string(k))
		}
	}
}

// free records that a row the statement deletes or updates gives up its
// keys.
func (u *uniqueChecks) free(row []types.Datum) {
	for _, ix := range u.indexes {
		if k, ok := ix.key(row); ok {
			if ix.claimed[string(k)] {
				delete(ix.claimed, string(k))
			} else {
				ix.freed[string(k)] = true
			}
		}
	}
}

func (u *uniqueChecks) violation(ix *uniqueIndex, row []types.Datum) error {
	var names, vals []string
	for _, col := range ix.c.Columns {
		c := u.table.Columns[col]
		names = append(names, c.Name)
		if row[col] == nil {
			vals = append(vals, "null")
		} else {
			vals = append(vals, types.FormatText(c.Type, row[col]))
		}
	}
	return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint %q", ix.c.Name).
		WithDetail("Key (%s)=(%s) already exists.", strings.Join(names, ", "), strings.Join(vals, ", "))
}

// stage stages the index changes that the table change chunk c makes.
func (u *uniqueChecks) stage(t *txn, c *chunk.Chunk) {
	for _, ix := range u.indexes {
		if ch := ix.changes(u.table, c); ch.Len() > 0 {
			t.stage(ix.tt, ch.Build())
		}
	}
}

// changes are the index rows c inserts and deletes. An update that keeps
// a row's key and index key changes nothing in the index.
func (ix *uniqueIndex) changes(table *catalog.Relation, c *chunk.Chunk) *chunk.Builder {
	b := chunk.NewBuilder(ix.rel.ColumnTypes())
	indexRow := func(row []types.Datum) []types.Datum {
		out := make([]types.Datum, 0, len(ix.rel.Columns))
		for _, col := range ix.c.Columns {
			out = append(out, row[col])
		}
		for _, col := range table.Key {
			out = append(out, row[col])
		}
		return out
	}
	kts := keyTypes(table)
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		if c.Op(i) == chunk.UpdateBefore && i+1 < c.Len() && c.Op(i+1) == chunk.UpdateAfter {
			next := c.Row(i + 1)
			i++
			oldKey, oldOK := ix.key(row)
			newKey, newOK := ix.key(next)
			if oldOK && newOK && bytes.Equal(oldKey, newKey) && bytes.Equal(tableKey(table, kts, row), tableKey(table, kts, next)) {
				continue
			}
			if oldOK {
				b.Append(chunk.Delete, indexRow(row))
			}
			if newOK {
				b.Append(chunk.Insert, indexRow(next))
			}
			continue
		}
		if _, ok := ix.key(row); !ok {
			continue
		}
		if c.Op(i).IsRetraction() {
			b.Append(chunk.Delete, indexRow(row))
		} else {
			b.Append(chunk.Insert, indexRow(row))
		}
	}
	return b
}
