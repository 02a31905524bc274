package catalog

import (
	"sort"
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// pg_catalog: PostgreSQL 15's system catalogs and views, with their real
// column names and types, filled from Eddy's catalog. Catalogs of features
// Eddy does not have (inheritance, rules, triggers, policies, enums,
// extensions, publications) exist and are empty, so the queries of psql and
// drivers that join them run unchanged.

const pgCatalog = "pg_catalog"

// PgCatalogNamespaceOID is pg_catalog's oid.
const PgCatalogNamespaceOID = 11

// builtinType describes a row of pg_type.
type builtinType struct {
	t        types.T
	typname  string
	category string
	byval    bool
	align    string
	storage  string
	array    int64 // typarray
}

// builtinTypes are the types pg_type lists, one per sql/types kind.
var builtinTypes = []builtinType{
	{types.Bool, "bool", "B", true, "c", "p", 1000},
	{types.Bytea, "bytea", "U", false, "i", "x", 1001},
	{types.QChar, "char", "Z", true, "c", "p", 1002},
	{types.Name, "name", "S", false, "c", "p", 1003},
	{types.Int64, "int8", "N", true, "d", "p", 1016},
	{types.Int16, "int2", "N", true, "s", "p", 1005},
	{types.Int32, "int4", "N", true, "i", "p", 1007},
	{types.T{Kind: types.KindRegproc}, "regproc", "N", true, "i", "p", 1008},
	{types.Text, "text", "S", false, "i", "x", 1009},
	{types.Oid, "oid", "N", true, "i", "p", 1028},
	{types.Float32, "float4", "N", true, "i", "p", 1021},
	{types.Float64, "float8", "N", true, "d", "p", 1022},
	{types.Unknown, "unknown", "X", false, "c", "p", 0},
	{types.T{Kind: types.KindChar}, "bpchar", "S", false, "i", "x", 1014},
	{types.Varchar, "varchar", "S", false, "i", "x", 1015},
	{types.DateType, "date", "D", true, "i", "p", 1182},
	{types.TimestampType, "timestamp", "D", true, "d", "p", 1115},
	{types.TimestampTZ, "timestamptz", "D", true, "d", "p", 1185},
	{types.IntervalType, "interval", "T", false, "d", "p", 1187},
	{types.TimeType, "time", "D", true, "d", "p", 1183},
	{types.UUID, "uuid", "U", false, "c", "p", 2951},
	{types.JSON, "json", "U", false, "i", "x", 199},
	{types.JSONB, "jsonb", "U", false, "i", "x", 3807},
	{types.Numeric, "numeric", "N", false, "i", "m", 1231},
	{types.T{Kind: types.KindRegclass}, "regclass", "N", true, "i", "p", 2210},
	{types.T{Kind: types.KindRegtype}, "regtype", "N", true, "i", "p", 2211},
	{types.T{Kind: types.KindRegnamespace}, "regnamespace", "N", true, "i", "p", 4090},
}

// TypeName is pg_type.typname of the type with the given oid, "" if none.
func TypeName(oid uint32) string {
	for _, b := range builtinTypes {
		if b.t.OID() == oid {
			return b.typname
		}
	}
	return ""
}

// TypeOIDByName finds a type oid by typname or SQL name.
func TypeOIDByName(name string) (uint32, bool) {
	name = strings.TrimPrefix(strings.ToLower(name), "pg_catalog.")
	for _, b := range builtinTypes {
		if b.typname == name {
			return b.t.OID(), true
		}
	}
	if t, ok := types.FromName(name); ok {
		return t.OID(), true
	}
	return 0, false
}

func collationOf(t types.T) int {
	if t.Kind == types.KindArray {
		return collationOf(t.ElemType())
	}
	if t.IsString() && t.Kind != types.KindQChar {
		if t.Kind == types.KindName {
			return 950 // C, as PostgreSQL's name
		}
		return DefaultCollationOID
	}
	return 0
}

// ArrayInOID is pg_proc's array_in, the typinput of every array type.
const ArrayInOID = 750

// builtinFunction is a row of pg_proc.
type builtinFunction struct {
	oid    int
	name   string
	kind   string // f, a, w
	ret    uint32
	args   []uint32
	strict bool
}

// builtinFunctions are the functions pg_proc lists: the common scalar and
// aggregate functions, under PostgreSQL's oids.
var builtinFunctions = []builtinFunction{
	{1242, "boolin", "f", types.OIDBool, []uint32{2275}, true},
	{2147, "count", "a", types.OIDInt8, []uint32{2276}, false},
	{2803, "count", "a", types.OIDInt8, nil, false},
	{2108, "sum", "a", types.OIDInt8, []uint32{types.OIDInt4}, false},
	{2107, "sum", "a", types.OIDNumeric, []uint32{types.OIDInt8}, false},
	{2111, "sum", "a", types.OIDFloat8, []uint32{types.OIDFloat8}, false},
	{2114, "sum", "a", types.OIDNumeric, []uint32{types.OIDNumeric}, false},
	{2101, "avg", "a", types.OIDNumeric, []uint32{types.OIDInt4}, false},
	{2105, "avg", "a", types.OIDFloat8, []uint32{types.OIDFloat8}, false},
	{2116, "max", "a", types.OIDInt4, []uint32{types.OIDInt4}, false},
	{2132, "min", "a", types.OIDInt4, []uint32{types.OIDInt4}, false},
	{2335, "string_agg", "a", types.OIDText, []uint32{types.OIDText, types.OIDText}, false},
	{3100, "row_number", "w", types.OIDInt8, nil, false},
	{1299, "now", "f", types.OIDTimestampTZ, nil, true},
	{1317, "length", "f", types.OIDInt4, []uint32{types.OIDText}, true},
	{870, "lower", "f", types.OIDText, []uint32{types.OIDText}, true},
	{871, "upper", "f", types.OIDText, []uint32{types.OIDText}, true},
	{2073, "substring", "f", types.OIDText, []uint32{types.OIDText, types.OIDInt4, types.OIDInt4}, true},
	{1174, "date_trunc", "f", types.OIDTimestampTZ, []uint32{types.OIDText, types.OIDTimestampTZ}, true},
	{2020, "date_trunc", "f", types.OIDTimestamp, []uint32{types.OIDText, types.OIDTimestamp}, true},
	{1171, "date_part", "f", types.OIDFloat8, []uint32{types.OIDText, types.OIDTimestampTZ}, true},
	{1376, "abs", "f", types.OIDNumeric, []uint32{types.OIDNumeric}, true},
	{1707, "round", "f", types.OIDNumeric, []uint32{types.OIDNumeric, types.OIDInt4}, true},
	{3060, "left", "f", types.OIDText, []uint32{types.OIDText, types.OIDInt4}, true},
	{3058, "concat", "f", types.OIDText, []uint32{2276}, false},
	{2100, "md5", "f", types.OIDText, []uint32{types.OIDText}, true},
	{861, "current_database", "f", types.OIDName, nil, true},
	{1402, "current_schema", "f", types.OIDName, nil, true},
	{745, "current_user", "f", types.OIDName, nil, true},
	{89, "version", "f", types.OIDText, nil, true},
	{2079, "pg_table_is_visible", "f", types.OIDBool, []uint32{types.OIDOid}, true},
	{1081, "format_type", "f", types.OIDText, []uint32{types.OIDOid, types.OIDInt4}, false},
	{1642, "pg_get_userbyid", "f", types.OIDName, []uint32{types.OIDOid}, true},
	{ArrayInOID, "array_in", "f", 2277, []uint32{2275, types.OIDOid, types.OIDInt4}, true},
	{1716, "pg_get_expr", "f", types.OIDText, []uint32{types.OIDText, types.OIDOid}, true},
	{1641, "pg_get_viewdef", "f", types.OIDText, []uint32{types.OIDOid}, true},
}

func init() {
	defineSystemView(2615, pgCatalog, "pg_namespace", []string{
		"oid oid", "nspname name", "nspowner oid", "nspacl aclitem[]",
	}, func(v *systemContext) [][]types.Datum {
		schemas := v.cat.Schemas()
		names := make([]string, 0, len(schemas))
		for n := range schemas {
			names = append(names, n)
		}
		sort.Strings(names)
		var rows [][]types.Datum
		for _, n := range names {
			rows = append(rows, rowOf(schemas[n], n, BootstrapRoleOID, nil))
		}
		return rows
	})

	defineSystemView(1259, pgCatalog, "pg_class", []string{
		"oid oid", "relname name", "relnamespace oid", "reltype oid", "reloftype oid", "relowner oid",
		"relam oid", "relfilenode oid", "reltablespace oid", "relpages int4", "reltuples float4",
		"relallvisible int4", "reltoastrelid oid", "relhasindex bool", "relisshared bool",
		"relpersistence char", "relkind char", "relnatts int2", "relchecks int2", "relhasrules bool",
		"relhastriggers bool", "relhassubclass bool", "relrowsecurity bool", "relforcerowsecurity bool",
		"relispopulated bool", "relreplident char", "relispartition bool", "relrewrite oid",
		"relfrozenxid xid", "relminmxid xid", "relacl aclitem[]", "reloptions text[]", "relpartbound pg_node_tree",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range append(v.allRelations(), v.sequences()...) {
			am := 0
			if r.Kind == KindTable || r.Kind == KindMaterializedView || IsCatalogTable(r) {
				am = HeapAMOID
			}
			natts := len(r.VisibleColumns())
			rows = append(rows, rowOf(r.ID, r.Name, v.schemaOID(r.Schema), 0, 0, BootstrapRoleOID,
				am, r.ID, 0, 0, float32(-1),
				0, 0, len(Indexes(r)) > 0, false,
				"p", RelationKindChar(r), natts, 0, false,
				false, false, false, false,
				true, replicaIdentity(r), false, 0,
				0, 0, nil, nil, nil))
			for _, ix := range Indexes(r) {
				rows = append(rows, rowOf(ix.OID, ix.Name, v.schemaOID(r.Schema), 0, 0, BootstrapRoleOID,
					BtreeAMOID, ix.OID, 0, 0, float32(0),
					0, 0, false, false,
					"p", "i", len(ix.Columns), 0, false,
					false, false, false, false,
					true, "n", false, 0,
					0, 0, nil, nil, nil))
			}
		}
		return rows
	})

	defineSystemView(1249, pgCatalog, "pg_attribute", []string{
		"attrelid oid", "attname name", "atttypid oid", "attstattarget int4", "attlen int2", "attnum int2",
		"attndims int4", "attcacheoff int4", "atttypmod int4", "attbyval bool", "attalign char",
		"attstorage char", "attcompression char", "attnotnull bool", "atthasdef bool", "atthasmissing bool",
		"attidentity char", "attgenerated char", "attisdropped bool", "attislocal bool", "attinhcount int4",
		"attcollation oid", "attacl aclitem[]", "attoptions text[]", "attfdwoptions text[]", "attmissingval anyarray",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		identity := ""
		attr := func(relid int64, name string, t types.T, attnum int, notNull, hasDef bool) {
			storage, align, byval := "p", "i", true
			if bt, ok := builtinTypeOf(t); ok {
				storage, align, byval = bt.storage, bt.align, bt.byval
			}
			if t.Kind == types.KindArray {
				storage, byval = "x", false
				if bt, ok := builtinTypeOf(t.ElemType()); ok {
					align = bt.align
				}
				if t.Vector {
					storage = "p"
				}
			}
			rows = append(rows, rowOf(relid, name, t.OID(), -1, t.Size(), attnum,
				0, -1, t.Modifier(), byval, align,
				storage, "", notNull, hasDef, false,
				identity, "", false, true, 0,
				collationOf(t), nil, nil, nil, nil))
		}
		for _, r := range append(v.allRelations(), v.sequences()...) {
			for i, c := range r.Columns {
				if c.Hidden {
					continue
				}
				identity = c.Identity
				attr(int64(r.ID), c.Name, c.Type, i+1, c.NotNull || isKeyColumn(r, i), c.Default != "")
				identity = ""
				if IsCatalogTable(r) {
					catalogColumnAttribute(rows[len(rows)-1], r, i)
				}
			}
			for _, ix := range Indexes(r) {
				for i, k := range ix.Columns {
					c := r.Columns[k]
					attr(ix.OID, c.Name, c.Type, i+1, false, false)
				}
			}
		}
		return rows
	})

	defineSystemView(1247, pgCatalog, "pg_type", []string{
		"oid oid", "typname name", "typnamespace oid", "typowner oid", "typlen int2", "typbyval bool",
		"typtype char", "typcategory char", "typispreferred bool", "typisdefined bool", "typdelim char",
		"typrelid oid", "typsubscript regproc", "typelem oid", "typarray oid", "typinput regproc",
		"typoutput regproc", "typreceive regproc", "typsend regproc", "typmodin regproc", "typmodout regproc",
		"typanalyze regproc", "typalign char", "typstorage char", "typnotnull bool", "typbasetype oid",
		"typtypmod int4", "typndims int4", "typcollation oid", "typdefaultbin pg_node_tree", "typdefault text",
		"typacl aclitem[]",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, b := range builtinTypes {
			preferred := b.t.Kind == types.KindText || b.t.Kind == types.KindFloat64 || b.t.Kind == types.KindBool ||
				b.t.Kind == types.KindOid || b.t.Kind == types.KindTimestampTZ || b.t.Kind == types.KindInterval
			rows = append(rows, rowOf(b.t.OID(), b.typname, PgCatalogNamespaceOID, BootstrapRoleOID, b.t.Size(), b.byval,
				"b", b.category, preferred, true, ",",
				0, 0, 0, b.array, 0,
				0, 0, 0, 0, 0,
				0, b.align, b.storage, false, 0,
				-1, 0, collationOf(b.t), nil, nil,
				nil))
		}
		// The array types (typelem the element, input array_in), the
		// vectors and record.
		array := func(oid int64, name string, elem builtinType, arrayOID int64) {
			rows = append(rows, rowOf(oid, name, PgCatalogNamespaceOID, BootstrapRoleOID, -1, false,
				"b", "A", false, true, ",",
				0, 0, elem.t.OID(), arrayOID, ArrayInOID,
				0, 0, 0, 0, 0,
				0, elem.align, "x", false, 0,
				-1, 0, collationOf(elem.t), nil, nil,
				nil))
		}
		for _, b := range builtinTypes {
			if b.array != 0 {
				array(b.array, "_"+b.typname, b, 0)
			}
			switch b.t.Kind {
			case types.KindInt16:
				array(int64(types.OIDInt2Vector), "int2vector", b, 1006)
			case types.KindOid:
				array(int64(types.OIDOidVector), "oidvector", b, 1013)
			}
		}
		for _, ct := range catalogOnlyTypes {
			rows = append(rows, rowOf(ct.oid, ct.typname, PgCatalogNamespaceOID, BootstrapRoleOID, ct.length, ct.length > 0 && ct.length <= 8,
				ct.typtype, ct.category, false, true, ",",
				0, 0, ct.elem, ct.array, 0,
				0, 0, 0, 0, 0,
				0, "i", ct.storage, false, 0,
				-1, 0, ct.collation, nil, nil,
				nil))
		}
		rows = append(rows, rowOf(types.OIDRecord, "record", PgCatalogNamespaceOID, BootstrapRoleOID, -1, false,
			"p", "P", false, true, ",",
			0, 0, 0, 2287, 0,
			0, 0, 0, 0, 0,
			0, "d", "x", false, 0,
			-1, 0, 0, nil, nil,
			nil))
		return rows
	})

	defineSystemView(2610, pgCatalog, "pg_index", []string{
		"indexrelid oid", "indrelid oid", "indnatts int2", "indnkeyatts int2", "indisunique bool",
		"indnullsnotdistinct bool", "indisprimary bool", "indisexclusion bool", "indimmediate bool",
		"indisclustered bool", "indisvalid bool", "indcheckxmin bool", "indisready bool", "indislive bool",
		"indisreplident bool", "indkey int2vector", "indcollation oidvector", "indclass oidvector",
		"indoption int2vector", "indexprs pg_node_tree", "indpred pg_node_tree",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			for _, ix := range Indexes(r) {
				n := len(ix.Columns)
				keys, zeros, collations := make(types.Array, n), make(types.Array, n), make(types.Array, n)
				for i, k := range ix.Columns {
					keys[i] = int64(k + 1)
					zeros[i] = int64(0)
					collations[i] = int64(collationOf(r.Columns[k].Type))
				}
				rows = append(rows, rowOf(ix.OID, r.ID, n, n, true,
					ix.NullsNotDistinct, ix.Primary, false, true,
					false, true, false, true, true,
					false, keys, collations, zeros,
					zeros, nil, nil))
			}
		}
		return rows
	})

	defineSystemView(2606, pgCatalog, "pg_constraint", []string{
		"oid oid", "conname name", "connamespace oid", "contype char", "condeferrable bool",
		"condeferred bool", "convalidated bool", "conrelid oid", "contypid oid", "conindid oid",
		"conparentid oid", "confrelid oid", "confupdtype char", "confdeltype char", "confmatchtype char",
		"conislocal bool", "coninhcount int4", "connoinherit bool", "conkey int2[]", "confkey int2[]",
		"conpfeqop oid[]", "conppeqop oid[]", "conffeqop oid[]", "confdelsetcols int2[]", "conexclop oid[]",
		"conbin pg_node_tree",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			for _, ix := range Indexes(r) {
				keys := make(types.Array, len(ix.Columns))
				for i, k := range ix.Columns {
					keys[i] = int64(k + 1)
				}
				contype := "u"
				if ix.Primary {
					contype = "p"
				}
				rows = append(rows, rowOf(ix.ConstraintOID, ix.Name, v.schemaOID(r.Schema), contype, false,
					false, true, r.ID, 0, ix.OID,
					0, 0, " ", " ", " ",
					true, 0, true, keys, nil,
					nil, nil, nil, nil, nil,
					nil))
			}
		}
		return rows
	})

	defineSystemView(2604, pgCatalog, "pg_attrdef", []string{
		"oid oid", "adrelid oid", "adnum int2", "adbin pg_node_tree",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			for i, c := range r.Columns {
				if c.Default != "" && !c.Hidden {
					rows = append(rows, rowOf(AttrDefOID(r.ID, i+1), r.ID, i+1, c.Default))
				}
			}
		}
		return rows
	})

	defineSystemView(1262, pgCatalog, "pg_database", []string{
		"oid oid", "datname name", "datdba oid", "encoding int4", "datlocprovider char", "datistemplate bool",
		"datallowconn bool", "datconnlimit int4", "datfrozenxid xid", "datminmxid xid", "dattablespace oid",
		"datcollate text", "datctype text", "daticulocale text", "datcollversion text", "datacl aclitem[]",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{rowOf(DatabaseOID, "eddy", BootstrapRoleOID, 6, "c", false,
			true, -1, 0, 0, DefaultTablespaceOID,
			"C", "C", nil, nil, nil)}
	})

	defineSystemView(12001, pgCatalog, "pg_roles", []string{
		"rolname name", "rolsuper bool", "rolinherit bool", "rolcreaterole bool", "rolcreatedb bool",
		"rolcanlogin bool", "rolreplication bool", "rolconnlimit int4", "rolpassword text",
		"rolvaliduntil timestamptz", "rolbypassrls bool", "rolconfig text[]", "oid oid",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{rowOf(v.user(), true, true, true, true,
			true, false, -1, "********",
			nil, true, nil, BootstrapRoleOID)}
	})

	defineSystemView(12002, pgCatalog, "pg_user", []string{
		"usename name", "usesysid oid", "usecreatedb bool", "usesuper bool", "userepl bool",
		"usebypassrls bool", "passwd text", "valuntil timestamptz", "useconfig text[]",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{rowOf(v.user(), BootstrapRoleOID, true, true, false,
			true, "********", nil, nil)}
	})

	defineSystemView(12003, pgCatalog, "pg_settings", []string{
		"name text", "setting text", "unit text", "category text", "short_desc text", "extra_desc text",
		"context text", "vartype text", "source text", "min_val text", "max_val text", "enumvals text[]",
		"boot_val text", "reset_val text", "sourcefile text", "sourceline int4", "pending_restart bool",
	}, func(v *systemContext) [][]types.Datum {
		lister, ok := v.session.(SettingLister)
		if !ok {
			return nil
		}
		var rows [][]types.Datum
		for _, name := range lister.SettingNames() {
			value, _ := v.session.Setting(name)
			rows = append(rows, rowOf(name, value, nil, "Eddy", "", nil,
				"user", "string", "default", nil, nil, nil,
				value, value, nil, nil, false))
		}
		return rows
	})

	defineSystemView(12030, pgCatalog, "pg_cursors", []string{
		"name text", "statement text", "is_holdable bool", "is_binary bool",
		"is_scrollable bool", "creation_time timestamptz",
	}, func(v *systemContext) [][]types.Datum {
		lister, ok := v.session.(CursorLister)
		if !ok {
			return nil
		}
		var rows [][]types.Datum
		for _, c := range lister.Cursors() {
			rows = append(rows, rowOf(c.Name, c.Statement, c.Holdable, c.Binary, c.Scrollable, c.Created))
		}
		return rows
	})

	defineSystemView(2396, pgCatalog, "pg_shdescription", []string{
		"objoid oid", "classoid oid", "description text",
	}, empty)

	defineSystemView(12004, pgCatalog, "pg_matviews", []string{
		"schemaname name", "matviewname name", "matviewowner name", "tablespace name",
		"hasindexes bool", "ispopulated bool", "definition text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindMaterializedView) {
			rows = append(rows, rowOf(r.Schema, r.Name, v.user(), nil, false, true, ViewDefinition(v.cat, r, SearchPath(v.session))))
		}
		return rows
	})

	defineSystemView(12005, pgCatalog, "pg_views", []string{
		"schemaname name", "viewname name", "viewowner name", "definition text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindView) {
			rows = append(rows, rowOf(r.Schema, r.Name, v.user(), ViewDefinition(v.cat, r, SearchPath(v.session))))
		}
		for _, r := range SystemViews() {
			rows = append(rows, rowOf(r.Schema, r.Name, v.user(), nil))
		}
		return rows
	})

	defineSystemView(12006, pgCatalog, "pg_tables", []string{
		"schemaname name", "tablename name", "tableowner name", "tablespace name",
		"hasindexes bool", "hasrules bool", "hastriggers bool", "rowsecurity bool",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindTable) {
			rows = append(rows, rowOf(r.Schema, r.Name, v.user(), nil, len(Indexes(r)) > 0, false, false, false))
		}
		return rows
	})

	defineSystemView(2601, pgCatalog, "pg_am", []string{
		"oid oid", "amname name", "amhandler regproc", "amtype char",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{
			rowOf(HeapAMOID, "heap", 3, "t"),
			rowOf(BtreeAMOID, "btree", 330, "i"),
		}
	})

	defineSystemView(3456, pgCatalog, "pg_collation", []string{
		"oid oid", "collname name", "collnamespace oid", "collowner oid", "collprovider char",
		"collisdeterministic bool", "collencoding int4", "collcollate text", "collctype text",
		"colliculocale text", "collversion text",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{
			rowOf(DefaultCollationOID, "default", PgCatalogNamespaceOID, BootstrapRoleOID, "d", true, -1, nil, nil, nil, nil),
			rowOf(950, "C", PgCatalogNamespaceOID, BootstrapRoleOID, "c", true, -1, "C", "C", nil, nil),
			rowOf(951, "POSIX", PgCatalogNamespaceOID, BootstrapRoleOID, "c", true, -1, "POSIX", "POSIX", nil, nil),
		}
	})

	defineSystemView(1213, pgCatalog, "pg_tablespace", []string{
		"oid oid", "spcname name", "spcowner oid", "spcacl aclitem[]", "spcoptions text[]",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{
			rowOf(DefaultTablespaceOID, "pg_default", BootstrapRoleOID, nil, nil),
			rowOf(1664, "pg_global", BootstrapRoleOID, nil, nil),
		}
	})

	defineSystemView(1255, pgCatalog, "pg_proc", []string{
		"oid oid", "proname name", "pronamespace oid", "proowner oid", "prolang oid", "procost float4",
		"prorows float4", "provariadic oid", "prosupport regproc", "prokind char", "prosecdef bool",
		"proleakproof bool", "proisstrict bool", "proretset bool", "provolatile char", "proparallel char",
		"pronargs int2", "pronargdefaults int2", "prorettype oid", "proargtypes oidvector",
		"proallargtypes oid[]", "proargmodes char[]", "proargnames text[]", "proargdefaults pg_node_tree",
		"protrftypes oid[]", "prosrc text", "probin text", "prosqlbody pg_node_tree", "proconfig text[]",
		"proacl aclitem[]",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, f := range builtinFunctions {
			args := make(types.Array, len(f.args))
			for i, a := range f.args {
				args[i] = int64(a)
			}
			rows = append(rows, rowOf(f.oid, f.name, PgCatalogNamespaceOID, BootstrapRoleOID, 12, float32(1),
				float32(0), 0, 0, f.kind, false,
				false, f.strict, false, "i", "s",
				len(f.args), 0, f.ret, args,
				nil, nil, nil, nil,
				nil, f.name, nil, nil, nil,
				nil))
		}
		return rows
	})

	// Statistics: Eddy counts no scans or tuples, so every counter is 0
	// (Metabase reads n_live_tup as a row estimate).
	defineSystemView(12007, pgCatalog, "pg_stat_user_tables", []string{
		"relid oid", "schemaname name", "relname name", "seq_scan int8", "seq_tup_read int8", "idx_scan int8",
		"idx_tup_fetch int8", "n_tup_ins int8", "n_tup_upd int8", "n_tup_del int8", "n_tup_hot_upd int8",
		"n_live_tup int8", "n_dead_tup int8", "n_mod_since_analyze int8", "n_ins_since_vacuum int8",
		"last_vacuum timestamptz", "last_autovacuum timestamptz", "last_analyze timestamptz",
		"last_autoanalyze timestamptz", "vacuum_count int8", "autovacuum_count int8", "analyze_count int8",
		"autoanalyze_count int8",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindTable, KindMaterializedView) {
			var idx any
			if len(Indexes(r)) > 0 {
				idx = 0
			}
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, 0, 0, idx,
				idx, 0, 0, 0, 0,
				0, 0, 0, 0,
				nil, nil, nil,
				nil, 0, 0, 0,
				0))
		}
		return rows
	})

	// The languages functions are written in: Eddy's are all built in.
	defineSystemView(2612, pgCatalog, "pg_language", []string{
		"oid oid", "lanname name", "lanowner oid", "lanispl bool", "lanpltrusted bool",
		"lanplcallfoid oid", "laninline oid", "lanvalidator oid", "lanacl aclitem[]",
	}, func(v *systemContext) [][]types.Datum {
		return [][]types.Datum{
			rowOf(12, "internal", BootstrapRoleOID, false, false, 0, 0, 2246, nil),
			rowOf(13, "c", BootstrapRoleOID, false, false, 0, 0, 2247, nil),
			rowOf(14, "sql", BootstrapRoleOID, false, true, 0, 0, 2248, nil),
		}
	})

	// Catalogs of features Eddy does not have: always empty.
	defineSystemView(1261, pgCatalog, "pg_auth_members", []string{
		"roleid oid", "member oid", "grantor oid", "admin_option bool",
	}, empty)
	defineSystemView(2617, pgCatalog, "pg_operator", []string{
		"oid oid", "oprname name", "oprnamespace oid", "oprowner oid", "oprkind char", "oprcanmerge bool",
		"oprcanhash bool", "oprleft oid", "oprright oid", "oprresult oid", "oprcom oid", "oprnegate oid",
		"oprcode regproc", "oprrest regproc", "oprjoin regproc",
	}, empty)
	defineSystemView(3466, pgCatalog, "pg_event_trigger", []string{
		"oid oid", "evtname name", "evtevent name", "evtowner oid", "evtfoid oid", "evtenabled char",
		"evttags text[]",
	}, empty)
	defineSystemView(2607, pgCatalog, "pg_conversion", []string{
		"oid oid", "conname name", "connamespace oid", "conowner oid", "conforencoding int4",
		"contoencoding int4", "conproc regproc", "condefault bool",
	}, empty)
	defineSystemView(2328, pgCatalog, "pg_foreign_data_wrapper", []string{
		"oid oid", "fdwname name", "fdwowner oid", "fdwhandler oid", "fdwvalidator oid",
		"fdwacl aclitem[]", "fdwoptions text[]",
	}, empty)
	defineSystemView(2611, pgCatalog, "pg_inherits", []string{
		"inhrelid oid", "inhparent oid", "inhseqno int4", "inhdetachpending bool",
	}, empty)
	defineSystemView(3079, pgCatalog, "pg_extension", []string{
		"oid oid", "extname name", "extowner oid", "extnamespace oid", "extrelocatable bool",
		"extversion text", "extconfig oid[]", "extcondition text[]",
	}, empty)
	defineSystemView(3501, pgCatalog, "pg_enum", []string{
		"oid oid", "enumtypid oid", "enumsortorder float4", "enumlabel name",
	}, empty)
	defineSystemView(3541, pgCatalog, "pg_range", []string{
		"rngtypid oid", "rngsubtype oid", "rngmultitypid oid", "rngcollation oid", "rngsubopc oid",
		"rngcanonical regproc", "rngsubdiff regproc",
	}, empty)
	defineSystemView(2620, pgCatalog, "pg_trigger", []string{
		"oid oid", "tgrelid oid", "tgparentid oid", "tgname name", "tgfoid oid", "tgtype int2",
		"tgenabled char", "tgisinternal bool", "tgconstrrelid oid", "tgconstrindid oid", "tgconstraint oid",
		"tgdeferrable bool", "tginitdeferred bool", "tgnargs int2", "tgattr int2vector", "tgargs bytea",
		"tgqual pg_node_tree", "tgoldtable name", "tgnewtable name",
	}, empty)
	defineSystemView(2618, pgCatalog, "pg_rewrite", []string{
		"oid oid", "rulename name", "ev_class oid", "ev_type char", "ev_enabled char", "is_instead bool",
		"ev_qual pg_node_tree", "ev_action pg_node_tree",
	}, empty)
	defineSystemView(3256, pgCatalog, "pg_policy", []string{
		"oid oid", "polname name", "polrelid oid", "polcmd char", "polpermissive bool", "polroles oid[]",
		"polqual pg_node_tree", "polwithcheck pg_node_tree",
	}, empty)
	defineSystemView(3381, pgCatalog, "pg_statistic_ext", []string{
		"oid oid", "stxrelid oid", "stxname name", "stxnamespace oid", "stxowner oid",
		"stxstattarget int4", "stxkeys int2vector", "stxkind char[]", "stxexprs pg_node_tree",
	}, empty)
	defineSystemView(6104, pgCatalog, "pg_publication", []string{
		"oid oid", "pubname name", "pubowner oid", "puballtables bool", "pubinsert bool",
		"pubupdate bool", "pubdelete bool", "pubtruncate bool", "pubviaroot bool",
	}, empty)
	defineSystemView(6237, pgCatalog, "pg_publication_namespace", []string{
		"oid oid", "pnpubid oid", "pnnspid oid",
	}, empty)
	defineSystemView(6106, pgCatalog, "pg_publication_rel", []string{
		"oid oid", "prpubid oid", "prrelid oid", "prqual pg_node_tree", "prattrs int2vector",
	}, empty)
	defineSystemView(3350, pgCatalog, "pg_partitioned_table", []string{
		"partrelid oid", "partstrat char", "partnatts int2", "partdefid oid", "partattrs int2vector",
		"partclass oidvector", "partcollation oidvector", "partexprs pg_node_tree",
	}, empty)
	defineSystemView(2224, pgCatalog, "pg_sequence", []string{
		"seqrelid oid", "seqtypid oid", "seqstart int8", "seqincrement int8", "seqmax int8",
		"seqmin int8", "seqcache int8", "seqcycle bool",
	}, sequenceCatalogRows)
	defineSystemView(2608, pgCatalog, "pg_depend", []string{
		"classid oid", "objid oid", "objsubid int4", "refclassid oid", "refobjid oid",
		"refobjsubid int4", "deptype char",
	}, empty)
	defineSystemView(1417, pgCatalog, "pg_foreign_server", []string{
		"oid oid", "srvname name", "srvowner oid", "srvfdw oid", "srvtype text", "srvversion text",
		"srvacl aclitem[]", "srvoptions text[]",
	}, empty)
}

func empty(*systemContext) [][]types.Datum { return nil }

// replicaIdentity is pg_class.relreplident: default, nothing for the
// catalogs.
func replicaIdentity(r *Relation) string {
	if IsCatalogTable(r) {
		return "n"
	}
	return "d"
}

func builtinTypeOf(t types.T) (builtinType, bool) {
	for _, b := range builtinTypes {
		if b.t.Kind == t.Kind {
			return b, true
		}
	}
	return builtinType{}, false
}

func isKeyColumn(r *Relation, i int) bool {
	if !r.UserPrimaryKey {
		return false
	}
	for _, k := range r.Key {
		if k == i {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
