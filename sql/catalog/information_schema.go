package catalog

import (
	"github.com/eddy-db/eddy/sql/types"
)

// information_schema: the SQL standard's views as PostgreSQL 15 defines
// them, for the tools that introspect through them. Materialized views are
// listed as views (PostgreSQL leaves them out of information_schema; in a
// streaming database they are the main objects, and BI tools that browse
// information_schema must see them). System views are listed too, under
// their own schemas, as in PostgreSQL.

const informationSchema = "information_schema"

func init() {
	defineSystemView(13001, informationSchema, "tables", []string{
		"table_catalog sql_identifier", "table_schema sql_identifier", "table_name sql_identifier",
		"table_type character_data", "self_referencing_column_name sql_identifier",
		"reference_generation character_data", "user_defined_type_catalog sql_identifier",
		"user_defined_type_schema sql_identifier", "user_defined_type_name sql_identifier",
		"is_insertable_into yes_or_no", "is_typed yes_or_no", "commit_action character_data",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.allRelations() {
			tableType := "VIEW"
			switch {
			case r.Kind == KindTable || IsCatalogTable(r):
				tableType = "BASE TABLE"
			case r.Kind == KindSource:
				tableType = "FOREIGN"
			}
			rows = append(rows, rowOf(v.database(), r.Schema, r.Name, tableType, nil,
				nil, nil, nil, nil,
				boolText(r.Kind == KindTable), "NO", nil))
		}
		return rows
	})

	defineSystemView(13002, informationSchema, "columns", []string{
		"table_catalog sql_identifier", "table_schema sql_identifier", "table_name sql_identifier",
		"column_name sql_identifier", "ordinal_position cardinal_number", "column_default character_data",
		"is_nullable yes_or_no", "data_type character_data", "character_maximum_length cardinal_number",
		"character_octet_length cardinal_number", "numeric_precision cardinal_number",
		"numeric_precision_radix cardinal_number", "numeric_scale cardinal_number",
		"datetime_precision cardinal_number", "interval_type character_data",
		"interval_precision cardinal_number", "character_set_catalog sql_identifier",
		"character_set_schema sql_identifier", "character_set_name sql_identifier",
		"collation_catalog sql_identifier", "collation_schema sql_identifier", "collation_name sql_identifier",
		"domain_catalog sql_identifier", "domain_schema sql_identifier", "domain_name sql_identifier",
		"udt_catalog sql_identifier", "udt_schema sql_identifier", "udt_name sql_identifier",
		"scope_catalog sql_identifier", "scope_schema sql_identifier", "scope_name sql_identifier",
		"maximum_cardinality cardinal_number", "dtd_identifier sql_identifier",
		"is_self_referencing yes_or_no", "is_identity yes_or_no", "identity_generation character_data",
		"identity_start character_data", "identity_increment character_data",
		"identity_maximum character_data", "identity_minimum character_data", "identity_cycle yes_or_no",
		"is_generated character_data", "generation_expression character_data", "is_updatable yes_or_no",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.allRelations() {
			position := 0
			for i, c := range r.Columns {
				if c.Hidden {
					continue
				}
				position++
				var def any
				if c.Default != "" {
					def = c.Default
				}
				charMax, charOctet, numPrecision, numRadix, numScale, dtPrecision := columnSizes(c.Type)
				id := v.identityColumn(c)
				rows = append(rows, rowOf(v.database(), r.Schema, r.Name,
					c.Name, position, def,
					boolText(!(c.NotNull || isKeyColumn(r, i))), dataTypeName(c.Type), charMax,
					charOctet, numPrecision,
					numRadix, numScale,
					dtPrecision, nil,
					nil, nil,
					nil, nil,
					nil, nil, nil,
					nil, nil, nil,
					v.database(), pgCatalog, TypeName(c.Type.OID()),
					nil, nil, nil,
					nil, itoa(position),
					"NO", id.is, id.generation,
					id.start, id.increment,
					id.max, id.min, id.cycle,
					"NEVER", nil, boolText(r.Kind == KindTable)))
			}
		}
		return rows
	})

	defineSystemView(13003, informationSchema, "views", []string{
		"table_catalog sql_identifier", "table_schema sql_identifier", "table_name sql_identifier",
		"view_definition character_data", "check_option character_data", "is_updatable yes_or_no",
		"is_insertable_into yes_or_no", "is_trigger_updatable yes_or_no",
		"is_trigger_deletable yes_or_no", "is_trigger_insertable_into yes_or_no",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindView, KindMaterializedView) {
			rows = append(rows, rowOf(v.database(), r.Schema, r.Name, ViewDefinition(v.cat, r, SearchPath(v.session)), "NONE", "NO", "NO", "NO", "NO", "NO"))
		}
		return rows
	})

	defineSystemView(13004, informationSchema, "schemata", []string{
		"catalog_name sql_identifier", "schema_name sql_identifier", "schema_owner sql_identifier",
		"default_character_set_catalog sql_identifier", "default_character_set_schema sql_identifier",
		"default_character_set_name sql_identifier", "sql_path character_data",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range namespaceRows(v) {
			rows = append(rows, rowOf(v.database(), r, v.user(), nil, nil, nil, nil))
		}
		return rows
	})

	defineSystemView(13005, informationSchema, "table_constraints", []string{
		"constraint_catalog sql_identifier", "constraint_schema sql_identifier",
		"constraint_name sql_identifier", "table_catalog sql_identifier", "table_schema sql_identifier",
		"table_name sql_identifier", "constraint_type character_data", "is_deferrable yes_or_no",
		"initially_deferred yes_or_no", "enforced yes_or_no", "nulls_distinct yes_or_no",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			for _, ix := range Indexes(r) {
				kind, nullsDistinct := "PRIMARY KEY", any(nil)
				if !ix.Primary {
					kind, nullsDistinct = "UNIQUE", boolText(!ix.NullsNotDistinct)
				}
				rows = append(rows, rowOf(v.database(), r.Schema, ix.Name, v.database(), r.Schema,
					r.Name, kind, "NO", "NO", "YES", nullsDistinct))
			}
		}
		return rows
	})

	defineSystemView(13006, informationSchema, "key_column_usage", []string{
		"constraint_catalog sql_identifier", "constraint_schema sql_identifier",
		"constraint_name sql_identifier", "table_catalog sql_identifier", "table_schema sql_identifier",
		"table_name sql_identifier", "column_name sql_identifier", "ordinal_position cardinal_number",
		"position_in_unique_constraint cardinal_number",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			for _, ix := range Indexes(r) {
				for i, k := range ix.Columns {
					rows = append(rows, rowOf(v.database(), r.Schema, ix.Name, v.database(), r.Schema,
						r.Name, r.Columns[k].Name, i+1, nil))
				}
			}
		}
		return rows
	})

	defineSystemView(13007, informationSchema, "routines", []string{
		"specific_catalog sql_identifier", "specific_schema sql_identifier", "specific_name sql_identifier",
		"routine_catalog sql_identifier", "routine_schema sql_identifier", "routine_name sql_identifier",
		"routine_type character_data", "data_type character_data", "type_udt_name sql_identifier",
		"routine_body character_data", "routine_definition character_data", "external_language character_data",
		"is_deterministic yes_or_no", "security_type character_data",
	}, empty)

	defineSystemView(13008, informationSchema, "referential_constraints", []string{
		"constraint_catalog sql_identifier", "constraint_schema sql_identifier",
		"constraint_name sql_identifier", "unique_constraint_catalog sql_identifier",
		"unique_constraint_schema sql_identifier", "unique_constraint_name sql_identifier",
		"match_option character_data", "update_rule character_data", "delete_rule character_data",
	}, empty)
}

// namespaceRows are the schema names, sorted.
func namespaceRows(v *systemContext) []string {
	var names []string
	for n := range v.cat.Schemas() {
		names = append(names, n)
	}
	sortStrings(names)
	return names
}

// dataTypeName is information_schema's data_type: the SQL standard name
// without modifiers.
func dataTypeName(t types.T) string {
	switch t.Kind {
	case types.KindQChar:
		return `"char"`
	case types.KindName:
		return "name"
	}
	return types.T{Kind: t.Kind}.String()
}

// columnSizes are information_schema.columns' size columns for t:
// character_maximum_length, character_octet_length, numeric_precision,
// numeric_precision_radix, numeric_scale, datetime_precision.
func columnSizes(t types.T) (charMax, charOctet, numPrecision, numRadix, numScale, dtPrecision any) {
	switch t.Kind {
	case types.KindVarchar, types.KindChar:
		if t.Width > 0 {
			charMax, charOctet = int(t.Width), int(t.Width)*4
		} else {
			charOctet = 1073741824
		}
	case types.KindText:
		charOctet = 1073741824
	case types.KindInt16:
		numPrecision, numRadix, numScale = 16, 2, 0
	case types.KindInt32:
		numPrecision, numRadix, numScale = 32, 2, 0
	case types.KindInt64:
		numPrecision, numRadix, numScale = 64, 2, 0
	case types.KindFloat32:
		numPrecision, numRadix = 24, 2
	case types.KindFloat64:
		numPrecision, numRadix = 53, 2
	case types.KindNumeric:
		numRadix = 10
		if t.Precision > 0 {
			numPrecision, numScale = int(t.Precision), int(t.Scale)
		}
	case types.KindDate:
		dtPrecision = 0
	case types.KindTimestamp, types.KindTimestampTZ, types.KindInterval:
		dtPrecision = 6
	}
	return
}
