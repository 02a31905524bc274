package expr

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The functions introspection queries call (psql's \d, drivers' metadata,
// BI tools' schema sync), and the catalog-aware casts of the reg* types:
// text to regclass looks the name up, regclass to text prints the name.
// They read the catalog through the session (CatalogOf), so they are never
// folded at plan time.

// CatalogSession is implemented by a SessionInfo that can give the catalog
// its statements run against.
type CatalogSession interface {
	Catalog() *catalog.Catalog
}

// CatalogOf is the catalog the evaluation context's session reads, or an
// empty one.
func CatalogOf(ctx *Context) *catalog.Catalog {
	if ctx != nil {
		if cs, ok := ctx.Session.(CatalogSession); ok {
			if c := cs.Catalog(); c != nil {
				return c
			}
		}
	}
	return emptyCatalog
}

var emptyCatalog = catalog.New()

// searchPath is the session's search_path as schema names.
func searchPath(ctx *Context) []string {
	if ctx == nil || ctx.Session == nil {
		return catalog.SearchPath(nil)
	}
	return catalog.SearchPath(ctx.Session)
}

// catalogFunc builds a function whose result depends on the catalog or
// session: never constant-folded.
func catalogFunc(name string, args []Expr, params []types.T, ret types.T, strict bool, fn rowFunc) (Expr, error) {
	e, err := call(name, args, params, ret, fn)
	if err != nil {
		return nil, err
	}
	r := e.(*rowExpr)
	r.volatile = true
	r.strict = strict
	return r, nil
}

// catalogOverloads resolves the first parameter list the arguments fit.
func catalogOverloads(name string, ret types.T, strict bool, fn rowFunc, lists ...[]types.T) overloadList {
	o := overload{bind: func(args []Expr) (Expr, error) {
		for _, params := range lists {
			if len(params) == len(args) {
				if e, err := catalogFunc(name, args, params, ret, strict, fn); err != errNoMatch {
					return e, err
				}
			}
		}
		return nil, errNoMatch
	}}
	for _, params := range lists {
		o.sigs = append(o.sigs, typed(params, ret, nil)[0].sigs...)
	}
	return overloadList{o}
}

// anyArgs resolves a function that accepts any arguments (count in
// [min, max]); Unknown literals are taken as text.
func anyArgs(name string, min, max int, ret types.T, strict bool, fn rowFunc) overloadList {
	var sigs []string
	for n := min; n <= max; n++ {
		sigs = append(sigs, "("+strings.Join(slices.Repeat([]string{"any"}, n), ", ")+") "+ret.String())
	}
	return custom(func(args []Expr) (Expr, error) {
		if len(args) < min || len(args) > max {
			return nil, errNoMatch
		}
		coerced := make([]Expr, len(args))
		for i, a := range args {
			if a.Type().Kind == types.KindUnknown {
				c, err := Coerce(a, types.Text)
				if err != nil {
					return nil, err
				}
				a = c
			}
			coerced[i] = a
		}
		return &rowExpr{name: name, args: coerced, t: ret, strict: strict, volatile: true, fn: fn}, nil
	}, sigs...)
}

func constant(d types.Datum) rowFunc {
	return func(*Context, []types.Datum) (types.Datum, error) { return d, nil }
}

var regtype = types.T{Kind: types.KindRegtype}

func init() {
	register(catalogOverloads("pg_table_is_visible", types.Bool, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		return relationVisible(ctx, a[0].(int64)), nil
	}, []types.T{types.Oid}), "pg_table_is_visible")
	register(catalogOverloads("pg_type_is_visible", types.Bool, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		_, ok := types.FromOID(uint32(a[0].(int64)))
		return ok, nil
	}, []types.T{types.Oid}), "pg_type_is_visible")
	for _, name := range []string{"pg_function_is_visible", "pg_operator_is_visible", "pg_conversion_is_visible",
		"pg_collation_is_visible", "pg_opclass_is_visible", "pg_opfamily_is_visible", "pg_statistics_obj_is_visible"} {
		register(catalogOverloads(name, types.Bool, true, constant(true), []types.T{types.Oid}), name)
	}
	register(catalogOverloads("format_type", types.Text, false, func(_ *Context, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, nil
		}
		typmod := int64(-1)
		if a[1] != nil {
			typmod = a[1].(int64)
		}
		return formatType(a[0].(int64), typmod), nil
	}, []types.T{types.Oid, types.Int32}), "format_type")
	register(catalogOverloads("pg_get_expr", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return a[0], nil // Eddy keeps expressions as their SQL text
	}, []types.T{types.Text, types.Oid}, []types.T{types.Text, types.Oid, types.Bool}), "pg_get_expr")
	register(custom(func(args []Expr) (Expr, error) {
		fn := func(ctx *Context, a []types.Datum) (types.Datum, error) {
			var r *catalog.Relation
			var ok bool
			switch x := a[0].(type) {
			case int64:
				r, ok = CatalogOf(ctx).ByID(uint32(x))
			case string:
				var oid int64
				if oid, ok = lookupRelation(ctx, x); ok {
					r, ok = CatalogOf(ctx).ByID(uint32(oid))
				}
			}
			if !ok || (r.Kind != catalog.KindView && r.Kind != catalog.KindMaterializedView) {
				return nil, nil
			}
			return catalog.ViewDefinition(CatalogOf(ctx), r, searchPath(ctx)), nil
		}
		if len(args) > 0 && (args[0].Type().IsString() || args[0].Type().Kind == types.KindUnknown) && args[0].Type().Kind != types.KindUnknown {
			return catalogOverloads("pg_get_viewdef", types.Text, true, fn, []types.T{types.Text}, []types.T{types.Text, types.Bool}).resolve(args)
		}
		return catalogOverloads("pg_get_viewdef", types.Text, true, fn, []types.T{types.Oid}, []types.T{types.Oid, types.Bool}, []types.T{types.Oid, types.Int32}).resolve(args)
	}, "(text) text", "(text, boolean) text", "(oid) text", "(oid, boolean) text", "(oid, integer) text"), "pg_get_viewdef")
	register(catalogOverloads("pg_get_indexdef", types.Text, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		ix, ok := CatalogOf(ctx).IndexByOID(a[0].(int64))
		if !ok {
			return nil, nil
		}
		r := ix.Table
		if len(a) > 1 && a[1].(int64) > 0 {
			k := int(a[1].(int64)) - 1
			if k >= len(ix.Columns) {
				return "", nil
			}
			return quoteIdent(r.Columns[ix.Columns[k]].Name), nil
		}
		def := fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s.%s USING btree (%s)", quoteIdent(ix.Name),
			quoteIdent(r.Schema), quoteIdent(r.Name), indexColumnList(ix))
		if ix.NullsNotDistinct {
			def += " NULLS NOT DISTINCT"
		}
		return def, nil
	}, []types.T{types.Oid}, []types.T{types.Oid, types.Int32, types.Bool}), "pg_get_indexdef")
	register(catalogOverloads("pg_get_constraintdef", types.Text, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		ix, ok := CatalogOf(ctx).IndexByConstraintOID(a[0].(int64))
		switch {
		case !ok:
			return nil, nil
		case ix.Primary:
			return "PRIMARY KEY (" + indexColumnList(ix) + ")", nil
		case ix.NullsNotDistinct:
			return "UNIQUE NULLS NOT DISTINCT (" + indexColumnList(ix) + ")", nil
		}
		return "UNIQUE (" + indexColumnList(ix) + ")", nil
	}, []types.T{types.Oid}, []types.T{types.Oid, types.Bool}), "pg_get_constraintdef")
	register(catalogOverloads("pg_get_function_result", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		ret, _, ok := catalog.FunctionSignature(a[0].(int64))
		if !ok {
			return nil, nil
		}
		return formatType(int64(ret), -1), nil
	}, []types.T{types.Oid}), "pg_get_function_result")
	register(catalogOverloads("pg_get_function_arguments", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		_, args, ok := catalog.FunctionSignature(a[0].(int64))
		if !ok {
			return nil, nil
		}
		names := make([]string, len(args))
		for i, t := range args {
			names[i] = formatType(int64(t), -1)
		}
		return strings.Join(names, ", "), nil
	}, []types.T{types.Oid}), "pg_get_function_arguments", "pg_get_function_identity_arguments")
	register(catalogOverloads("pg_get_userbyid", types.Name, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		if a[0].(int64) == catalog.BootstrapRoleOID {
			if ctx != nil && ctx.Session != nil {
				return ctx.Session.CurrentUser(), nil
			}
			return "eddy", nil
		}
		return fmt.Sprintf("unknown (OID=%d)", a[0].(int64)), nil
	}, []types.T{types.Oid}), "pg_get_userbyid")
	register(anyArgs("shobj_description", 2, 2, types.Text, false, constant(nil)), "shobj_description")
	register(anyArgs("pg_get_partkeydef", 1, 1, types.Text, false, constant(nil)), "pg_get_partkeydef")
	register(anyArgs("pg_get_statisticsobjdef_columns", 1, 1, types.Text, false, constant(nil)), "pg_get_statisticsobjdef_columns")
	register(anyArgs("pg_get_ruledef", 1, 2, types.Text, false, constant(nil)), "pg_get_ruledef")
	register(anyArgs("pg_get_triggerdef", 1, 2, types.Text, false, constant(nil)), "pg_get_triggerdef")
	register(anyArgs("pg_relation_is_publishable", 1, 1, types.Bool, true, constant(false)), "pg_relation_is_publishable")
	register(anyArgs("pg_tablespace_location", 1, 1, types.Text, true, constant("")), "pg_tablespace_location")
	for _, name := range []string{"has_table_privilege", "has_schema_privilege", "has_database_privilege",
		"has_column_privilege", "has_any_column_privilege", "has_function_privilege", "has_sequence_privilege"} {
		register(anyArgs(name, 2, 4, types.Bool, true, constant(true)), name)
	}
	register(anyArgs("pg_is_in_recovery", 0, 0, types.Bool, true, constant(false)), "pg_is_in_recovery")
	register(anyArgs("pg_is_other_temp_schema", 1, 1, types.Bool, true, constant(false)), "pg_is_other_temp_schema")
	register(catalogOverloads("pg_encoding_to_char", types.Name, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		if a[0].(int64) == 6 {
			return "UTF8", nil
		}
		return "", nil
	}, []types.T{types.Int32}), "pg_encoding_to_char")
	register(catalogOverloads("pg_size_pretty", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return sizePretty(a[0].(int64)), nil
	}, []types.T{types.Int64}), "pg_size_pretty")
	// The array overload goes first: a text-typed argument is no array.
	register(overloads(custom(resolveArrayToString, "(anyarray, text) text", "(anyarray, text, text) text"), catalogOverloads("array_to_string", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return arrayToString(a[0].(string), a[1].(string)), nil
	}, []types.T{types.Text, types.Text})), "array_to_string")
	register(catalogOverloads("current_schemas", types.ArrayOf(types.Name), true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		names := types.Array{}
		if a[0].(bool) {
			names = append(names, "pg_catalog")
		}
		cat := CatalogOf(ctx)
		for _, s := range searchPath(ctx) {
			if _, ok := cat.SchemaExists(s); ok {
				names = append(names, s)
			}
		}
		return names, nil
	}, []types.T{types.Bool}), "current_schemas")
	register(catalogOverloads("quote_ident", types.Text, true, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return quoteIdent(a[0].(string)), nil
	}, []types.T{types.Text}), "quote_ident")
}

// relationVisible is pg_table_is_visible: the relation's schema is on the
// search path (pg_catalog always is) and no earlier schema there has a
// relation of the same name.
func relationVisible(ctx *Context, oid int64) bool {
	cat := CatalogOf(ctx)
	var schema, name string
	if r, ok := cat.ByID(uint32(oid)); ok && oid <= 1<<32-1 && r.Kind != catalog.KindSchema {
		schema, name = r.Schema, r.Name
	} else if ix, ok := cat.IndexByOID(oid); ok {
		schema, name = ix.Table.Schema, ix.Name
	} else {
		return false
	}
	if schema == "pg_catalog" {
		return true
	}
	path := searchPath(ctx)
	for _, s := range path {
		if s == schema {
			return true
		}
		if r, ok := cat.Lookup(s, name, nil); ok && r.Kind != catalog.KindSchema {
			return false
		}
	}
	return false
}

// lookupRelation is regclass's input: a possibly qualified, possibly
// quoted name, or a number.
func lookupRelation(ctx *Context, s string) (int64, bool) {
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return n, true
	}
	parts := splitQualifiedName(s)
	cat := CatalogOf(ctx)
	switch len(parts) {
	case 1:
		if r, ok := cat.Lookup("", parts[0], searchPath(ctx)); ok {
			return int64(r.ID), true
		}
		for _, schema := range searchPath(ctx) {
			if ix, ok := cat.IndexByName(schema, parts[0]); ok {
				return ix.OID, true
			}
		}
	case 2, 3:
		if r, ok := cat.Lookup(parts[len(parts)-2], parts[len(parts)-1], nil); ok {
			return int64(r.ID), true
		}
		if ix, ok := cat.IndexByName(parts[len(parts)-2], parts[len(parts)-1]); ok {
			return ix.OID, true
		}
	}
	return 0, false
}

// splitQualifiedName splits a.b.c with SQL identifier rules: unquoted
// parts fold to lower case, quoted ones keep case and may hold dots.
func splitQualifiedName(s string) []string {
	var parts []string
	var cur strings.Builder
	quoted, wasQuoted := false, false
	flush := func() {
		p := cur.String()
		if !wasQuoted {
			p = strings.ToLower(strings.TrimSpace(p))
		}
		parts = append(parts, p)
		cur.Reset()
		wasQuoted = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
			wasQuoted = true
		case c == '.' && !quoted:
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return parts
}

// relationName is regclass's output: the name, qualified when its schema
// is not visible.
func relationName(ctx *Context, oid int64) string {
	cat := CatalogOf(ctx)
	var schema, name string
	if r, ok := cat.ByID(uint32(oid)); ok && oid <= 1<<32-1 && r.Kind != catalog.KindSchema {
		schema, name = r.Schema, r.Name
	} else if ix, ok := cat.IndexByOID(oid); ok {
		schema, name = ix.Table.Schema, ix.Name
	} else {
		return strconv.FormatInt(oid, 10)
	}
	if relationVisible(ctx, oid) {
		return quoteIdent(name)
	}
	return quoteIdent(schema) + "." + quoteIdent(name)
}

// formatType is format_type(oid, typmod).
func formatType(oid, typmod int64) string {
	t, ok := types.FromOID(uint32(oid))
	if !ok {
		switch oid {
		case 0:
			return "-"
		case 2275:
			return "cstring"
		case 2276:
			return `"any"`
		}
		if name, ok := catalog.CatalogTypeName(uint32(oid)); ok {
			return name
		}
		return "???"
	}
	if typmod >= 4 {
		switch t.Kind {
		case types.KindVarchar, types.KindChar:
			t.Width = int32(typmod - 4)
		case types.KindNumeric:
			t.Precision, t.Scale = int32((typmod-4)>>16), int32((typmod-4)&0xffff)
		}
	}
	if t.Kind == types.KindChar && t.Width == 0 {
		return "bpchar"
	}
	return t.String()
}

func indexColumnList(ix catalog.Index) string {
	names := make([]string, len(ix.Columns))
	for i, k := range ix.Columns {
		names[i] = quoteIdent(ix.Table.Columns[k].Name)
	}
	return strings.Join(names, ", ")
}

// quoteIdent quotes an identifier unless it is a plain lower-case name.
func quoteIdent(s string) string {
	plain := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			plain = false
			break
		}
	}
	if plain && !reservedWords[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// reservedWords are the keywords quote_ident must quote (PostgreSQL's
// reserved and type/function-name keywords that clients meet in practice).
var reservedWords = map[string]bool{
	"all": true, "analyse": true, "analyze": true, "and": true, "any": true, "array": true, "as": true,
	"asc": true, "asymmetric": true, "both": true, "case": true, "cast": true, "check": true,
	"collate": true, "column": true, "constraint": true, "create": true, "current_catalog": true,
	"current_date": true, "current_role": true, "current_time": true, "current_timestamp": true,
	"current_user": true, "default": true, "deferrable": true, "desc": true, "distinct": true, "do": true,
	"else": true, "end": true, "except": true, "false": true, "fetch": true, "for": true, "foreign": true,
	"from": true, "grant": true, "group": true, "having": true, "in": true, "initially": true,
	"intersect": true, "into": true, "lateral": true, "leading": true, "limit": true, "localtime": true,
	"localtimestamp": true, "not": true, "null": true, "offset": true, "on": true, "only": true, "or": true,
	"order": true, "placing": true, "primary": true, "references": true, "returning": true, "select": true,
	"session_user": true, "some": true, "symmetric": true, "table": true, "then": true, "to": true,
	"trailing": true, "true": true, "union": true, "unique": true, "user": true, "using": true,
	"variadic": true, "when": true, "where": true, "window": true, "with": true,
}

// sizePretty is pg_size_pretty(bigint), PostgreSQL's algorithm: bytes
// below 10 kB, else the first unit that keeps the value below 10240,
// rounded half away from zero.
func sizePretty(n int64) string {
	const limit, limit2 = 10 * 1024, 20*1024 - 1
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	if abs(n) < limit {
		return fmt.Sprintf("%d bytes", n)
	}
	halfRounded := func(x int64) int64 {
		if x < 0 {
			return (x - 1) / 2
		}
		return (x + 1) / 2
	}
	n >>= 9 // one extra bit for rounding
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		if abs(n) < limit2 {
			return fmt.Sprintf("%d %s", halfRounded(n), unit)
		}
		n >>= 10
	}
	return fmt.Sprintf("%d PB", halfRounded(n))
}

// arrayToString is array_to_string over an array in its text form (system
// views hold arrays as text until sql/types has arrays): the elements
// joined by sep, NULL elements skipped.
func arrayToString(arr, sep string) string {
	arr = strings.TrimSpace(arr)
	if !strings.HasPrefix(arr, "{") || !strings.HasSuffix(arr, "}") {
		return arr
	}
	body := arr[1 : len(arr)-1]
	if body == "" {
		return ""
	}
	var elems []string
	var cur strings.Builder
	quoted, wasQuoted := false, false
	flush := func() {
		s := cur.String()
		if wasQuoted || s != "NULL" {
			elems = append(elems, s)
		}
		cur.Reset()
		wasQuoted = false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body):
			i++
			cur.WriteByte(body[i])
		case c == '"':
			quoted = !quoted
			wasQuoted = true
		case c == ',' && !quoted:
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return strings.Join(elems, sep)
}

// catalogCast builds the casts that need the catalog: text (or an
// untyped literal that is not a number) to regclass, regtype and
// regnamespace, which look names up when they run, and those types to
// text, which print names. ok is false for every other cast.
func catalogCast(e Expr, to types.T) (Expr, bool, error) {
	from := e.Type()
	switch {
	case isRegType(to) && (from.IsString() || from.Kind == types.KindUnknown):
		if c, isConst := e.(*Const); isConst {
			if c.Value == nil {
				return NewConst(nil, to), true, nil
			}
			if s, isString := c.Value.(string); isString {
				if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
					d, err := types.ParseOid(to, s)
					if err != nil {
						return nil, true, err
					}
					return NewConst(d, to), true, nil
				}
			}
		}
		if from.Kind == types.KindUnknown {
			c, err := Coerce(e, types.Text)
			if err != nil {
				return nil, true, err
			}
			e = c
		}
		return &rowExpr{name: to.String() + "in", args: []Expr{e}, t: to, strict: true, volatile: true,
			display: func(args []Expr) string { return args[0].String() + "::" + to.String() },
			fn:      func(ctx *Context, a []types.Datum) (types.Datum, error) { return regIn(ctx, to, a[0].(string)) }}, true, nil
	case isRegType(from) && to.IsString():
		return &rowExpr{name: from.String() + "out", args: []Expr{e}, t: to, strict: true, volatile: true,
			display: func(args []Expr) string { return args[0].String() + "::" + to.String() },
			fn: func(ctx *Context, a []types.Datum) (types.Datum, error) {
				return types.CastAssign(regOut(ctx, from, a[0].(int64)), types.Text, to)
			}}, true, nil
	}
	return nil, false, nil
}

func isRegType(t types.T) bool { return t.IsOid() && t.Kind != types.KindOid }

// regIn is the input function of the reg* types.
func regIn(ctx *Context, t types.T, s string) (types.Datum, error) {
	if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return types.ParseOid(t, s)
	}
	switch t.Kind {
	case types.KindRegclass:
		if oid, ok := lookupRelation(ctx, s); ok {
			return oid, nil
		}
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", s)
	case types.KindRegtype:
		name := strings.TrimSpace(s)
		if i := strings.IndexByte(name, '('); i > 0 {
			name = strings.TrimSpace(name[:i])
		}
		if oid, ok := catalog.TypeOIDByName(strings.Trim(name, `"`)); ok {
			return int64(oid), nil
		}
		return nil, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", s)
	case types.KindRegnamespace:
		parts := splitQualifiedName(s)
		if oid, ok := CatalogOf(ctx).SchemaExists(parts[0]); ok && len(parts) == 1 {
			return int64(oid), nil
		}
		return nil, pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", s)
	case types.KindRegproc:
		if oid, ok := catalog.FunctionOID(strings.ToLower(strings.TrimPrefix(s, "pg_catalog."))); ok {
			return oid, nil
		}
		return nil, pgerror.New(pgerror.UndefinedFunction, "function %q does not exist", s)
	}
	return nil, pgerror.Internal("regIn of %s", t)
}

// regOut is the output function of the reg* types: the object's name, or
// the number when there is none ("-" for 0, as PostgreSQL prints).
func regOut(ctx *Context, t types.T, oid int64) string {
	if oid == 0 {
		return "-"
	}
	switch t.Kind {
	case types.KindRegclass:
		return relationName(ctx, oid)
	case types.KindRegtype:
		if _, ok := types.FromOID(uint32(oid)); ok {
			return formatType(oid, -1)
		}
	case types.KindRegnamespace:
		if name, ok := CatalogOf(ctx).SchemaName(oid); ok {
			return quoteIdent(name)
		}
	case types.KindRegproc:
		if name, ok := catalog.FunctionName(oid); ok {
			return name
		}
	}
	return strconv.FormatInt(oid, 10)
}
