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
// AttrDefOID) in ranges ids never reach. A unique constraint's index is a
// relation with an id of its own, and its constraint's oid is derived from
// that id as a primary key constraint's is from its table's. The one role has oid 10 and the
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

// CursorLister is implemented by a SessionInfo that has open cursors (for
// pg_cursors).
type CursorLister interface {
	Cursors() []CursorInfo
}

// CursorInfo is one row of pg_cursors.
type CursorInfo struct {
	Name      string
	Statement string
	Holdable  bool
	Binary    bool
	// Scrollable is whether the cursor can move backward.
	Scrollable bool
	// Created is a timestamptz datum.
	Created types.Datum
}

// rowGenerator computes the rows of a system view.
type rowGenerator func(v *systemContext) [][]types.Datum

type systemView struct {
	rel  *Relation
	rows rowGenerator
	// typeOIDs are the oids of the columns' PostgreSQL types where Eddy
	// holds them in another type (xid as int8, aclitem[] as text[],
	// pg_node_tree as text), 0 elsewhere.
	typeOIDs []uint32
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
	var typeOIDs []uint32
	for _, c := range columns {
		colName, typeName, ok := strings.Cut(c, " ")
		if !ok {
			panic("catalog: system column without a type: " + c)
		}
		t := systemColumnType(typeName)
		notNull := IsCatalogTable(rel) && catalogColumnNotNull(colName, typeName, t)
		rel.Columns = append(rel.Columns, Column{Name: colName, Type: t, NotNull: notNull})
		typeOIDs = append(typeOIDs, catalogOnlyTypeOID(typeName))
	}
	sv := &systemView{rel: rel, rows: rows, typeOIDs: typeOIDs}
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

// IsCatalogTable reports whether system view r stands for one of
// PostgreSQL's catalog tables (pg_class, pg_namespace, …) rather than one
// of its views (pg_roles, pg_tables, information_schema): those have
// PostgreSQL's fixed oids below 10000, and pg_class shows them as tables.
func IsCatalogTable(r *Relation) bool {
	return r.Kind == KindSystemView && r.Schema == pgCatalog && r.ID < 10000
}

// catalogColumnNotNull is attnotnull of a catalog table's column as in
// PostgreSQL: the fixed part of a catalog row is NOT NULL; its variable
// part (text, arrays other than the vectors, expression trees) may be
// NULL, except the few text columns PostgreSQL forces NOT NULL.
func catalogColumnNotNull(name, typeName string, t types.T) bool {
	switch name {
	case "prosrc", "datcollate", "datctype", "description", "extversion", "adbin":
		return true
	}
	switch {
	case typeName == "pg_node_tree" || typeName == "anyarray" || typeName == "text":
		return false
	case t.Kind == types.KindArray && !t.Vector:
		return false
	}
	return true
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
	if v.err != nil {
		return nil, v.err
	}
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
	// err is set by a generator that could not read what it shows.
	err error
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
	case KindSystemView:
		if IsCatalogTable(r) {
			return "r"
		}
		return "v"
	case KindView:
		return "v"
	case KindSource:
		return "f"
	case KindSequence:
		return "S"
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

// catalogOnlyType is a type of PostgreSQL's catalogs that Eddy's values
// do not have: its columns hold another type (see systemColumnType), and
// pg_attribute and pg_type show them under their own oid and name.
type catalogOnlyType struct {
	oid       int64
	typname   string
	format    string // format_type's name
	length    int
	typtype   string
	category  string
	storage   string
	collation int
	elem      int64
	array     int64
}

var catalogOnlyTypes = []catalogOnlyType{
	{28, "xid", "xid", 4, "b", "U", "p", 0, 0, 1011},
	{194, "pg_node_tree", "pg_node_tree", -1, "b", "Z", "x", DefaultCollationOID, 0, 0},
	{1033, "aclitem", "aclitem", 12, "b", "U", "p", 0, 0, 1034},
	{1034, "_aclitem", "aclitem[]", -1, "b", "A", "x", 0, 1033, 0},
	{2277, "anyarray", "anyarray", -1, "p", "P", "x", 0, 0, 0},
}

func catalogOnlyTypeOID(typeName string) uint32 {
	for _, ct := range catalogOnlyTypes {
		if ct.format == typeName {
			return uint32(ct.oid)
		}
	}
	return 0
}

// CatalogTypeName is format_type's name of a type only the catalogs use
// (xid, aclitem[], pg_node_tree, anyarray).
func CatalogTypeName(oid uint32) (string, bool) {
	for _, ct := range catalogOnlyTypes {
		if ct.oid == int64(oid) {
			return ct.format, true
		}
	}
	return "", false
}

// catalogColumnAttribute adjusts the pg_attribute row of column i of
// catalog table r to what PostgreSQL shows: the catalog-only type, and
// collation C for its collatable columns.
func catalogColumnAttribute(row []types.Datum, r *Relation, i int) {
	const atttypid, attlen, attcollation = 2, 4, 21
	sv := systemByID[r.ID]
	if oid := sv.typeOIDs[i]; oid != 0 {
		for _, ct := range catalogOnlyTypes {
			if ct.oid == int64(oid) {
				row[atttypid], row[attlen] = ct.oid, int64(ct.length)
				row[attcollation] = int64(ct.collation)
			}
		}
	}
	if row[attcollation].(int64) != 0 {
		row[attcollation] = int64(950)
	}
}
