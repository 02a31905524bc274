// Package catalog owns the descriptions of the objects users create:
// schemas, tables, materialized views, views, sources and sinks, with their
// columns, keys and dependencies, and the in-memory index by name that the
// binder resolves against.
//
// Descriptors are persisted by the session layer through storage, in the same
// epoch batch as the data they describe, as the bytes Marshal returns; the
// catalog itself does no I/O. Object ids share one space with state tables:
// every relation's rows live under storage.TablePrefix(id).
//
// pg_catalog and information_schema are views computed from this package
// (see their own files); they are not stored.
package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/eddy-db/eddy/sql/types"
)

// Kind is what a relation is.
type Kind uint8

const (
	KindTable Kind = iota + 1
	KindMaterializedView
	KindView
	KindSource
	KindSink
	KindSchema
	// KindSystemView is a relation of pg_catalog, information_schema or
	// eddy_catalog whose rows are computed from the catalog (system.go).
	KindSystemView
	// KindSequence is a sequence (CREATE SEQUENCE, or the one a serial or
	// identity column owns); Relation.Sequence defines it.
	KindSequence
	// KindIndex is a unique constraint's index relation, derived from its
	// table's descriptor (UniqueIndexRelation) and never in the catalog.
	KindIndex
)

func (k Kind) String() string {
	switch k {
	case KindTable:
		return "table"
	case KindMaterializedView:
		return "materialized view"
	case KindView:
		return "view"
	case KindSource:
		return "source"
	case KindSink:
		return "sink"
	case KindSchema:
		return "schema"
	case KindSystemView:
		return "system view"
	case KindSequence:
		return "sequence"
	case KindIndex:
		return "index"
	}
	return "object"
}

// RowIDColumn is the name of the hidden key column of a table declared
// without a primary key.
const RowIDColumn = "_row_id"

// Column is one column of a relation.
type Column struct {
	Name    string  `json:"name"`
	Type    types.T `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Hidden columns (a table's _row_id, a view's carried stream key) are
	// stored but not shown by SELECT *.
	Hidden bool `json:"hidden,omitempty"`
	// Default is the DEFAULT expression's SQL text, if any.
	Default string `json:"default,omitempty"`
	// Identity is attidentity: IdentityAlways or IdentityByDefault for
	// GENERATED … AS IDENTITY, empty otherwise.
	Identity string `json:"identity,omitempty"`
	// SequenceID is the sequence an identity column takes its values from,
	// or the one a serial column's default reads; 0 for none.
	SequenceID uint32 `json:"sequence_id,omitempty"`
	// Comment is the text of COMMENT ON COLUMN, if any.
	Comment string `json:"comment,omitempty"`
}

// Relation describes a table, materialized view, view, source or sink.
type Relation struct {
	ID      uint32   `json:"id"`
	Kind    Kind     `json:"kind"`
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	// Key lists the column indexes of the primary key (tables) or stream
	// key (views). Rows are stored keyed by these columns.
	Key []int `json:"key"`
	// UserPrimaryKey is true when the key was declared by the user (as
	// opposed to a hidden row id or a derived stream key).
	UserPrimaryKey bool `json:"user_primary_key,omitempty"`
	// Unique are a table's UNIQUE constraints (unique.go).
	Unique []UniqueConstraint `json:"unique,omitempty"`
	// SQL is the defining query of a view or materialized view.
	SQL string `json:"sql,omitempty"`
	// StateTables are the ids of the operator state tables of a
	// materialized view's dataflow (what dropping it deletes).
	StateTables []uint32 `json:"state_tables,omitempty"`
	// Plan is a materialized view's streaming plan in the planner's stored
	// form (planner.EncodeMaterialize), with its format version: restart
	// rebuilds the dataflow from it, never from SQL.
	Plan json.RawMessage `json:"plan,omitempty"`
	// Unavailable, never stored, is why a materialized view has no
	// dataflow since the last restart (its stored plan is of a format
	// version this binary does not run, or it reads such a view): reading
	// it is this error; dropping it works.
	Unavailable error `json:"-"`
	// DependsOn are the ids of the relations the definition reads.
	DependsOn []uint32 `json:"depends_on,omitempty"`
	// Options are a connector's WITH options and format, for sources and
	// sinks and connector-fed tables.
	Options map[string]string `json:"options,omitempty"`
	// Sequence defines a sequence relation.
	Sequence *Sequence `json:"sequence,omitempty"`
	// CreatedEpoch is the epoch whose commit created the relation.
	CreatedEpoch uint64 `json:"created_epoch"`
	// Comment is the text of COMMENT ON, if any (pg_description).
	Comment string `json:"comment,omitempty"`
}

// QualifiedName is schema.name.
func (r *Relation) QualifiedName() string { return r.Schema + "." + r.Name }

// VisibleColumns are the columns SELECT * shows, with their indexes.
func (r *Relation) VisibleColumns() []int {
	var out []int
	for i, c := range r.Columns {
		if !c.Hidden {
			out = append(out, i)
		}
	}
	return out
}

// ColumnIndex finds a column by name, or -1.
func (r *Relation) ColumnIndex(name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// ColumnTypes are the types of all columns, hidden ones included.
func (r *Relation) ColumnTypes() []types.T {
	ts := make([]types.T, len(r.Columns))
	for i, c := range r.Columns {
		ts[i] = c.Type
	}
	return ts
}

// Marshal encodes a relation for storage.
func Marshal(r *Relation) ([]byte, error) { return json.Marshal(r) }

// Unmarshal decodes a relation stored by Marshal.
func Unmarshal(b []byte) (*Relation, error) {
	var r Relation
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("catalog: corrupt descriptor: %w", err)
	}
	return &r, nil
}

// Catalog is the set of relations and schemas, indexed by id and by name.
// It is safe for concurrent use; descriptors are immutable once added
// (a change replaces the descriptor).
type Catalog struct {
	mu      sync.RWMutex
	byID    map[uint32]*Relation
	byName  map[string]*Relation // "schema.name"
	schemas map[string]uint32
}

// DefaultSchema is where unqualified names are created and searched first.
const DefaultSchema = "public"

// New returns a catalog holding only the built-in schemas.
func New() *Catalog {
	return &Catalog{
		byID:    map[uint32]*Relation{},
		byName:  map[string]*Relation{},
		schemas: map[string]uint32{DefaultSchema: 2200, "pg_catalog": 11, "information_schema": 13000, "eddy_catalog": 13100},
	}
}

// Add inserts or replaces a relation (or a schema, for KindSchema).
func (c *Catalog) Add(r *Relation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Kind == KindSchema {
		c.schemas[r.Name] = r.ID
		c.byID[r.ID] = r
		return
	}
	if old, ok := c.byID[r.ID]; ok {
		delete(c.byName, old.QualifiedName())
	}
	c.byID[r.ID] = r
	c.byName[r.QualifiedName()] = r
}

// Remove deletes a relation or schema by id.
func (c *Catalog) Remove(id uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.byID[id]
	if !ok {
		return
	}
	delete(c.byID, id)
	if r.Kind == KindSchema {
		delete(c.schemas, r.Name)
		return
	}
	delete(c.byName, r.QualifiedName())
}

// ByID finds a relation by id.
func (c *Catalog) ByID(id uint32) (*Relation, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if sv, ok := systemByID[id]; ok {
		return sv.rel, true
	}
	r, ok := c.byID[id]
	return r, ok
}

// Lookup finds schema.name; an empty schema searches the search path.
func (c *Catalog) Lookup(schema, name string, searchPath []string) (*Relation, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if schema != "" {
		if r, ok := systemByName[schema+"."+name]; ok {
			return r.rel, true
		}
		r, ok := c.byName[schema+"."+name]
		return r, ok
	}
	// pg_catalog is searched first unless the path names it, as in PostgreSQL.
	if !containsString(searchPath, "pg_catalog") {
		if r, ok := systemByName["pg_catalog."+name]; ok {
			return r.rel, true
		}
	}
	for _, s := range searchPath {
		if r, ok := systemByName[s+"."+name]; ok {
			return r.rel, true
		}
		if r, ok := c.byName[s+"."+name]; ok {
			return r, true
		}
	}
	return nil, false
}

// SchemaExists reports whether a schema exists, and its oid.
func (c *Catalog) SchemaExists(name string) (uint32, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.schemas[name]
	return id, ok
}

// Schemas lists schema names with their oids, sorted by name.
func (c *Catalog) Schemas() map[string]uint32 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]uint32, len(c.schemas))
	for k, v := range c.schemas {
		out[k] = v
	}
	return out
}

// Relations lists relations of the given kinds (all kinds if none), sorted
// by schema and name.
func (c *Catalog) Relations(kinds ...Kind) []*Relation {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*Relation
	for _, r := range c.byName {
		if len(kinds) == 0 || containsKind(kinds, r.Kind) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return strings.Compare(out[i].QualifiedName(), out[j].QualifiedName()) < 0
	})
	return out
}

// Dependents lists the relations whose definitions read id.
func (c *Catalog) Dependents(id uint32) []*Relation {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*Relation
	for _, r := range c.byID {
		for _, d := range r.DependsOn {
			if d == id {
				out = append(out, r)
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
