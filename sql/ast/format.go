package ast

import (
	"strconv"
	"strings"
)

// Printing
//
// Every node prints as SQL that PostgreSQL's grammar (or Eddy's hand parser,
// for the streaming statements) reads back into an equal tree. The output is
// canonical rather than pretty: keywords in upper case, identifiers quoted
// only when they must be, every compound sub-expression in parentheses so
// that precedence never matters, casts as CAST(x AS t), strings in standard
// '…' form (standard_conforming_strings is always on).

type printer struct {
	strings.Builder
}

type formatter interface {
	format(p *printer)
}

func toString(n formatter) string {
	var p printer
	n.format(&p)
	return p.String()
}

func (p *printer) node(n formatter) { n.format(p) }

func (p *printer) ident(name string) { p.WriteString(QuoteIdent(name)) }

func (p *printer) idents(names []string) {
	for i, n := range names {
		if i > 0 {
			p.WriteString(", ")
		}
		p.ident(n)
	}
}

// dotted writes a qualified name: a.b.c.
func (p *printer) dotted(names []string) {
	for i, n := range names {
		if i > 0 {
			p.WriteByte('.')
		}
		p.ident(n)
	}
}

func (p *printer) expr(e Expr) { e.(formatter).format(p) }

func (p *printer) exprs(list []Expr) {
	for i, e := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(e)
	}
}

func (p *printer) tableExprs(list []TableExpr) {
	for i, t := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		t.(formatter).format(p)
	}
}

// QuoteIdent returns name as an SQL identifier: bare when PostgreSQL would
// read it back unchanged (lower case letters, digits, _ and $, not a
// keyword that needs quoting), else in double quotes.
func QuoteIdent(name string) string {
	if isBareIdent(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isBareIdent(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', c == '_':
		case '0' <= c && c <= '9', c == '$':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return !quotedKeywords[name]
}

// QuoteString returns s as an SQL string literal.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// ---- Statements ----

func (s *Select) String() string { return toString(s) }

func (s *Select) format(p *printer) {
	if len(s.With) > 0 {
		p.WriteString("WITH ")
		if s.With[0].Recursive {
			p.WriteString("RECURSIVE ")
		}
		for i, c := range s.With {
			if i > 0 {
				p.WriteString(", ")
			}
			p.ident(c.Name)
			if len(c.Columns) > 0 {
				p.WriteByte('(')
				p.idents(c.Columns)
				p.WriteByte(')')
			}
			p.WriteString(" AS (")
			p.node(c.Query)
			p.WriteByte(')')
		}
		p.WriteByte(' ')
	}
	switch {
	case s.SetOp != nil:
		p.node(s.SetOp)
	case s.Block != nil:
		p.node(s.Block)
	default:
		p.WriteString("VALUES ")
		for i, row := range s.Values {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteByte('(')
			p.exprs(row)
			p.WriteByte(')')
		}
	}
	if len(s.OrderBy) > 0 {
		p.WriteString(" ORDER BY ")
		p.orderBy(s.OrderBy)
	}
	if s.Limit != nil {
		p.WriteString(" LIMIT ")
		p.expr(s.Limit)
	}
	if s.Offset != nil {
		p.WriteString(" OFFSET ")
		p.expr(s.Offset)
	}
}

func (b *SelectBlock) String() string { return toString(b) }

func (b *SelectBlock) format(p *printer) {
	p.WriteString("SELECT")
	if len(b.DistinctOn) > 0 {
		p.WriteString(" DISTINCT ON (")
		p.exprs(b.DistinctOn)
		p.WriteByte(')')
	} else if b.Distinct {
		p.WriteString(" DISTINCT")
	}
	if len(b.Targets) > 0 {
		p.WriteByte(' ')
		p.selectItems(b.Targets)
	}
	if len(b.From) > 0 {
		p.WriteString(" FROM ")
		p.tableExprs(b.From)
	}
	if b.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(b.Where)
	}
	if len(b.GroupBy) > 0 {
		p.WriteString(" GROUP BY ")
		p.exprs(b.GroupBy)
	}
	if b.Having != nil {
		p.WriteString(" HAVING ")
		p.expr(b.Having)
	}
}

func (p *printer) selectItems(items []SelectItem) {
	for i, t := range items {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(t.String())
	}
}

func (t SelectItem) String() string {
	var p printer
	switch {
	case t.Star && t.Table != "":
		p.ident(t.Table)
		p.WriteString(".*")
	case t.Star:
		p.WriteByte('*')
	default:
		p.expr(t.Expr)
		if t.Alias != "" {
			p.WriteString(" AS ")
			p.ident(t.Alias)
		}
	}
	return p.String()
}

func (p *printer) orderBy(items []OrderItem) {
	for i, o := range items {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(o.String())
	}
}

func (o OrderItem) String() string {
	var p printer
	p.expr(o.Expr)
	if o.Desc {
		p.WriteString(" DESC")
	}
	if o.NullsFirst != nil {
		if *o.NullsFirst {
			p.WriteString(" NULLS FIRST")
		} else {
			p.WriteString(" NULLS LAST")
		}
	}
	return p.String()
}

var setOpNames = [...]string{Union: "UNION", Intersect: "INTERSECT", Except: "EXCEPT"}

func (k SetOpKind) String() string {
	if int(k) < len(setOpNames) {
		return setOpNames[k]
	}
	return "SetOpKind(" + strconv.Itoa(int(k)) + ")"
}

func (s *SetOp) String() string { return toString(s) }

func (s *SetOp) format(p *printer) {
	p.WriteByte('(')
	p.node(s.Left)
	p.WriteString(") ")
	p.WriteString(s.Kind.String())
	if s.All {
		p.WriteString(" ALL")
	}
	p.WriteString(" (")
	p.node(s.Right)
	p.WriteByte(')')
}

func (p *printer) returning(items []SelectItem) {
	if len(items) > 0 {
		p.WriteString(" RETURNING ")
		p.selectItems(items)
	}
}

func (s *Insert) String() string { return toString(s) }

func (s *Insert) format(p *printer) {
	p.WriteString("INSERT INTO ")
	p.node(&s.Table)
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		p.idents(s.Columns)
		p.WriteByte(')')
	}
	switch s.Overriding {
	case 's':
		p.WriteString(" OVERRIDING SYSTEM VALUE")
	case 'u':
		p.WriteString(" OVERRIDING USER VALUE")
	}
	if s.Source == nil {
		p.WriteString(" DEFAULT VALUES")
	} else {
		p.WriteByte(' ')
		p.node(s.Source)
	}
	if oc := s.OnConflict; oc != nil {
		p.WriteString(" ON CONFLICT")
		switch {
		case len(oc.Columns) > 0:
			p.WriteString(" (")
			p.idents(oc.Columns)
			p.WriteByte(')')
		case oc.Constraint != "":
			p.WriteString(" ON CONSTRAINT ")
			p.ident(oc.Constraint)
		}
		if !oc.DoUpdate {
			p.WriteString(" DO NOTHING")
		} else {
			p.WriteString(" DO UPDATE SET ")
			p.assignments(oc.Set)
			if oc.Where != nil {
				p.WriteString(" WHERE ")
				p.expr(oc.Where)
			}
		}
	}
	p.returning(s.Returning)
}

func (s *Update) String() string { return toString(s) }

func (p *printer) assignments(set []Assignment) {
	for i, a := range set {
		if i > 0 {
			p.WriteString(", ")
		}
		p.ident(a.Column)
		p.WriteString(" = ")
		p.expr(a.Value)
	}
}

func (s *Update) format(p *printer) {
	p.WriteString("UPDATE ")
	p.node(&s.Table)
	p.WriteString(" SET ")
	p.assignments(s.Set)
	if len(s.From) > 0 {
		p.WriteString(" FROM ")
		p.tableExprs(s.From)
	}
	if s.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(s.Where)
	}
	p.returning(s.Returning)
}

func (s *Delete) String() string { return toString(s) }

func (s *Delete) format(p *printer) {
	p.WriteString("DELETE FROM ")
	p.node(&s.Table)
	if len(s.Using) > 0 {
		p.WriteString(" USING ")
		p.tableExprs(s.Using)
	}
	if s.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(s.Where)
	}
	p.returning(s.Returning)
}

// tableDefinition writes what CREATE TABLE and CREATE SOURCE share after the
// object keyword.
func (p *printer) tableDefinition(name *TableName, ifNotExists bool, cols []ColumnDef, wm *Watermark, pk []string, unique []UniqueConstraint, opts []Option, format *FormatSpec) {
	if ifNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.node(name)
	if len(cols) > 0 || wm != nil || len(pk) > 0 || len(unique) > 0 {
		p.WriteString(" (")
		sep := ""
		for _, c := range cols {
			p.WriteString(sep)
			p.WriteString(c.String())
			sep = ", "
		}
		if wm != nil {
			p.WriteString(sep)
			p.WriteString(wm.String())
			sep = ", "
		}
		if len(pk) > 0 {
			p.WriteString(sep)
			p.WriteString("PRIMARY KEY (")
			p.idents(pk)
			p.WriteByte(')')
			sep = ", "
		}
		for i := range unique {
			p.WriteString(sep)
			p.uniqueConstraint(&unique[i])
			sep = ", "
		}
		p.WriteByte(')')
	}
	p.connector(opts, format)
}

// uniqueConstraint prints [CONSTRAINT name] UNIQUE [NULLS NOT DISTINCT]
// [(columns)]: a column's own constraint names no columns.
func (p *printer) uniqueConstraint(u *UniqueConstraint) {
	if u.Name != "" {
		p.WriteString("CONSTRAINT ")
		p.ident(u.Name)
		p.WriteByte(' ')
	}
	p.WriteString("UNIQUE")
	if u.NullsNotDistinct {
		p.WriteString(" NULLS NOT DISTINCT")
	}
	if len(u.Columns) > 0 {
		p.WriteString(" (")
		p.idents(u.Columns)
		p.WriteByte(')')
	}
}

func (p *printer) connector(opts []Option, format *FormatSpec) {
	if len(opts) > 0 {
		p.WriteString(" WITH ")
		p.options(opts)
	}
	if format != nil {
		p.WriteByte(' ')
		p.WriteString(format.String())
	}
}

func (p *printer) options(opts []Option) {
	p.WriteByte('(')
	for i, o := range opts {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(o.String())
	}
	p.WriteByte(')')
}

func (s *CreateTable) String() string { return toString(s) }

func (s *CreateTable) format(p *printer) {
	p.WriteString("CREATE TABLE ")
	p.tableDefinition(&s.Name, s.IfNotExists, s.Columns, s.Watermark, s.PrimaryKey, s.Unique, s.Options, s.Format)
	if len(s.Columns) == 0 && s.Watermark == nil && len(s.PrimaryKey) == 0 && len(s.Unique) == 0 && len(s.Options) == 0 && s.Format == nil {
		p.WriteString(" ()")
	}
}

func (c ColumnDef) String() string {
	var p printer
	p.ident(c.Name)
	p.WriteByte(' ')
	p.node(&c.Type)
	if c.NotNull {
		p.WriteString(" NOT NULL")
	}
	if c.Default != nil {
		p.WriteString(" DEFAULT ")
		p.expr(c.Default)
	}
	if c.PrimaryKey {
		p.WriteString(" PRIMARY KEY")
	}
	if c.Unique != nil {
		p.WriteByte(' ')
		p.uniqueConstraint(c.Unique)
	}
	switch c.Identity {
	case 'a':
		p.WriteString(" GENERATED ALWAYS AS IDENTITY")
	case 'd':
		p.WriteString(" GENERATED BY DEFAULT AS IDENTITY")
	}
	if c.Identity != 0 {
		var opts printer
		opts.sequenceOptions(&c.IdentityOptions)
		if o := opts.String(); o != "" {
			p.WriteString(" (" + o[1:] + ")")
		}
	}
	return p.String()
}

func (s *CreateSource) String() string { return toString(s) }

func (s *CreateSource) format(p *printer) {
	p.WriteString("CREATE SOURCE ")
	p.tableDefinition(&s.Name, s.IfNotExists, s.Columns, s.Watermark, nil, nil, s.Options, s.Format)
}

func (w *Watermark) String() string {
	var p printer
	p.WriteString("WATERMARK FOR ")
	p.ident(w.Column)
	p.WriteString(" AS ")
	p.expr(w.Expr)
	return p.String()
}

func (o Option) String() string {
	var p printer
	p.dotted(strings.Split(o.Name, "."))
	p.WriteString(" = ")
	p.WriteString(QuoteString(o.Value))
	return p.String()
}

func (f *FormatSpec) String() string {
	var p printer
	p.WriteString("FORMAT ")
	p.WriteString(f.Format)
	p.WriteString(" ENCODE ")
	p.WriteString(f.Encode)
	if len(f.Options) > 0 {
		p.WriteByte(' ')
		p.options(f.Options)
	}
	return p.String()
}

func (s *CreateMaterializedView) String() string { return toString(s) }

func (s *CreateMaterializedView) format(p *printer) {
	p.WriteString("CREATE MATERIALIZED VIEW ")
	if s.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.node(&s.Name)
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		p.idents(s.Columns)
		p.WriteByte(')')
	}
	p.WriteString(" AS ")
	p.node(s.Query)
	if s.EmitOnWindowClose {
		p.WriteString(" EMIT ON WINDOW CLOSE")
	}
}

func (s *CreateView) String() string { return toString(s) }

func (s *CreateView) format(p *printer) {
	p.WriteString("CREATE ")
	if s.OrReplace {
		p.WriteString("OR REPLACE ")
	}
	p.WriteString("VIEW ")
	p.node(&s.Name)
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		p.idents(s.Columns)
		p.WriteByte(')')
	}
	p.WriteString(" AS ")
	p.node(s.Query)
}

func (s *CreateSchema) String() string { return toString(s) }

func (s *CreateSchema) format(p *printer) {
	p.WriteString("CREATE SCHEMA ")
	if s.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.ident(s.Name)
}

func (s *CreateSink) String() string { return toString(s) }

func (s *CreateSink) format(p *printer) {
	p.WriteString("CREATE SINK ")
	if s.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.node(&s.Name)
	if s.From != nil {
		p.WriteString(" FROM ")
		p.node(s.From)
	} else if s.Query != nil {
		p.WriteString(" AS ")
		p.node(s.Query)
	}
	p.connector(s.Options, s.Format)
}

var objectKindNames = [...]string{
	ObjTable:            "TABLE",
	ObjMaterializedView: "MATERIALIZED VIEW",
	ObjView:             "VIEW",
	ObjSource:           "SOURCE",
	ObjSink:             "SINK",
	ObjSchema:           "SCHEMA",
	ObjIndex:            "INDEX",
	ObjSequence:         "SEQUENCE",
}

// String names the kind as SQL does: TABLE, MATERIALIZED VIEW, ….
func (k ObjectKind) String() string {
	if int(k) < len(objectKindNames) {
		return objectKindNames[k]
	}
	return "ObjectKind(" + strconv.Itoa(int(k)) + ")"
}

func (s *Drop) String() string { return toString(s) }

func (s *Drop) format(p *printer) {
	p.WriteString("DROP ")
	p.WriteString(s.Kind.String())
	if s.IfExists {
		p.WriteString(" IF EXISTS")
	}
	for i, n := range s.Names {
		if i > 0 {
			p.WriteByte(',')
		}
		p.WriteByte(' ')
		n.Alias = nil
		p.node(&n)
	}
	if s.Cascade {
		p.WriteString(" CASCADE")
	}
}

func (s *AlterRename) String() string { return toString(s) }

func (s *AlterRename) format(p *printer) {
	p.WriteString("ALTER ")
	p.WriteString(s.Kind.String())
	if s.IfExists {
		p.WriteString(" IF EXISTS")
	}
	p.WriteByte(' ')
	p.node(&s.Name)
	p.WriteString(" RENAME TO ")
	p.ident(s.NewName)
}

func (s *SetVariable) String() string { return toString(s) }

func (s *SetVariable) format(p *printer) {
	if s.Reset {
		if s.Name == "all" {
			p.WriteString("RESET ALL")
			return
		}
		p.WriteString("RESET ")
		p.dotted(strings.Split(s.Name, "."))
		return
	}
	p.WriteString("SET ")
	if s.Local {
		p.WriteString("LOCAL ")
	}
	// SET TIME ZONE INTERVAL '…' HOUR TO MINUTE: the one place SET takes
	// a typed literal, and only in this spelling.
	if len(s.Values) == 1 && s.Name == "timezone" {
		if c, ok := s.Values[0].(*Cast); ok && c.Type.Name == "interval" && len(c.Type.Mods) == 0 && c.Type.ArrayDims == 0 {
			if l, ok := c.Expr.(*Literal); ok && l.Kind == LitString {
				p.WriteString("TIME ZONE INTERVAL ")
				p.WriteString(QuoteString(l.Text))
				if c.Type.Fields != "" {
					p.WriteString(" " + c.Type.Fields)
				}
				return
			}
		}
	}
	p.dotted(strings.Split(s.Name, "."))
	p.WriteString(" = ")
	for i, v := range s.Values {
		if i > 0 {
			p.WriteString(", ")
		}
		// SET takes bare literals: a negative number must not be
		// parenthesised as it is inside an expression.
		if l, ok := v.(*Literal); ok && (l.Kind == LitInteger || l.Kind == LitNumeric) {
			p.WriteString(l.Text)
			continue
		}
		p.expr(v)
	}
}

func (s *ShowVariable) String() string { return toString(s) }

// showObjectWords are the words after SHOW that name object lists rather
// than variables; a variable of that name has to be quoted.
var showObjectWords = map[string]bool{"tables": true, "sources": true, "sinks": true, "views": true, "materialized": true}

func (s *ShowVariable) format(p *printer) {
	p.WriteString("SHOW ")
	switch {
	case s.Name == "all":
		p.WriteString("ALL")
	case showObjectWords[s.Name]:
		p.WriteString(`"` + s.Name + `"`)
	default:
		p.dotted(strings.Split(s.Name, "."))
	}
}

func (s *ShowObjects) String() string { return toString(s) }

func (s *ShowObjects) format(p *printer) {
	p.WriteString("SHOW ")
	p.WriteString(s.Kind.String())
	p.WriteByte('S')
	if s.Schema != "" {
		p.WriteString(" FROM ")
		p.ident(s.Schema)
	}
}

func (s *Transaction) String() string { return toString(s) }

func (s *Transaction) format(p *printer) {
	switch s.Kind {
	case Begin:
		p.WriteString("BEGIN")
	case Commit:
		p.WriteString("COMMIT")
	case Rollback:
		p.WriteString("ROLLBACK")
	case Savepoint:
		p.WriteString("SAVEPOINT ")
		p.ident(s.Savepoint)
	case RollbackToSavepoint:
		p.WriteString("ROLLBACK TO SAVEPOINT ")
		p.ident(s.Savepoint)
	case ReleaseSavepoint:
		p.WriteString("RELEASE SAVEPOINT ")
		p.ident(s.Savepoint)
	}
}

func (s *Explain) String() string { return toString(s) }

func (s *Explain) format(p *printer) {
	p.WriteString("EXPLAIN ")
	if s.Analyze {
		p.WriteString("ANALYZE ")
	}
	if s.Verbose {
		p.WriteString("VERBOSE ")
	}
	p.WriteString(s.Statement.String())
}

func (s *Flush) String() string { return "FLUSH" }

func (s *Flush) format(p *printer) { p.WriteString("FLUSH") }

func (s *RefreshMaterializedView) String() string { return toString(s) }
func (s *RefreshMaterializedView) format(p *printer) {
	p.WriteString("REFRESH MATERIALIZED VIEW ")
	if s.Concurrently {
		p.WriteString("CONCURRENTLY ")
	}
	p.WriteString(s.Name.String())
	if s.NoData {
		p.WriteString(" WITH NO DATA")
	}
}

// ---- Table expressions ----

func (t *TableName) String() string { return toString(t) }

func (t *TableName) format(p *printer) {
	if t.Catalog != "" {
		p.ident(t.Catalog)
		p.WriteByte('.')
	}
	if t.Schema != "" {
		p.ident(t.Schema)
		p.WriteByte('.')
	}
	p.ident(t.Name)
	p.alias(t.Alias)
}

func (p *printer) alias(a *Alias) {
	if a != nil {
		p.WriteByte(' ')
		p.WriteString(a.String())
	}
}

func (a *Alias) String() string {
	var p printer
	p.WriteString("AS ")
	p.ident(a.Name)
	if len(a.Columns) > 0 {
		p.WriteByte('(')
		p.idents(a.Columns)
		p.WriteByte(')')
	}
	return p.String()
}

var joinKindNames = [...]string{InnerJoin: "JOIN", LeftJoin: "LEFT JOIN", RightJoin: "RIGHT JOIN", FullJoin: "FULL JOIN", CrossJoin: "CROSS JOIN"}

func (k JoinKind) String() string {
	if int(k) < len(joinKindNames) {
		return joinKindNames[k]
	}
	return "JoinKind(" + strconv.Itoa(int(k)) + ")"
}

func (j *Join) String() string { return toString(j) }

func (j *Join) format(p *printer) {
	p.WriteByte('(')
	j.Left.(formatter).format(p)
	p.WriteByte(' ')
	if j.Natural {
		p.WriteString("NATURAL ")
	}
	p.WriteString(j.Kind.String())
	p.WriteByte(' ')
	j.Right.(formatter).format(p)
	if j.On != nil {
		p.WriteString(" ON ")
		p.expr(j.On)
	}
	if len(j.Using) > 0 {
		p.WriteString(" USING (")
		p.idents(j.Using)
		p.WriteByte(')')
	}
	p.WriteByte(')')
	p.alias(j.Alias)
}

func (s *Subquery) String() string { return toString(s) }

func (s *Subquery) format(p *printer) {
	if s.Lateral {
		p.WriteString("LATERAL ")
	}
	p.WriteByte('(')
	p.node(s.Query)
	p.WriteByte(')')
	p.alias(s.Alias)
}

func (f *FunctionTable) String() string { return toString(f) }

func (f *FunctionTable) format(p *printer) {
	if f.Lateral {
		p.WriteString("LATERAL ")
	}
	p.node(f.Func)
	if f.Ordinality {
		p.WriteString(" WITH ORDINALITY")
	}
	p.alias(f.Alias)
}

// ---- Expressions ----

func (e *ColumnRef) String() string { return toString(e) }

func (e *ColumnRef) format(p *printer) { p.dotted(e.Parts) }

func (e *Literal) String() string { return toString(e) }

func (e *Literal) format(p *printer) {
	switch e.Kind {
	case LitNull:
		p.WriteString("NULL")
	case LitBool:
		if e.Text == "true" {
			p.WriteString("TRUE")
		} else {
			p.WriteString("FALSE")
		}
	case LitInteger, LitNumeric:
		// A negative number in parentheses cannot merge with a preceding
		// operator into another one (a - -1, a+-1).
		if strings.HasPrefix(e.Text, "-") {
			p.WriteString("(" + e.Text + ")")
		} else {
			p.WriteString(e.Text)
		}
	case LitString:
		p.WriteString(QuoteString(e.Text))
	case LitBitString:
		// Text is PostgreSQL's form: b0101 or x1F.
		if e.Text != "" {
			p.WriteString(strings.ToUpper(e.Text[:1]))
			p.WriteString(QuoteString(e.Text[1:]))
		} else {
			p.WriteString("B''")
		}
	}
}

func (e *Param) String() string { return "$" + strconv.Itoa(e.Index) }

func (e *Param) format(p *printer) { p.WriteString(e.String()) }

func (e *Default) String() string { return "DEFAULT" }

func (e *Default) format(p *printer) { p.WriteString("DEFAULT") }

func (e *BinaryExpr) String() string { return toString(e) }

func (e *BinaryExpr) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Left)
	p.WriteByte(' ')
	p.operator(e.Op)
	p.WriteByte(' ')
	p.expr(e.Right)
	p.WriteByte(')')
}

// operator writes an operator symbol; a word-like name (a schema-qualified
// or custom operator never reaches here) is written in OPERATOR() form.
func (p *printer) operator(op string) {
	if op == "" || strings.ContainsAny(op, "abcdefghijklmnopqrstuvwxyz0123456789_. ") {
		p.WriteString("OPERATOR(" + op + ")")
		return
	}
	p.WriteString(op)
}

func (e *UnaryExpr) String() string { return toString(e) }

func (e *UnaryExpr) format(p *printer) {
	p.WriteByte('(')
	p.operator(e.Op)
	p.WriteByte(' ')
	p.expr(e.Operand)
	p.WriteByte(')')
}

func (e *BoolExpr) String() string { return toString(e) }

func (e *BoolExpr) format(p *printer) {
	p.WriteByte('(')
	if e.Op == Not {
		p.WriteString("NOT ")
		p.exprs(e.Args)
	} else {
		sep := " AND "
		if e.Op == Or {
			sep = " OR "
		}
		for i, a := range e.Args {
			if i > 0 {
				p.WriteString(sep)
			}
			p.expr(a)
		}
	}
	p.WriteByte(')')
}

func (e *IsNull) String() string { return toString(e) }

func (e *IsNull) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	if e.Not {
		p.WriteString(" IS NOT NULL)")
	} else {
		p.WriteString(" IS NULL)")
	}
}

var boolTestNames = [...]string{IsTrue: "TRUE", IsFalse: "FALSE", IsUnknown: "UNKNOWN"}

func (e *IsBool) String() string { return toString(e) }

func (e *IsBool) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	p.WriteString(" IS ")
	if e.Not {
		p.WriteString("NOT ")
	}
	p.WriteString(boolTestNames[e.Test])
	p.WriteByte(')')
}

func (e *IsDistinctFrom) String() string { return toString(e) }

func (e *IsDistinctFrom) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Left)
	if e.Not {
		p.WriteString(" IS NOT DISTINCT FROM ")
	} else {
		p.WriteString(" IS DISTINCT FROM ")
	}
	p.expr(e.Right)
	p.WriteByte(')')
}

func (e *Between) String() string { return toString(e) }

func (e *Between) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	if e.Not {
		p.WriteString(" NOT")
	}
	p.WriteString(" BETWEEN ")
	if e.Symmetric {
		p.WriteString("SYMMETRIC ")
	}
	p.expr(e.Low)
	p.WriteString(" AND ")
	p.expr(e.High)
	p.WriteByte(')')
}

func (e *InList) String() string { return toString(e) }

func (e *InList) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	if e.Not {
		p.WriteString(" NOT")
	}
	p.WriteString(" IN (")
	p.exprs(e.List)
	p.WriteString("))")
}

func (e *Like) String() string { return toString(e) }

func (e *Like) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	if e.Not {
		p.WriteString(" NOT")
	}
	if e.CaseInsensitive {
		p.WriteString(" ILIKE ")
	} else {
		p.WriteString(" LIKE ")
	}
	p.expr(e.Pattern)
	if e.Escape != nil {
		p.WriteString(" ESCAPE ")
		p.expr(e.Escape)
	}
	p.WriteByte(')')
}

func (e *FuncCall) String() string { return toString(e) }

func (e *FuncCall) format(p *printer) {
	p.dotted(e.Name)
	p.WriteByte('(')
	if e.Star {
		p.WriteByte('*')
	} else {
		if e.Distinct {
			p.WriteString("DISTINCT ")
		}
		p.exprs(e.Args)
		if len(e.OrderBy) > 0 {
			p.WriteString(" ORDER BY ")
			p.orderBy(e.OrderBy)
		}
	}
	p.WriteByte(')')
	if e.Filter != nil {
		p.WriteString(" FILTER (WHERE ")
		p.expr(e.Filter)
		p.WriteByte(')')
	}
	if e.Over != nil {
		p.WriteString(" OVER ")
		p.WriteString(e.Over.String())
	}
}

func (w *WindowSpec) String() string {
	if w.Name != "" && len(w.PartitionBy) == 0 && len(w.OrderBy) == 0 && w.Frame == nil {
		return QuoteIdent(w.Name)
	}
	var p printer
	p.WriteByte('(')
	sep := ""
	if w.Name != "" {
		p.ident(w.Name)
		sep = " "
	}
	if len(w.PartitionBy) > 0 {
		p.WriteString(sep + "PARTITION BY ")
		p.exprs(w.PartitionBy)
		sep = " "
	}
	if len(w.OrderBy) > 0 {
		p.WriteString(sep + "ORDER BY ")
		p.orderBy(w.OrderBy)
		sep = " "
	}
	if w.Frame != nil {
		p.WriteString(sep + w.Frame.String())
	}
	p.WriteByte(')')
	return p.String()
}

func (f *WindowFrame) String() string {
	return f.Mode + " BETWEEN " + frameBound(f.Start, f.StartExpr) + " AND " + frameBound(f.End, f.EndExpr)
}

// frameBound prints a bound from its expression when it has one, so that
// the text always matches the expression.
func frameBound(text string, e Expr) string {
	if e == nil {
		return text
	}
	if strings.HasSuffix(text, " FOLLOWING") {
		return e.String() + " FOLLOWING"
	}
	return e.String() + " PRECEDING"
}

func (e *Cast) String() string { return toString(e) }

func (e *Cast) format(p *printer) {
	p.WriteString("CAST(")
	p.expr(e.Expr)
	p.WriteString(" AS ")
	p.node(&e.Type)
	p.WriteByte(')')
}

// bareTypeKeywords are type names that are keywords yet, written bare, parse
// back to the same type with the same modifiers.
var bareTypeKeywords = map[string]bool{"numeric": true, "timestamp": true, "time": true, "interval": true}

func (t *TypeName) String() string { return toString(t) }

func (t *TypeName) format(p *printer) {
	if bareTypeKeywords[t.Name] {
		p.WriteString(t.Name)
	} else {
		p.ident(t.Name)
	}
	mods := func() {
		if len(t.Mods) > 0 {
			p.WriteByte('(')
			for i, m := range t.Mods {
				if i > 0 {
					p.WriteString(", ")
				}
				p.WriteString(strconv.Itoa(int(m)))
			}
			p.WriteByte(')')
		}
	}
	if t.Fields != "" {
		p.WriteByte(' ')
		p.WriteString(t.Fields)
		if strings.HasSuffix(t.Fields, "SECOND") {
			mods()
		}
	} else {
		mods()
	}
	for range t.ArrayDims {
		p.WriteString("[]")
	}
}

func (e *Case) String() string { return toString(e) }

func (e *Case) format(p *printer) {
	p.WriteString("CASE")
	if e.Operand != nil {
		p.WriteByte(' ')
		p.expr(e.Operand)
	}
	for _, w := range e.Whens {
		p.WriteString(" WHEN ")
		p.expr(w.Cond)
		p.WriteString(" THEN ")
		p.expr(w.Result)
	}
	if e.Else != nil {
		p.WriteString(" ELSE ")
		p.expr(e.Else)
	}
	p.WriteString(" END")
}

func (e *Coalesce) String() string { return toString(e) }

func (e *Coalesce) format(p *printer) {
	p.WriteString("COALESCE(")
	p.exprs(e.Args)
	p.WriteByte(')')
}

func (e *NullIf) String() string { return toString(e) }

func (e *NullIf) format(p *printer) {
	p.WriteString("NULLIF(")
	p.expr(e.Left)
	p.WriteString(", ")
	p.expr(e.Right)
	p.WriteByte(')')
}

func (e *GreatestLeast) String() string { return toString(e) }

func (e *GreatestLeast) format(p *printer) {
	if e.Greatest {
		p.WriteString("GREATEST(")
	} else {
		p.WriteString("LEAST(")
	}
	p.exprs(e.Args)
	p.WriteByte(')')
}

func (e *SubqueryExpr) String() string { return toString(e) }

func (e *SubqueryExpr) format(p *printer) {
	switch e.Kind {
	case ScalarSubquery:
		p.WriteByte('(')
		p.node(e.Query)
		p.WriteByte(')')
	case ExistsSubquery:
		p.WriteString("EXISTS (")
		p.node(e.Query)
		p.WriteByte(')')
	case ArraySubquery:
		p.WriteString("ARRAY(")
		p.node(e.Query)
		p.WriteByte(')')
	default:
		p.quantified(e.Expr, e.Op, e.Kind == AllSubquery, func() { p.node(e.Query) })
	}
}

// quantified prints (left op ANY|ALL (right)), for arrays and subqueries.
func (p *printer) quantified(left Expr, op string, all bool, right func()) {
	p.WriteByte('(')
	p.expr(left)
	p.WriteByte(' ')
	p.operator(op)
	if all {
		p.WriteString(" ALL (")
	} else {
		p.WriteString(" ANY (")
	}
	right()
	p.WriteString("))")
}

func (e *AnyAll) String() string { return toString(e) }

func (e *AnyAll) format(p *printer) {
	p.quantified(e.Expr, e.Op, e.All, func() { p.expr(e.Array) })
}

func (e *ArrayExpr) String() string { return toString(e) }

func (e *ArrayExpr) format(p *printer) {
	p.WriteString("ARRAY[")
	p.exprs(e.Elems)
	p.WriteByte(']')
}

func (e *Subscript) String() string { return toString(e) }

func (e *Subscript) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	p.WriteString(")[")
	p.expr(e.Index)
	p.WriteByte(']')
}

func (e *FieldSelect) String() string { return toString(e) }

func (e *FieldSelect) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	p.WriteString(").")
	p.ident(e.Field)
}

func (e *Collate) String() string { return toString(e) }

func (e *Collate) format(p *printer) {
	p.WriteByte('(')
	p.expr(e.Expr)
	p.WriteString(" COLLATE ")
	p.dotted(e.Collation)
	p.WriteByte(')')
}

func (e *SpecialFunc) String() string { return strings.ToUpper(e.Name) }

func (e *SpecialFunc) format(p *printer) { p.WriteString(e.String()) }

// quotedKeywords are PostgreSQL's keywords that cannot stand as a bare
// column name (reserved, type/function-name and column-name keywords, from
// PostgreSQL 17's kwlist.h). Unreserved keywords need no quotes.
var quotedKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		all analyse analyze and any array as asc asymmetric both case cast check collate column
		constraint create current_catalog current_date current_role current_time current_timestamp
		current_user default deferrable desc distinct do else end except false fetch for foreign from
		grant group having in initially intersect into lateral leading limit localtime localtimestamp
		not null offset on only or order placing primary references returning select session_user
		some symmetric system_user table then to trailing true union unique user using variadic when
		where window with

		authorization binary collation concurrently cross current_schema freeze full ilike inner is
		isnull join left like natural notnull outer overlaps right similar tablesample verbose

		between bigint bit boolean char character coalesce dec decimal exists extract float greatest
		grouping inout int integer interval json json_array json_arrayagg json_exists json_object
		json_objectagg json_query json_scalar json_serialize json_table json_value least merge_action
		national nchar none normalize nullif numeric out overlay position precision real row setof
		smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat
		xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`) {
		m[w] = true
	}
	return m
}()
