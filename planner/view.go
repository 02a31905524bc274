package planner

import (
	"sort"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// ViewPlan describes a (non-materialized) view: a stored query that the
// binder expands where the view is read.
type ViewPlan struct {
	// Columns are the view's columns, named by the column list if given.
	Columns []catalog.Column
	// DependsOn are the ids of the relations the query reads, ascending.
	DependsOn []uint32
}

// PlanView checks a view's query and describes its columns.
func (p *Planner) PlanView(v *ast.CreateView) (*ViewPlan, error) {
	b := p.newBinder(nil)
	q, err := b.bindQuery(v.Query, nil, true)
	if err != nil {
		return nil, err
	}
	if b.params.max > 0 {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", b.params.max)
	}
	if len(v.Columns) > len(q.cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	vp := &ViewPlan{}
	used := map[string]bool{}
	for i, c := range q.cols {
		name := c.name
		if i < len(v.Columns) {
			name = v.Columns[i]
		}
		if used[name] {
			return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", name)
		}
		used[name] = true
		vp.Columns = append(vp.Columns, catalog.Column{Name: name, Type: c.t})
	}
	vp.DependsOn = append(vp.DependsOn, b.depends...)
	sort.Slice(vp.DependsOn, func(i, j int) bool { return vp.DependsOn[i] < vp.DependsOn[j] })
	return vp, nil
}

// bindView expands a view where it is read: its stored query bound afresh,
// in no outer scope and with no WITH names of the reading query, its
// columns named as the catalog names them.
func (b *binder) bindView(tn *ast.TableName, rel *catalog.Relation) (logical, []scopeColumn, error) {
	stmt, err := parser.ParseOne(rel.SQL)
	if err != nil {
		return nil, nil, pgerror.Internal("planner: view %s does not parse: %v", rel.QualifiedName(), err)
	}
	sel, ok := stmt.(*ast.Select)
	if !ok {
		return nil, nil, pgerror.Internal("planner: view %s is not a query", rel.QualifiedName())
	}
	if b.viewDepth > 32 {
		return nil, nil, pgerror.New(pgerror.InvalidObjectDefinition, "infinite recursion detected in rules for relation %q", rel.Name)
	}
	b.addDependency(rel.ID)
	saved := b.ctes
	b.ctes = nil
	b.viewDepth++
	q, err := b.bindQuery(sel, nil, true)
	b.viewDepth--
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	if len(q.cols) != len(rel.Columns) {
		return nil, nil, pgerror.New(pgerror.InternalError, "view %s no longer matches its definition", rel.QualifiedName())
	}
	cols := make([]column, len(q.cols))
	copy(cols, q.cols)
	for i := range cols {
		cols[i].name = rel.Columns[i].Name
	}
	plan, scols, err := b.derivedTable(&boundQuery{plan: q.plan, cols: cols}, rel.Name, tn.Alias)
	if err == nil && tn.Alias == nil {
		for i := range scols {
			scols[i].schema = rel.Schema
		}
	}
	return plan, scols, err
}
