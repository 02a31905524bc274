package parser

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// pgerrorf builds a 42601 error.
func pgerrorf(format string, args ...any) *pgerror.Error {
	return pgerror.New(pgerror.SyntaxError, format, args...)
}

// This file converts pg_query's protobuf tree into ast. Each method handles
// one kind of node and panics (via unsupported) on anything Eddy cannot
// represent; recoverError turns that into a 0A000 error.

// nodeKind names a pg_query node for an error message ("XmlExpr").
func nodeKind(n *pg_query.Node) string {
	if n == nil || n.Node == nil {
		return "empty node"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", n.Node), "*pg_query.Node_")
}

// ---- Statements ----

func (c *converter) statement(n *pg_query.Node) ast.Statement {
	switch x := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		return c.selectStmt(x.SelectStmt)
	case *pg_query.Node_InsertStmt:
		return c.insert(x.InsertStmt)
	case *pg_query.Node_UpdateStmt:
		return c.update(x.UpdateStmt)
	case *pg_query.Node_DeleteStmt:
		return c.delete(x.DeleteStmt)
	case *pg_query.Node_CreateStmt:
		return c.createTable(x.CreateStmt)
	case *pg_query.Node_CreateTableAsStmt:
		return c.createTableAs(x.CreateTableAsStmt)
	case *pg_query.Node_ViewStmt:
		return c.createView(x.ViewStmt)
	case *pg_query.Node_CreateSchemaStmt:
		s := x.CreateSchemaStmt
		if s.Authrole != nil {
			unsupported("CREATE SCHEMA AUTHORIZATION")
		}
		if len(s.SchemaElts) > 0 {
			unsupported("CREATE SCHEMA with schema elements")
		}
		return &ast.CreateSchema{Name: s.Schemaname, IfNotExists: s.IfNotExists}
	case *pg_query.Node_DropStmt:
		return c.drop(x.DropStmt)
	case *pg_query.Node_CreateSeqStmt:
		return c.createSequence(x.CreateSeqStmt)
	case *pg_query.Node_AlterSeqStmt:
		return c.alterSequence(x.AlterSeqStmt)
	case *pg_query.Node_RenameStmt:
		return c.rename(x.RenameStmt)
	case *pg_query.Node_VariableSetStmt:
		return c.setVariable(x.VariableSetStmt)
	case *pg_query.Node_VariableShowStmt:
		return &ast.ShowVariable{Name: x.VariableShowStmt.Name}
	case *pg_query.Node_TransactionStmt:
		return c.transaction(x.TransactionStmt)
	case *pg_query.Node_ExplainStmt:
		return c.explain(x.ExplainStmt)
	case *pg_query.Node_CopyStmt:
		return c.copyStmt(x.CopyStmt)
	case *pg_query.Node_DeclareCursorStmt:
		return c.declareCursor(x.DeclareCursorStmt)
	case *pg_query.Node_FetchStmt:
		return c.fetch(x.FetchStmt)
	case *pg_query.Node_ClosePortalStmt:
		return &ast.CloseCursor{Name: x.ClosePortalStmt.Portalname}
	case *pg_query.Node_CommentStmt:
		return c.comment(x.CommentStmt)
	case *pg_query.Node_RefreshMatViewStmt:
		r := x.RefreshMatViewStmt
		return &ast.RefreshMaterializedView{Name: c.rangeVar(r.Relation), Concurrently: r.Concurrent, NoData: r.SkipData}
	}
	unsupported("%s", statementName(c.piece))
	return nil
}

func (c *converter) selectStmt(s *pg_query.SelectStmt) *ast.Select {
	if s.IntoClause != nil {
		unsupported("SELECT INTO")
	}
	if len(s.LockingClause) > 0 {
		unsupported("SELECT FOR UPDATE/SHARE")
	}
	defer c.defineWindows(s)()
	if s.GroupDistinct {
		unsupported("GROUP BY DISTINCT")
	}
	if s.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES {
		unsupported("FETCH FIRST … WITH TIES")
	}
	out := &ast.Select{}
	if w := s.WithClause; w != nil {
		for _, n := range w.Ctes {
			cte := n.GetCommonTableExpr()
			if cte.SearchClause != nil || cte.CycleClause != nil {
				unsupported("SEARCH or CYCLE clause")
			}
			// [NOT] MATERIALIZED is a planner hint; Eddy computes a WITH
			// query once per reference either way, with the same result.
			q := cte.Ctequery.GetSelectStmt()
			if q == nil {
				unsupported("data-modifying statement in WITH")
			}
			out.With = append(out.With, ast.CTE{Name: cte.Ctename, Columns: c.names(cte.Aliascolnames), Query: c.selectStmt(q), Recursive: w.Recursive})
		}
	}
	switch {
	case s.Op != pg_query.SetOperation_SETOP_NONE:
		op := &ast.SetOp{All: s.All, Left: c.selectStmt(s.Larg), Right: c.selectStmt(s.Rarg)}
		switch s.Op {
		case pg_query.SetOperation_SETOP_UNION:
			op.Kind = ast.Union
		case pg_query.SetOperation_SETOP_INTERSECT:
			op.Kind = ast.Intersect
		case pg_query.SetOperation_SETOP_EXCEPT:
			op.Kind = ast.Except
		}
		out.SetOp = op
	case len(s.ValuesLists) > 0:
		for _, row := range s.ValuesLists {
			out.Values = append(out.Values, c.exprs(row.GetList().GetItems()))
		}
	default:
		out.Block = c.selectBlock(s)
	}
	out.OrderBy = c.orderBy(s.SortClause)
	if s.LimitCount != nil && !isNullConst(s.LimitCount) {
		out.Limit = c.expr(s.LimitCount)
	}
	if s.LimitOffset != nil {
		out.Offset = c.expr(s.LimitOffset)
	}
	return out
}

func isNullConst(n *pg_query.Node) bool {
	k := n.GetAConst()
	return k != nil && k.Isnull
}

func (c *converter) selectBlock(s *pg_query.SelectStmt) *ast.SelectBlock {
	b := &ast.SelectBlock{}
	if len(s.DistinctClause) == 1 && s.DistinctClause[0].Node == nil {
		b.Distinct = true
	} else if len(s.DistinctClause) > 0 {
		b.DistinctOn = c.exprs(s.DistinctClause)
	}
	b.Targets = c.targets(s.TargetList)
	b.From = c.fromList(s.FromClause)
	if s.WhereClause != nil {
		b.Where = c.expr(s.WhereClause)
	}
	for _, g := range s.GroupClause {
		if g.GetGroupingSet() != nil {
			unsupported("GROUPING SETS, ROLLUP or CUBE")
		}
		b.GroupBy = append(b.GroupBy, c.expr(g))
	}
	if s.HavingClause != nil {
		b.Having = c.expr(s.HavingClause)
	}
	return b
}

func (c *converter) targets(list []*pg_query.Node) []ast.SelectItem {
	var out []ast.SelectItem
	for _, n := range list {
		t := n.GetResTarget()
		if len(t.Indirection) > 0 {
			unsupported("indirection in a target list")
		}
		if ref := t.Val.GetColumnRef(); ref != nil && isStar(ref) {
			item := ast.SelectItem{Star: true}
			switch len(ref.Fields) {
			case 1:
			case 2:
				item.Table = ref.Fields[0].GetString_().Sval
			default:
				unsupported("schema-qualified star")
			}
			out = append(out, item)
			continue
		}
		out = append(out, ast.SelectItem{Expr: c.expr(t.Val), Alias: t.Name})
	}
	return out
}

func isStar(ref *pg_query.ColumnRef) bool {
	return len(ref.Fields) > 0 && ref.Fields[len(ref.Fields)-1].GetAStar() != nil
}

func (c *converter) orderBy(list []*pg_query.Node) []ast.OrderItem {
	var out []ast.OrderItem
	for _, n := range list {
		s := n.GetSortBy()
		if s == nil {
			unsupported("%s in ORDER BY", nodeKind(n))
		}
		item := ast.OrderItem{Expr: c.expr(s.Node)}
		switch s.SortbyDir {
		case pg_query.SortByDir_SORTBY_DESC:
			item.Desc = true
		case pg_query.SortByDir_SORTBY_USING:
			unsupported("ORDER BY … USING")
		}
		switch s.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			t := true
			item.NullsFirst = &t
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			f := false
			item.NullsFirst = &f
		}
		out = append(out, item)
	}
	return out
}

func (c *converter) insert(s *pg_query.InsertStmt) *ast.Insert {
	if s.WithClause != nil {
		unsupported("WITH in INSERT")
	}
	out := &ast.Insert{Table: c.rangeVar(s.Relation), Returning: c.targets(s.ReturningList)}
	switch s.Override {
	case pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE:
		out.Overriding = 's'
	case pg_query.OverridingKind_OVERRIDING_USER_VALUE:
		out.Overriding = 'u'
	}
	for _, n := range s.Cols {
		t := n.GetResTarget()
		if len(t.Indirection) > 0 {
			unsupported("INSERT into a subfield or element")
		}
		out.Columns = append(out.Columns, t.Name)
	}
	if s.SelectStmt != nil {
		out.Source = c.selectStmt(s.SelectStmt.GetSelectStmt())
	}
	if oc := s.OnConflictClause; oc != nil {
		out.OnConflict = c.onConflict(oc)
	}
	return out
}

func (c *converter) onConflict(oc *pg_query.OnConflictClause) *ast.OnConflict {
	out := &ast.OnConflict{DoUpdate: oc.Action == pg_query.OnConflictAction_ONCONFLICT_UPDATE}
	if in := oc.Infer; in != nil {
		if in.WhereClause != nil {
			unsupported("ON CONFLICT with a partial index predicate")
		}
		out.Constraint = in.Conname
		for _, n := range in.IndexElems {
			e := n.GetIndexElem()
			if e == nil || e.Name == "" {
				unsupported("ON CONFLICT on an expression")
			}
			out.Columns = append(out.Columns, e.Name)
		}
	}
	out.Set = c.assignments(oc.TargetList, "ON CONFLICT DO UPDATE")
	if oc.WhereClause != nil {
		out.Where = c.expr(oc.WhereClause)
	}
	return out
}

func (c *converter) update(s *pg_query.UpdateStmt) *ast.Update {
	if s.WithClause != nil {
		unsupported("WITH in UPDATE")
	}
	out := &ast.Update{Table: c.rangeVar(s.Relation), From: c.fromList(s.FromClause), Returning: c.targets(s.ReturningList)}
	out.Set = c.assignments(s.TargetList, "UPDATE")
	if s.WhereClause != nil {
		out.Where = c.expr(s.WhereClause)
	}
	return out
}

// assignments converts the SET list of UPDATE or ON CONFLICT DO UPDATE.
func (c *converter) assignments(list []*pg_query.Node, verb string) []ast.Assignment {
	var out []ast.Assignment
	for _, n := range list {
		t := n.GetResTarget()
		if len(t.Indirection) > 0 {
			unsupported(verb + " of a subfield or element")
		}
		if t.Val.GetMultiAssignRef() != nil {
			unsupported("multiple-column assignment")
		}
		out = append(out, ast.Assignment{Column: t.Name, Value: c.expr(t.Val)})
	}
	return out
}

func (c *converter) delete(s *pg_query.DeleteStmt) *ast.Delete {
	if s.WithClause != nil {
		unsupported("WITH in DELETE")
	}
	out := &ast.Delete{Table: c.rangeVar(s.Relation), Using: c.fromList(s.UsingClause), Returning: c.targets(s.ReturningList)}
	if s.WhereClause != nil {
		out.Where = c.expr(s.WhereClause)
	}
	return out
}

func (c *converter) createTable(s *pg_query.CreateStmt) *ast.CreateTable {
	switch {
	case len(s.InhRelations) > 0:
		unsupported("INHERITS")
	case s.Partspec != nil || s.Partbound != nil:
		unsupported("partitioned table")
	case s.OfTypename != nil:
		unsupported("CREATE TABLE OF type")
	case len(s.Options) > 0:
		unsupported("table storage parameter")
	case s.Relation.Relpersistence == "t":
		unsupported("temporary table")
	case s.Relation.Relpersistence == "u":
		unsupported("unlogged table")
	}
	out := &ast.CreateTable{Name: c.rangeVar(s.Relation), IfNotExists: s.IfNotExists}
	for _, n := range s.TableElts {
		switch x := n.Node.(type) {
		case *pg_query.Node_ColumnDef:
			out.Columns = append(out.Columns, c.columnDef(x.ColumnDef))
		case *pg_query.Node_Constraint:
			if x.Constraint.Contype == pg_query.ConstrType_CONSTR_UNIQUE {
				out.Unique = append(out.Unique, c.uniqueConstraint(x.Constraint))
				continue
			}
			if x.Constraint.Contype != pg_query.ConstrType_CONSTR_PRIMARY {
				unsupported("table constraint %s", constraintName(x.Constraint.Contype))
			}
			if out.PrimaryKey != nil {
				panic(c.errorAt(pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", out.Name.Name), int(x.Constraint.Location)))
			}
			out.PrimaryKey = c.names(x.Constraint.Keys)
		default:
			unsupported("%s in CREATE TABLE", nodeKind(n))
		}
	}
	return out
}

// uniqueConstraint converts UNIQUE, refusing what Eddy's unique indexes
// do not have (INCLUDE, WITH options, USING INDEX TABLESPACE, DEFERRABLE).
func (c *converter) uniqueConstraint(k *pg_query.Constraint) ast.UniqueConstraint {
	switch {
	case len(k.Including) > 0:
		unsupported("INCLUDE in a unique constraint")
	case len(k.Options) > 0:
		unsupported("index storage parameter")
	case k.Indexspace != "":
		unsupported("USING INDEX TABLESPACE")
	case k.Deferrable:
		unsupported("DEFERRABLE unique constraint")
	}
	return ast.UniqueConstraint{Name: k.Conname, Columns: c.names(k.Keys), NullsNotDistinct: k.NullsNotDistinct}
}

func constraintName(t pg_query.ConstrType) string {
	return strings.TrimPrefix(t.String(), "CONSTR_")
}

func (c *converter) columnDef(d *pg_query.ColumnDef) ast.ColumnDef {
	out := ast.ColumnDef{Name: d.Colname, Type: c.typeName(d.TypeName)}
	for _, n := range d.Constraints {
		k := n.GetConstraint()
		switch k.Contype {
		case pg_query.ConstrType_CONSTR_NULL:
		case pg_query.ConstrType_CONSTR_NOTNULL:
			out.NotNull = true
		case pg_query.ConstrType_CONSTR_DEFAULT:
			out.Default = c.expr(k.RawExpr)
		case pg_query.ConstrType_CONSTR_PRIMARY:
			out.PrimaryKey = true
		case pg_query.ConstrType_CONSTR_UNIQUE:
			u := c.uniqueConstraint(k)
			out.Unique = &u
		case pg_query.ConstrType_CONSTR_IDENTITY:
			c.identity(k, &out)
		default:
			unsupported("column constraint %s", constraintName(k.Contype))
		}
	}
	return out
}

func (c *converter) createTableAs(s *pg_query.CreateTableAsStmt) ast.Statement {
	if s.Objtype != pg_query.ObjectType_OBJECT_MATVIEW {
		unsupported("CREATE TABLE AS")
	}
	into := s.Into
	if into.SkipData {
		unsupported("WITH NO DATA")
	}
	if len(into.Options) > 0 || into.TableSpaceName != "" || into.AccessMethod != "" {
		unsupported("storage option on a materialized view")
	}
	return &ast.CreateMaterializedView{
		Name:        c.rangeVar(into.Rel),
		IfNotExists: s.IfNotExists,
		Columns:     c.names(into.ColNames),
		Query:       c.selectStmt(s.Query.GetSelectStmt()),
		QueryText:   c.viewQueryText(),
	}
}

func (c *converter) createView(s *pg_query.ViewStmt) ast.Statement {
	if len(s.Options) > 0 {
		unsupported("view option")
	}
	if s.WithCheckOption != pg_query.ViewCheckOption_NO_CHECK_OPTION {
		unsupported("WITH CHECK OPTION")
	}
	if s.View.Relpersistence == "t" {
		unsupported("temporary view")
	}
	return &ast.CreateView{
		Name:      c.rangeVar(s.View),
		OrReplace: s.Replace,
		Columns:   c.names(s.Aliases),
		Query:     c.selectStmt(s.Query.GetSelectStmt()),
		QueryText: c.viewQueryText(),
	}
}

// viewQueryText returns the source text of a view's query: everything after
// the first top-level AS following VIEW. pg_query gives a SelectStmt no
// location, so the tokens are the only way to it.
func (c *converter) viewQueryText() string {
	p := c.piece
	if p == nil {
		return ""
	}
	seenView := false
	depth := 0
	toks := p.toks()
	for i, t := range toks {
		switch t.Token {
		case pg_query.Token_VIEW:
			seenView = true
		case pg_query.Token_ASCII_40:
			depth++
		case pg_query.Token_ASCII_41:
			depth--
		case pg_query.Token_AS:
			if seenView && depth == 0 && i+1 < len(toks) {
				// c.text may have trailing clauses blanked; trim them.
				return strings.TrimSpace(c.text[int(toks[i+1].Start)-c.base : p.end-c.base])
			}
		}
	}
	return ""
}

var objectKinds = map[pg_query.ObjectType]ast.ObjectKind{
	pg_query.ObjectType_OBJECT_TABLE:    ast.ObjTable,
	pg_query.ObjectType_OBJECT_MATVIEW:  ast.ObjMaterializedView,
	pg_query.ObjectType_OBJECT_VIEW:     ast.ObjView,
	pg_query.ObjectType_OBJECT_SCHEMA:   ast.ObjSchema,
	pg_query.ObjectType_OBJECT_INDEX:    ast.ObjIndex,
	pg_query.ObjectType_OBJECT_SEQUENCE: ast.ObjSequence,
}

func objectKind(t pg_query.ObjectType) ast.ObjectKind {
	k, ok := objectKinds[t]
	if !ok {
		unsupported("%s", strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " "))
	}
	return k
}

func (c *converter) drop(s *pg_query.DropStmt) ast.Statement {
	if _, ok := objectKinds[s.RemoveType]; !ok {
		unsupported("%s", statementName(c.piece))
	}
	if s.Concurrent {
		unsupported("DROP INDEX CONCURRENTLY")
	}
	out := &ast.Drop{Kind: objectKind(s.RemoveType), IfExists: s.MissingOk, Cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
	for _, n := range s.Objects {
		if str := n.GetString_(); str != nil {
			out.Names = append(out.Names, ast.TableName{Name: str.Sval, Pos: -1})
			continue
		}
		out.Names = append(out.Names, qualifiedName(c.names(n.GetList().GetItems())))
	}
	return out
}

// qualifiedName builds a TableName from 1 to 3 name parts.
func qualifiedName(parts []string) ast.TableName {
	t := ast.TableName{Pos: -1}
	switch len(parts) {
	case 1:
		t.Name = parts[0]
	case 2:
		t.Schema, t.Name = parts[0], parts[1]
	case 3:
		t.Catalog, t.Schema, t.Name = parts[0], parts[1], parts[2]
	default:
		panic(pgerrorf("improper qualified name (too many dotted names): %s", strings.Join(parts, ".")))
	}
	return t
}

func (c *converter) rename(s *pg_query.RenameStmt) ast.Statement {
	if s.RenameType == pg_query.ObjectType_OBJECT_SCHEMA {
		return &ast.AlterRename{Kind: ast.ObjSchema, Name: ast.TableName{Name: s.Subname, Pos: -1}, NewName: s.Newname}
	}
	if _, ok := objectKinds[s.RenameType]; !ok || s.Relation == nil {
		unsupported("%s … RENAME", statementName(c.piece))
	}
	return &ast.AlterRename{Kind: objectKind(s.RenameType), Name: c.rangeVar(s.Relation), IfExists: s.MissingOk, NewName: s.Newname}
}

func (c *converter) setVariable(s *pg_query.VariableSetStmt) ast.Statement {
	out := &ast.SetVariable{Name: s.Name, Local: s.IsLocal}
	switch s.Kind {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		out.Values = c.exprs(s.Args)
	case pg_query.VariableSetKind_VAR_SET_DEFAULT:
		out.Values = []ast.Expr{&ast.Default{}}
	case pg_query.VariableSetKind_VAR_RESET:
		out.Reset = true
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		out.Name, out.Reset = "all", true
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		if s.Name == "TRANSACTION" {
			unsupported("SET TRANSACTION")
		}
		unsupported("SET %s", strings.ToUpper(strings.ReplaceAll(s.Name, "_", " ")))
	default:
		unsupported("SET … FROM CURRENT")
	}
	return out
}

func (c *converter) transaction(s *pg_query.TransactionStmt) ast.Statement {
	if s.Chain {
		unsupported("AND CHAIN")
	}
	// Transaction modes (ISOLATION LEVEL, READ ONLY, DEFERRABLE) are
	// accepted and dropped: Eddy's transactions always read one committed
	// epoch, which is stronger than any mode a client can ask for.
	switch s.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
		return &ast.Transaction{Kind: ast.Begin}
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		return &ast.Transaction{Kind: ast.Commit}
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		return &ast.Transaction{Kind: ast.Rollback}
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return &ast.Transaction{Kind: ast.Savepoint, Savepoint: s.SavepointName}
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return &ast.Transaction{Kind: ast.RollbackToSavepoint, Savepoint: s.SavepointName}
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return &ast.Transaction{Kind: ast.ReleaseSavepoint, Savepoint: s.SavepointName}
	}
	unsupported("%s", statementName(c.piece))
	return nil
}

func (c *converter) explain(s *pg_query.ExplainStmt) ast.Statement {
	out := &ast.Explain{}
	for _, n := range s.Options {
		d := n.GetDefElem()
		if d.Defname != "analyze" && d.Defname != "verbose" {
			unsupported("EXPLAIN option %s", strings.ToUpper(d.Defname))
		}
		on := d.Arg == nil || defElemBool(d.Defname, d.Arg)
		if d.Defname == "analyze" {
			out.Analyze = on
		} else {
			out.Verbose = on
		}
	}
	out.Statement = c.statement(s.Query)
	return out
}

// defElemBool reads an option's boolean argument (ON, true, 1, …).
func defElemBool(name string, n *pg_query.Node) bool {
	var s string
	switch {
	case n.GetString_() != nil:
		s = n.GetString_().Sval
	case n.GetBoolean() != nil:
		return n.GetBoolean().Boolval
	case n.GetInteger() != nil:
		return n.GetInteger().Ival != 0
	case n.GetAConst() != nil:
		k := n.GetAConst()
		switch {
		case k.GetBoolval() != nil:
			return k.GetBoolval().Boolval
		case k.GetIval() != nil:
			return k.GetIval().Ival != 0
		case k.GetSval() != nil:
			s = k.GetSval().Sval
		}
	}
	switch strings.ToLower(s) {
	case "on", "true", "yes", "1", "t", "y":
		return true
	case "off", "false", "no", "0", "f", "n":
		return false
	}
	panic(pgerror.New(pgerror.InvalidParameterValue, "%s requires a Boolean value", name))
}

// ---- FROM ----

func (c *converter) fromList(list []*pg_query.Node) []ast.TableExpr {
	var out []ast.TableExpr
	for _, n := range list {
		out = append(out, c.tableExpr(n))
	}
	return out
}

func (c *converter) tableExpr(n *pg_query.Node) ast.TableExpr {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		t := c.rangeVar(x.RangeVar)
		return &t
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		if j.JoinUsingAlias != nil {
			unsupported("JOIN USING … AS")
		}
		out := &ast.Join{Natural: j.IsNatural, Left: c.tableExpr(j.Larg), Right: c.tableExpr(j.Rarg),
			Using: c.names(j.UsingClause), Alias: c.alias(j.Alias)}
		switch j.Jointype {
		case pg_query.JoinType_JOIN_INNER:
			out.Kind = ast.InnerJoin
			if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
				out.Kind = ast.CrossJoin
			}
		case pg_query.JoinType_JOIN_LEFT:
			out.Kind = ast.LeftJoin
		case pg_query.JoinType_JOIN_RIGHT:
			out.Kind = ast.RightJoin
		case pg_query.JoinType_JOIN_FULL:
			out.Kind = ast.FullJoin
		default:
			unsupported("join type %s", j.Jointype)
		}
		if j.Quals != nil {
			out.On = c.expr(j.Quals)
		}
		return out
	case *pg_query.Node_RangeSubselect:
		r := x.RangeSubselect
		return &ast.Subquery{Query: c.selectStmt(r.Subquery.GetSelectStmt()), Alias: c.alias(r.Alias), Lateral: r.Lateral}
	case *pg_query.Node_RangeFunction:
		r := x.RangeFunction
		switch {
		case r.IsRowsfrom || len(r.Functions) != 1:
			unsupported("ROWS FROM")
		case len(r.Coldeflist) > 0:
			unsupported("column definition list")
		}
		items := r.Functions[0].GetList().GetItems()
		if len(items) > 1 && items[1].Node != nil {
			unsupported("column definition list")
		}
		f := items[0].GetFuncCall()
		if f == nil {
			unsupported("%s in FROM", nodeKind(items[0]))
		}
		return &ast.FunctionTable{Func: c.funcCall(f), Alias: c.alias(r.Alias), Lateral: r.Lateral, Ordinality: r.Ordinality}
	}
	unsupported("%s in FROM", nodeKind(n))
	return nil
}

func (c *converter) rangeVar(r *pg_query.RangeVar) ast.TableName {
	return ast.TableName{Catalog: r.Catalogname, Schema: r.Schemaname, Name: r.Relname,
		Alias: c.alias(r.Alias), Pos: c.pos(r.Location)}
}

func (c *converter) alias(a *pg_query.Alias) *ast.Alias {
	if a == nil {
		return nil
	}
	return &ast.Alias{Name: a.Aliasname, Columns: c.names(a.Colnames)}
}

// names reads a list of String nodes.
func (c *converter) names(list []*pg_query.Node) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, n := range list {
		s := n.GetString_()
		if s == nil {
			unsupported("%s as a name", nodeKind(n))
		}
		out[i] = s.Sval
	}
	return out
}

// ---- Expressions ----

func (c *converter) exprs(list []*pg_query.Node) []ast.Expr {
	if len(list) == 0 {
		return nil
	}
	out := make([]ast.Expr, len(list))
	for i, n := range list {
		out[i] = c.expr(n)
	}
	return out
}

func (c *converter) expr(n *pg_query.Node) ast.Expr {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		ref := x.ColumnRef
		if isStar(ref) {
			unsupported("* in an expression")
		}
		parts := make([]string, len(ref.Fields))
		for i, f := range ref.Fields {
			parts[i] = f.GetString_().Sval
		}
		return &ast.ColumnRef{Parts: parts, Pos: c.pos(ref.Location)}
	case *pg_query.Node_AConst:
		return c.constant(x.AConst)
	case *pg_query.Node_ParamRef:
		return &ast.Param{Index: int(x.ParamRef.Number), Pos: c.pos(x.ParamRef.Location)}
	case *pg_query.Node_AExpr:
		return c.aExpr(x.AExpr)
	case *pg_query.Node_BoolExpr:
		b := x.BoolExpr
		out := &ast.BoolExpr{Args: c.exprs(b.Args)}
		switch b.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			out.Op = ast.And
		case pg_query.BoolExprType_OR_EXPR:
			out.Op = ast.Or
		default:
			out.Op = ast.Not
		}
		return out
	case *pg_query.Node_NullTest:
		if x.NullTest.Argisrow {
			unsupported("IS NULL on a row")
		}
		return &ast.IsNull{Expr: c.expr(x.NullTest.Arg), Not: x.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL}
	case *pg_query.Node_BooleanTest:
		out := &ast.IsBool{Expr: c.expr(x.BooleanTest.Arg)}
		switch x.BooleanTest.Booltesttype {
		case pg_query.BoolTestType_IS_TRUE:
			out.Test = ast.IsTrue
		case pg_query.BoolTestType_IS_NOT_TRUE:
			out.Test, out.Not = ast.IsTrue, true
		case pg_query.BoolTestType_IS_FALSE:
			out.Test = ast.IsFalse
		case pg_query.BoolTestType_IS_NOT_FALSE:
			out.Test, out.Not = ast.IsFalse, true
		case pg_query.BoolTestType_IS_UNKNOWN:
			out.Test = ast.IsUnknown
		case pg_query.BoolTestType_IS_NOT_UNKNOWN:
			out.Test, out.Not = ast.IsUnknown, true
		}
		return out
	case *pg_query.Node_FuncCall:
		return c.funcCall(x.FuncCall)
	case *pg_query.Node_TypeCast:
		return &ast.Cast{Expr: c.expr(x.TypeCast.Arg), Type: c.typeName(x.TypeCast.TypeName), Pos: c.pos(x.TypeCast.Location)}
	case *pg_query.Node_CollateClause:
		return &ast.Collate{Expr: c.expr(x.CollateClause.Arg), Collation: c.names(x.CollateClause.Collname)}
	case *pg_query.Node_CaseExpr:
		k := x.CaseExpr
		out := &ast.Case{}
		if k.Arg != nil {
			out.Operand = c.expr(k.Arg)
		}
		for _, w := range k.Args {
			cw := w.GetCaseWhen()
			out.Whens = append(out.Whens, ast.When{Cond: c.expr(cw.Expr), Result: c.expr(cw.Result)})
		}
		if k.Defresult != nil {
			out.Else = c.expr(k.Defresult)
		}
		return out
	case *pg_query.Node_CoalesceExpr:
		return &ast.Coalesce{Args: c.exprs(x.CoalesceExpr.Args)}
	case *pg_query.Node_MinMaxExpr:
		return &ast.GreatestLeast{Greatest: x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_GREATEST, Args: c.exprs(x.MinMaxExpr.Args)}
	case *pg_query.Node_SqlvalueFunction:
		return c.sqlValueFunction(x.SqlvalueFunction)
	case *pg_query.Node_SubLink:
		return c.subLink(x.SubLink)
	case *pg_query.Node_AArrayExpr:
		return &ast.ArrayExpr{Elems: c.exprs(x.AArrayExpr.Elements)}
	case *pg_query.Node_AIndirection:
		out := c.expr(x.AIndirection.Arg)
		for _, ind := range x.AIndirection.Indirection {
			if f := ind.GetString_(); f != nil {
				out = &ast.FieldSelect{Expr: out, Field: f.Sval}
				continue
			}
			idx := ind.GetAIndices()
			if idx == nil {
				unsupported("field selection")
			}
			if idx.IsSlice {
				unsupported("array slice")
			}
			out = &ast.Subscript{Expr: out, Index: c.expr(idx.Uidx)}
		}
		return out
	case *pg_query.Node_SetToDefault:
		return &ast.Default{}
	case *pg_query.Node_RowExpr:
		// row(…) builds a record (row.go).
		return &ast.FuncCall{Name: []string{"row"}, Args: c.exprs(x.RowExpr.Args), Pos: c.pos(x.RowExpr.Location)}
	case *pg_query.Node_GroupingFunc:
		unsupported("GROUPING")
	}
	unsupported("%s", nodeKind(n))
	return nil
}

func (c *converter) constant(k *pg_query.A_Const) *ast.Literal {
	pos := c.pos(k.Location)
	if k.Isnull {
		return &ast.Literal{Kind: ast.LitNull, Text: "NULL", Pos: pos}
	}
	switch v := k.Val.(type) {
	case *pg_query.A_Const_Ival:
		return &ast.Literal{Kind: ast.LitInteger, Text: strconv.FormatInt(int64(v.Ival.Ival), 10), Pos: pos}
	case *pg_query.A_Const_Fval:
		kind, text := numberLiteral(v.Fval.Fval)
		return &ast.Literal{Kind: kind, Text: text, Pos: pos}
	case *pg_query.A_Const_Boolval:
		return &ast.Literal{Kind: ast.LitBool, Text: strconv.FormatBool(v.Boolval.Boolval), Pos: pos}
	case *pg_query.A_Const_Sval:
		return &ast.Literal{Kind: ast.LitString, Text: v.Sval.Sval, Pos: pos}
	case *pg_query.A_Const_Bsval:
		return &ast.Literal{Kind: ast.LitBitString, Text: v.Bsval.Bsval, Pos: pos}
	}
	// pg_query leaves Val unset for the integer 0.
	return &ast.Literal{Kind: ast.LitInteger, Text: "0", Pos: pos}
}

// numberLiteral classifies a numeric literal PostgreSQL did not fit into an
// int32: an integer that fits int64 (PostgreSQL types it bigint), else a
// numeric. Hexadecimal, octal and binary forms and underscores are
// normalised to plain decimal text.
func numberLiteral(text string) (ast.LiteralKind, string) {
	if v, err := strconv.ParseInt(text, 0, 64); err == nil {
		return ast.LitInteger, strconv.FormatInt(v, 10)
	}
	if b, ok := new(big.Int).SetString(text, 0); ok {
		return ast.LitNumeric, b.String()
	}
	return ast.LitNumeric, strings.ReplaceAll(text, "_", "")
}

var likeOps = map[string]struct{ not, insensitive bool }{
	"~~": {}, "!~~": {not: true}, "~~*": {insensitive: true}, "!~~*": {not: true, insensitive: true},
}

func (c *converter) aExpr(e *pg_query.A_Expr) ast.Expr {
	if r, ok := c.rowComparison(e); ok {
		return r
	}
	op := c.operatorName(e.Name)
	pos := c.pos(e.Location)
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if op == "!=" {
			op = "<>"
		}
		if e.Lexpr == nil {
			return &ast.UnaryExpr{Op: op, Operand: c.expr(e.Rexpr), Pos: pos}
		}
		if e.Rexpr == nil {
			unsupported("postfix operator")
		}
		return &ast.BinaryExpr{Op: op, Left: c.expr(e.Lexpr), Right: c.expr(e.Rexpr), Pos: pos}
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		return &ast.AnyAll{Expr: c.expr(e.Lexpr), Op: op, All: e.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL, Array: c.expr(e.Rexpr)}
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		return &ast.IsDistinctFrom{Left: c.expr(e.Lexpr), Right: c.expr(e.Rexpr), Not: e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT}
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		return &ast.NullIf{Left: c.expr(e.Lexpr), Right: c.expr(e.Rexpr)}
	case pg_query.A_Expr_Kind_AEXPR_IN:
		return &ast.InList{Expr: c.expr(e.Lexpr), List: c.exprs(e.Rexpr.GetList().GetItems()), Not: op == "<>"}
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		k, ok := likeOps[op]
		if !ok {
			unsupported("LIKE operator %s", op)
		}
		out := &ast.Like{Expr: c.expr(e.Lexpr), Not: k.not, CaseInsensitive: k.insensitive}
		// PostgreSQL's grammar writes `p ESCAPE e` as like_escape(p, e).
		if f := e.Rexpr.GetFuncCall(); f != nil && len(f.Args) == 2 && len(f.Funcname) == 2 &&
			f.Funcname[0].GetString_().GetSval() == "pg_catalog" && f.Funcname[1].GetString_().GetSval() == "like_escape" {
			out.Pattern, out.Escape = c.expr(f.Args[0]), c.expr(f.Args[1])
		} else {
			out.Pattern = c.expr(e.Rexpr)
		}
		return out
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		unsupported("SIMILAR TO")
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		bounds := e.Rexpr.GetList().GetItems()
		return &ast.Between{Expr: c.expr(e.Lexpr), Low: c.expr(bounds[0]), High: c.expr(bounds[1]),
			Not:       e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN || e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM,
			Symmetric: e.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM || e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM}
	}
	unsupported("expression kind %s", e.Kind)
	return nil
}

// operatorName reads an operator name, dropping a pg_catalog qualifier
// (psql writes OPERATOR(pg_catalog.~)).
func (c *converter) operatorName(list []*pg_query.Node) string {
	names := c.names(list)
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) == 2 && names[0] == "pg_catalog":
		return names[1]
	case len(names) == 0:
		return ""
	}
	unsupported("operator %s", strings.Join(names, "."))
	return ""
}

func (c *converter) funcCall(f *pg_query.FuncCall) *ast.FuncCall {
	if f.AggWithinGroup {
		unsupported("WITHIN GROUP")
	}
	if f.FuncVariadic {
		unsupported("VARIADIC")
	}
	args := c.namedArgs(f)
	out := &ast.FuncCall{Name: c.names(f.Funcname), Args: args, Star: f.AggStar,
		Distinct: f.AggDistinct, OrderBy: c.orderBy(f.AggOrder), Pos: c.pos(f.Location)}
	if f.AggFilter != nil {
		out.Filter = c.expr(f.AggFilter)
	}
	if f.Over != nil {
		out.Over = c.window(f.Over)
	}
	return out
}

// Frame option bits from PostgreSQL's parsenodes.h.
const (
	frameNonDefault              = 0x1
	frameRange                   = 0x2
	frameRows                    = 0x4
	frameGroups                  = 0x8
	frameStartUnboundedPreceding = 0x20
	frameEndUnboundedFollowing   = 0x100
	frameStartCurrentRow         = 0x200
	frameEndCurrentRow           = 0x400
	frameStartOffsetPreceding    = 0x800
	frameEndOffsetPreceding      = 0x1000
	frameStartOffsetFollowing    = 0x2000
	frameEndOffsetFollowing      = 0x4000
	frameExclusion               = 0x8000 | 0x10000 | 0x20000
	frameStartUnboundedFollowing = 0x80
	frameEndUnboundedPreceding   = 0x40
)

func (c *converter) window(w *pg_query.WindowDef) *ast.WindowSpec {
	w = c.resolveWindow(w, true)
	out := &ast.WindowSpec{Name: w.Name, PartitionBy: c.exprs(w.PartitionClause), OrderBy: c.orderBy(w.OrderClause)}
	if w.Refname != "" {
		out.Name = w.Refname
	}
	opts := w.FrameOptions
	if opts&frameNonDefault == 0 {
		return out
	}
	if opts&frameExclusion != 0 {
		unsupported("frame exclusion")
	}
	f := &ast.WindowFrame{}
	switch {
	case opts&frameRows != 0:
		f.Mode = "ROWS"
	case opts&frameGroups != 0:
		f.Mode = "GROUPS"
	default:
		f.Mode = "RANGE"
	}
	bound := func(unboundedPreceding, unboundedFollowing, currentRow, offsetPreceding, offsetFollowing int32, offset *pg_query.Node) (string, ast.Expr) {
		switch {
		case opts&unboundedPreceding != 0:
			return "UNBOUNDED PRECEDING", nil
		case opts&unboundedFollowing != 0:
			return "UNBOUNDED FOLLOWING", nil
		case opts&currentRow != 0:
			return "CURRENT ROW", nil
		case opts&offsetPreceding != 0:
			e := c.expr(offset)
			return e.String() + " PRECEDING", e
		case opts&offsetFollowing != 0:
			e := c.expr(offset)
			return e.String() + " FOLLOWING", e
		}
		// A frame with only a start bound ends at the current row.
		return "CURRENT ROW", nil
	}
	f.Start, f.StartExpr = bound(frameStartUnboundedPreceding, frameStartUnboundedFollowing, frameStartCurrentRow,
		frameStartOffsetPreceding, frameStartOffsetFollowing, w.StartOffset)
	f.End, f.EndExpr = bound(frameEndUnboundedPreceding, frameEndUnboundedFollowing, frameEndCurrentRow,
		frameEndOffsetPreceding, frameEndOffsetFollowing, w.EndOffset)
	out.Frame = f
	return out
}

var sqlValueFunctions = map[pg_query.SQLValueFunctionOp]string{
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:      "current_date",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME:      "current_time",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP: "current_timestamp",
	pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME:         "localtime",
	pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:    "localtimestamp",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:      "current_role",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:      "current_user",
	pg_query.SQLValueFunctionOp_SVFOP_USER:              "user",
	pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:      "session_user",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:   "current_catalog",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:    "current_schema",
}

func (c *converter) sqlValueFunction(f *pg_query.SQLValueFunction) ast.Expr {
	name, ok := sqlValueFunctions[f.Op]
	if !ok {
		unsupported("%s with a precision", strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(f.Op.String(), "SVFOP_"), "_N")))
	}
	return &ast.SpecialFunc{Name: name}
}

func (c *converter) subLink(s *pg_query.SubLink) ast.Expr {
	q := c.selectStmt(s.Subselect.GetSelectStmt())
	switch s.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		return &ast.SubqueryExpr{Kind: ast.ExistsSubquery, Query: q}
	case pg_query.SubLinkType_EXPR_SUBLINK:
		return &ast.SubqueryExpr{Kind: ast.ScalarSubquery, Query: q}
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		return &ast.SubqueryExpr{Kind: ast.ArraySubquery, Query: q}
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		op := c.operatorName(s.OperName)
		if op == "" { // x IN (subquery)
			op = "="
		}
		kind := ast.AnySubquery
		if s.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK {
			kind = ast.AllSubquery
		}
		return &ast.SubqueryExpr{Kind: kind, Expr: c.expr(s.Testexpr), Op: op, Query: q}
	}
	unsupported("row comparison with a subquery")
	return nil
}

// Interval field masks from PostgreSQL's datetime.h (INTERVAL_MASK).
const (
	maskMonth  = 1 << 1
	maskYear   = 1 << 2
	maskDay    = 1 << 3
	maskHour   = 1 << 10
	maskMinute = 1 << 11
	maskSecond = 1 << 12

	intervalFullRange     = 0x7FFF
	intervalFullPrecision = 0xFFFF
)

var intervalFields = map[int32]string{
	maskYear:                        "YEAR",
	maskMonth:                       "MONTH",
	maskDay:                         "DAY",
	maskHour:                        "HOUR",
	maskMinute:                      "MINUTE",
	maskSecond:                      "SECOND",
	maskYear | maskMonth:            "YEAR TO MONTH",
	maskDay | maskHour:              "DAY TO HOUR",
	maskDay | maskHour | maskMinute: "DAY TO MINUTE",
	maskDay | maskHour | maskMinute | maskSecond: "DAY TO SECOND",
	maskHour | maskMinute:                        "HOUR TO MINUTE",
	maskHour | maskMinute | maskSecond:           "HOUR TO SECOND",
	maskMinute | maskSecond:                      "MINUTE TO SECOND",
}

func (c *converter) typeName(t *pg_query.TypeName) ast.TypeName {
	if t.Setof {
		unsupported("SETOF")
	}
	if t.PctType {
		unsupported("%%TYPE")
	}
	names := c.names(t.Names)
	if len(names) == 2 && names[0] == "pg_catalog" {
		names = names[1:]
	}
	if len(names) != 1 {
		unsupported("type %s", strings.Join(names, "."))
	}
	out := ast.TypeName{Name: names[0], ArrayDims: len(t.ArrayBounds), Pos: c.pos(t.Location)}
	for _, m := range t.Typmods {
		k := m.GetAConst()
		if k == nil || k.GetSval() != nil || k.GetFval() != nil || k.GetBoolval() != nil || k.Isnull {
			unsupported("type modifier %s", nodeKind(m))
		}
		out.Mods = append(out.Mods, k.GetIval().GetIval())
	}
	if out.Name == "interval" && len(out.Mods) > 0 {
		mask := out.Mods[0]
		if mask != intervalFullRange {
			field, ok := intervalFields[mask]
			if !ok {
				unsupported("interval field restriction")
			}
			out.Fields = field
		}
		out.Mods = out.Mods[1:]
		if len(out.Mods) == 1 && out.Mods[0] == intervalFullPrecision {
			out.Mods = nil
		}
		if len(out.Mods) == 0 {
			out.Mods = nil
		}
	}
	return out
}
