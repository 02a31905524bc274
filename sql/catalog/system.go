package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// # System views
//
// pg_catalog, information_schema and eddy_catalog hold system views: the
// relations psql, drivers, BI tools and dbt read to learn what exists. Each
// is a Relation of KindSystemView with a fixed id below 16384 (PostgreSQL's
// own oid where the relation has one) and a row generator that computes its
// rows from the catalog and the asking session when a query scans it.
// Nothing of them is stored, and they are the same in every catalog.
//
// Lookup finds them: pg_catalog is searched before the search path (unless
// the path names it), information_schema and eddy_catalog only when
// qualified or on the path. The planner reads them like tables in batch
// queries and refuses them in materialized views; the executor's Scan asks
// SystemRows for their rows instead of reading storage.
//
// # Object ids
//
// A user relation's oid is its id. PostgreSQL gives a primary key's index,
// its constraint and each column default an oid of their own; Eddy derives
// them from the relation id (PrimaryKeyIndexOID, PrimaryKeyConstraintOID,
// AttrDefOID) in ranges ids never reach. The one role has oid 10 and the
// name of the session user; the one database is DatabaseOID.

// SessionInfo is what system views read of the session that scans them.
// sql/expr's SessionInfo satisfies it.
type SessionInfo interface {
	CurrentUser() string
	CurrentDatabase() string
	Setting(name string) (string, bool)
}

// SettingLister is implemented by a SessionInfo that can list its settings
// (for pg_settings).
type SettingLister interface {
	SettingNames() []string
}

// rowGenerator computes the rows of a system view.
type rowGenerator func(v *systemContext) [][]types.Datum

type systemView struct {
	rel  *Relation
	rows rowGenerator
}

var (
	systemByID   = map[uint32]*systemView{}
	systemByName = map[string]*systemView{}
)

// Fixed oids of objects that are not relations.
const (
	// BootstrapRoleOID is the oid of the one role, named after the user.
	BootstrapRoleOID = 10
	// DatabaseOID is the oid of the one database.
	DatabaseOID = 5
	// HeapAMOID and BtreeAMOID are pg_am's access methods.
	HeapAMOID  = 2
	BtreeAMOID = 403
	// DefaultCollationOID is the collation of string columns.
	DefaultCollationOID = 100
	// DefaultTablespaceOID is pg_default.
	DefaultTablespaceOID = 1663
)

// PrimaryKeyIndexOID is the oid of relation id's primary key index.
func PrimaryKeyIndexOID(id uint32) int64 { return int64(id) + 1<<30 }

// PrimaryKeyConstraintOID is the oid of relation id's primary key constraint.
func PrimaryKeyConstraintOID(id uint32) int64 { return int64(id) + 2<<30 }

// AttrDefOID is the oid of the default of column attnum of relation id.
func AttrDefOID(id uint32, attnum int) int64 {
	return 3<<30 + int64(id&0xfffff)<<10 + int64(attnum&0x3ff)
}

// PrimaryKeyName is the name PostgreSQL gives a table's primary key.
func PrimaryKeyName(r *Relation) string { return r.Name + "_pkey" }

// HasPrimaryKeyIndex reports whether r shows a primary key index in
// pg_index (a table with a declared primary key).
func HasPrimaryKeyIndex(r *Relation) bool {
	return r.Kind == KindTable && r.UserPrimaryKey && len(r.Key) > 0
}

// defineSystemView registers a system view; columns are "name type" pairs
// with PostgreSQL's type names (see systemColumnType).
func defineSystemView(id uint32, schema, name string, columns []string, rows rowGenerator) {
	rel := &Relation{ID: id, Kind: KindSystemView, Schema: schema, Name: name}
	for _, c := range columns {
		colName, typeName, ok := strings.Cut(c, " ")
		if !ok {
			panic("catalog: system column without a type: " + c)
		}
		rel.Columns = append(rel.Columns, Column{Name: colName, Type: systemColumnType(typeName)})
	}
	sv := &systemView{rel: rel, rows: rows}
	key := schema + "." + name
	if systemByID[id] != nil || systemByName[key] != nil {
		panic(fmt.Sprintf("catalog: system view %s (%d) defined twice", key, id))
	}
	systemByID[id] = sv
	systemByName[key] = sv
}

// systemColumnType maps the type names used in system view definitions.
// aclitem[] is text[] holding PostgreSQL's aclitem text; pg_node_tree and
// anyarray are text.
func systemColumnType(name string) types.T {
	switch name {
	case "xid":
		return types.Int64
	case "char":
		return types.QChar
	case "sql_identifier":
		return types.Name
	case "cardinal_number":
		return types.Int32
	case "character_data", "yes_or_no":
		return types.Varchar
	case "pg_node_tree", "anyarray":
		return types.Text
	case "aclitem":
		return types.Text
	}
	if elem, ok := strings.CutSuffix(name, "[]"); ok {
		return types.ArrayOf(systemColumnType(elem))
	}
	t, ok := types.FromName(name)
	if !ok {
		panic("catalog: unknown system column type " + name)
	}
	return t
}

// IsSystemView reports whether id is a system view.
func IsSystemView(id uint32) bool { return systemByID[id] != nil }

// SystemViews lists the system views sorted by schema and name.
func SystemViews() []*Relation {
	out := make([]*Relation, 0, len(systemByID))
	for _, sv := range systemByID {
		out = append(out, sv.rel)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].QualifiedName() < out[j].QualifiedName() })
	return out
}

// SystemRows computes the rows of system view r, with every column of r,
// as the session s sees them.
func SystemRows(r *Relation, c *Catalog, s SessionInfo) ([][]types.Datum, error) {
	sv, ok := systemByID[r.ID]
	if !ok {
		return nil, fmt.Errorf("catalog: %s is not a system view", r.QualifiedName())
	}
	if c == nil {
		c = New()
	}
	v := &systemContext{cat: c, session: s}
	rows := sv.rows(v)
	for _, row := range rows {
		if len(row) != len(r.Columns) {
			return nil, fmt.Errorf("catalog: %s produced a row of %d columns, want %d", r.QualifiedName(), len(row), len(r.Columns))
		}
	}
	return rows, nil
}

// systemContext is what a generator reads: the catalog and the session.
type systemContext struct {
	cat     *Catalog
	session SessionInfo
}

func (v *systemContext) user() string {
	if v.session == nil || v.session.CurrentUser() == "" {
		return "eddy"
	}
	return v.session.CurrentUser()
}

func (v *systemContext) database() string {
	if v.session == nil || v.session.CurrentDatabase() == "" {
		return "eddy"
	}
	return v.session.CurrentDatabase()
}

// userRelations are the relations pg_class shows besides system views:
// tables, materialized views, views and sources (as foreign tables).
func (v *systemContext) userRelations() []*Relation {
	return v.cat.Relations(KindTable, KindMaterializedView, KindView, KindSource)
}

// allRelations are the user relations, then the system views.
func (v *systemContext) allRelations() []*Relation {
	return append(v.userRelations(), SystemViews()...)
}

// schemaOID is the oid of a schema by name (0 if it is gone).
func (v *systemContext) schemaOID(name string) int64 {
	id, _ := v.cat.SchemaExists(name)
	return int64(id)
}

// RelationKindChar is pg_class.relkind for r.
func RelationKindChar(r *Relation) string {
	switch r.Kind {
	case KindTable:
		return "r"
	case KindMaterializedView:
		return "m"
	case KindView, KindSystemView:
		return "v"
	case KindSource:
		return "f"
	}
	return "r"
}

// boolText is information_schema's yes_or_no.
func boolText(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rowOf converts Go values to datums: ints become int64, everything else
// is kept (strings, bools, nil).
func rowOf(values ...any) []types.Datum {
	row := make([]types.Datum, len(values))
	for i, x := range values {
		switch n := x.(type) {
		case int:
			row[i] = int64(n)
		case int16:
			row[i] = int64(n)
		case int32:
			row[i] = int64(n)
		case uint32:
			row[i] = int64(n)
		case float32:
			row[i] = float64(n)
		default:
			row[i] = x
		}
	}
	return row
}

// IndexOwner finds the table whose primary key index has the given oid.
func (c *Catalog) IndexOwner(oid int64) (*Relation, bool) {
	return c.derivedOwner(oid, PrimaryKeyIndexOID)
}

// ConstraintOwner finds the table whose primary key constraint has the
// given oid.
func (c *Catalog) ConstraintOwner(oid int64) (*Relation, bool) {
	return c.derivedOwner(oid, PrimaryKeyConstraintOID)
}

func (c *Catalog) derivedOwner(oid int64, derive func(uint32) int64) (*Relation, bool) {
	base := derive(0)
	if oid < base || oid-base > 1<<30-1 {
		return nil, false
	}
	r, ok := c.ByID(uint32(oid - base))
	if !ok || !HasPrimaryKeyIndex(r) {
		return nil, false
	}
	return r, true
}

// SchemaName finds a schema's name by oid.
func (c *Catalog) SchemaName(oid int64) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for name, id := range c.schemas {
		if int64(id) == oid {
			return name, true
		}
	}
	return "", false
}

// FunctionOID finds a function of pg_proc by name.
func FunctionOID(name string) (int64, bool) {
	for _, f := range builtinFunctions {
		if f.name == name {
			return int64(f.oid), true
		}
	}
	return 0, false
}

// FunctionName finds a function of pg_proc by oid.
func FunctionName(oid int64) (string, bool) {
	for _, f := range builtinFunctions {
		if int64(f.oid) == oid {
			return f.name, true
		}
	}
	return "", false
}

// FunctionSignature is the result and argument type oids of a function of
// pg_proc.
func FunctionSignature(oid int64) (result uint32, args []uint32, ok bool) {
	for _, f := range builtinFunctions {
		if int64(f.oid) == oid {
			return f.ret, f.args, true
		}
	}
	return 0, nil, false
}
