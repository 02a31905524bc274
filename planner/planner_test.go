package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// testCatalog holds:
//
//	t(a int primary key, b int, c text)
//	u(x int primary key, y int)
//	w(p int, q text)              -- no primary key: hidden _row_id
//	k(k1 int, k2 int, v text, primary key (k1, k2))
//	mv: materialized view (g text, n bigint) keyed by g
func testCatalog() *catalog.Catalog {
	cat := catalog.New()
	cat.Add(&catalog.Relation{ID: 100, Kind: catalog.KindTable, Schema: "public", Name: "t", Key: []int{0}, UserPrimaryKey: true,
		Columns: []catalog.Column{{Name: "a", Type: types.Int32, NotNull: true}, {Name: "b", Type: types.Int32}, {Name: "c", Type: types.Text}}})
	cat.Add(&catalog.Relation{ID: 101, Kind: catalog.KindTable, Schema: "public", Name: "u", Key: []int{0}, UserPrimaryKey: true,
		Columns: []catalog.Column{{Name: "x", Type: types.Int32, NotNull: true}, {Name: "y", Type: types.Int32}}})
	cat.Add(&catalog.Relation{ID: 102, Kind: catalog.KindTable, Schema: "public", Name: "w", Key: []int{2},
		Columns: []catalog.Column{{Name: "p", Type: types.Int32}, {Name: "q", Type: types.Text, Default: "'none'"}, {Name: catalog.RowIDColumn, Type: types.Int64, Hidden: true}}})
	cat.Add(&catalog.Relation{ID: 103, Kind: catalog.KindTable, Schema: "public", Name: "k", Key: []int{0, 1}, UserPrimaryKey: true,
		Columns: []catalog.Column{{Name: "k1", Type: types.Int32, NotNull: true}, {Name: "k2", Type: types.Int32, NotNull: true}, {Name: "v", Type: types.Text}}})
	cat.Add(&catalog.Relation{ID: 104, Kind: catalog.KindMaterializedView, Schema: "public", Name: "mv", Key: []int{0},
		Columns: []catalog.Column{{Name: "g", Type: types.Text}, {Name: "n", Type: types.Int64}}, SQL: "SELECT c AS g, count(*) AS n FROM t GROUP BY c"})
	return cat
}

// TestPlans runs every testdata/*.txt file through cockroachdb/datadriven.
// Each case is a directive, the SQL as input and the expected output:
//
//   - plan: a query, INSERT, UPDATE or DELETE; EXPLAIN of its batch plan,
//     with its output columns and parameters
//   - logical: a query; its optimized logical plan (explainLogical)
//   - stream: CREATE MATERIALIZED VIEW or a bare query; the streaming plan
//     with its columns and key
//
// A failure prints "ERROR <sqlstate>: <message>". -rewrite regenerates the
// expectations.
func TestPlans(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
			parallelism := 0
			if td.HasArg("parallelism") {
				td.ScanArgs(t, "parallelism", &parallelism)
			}
			return strings.TrimRight(runCase(td.Cmd, td.Input, parallelism), "\n") + "\n"
		})
	})
}

func runCase(directive, sql string, parallelism int) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("PANIC: %v", r)
		}
	}()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return "PARSE ERROR: " + err.Error()
	}
	p := New(testCatalog(), Options{StreamingParallelism: parallelism})
	switch directive {
	case "plan":
		return planStatement(p, stmt)
	case "logical":
		sel, ok := stmt.(*ast.Select)
		if !ok {
			return fmt.Sprintf("logical wants a query, got %T", stmt)
		}
		b := p.newBinder(&Params{})
		q, err := b.bindQuery(sel, nil, true)
		if err != nil {
			return errorString(err)
		}
		return explainLogical(optimize(q.plan, batchMode))
	case "stream":
		mv, ok := stmt.(*ast.CreateMaterializedView)
		if !ok {
			sel, ok := stmt.(*ast.Select)
			if !ok {
				return fmt.Sprintf("stream wants a query, got %T", stmt)
			}
			mv = &ast.CreateMaterializedView{Name: ast.TableName{Name: "v"}, Query: sel}
		}
		next := uint32(1000)
		plan, err := p.PlanMaterializedView(mv, func() uint32 { next++; return next })
		if err != nil {
			return errorString(err)
		}
		var sb strings.Builder
		sb.WriteString(Explain(plan.Root))
		cols := make([]string, len(plan.Columns))
		for i, col := range plan.Columns {
			cols[i] = col.Name + " " + col.Type.String()
			if col.Hidden {
				cols[i] += " hidden"
			}
		}
		fmt.Fprintf(&sb, "columns: %s\nkey: %v\ndepends on: %v", strings.Join(cols, ", "), plan.Key, plan.DependsOn)
		return sb.String()
	}
	return "unknown directive " + directive
}

func planStatement(p *Planner, stmt ast.Statement) string {
	params := &Params{}
	switch s := stmt.(type) {
	case *ast.Select:
		plan, err := p.PlanQuery(s, params)
		if err != nil {
			return errorString(err)
		}
		return joinLines(Explain(plan), outputLine(plan.Output()), paramsLine(params))
	case *ast.Insert:
		plan, err := p.PlanInsert(s, params)
		if err != nil {
			return errorString(err)
		}
		return joinLines("insert into "+plan.Table.Name+conflictNote(plan.OnConflict), Explain(plan.Source), returningLine(plan.Returning, plan.ReturningColumns), paramsLine(params))
	case *ast.Update:
		plan, err := p.PlanUpdate(s, params)
		if err != nil {
			return errorString(err)
		}
		return joinLines("update "+plan.Table.Name, Explain(plan.Source), returningLine(plan.Returning, plan.ReturningColumns), paramsLine(params))
	case *ast.Delete:
		plan, err := p.PlanDelete(s, params)
		if err != nil {
			return errorString(err)
		}
		return joinLines("delete from "+plan.Table.Name, Explain(plan.Source), returningLine(plan.Returning, plan.ReturningColumns), paramsLine(params))
	}
	return fmt.Sprintf("plan does not take %T", stmt)
}

func conflictNote(oc *OnConflictPlan) string {
	switch {
	case oc == nil:
		return ""
	case oc.Arbiter == ArbiterAny:
		return " on conflict do nothing"
	case oc.DoUpdate:
		return fmt.Sprintf(" on conflict (arbiter %d) do update set %v where %v", oc.Arbiter, oc.Set, oc.Where)
	}
	return fmt.Sprintf(" on conflict (arbiter %d) do nothing", oc.Arbiter)
}

func outputLine(out []OutputColumn) string {
	cols := make([]string, len(out))
	for i, c := range out {
		cols[i] = c.Name + " " + c.Type.String()
		if c.Hidden {
			cols[i] += " HIDDEN"
		}
	}
	return "output: " + strings.Join(cols, ", ")
}

func returningLine(es []expr.Expr, cols []OutputColumn) string {
	if len(es) == 0 {
		return ""
	}
	items := make([]string, len(es))
	for i, e := range es {
		items[i] = e.String()
	}
	return "returning: [" + strings.Join(items, ", ") + "]\n" + outputLine(cols)
}

func paramsLine(p *Params) string {
	if len(p.Types) == 0 {
		return ""
	}
	ts := make([]string, len(p.Types))
	for i, t := range p.Types {
		ts[i] = fmt.Sprintf("$%d %s", i+1, t)
	}
	return "params: " + strings.Join(ts, ", ")
}

func errorString(err error) string {
	pe := pgerror.From(err)
	return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
}

func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimRight(p, "\n"); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
