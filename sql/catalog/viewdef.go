package catalog

import (
	"reflect"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/parser"
)

// ViewDefinition renders a view's defining query as PostgreSQL's
// pg_get_viewdef(oid, true) lays it out: column references qualified by
// their FROM item, every target on its own line with AS where its name
// is not the column's own, and each clause on its own line:
//
//	SELECT orders.customer,
//	   sum(orders.amount) AS total
//	  FROM orders
//	 GROUP BY orders.customer;
//
// Expressions print as Eddy's parser prints them, which is PostgreSQL's
// form for the common operators and functions (not its added casts). A
// query it cannot lay out (set operations, WITH, VALUES) is printed as
// written.
func ViewDefinition(cat *Catalog, r *Relation, searchPath []string) string {
	stmt, err := parser.ParseOne(r.SQL)
	if err != nil {
		return viewDefinition(r.SQL)
	}
	sel, ok := stmt.(*ast.Select)
	if !ok || sel.Block == nil || len(sel.With) > 0 {
		return viewDefinition(r.SQL)
	}
	block := sel.Block
	v := &viewRanges{cat: cat, schema: r.Schema, searchPath: searchPath}
	for _, te := range block.From {
		v.collect(te)
	}

	var sb strings.Builder
	sb.WriteString(" SELECT ")
	if block.Distinct {
		sb.WriteString("DISTINCT ")
		if len(block.DistinctOn) > 0 {
			sb.WriteString("ON (" + v.exprList(block.DistinctOn) + ") ")
		}
	}
	var targets []string
	for _, t := range block.Targets {
		if t.Star {
			targets = append(targets, v.star(t.Table)...)
			continue
		}
		v.qualify(t.Expr)
		text := pretty(t.Expr)
		name := t.Alias
		if ref, ok := t.Expr.(*ast.ColumnRef); ok {
			if name == "" || name == ref.Parts[len(ref.Parts)-1] {
				targets = append(targets, text)
				continue
			}
		}
		if name == "" {
			name = figureColumnName(t.Expr)
		}
		targets = append(targets, text+" AS "+ast.QuoteIdent(name))
	}
	sb.WriteString(strings.Join(targets, ",\n    "))
	if len(block.From) > 0 {
		items := make([]string, len(block.From))
		for i, te := range block.From {
			items[i] = v.tableExpr(te)
		}
		sb.WriteString("\n   FROM " + strings.Join(items, ", "))
	}
	if block.Where != nil {
		sb.WriteString("\n  WHERE " + v.expr(block.Where))
	}
	if len(block.GroupBy) > 0 {
		sb.WriteString("\n  GROUP BY " + v.exprList(block.GroupBy))
	}
	if block.Having != nil {
		sb.WriteString("\n HAVING " + v.expr(block.Having))
	}
	if len(sel.OrderBy) > 0 {
		items := make([]string, len(sel.OrderBy))
		for i, o := range sel.OrderBy {
			items[i] = v.expr(o.Expr)
			if o.Desc {
				items[i] += " DESC"
			}
			if o.NullsFirst != nil && *o.NullsFirst != o.Desc {
				if *o.NullsFirst {
					items[i] += " NULLS FIRST"
				} else {
					items[i] += " NULLS LAST"
				}
			}
		}
		sb.WriteString("\n  ORDER BY " + strings.Join(items, ", "))
	}
	if sel.Offset != nil {
		sb.WriteString("\n OFFSET " + v.expr(sel.Offset))
	}
	if sel.Limit != nil {
		sb.WriteString("\n LIMIT " + v.expr(sel.Limit))
	}
	sb.WriteByte(';')
	return sb.String()
}

// viewRange is one FROM item whose columns are known.
type viewRange struct {
	name    string
	columns []string
}

type viewRanges struct {
	cat        *Catalog
	schema     string
	searchPath []string
	ranges     []viewRange
	// unknown is set when a FROM item's columns are not known (a
	// subquery, a function): references are then left as written.
	unknown bool
}

func (v *viewRanges) lookup(tn *ast.TableName) (*Relation, bool) {
	return v.cat.Lookup(tn.Schema, tn.Name, append([]string{v.schema}, v.searchPath...))
}

func (v *viewRanges) collect(te ast.TableExpr) {
	switch te := te.(type) {
	case *ast.TableName:
		r, ok := v.lookup(te)
		if !ok {
			v.unknown = true
			return
		}
		rg := viewRange{name: te.Name}
		if te.Alias != nil {
			rg.name = te.Alias.Name
		}
		for _, i := range r.VisibleColumns() {
			rg.columns = append(rg.columns, r.Columns[i].Name)
		}
		if te.Alias != nil {
			for i, c := range te.Alias.Columns {
				if i < len(rg.columns) {
					rg.columns[i] = c
				}
			}
		}
		v.ranges = append(v.ranges, rg)
	case *ast.Join:
		v.collect(te.Left)
		v.collect(te.Right)
	default:
		v.unknown = true
	}
}

// star expands t.* (or * when table is "") into qualified columns.
func (v *viewRanges) star(table string) []string {
	if v.unknown {
		if table != "" {
			return []string{ast.QuoteIdent(table) + ".*"}
		}
		return []string{"*"}
	}
	var out []string
	for _, rg := range v.ranges {
		if table != "" && rg.name != table {
			continue
		}
		for _, c := range rg.columns {
			out = append(out, ast.QuoteIdent(rg.name)+"."+ast.QuoteIdent(c))
		}
	}
	return out
}

func (v *viewRanges) expr(e ast.Expr) string {
	v.qualify(e)
	return pretty(e)
}

func (v *viewRanges) exprList(es []ast.Expr) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = v.expr(e)
	}
	return strings.Join(out, ", ")
}

// tableExpr prints a FROM item: a relation by its name, schema-qualified
// when the search path does not find it by its name alone.
func (v *viewRanges) tableExpr(te ast.TableExpr) string {
	if j, ok := te.(*ast.Join); ok && j.Alias == nil {
		return v.join(j)
	}
	tn, ok := te.(*ast.TableName)
	if !ok {
		v.qualify(te)
		return te.(interface{ String() string }).String()
	}
	name := ast.QuoteIdent(tn.Name)
	if r, ok := v.lookup(tn); ok {
		if visible, ok := v.cat.Lookup("", tn.Name, v.searchPath); !ok || visible.ID != r.ID {
			name = ast.QuoteIdent(r.Schema) + "." + name
		}
	}
	if tn.Alias != nil {
		name += " " + ast.QuoteIdent(tn.Alias.Name)
	}
	return name
}

// join prints a join as pretty mode does, each JOIN on its own line
// under the FROM item it joins to.
func (v *viewRanges) join(j *ast.Join) string {
	words := [...]string{"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"}
	word := words[j.Kind]
	if j.Natural {
		word = "NATURAL " + word
	}
	right := v.tableExpr(j.Right)
	if _, ok := j.Right.(*ast.Join); ok {
		right = "(" + right + ")"
	}
	out := v.tableExpr(j.Left) + "\n     " + word + " " + right
	switch {
	case len(j.Using) > 0:
		cols := make([]string, len(j.Using))
		for i, c := range j.Using {
			cols[i] = ast.QuoteIdent(c)
		}
		out += " USING (" + strings.Join(cols, ", ") + ")"
	case j.On != nil:
		out += " ON " + v.expr(j.On)
	}
	return out
}

// qualify rewrites the unqualified column references under n that name a
// column of exactly one FROM item as item.column. Subqueries are left
// alone: their references resolve against their own FROM.
func (v *viewRanges) qualify(n any) {
	if v.unknown || n == nil {
		return
	}
	v.walk(reflect.ValueOf(n))
}

var (
	columnRefType = reflect.TypeOf(&ast.ColumnRef{})
	selectType    = reflect.TypeOf(&ast.Select{})
)

func (v *viewRanges) walk(x reflect.Value) {
	switch x.Kind() {
	case reflect.Interface:
		if !x.IsNil() {
			v.walk(x.Elem())
		}
	case reflect.Pointer:
		if x.IsNil() || x.Type() == selectType {
			return
		}
		if x.Type() == columnRefType {
			ref := x.Interface().(*ast.ColumnRef)
			if len(ref.Parts) == 1 {
				if table, ok := v.owner(ref.Parts[0]); ok {
					ref.Parts = []string{table, ref.Parts[0]}
				}
			}
			return
		}
		v.walk(x.Elem())
	case reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			if x.Type().Field(i).IsExported() {
				v.walk(x.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < x.Len(); i++ {
			v.walk(x.Index(i))
		}
	}
}

// owner is the one FROM item with a column of that name.
func (v *viewRanges) owner(column string) (string, bool) {
	found := ""
	for _, rg := range v.ranges {
		for _, c := range rg.columns {
			if c == column {
				if found != "" {
					return "", false
				}
				found = rg.name
			}
		}
	}
	return found, found != ""
}

// figureColumnName is the name PostgreSQL gives an unaliased target.
func figureColumnName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.ColumnRef:
		return e.Parts[len(e.Parts)-1]
	case *ast.FuncCall:
		return e.Name[len(e.Name)-1]
	case *ast.Cast:
		if n := figureColumnName(e.Expr); n != "?column?" {
			return n
		}
	case *ast.FieldSelect:
		return e.Field
	}
	return "?column?"
}

// viewDefinition is a defining query as written, with pg_get_viewdef's
// leading space and trailing semicolon.
func viewDefinition(sql string) string {
	sql = strings.TrimSpace(sql)
	if sql == "" {
		return ""
	}
	if !strings.HasSuffix(sql, ";") {
		sql += ";"
	}
	return " " + sql
}

// SearchPath is the session's search_path as schema names.
func SearchPath(s SessionInfo) []string {
	raw := `"$user", public`
	user := "eddy"
	if s != nil {
		if v, ok := s.Setting("search_path"); ok {
			raw = v
		}
		if u := s.CurrentUser(); u != "" {
			user = u
		}
	}
	var out []string
	for _, part := range strings.Split(raw, ",") {
		part = strings.Trim(strings.TrimSpace(part), `"`)
		if part == "$user" {
			part = user
		}
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// pretty prints an expression as pg_get_viewdef's pretty mode does: an
// operator is parenthesized only where its parent needs it (a child of
// AND/OR, of a function call or at the top never; a sum under a product
// or the right operand of an operator of equal priority always).
// Expressions other than operators, AND/OR/NOT and plain function calls
// print as the parser prints them.
func pretty(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		return prettyChild(e.Left, e, true) + " " + e.Op + " " + prettyChild(e.Right, e, false)
	case *ast.BoolExpr:
		if e.Op == ast.Not && len(e.Args) == 1 {
			return "NOT " + prettyChild(e.Args[0], e, true)
		}
		word := " AND "
		if e.Op == ast.Or {
			word = " OR "
		}
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = prettyChild(a, e, i == 0)
		}
		return strings.Join(parts, word)
	case *ast.FuncCall:
		if e.Star || e.Distinct || len(e.OrderBy) > 0 || e.Filter != nil || e.Over != nil {
			return e.String()
		}
		args := make([]string, len(e.Args))
		for i, a := range e.Args {
			args[i] = pretty(a)
		}
		names := make([]string, len(e.Name))
		for i, n := range e.Name {
			names[i] = ast.QuoteIdent(n)
		}
		return strings.Join(names, ".") + "(" + strings.Join(args, ", ") + ")"
	}
	return e.String()
}

// prettyChild prints child of parent, in parentheses unless PostgreSQL's
// pretty printer leaves them out (ruleutils.c's isSimpleNode).
func prettyChild(child, parent ast.Expr, first bool) string {
	s := pretty(child)
	if simpleUnder(child, parent, first) {
		return s
	}
	return "(" + s + ")"
}

func simpleUnder(child, parent ast.Expr, first bool) bool {
	switch c := child.(type) {
	case *ast.BinaryExpr:
		switch p := parent.(type) {
		case *ast.BoolExpr:
			return true
		case *ast.BinaryExpr:
			childLow, childHigh := strings.Contains("+-", c.Op) && len(c.Op) == 1, strings.Contains("*/%", c.Op) && len(c.Op) == 1
			parentLow, parentHigh := strings.Contains("+-", p.Op) && len(p.Op) == 1, strings.Contains("*/%", p.Op) && len(p.Op) == 1
			switch {
			case !(childLow || childHigh) || !(parentLow || parentHigh):
				return false
			case childHigh && parentLow:
				return true
			case childLow && parentHigh:
				return false
			}
			return first
		}
		return false
	case *ast.BoolExpr:
		p, ok := parent.(*ast.BoolExpr)
		if !ok {
			return false
		}
		switch c.Op {
		case ast.Not, ast.And:
			return p.Op == ast.And || p.Op == ast.Or
		case ast.Or:
			return p.Op == ast.Or
		}
		return false
	}
	return true
}
