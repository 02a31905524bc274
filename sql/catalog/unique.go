package catalog

import (
	"fmt"
	"strings"
)

// # Unique constraints
//
// A table's UNIQUE constraint keeps its state in an index relation of its
// own (UniqueConstraint.IndexID): rows keyed by the constrained columns,
// whose other columns are the table row's key. The session writes it with
// the same DML and in the same transaction as the table, as one more table
// of the transaction, so a conflict is a key lookup through the overlays
// the primary key check reads, and the index commits, recovers and is
// dropped with its table. It has no catalog entry of its own: the table's
// descriptor carries the constraint and UniqueIndexRelation derives the
// relation from it, so no query, view or name lookup ever reaches its rows.
//
// NULLs are distinct unless NULLS NOT DISTINCT was written: a row with a
// NULL in a constrained column never conflicts, and the index does not
// hold it.

// UniqueConstraint is one UNIQUE constraint of a table.
type UniqueConstraint struct {
	Name string `json:"name"`
	// Columns are the indexes of the constrained columns, in the order
	// written.
	Columns []int `json:"columns"`
	// IndexID is the id of the index relation, also its pg_class oid.
	IndexID          uint32 `json:"index_id"`
	NullsNotDistinct bool   `json:"nulls_not_distinct,omitempty"`
}

// UniqueIndexRelation is the index relation of table's constraint u: the
// constrained columns (its key), then the table's key columns.
func UniqueIndexRelation(table *Relation, u UniqueConstraint) *Relation {
	rel := &Relation{ID: u.IndexID, Kind: KindIndex, Schema: table.Schema, Name: u.Name, UserPrimaryKey: true}
	for i, col := range u.Columns {
		rel.Columns = append(rel.Columns, Column{Name: table.Columns[col].Name, Type: table.Columns[col].Type})
		rel.Key = append(rel.Key, i)
	}
	for i, col := range table.Key {
		rel.Columns = append(rel.Columns, Column{Name: fmt.Sprintf("table_key_%d", i+1), Type: table.Columns[col].Type, NotNull: true})
	}
	return rel
}

// Index is an index of a table as pg_catalog shows it: its primary key or
// one of its unique constraints.
type Index struct {
	Table *Relation
	// OID is the index's pg_class oid, ConstraintOID its constraint's.
	OID, ConstraintOID int64
	Name               string
	Columns            []int
	Primary            bool
	NullsNotDistinct   bool
}

// Indexes lists r's indexes: the primary key's first, then the unique
// constraints' in the order they were declared.
func Indexes(r *Relation) []Index {
	if r.Kind != KindTable {
		return nil
	}
	var out []Index
	if HasPrimaryKeyIndex(r) {
		out = append(out, Index{Table: r, OID: PrimaryKeyIndexOID(r.ID), ConstraintOID: PrimaryKeyConstraintOID(r.ID),
			Name: PrimaryKeyName(r), Columns: r.Key, Primary: true})
	}
	for _, u := range r.Unique {
		out = append(out, Index{Table: r, OID: int64(u.IndexID), ConstraintOID: PrimaryKeyConstraintOID(u.IndexID),
			Name: u.Name, Columns: u.Columns, NullsNotDistinct: u.NullsNotDistinct})
	}
	return out
}

// IndexByOID finds an index by its pg_class oid.
func (c *Catalog) IndexByOID(oid int64) (Index, bool) {
	return c.findIndex(func(ix Index) bool { return ix.OID == oid })
}

// IndexByConstraintOID finds an index by its constraint's oid.
func (c *Catalog) IndexByConstraintOID(oid int64) (Index, bool) {
	return c.findIndex(func(ix Index) bool { return ix.ConstraintOID == oid })
}

// IndexByName finds an index of schema by name.
func (c *Catalog) IndexByName(schema, name string) (Index, bool) {
	return c.findIndex(func(ix Index) bool { return ix.Table.Schema == schema && ix.Name == name })
}

func (c *Catalog) findIndex(match func(Index) bool) (Index, bool) {
	for _, r := range c.Relations(KindTable) {
		for _, ix := range Indexes(r) {
			if match(ix) {
				return ix, true
			}
		}
	}
	return Index{}, false
}

// maxIdentifierLength is PostgreSQL's NAMEDATALEN - 1.
const maxIdentifierLength = 63

// UniqueConstraintName is the name PostgreSQL gives an unnamed unique
// constraint on columns of table: table_col1_col2_key, both parts cut to
// fit 63 bytes, with a number after "key" while taken says the name is
// used.
func UniqueConstraintName(table string, columns []string, taken func(string) bool) string {
	// ChooseIndexNameAddition: column names joined by "_", stopping once
	// the addition is a whole name long.
	var addition strings.Builder
	for _, c := range columns {
		if addition.Len() > 0 {
			addition.WriteByte('_')
		}
		addition.WriteString(c)
		if addition.Len() >= maxIdentifierLength {
			break
		}
	}
	label := "key"
	for pass := 1; ; pass++ {
		name := makeObjectName(table, addition.String(), label)
		if !taken(name) {
			return name
		}
		label = fmt.Sprintf("key%d", pass)
	}
}

// makeObjectName is PostgreSQL's: name1_name2_label, cutting the longer of
// name1 and name2 until it fits.
func makeObjectName(name1, name2, label string) string {
	avail := maxIdentifierLength - len(label) - 1
	if name2 != "" {
		avail--
	}
	n1, n2 := len(name1), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	n1, n2 = clipUTF8(name1, n1), clipUTF8(name2, n2)
	out := name1[:n1]
	if name2 != "" {
		out += "_" + name2[:n2]
	}
	return out + "_" + label
}

// clipUTF8 is the longest prefix of s of at most n bytes that ends on a
// character boundary.
func clipUTF8(s string, n int) int {
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return n
}
