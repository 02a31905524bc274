package planner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/parser"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func mustSelect(t *testing.T, sql string) *ast.Select {
	t.Helper()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		t.Fatal(err)
	}
	sel, ok := stmt.(*ast.Select)
	if !ok {
		t.Fatalf("%s: got %T", sql, stmt)
	}
	return sel
}

func TestDeclaredParamTypesWin(t *testing.T) {
	p := New(testCatalog(), Options{})
	params := &Params{Types: []types.T{types.Int64, types.Unknown}}
	if _, err := p.PlanQuery(mustSelect(t, "SELECT a FROM t WHERE a = $1 AND c = $2"), params); err != nil {
		t.Fatal(err)
	}
	if len(params.Types) != 2 || params.Types[0] != types.Int64 || params.Types[1] != types.Text {
		t.Fatalf("params = %v", params.Types)
	}
}

func TestErrorPosition(t *testing.T) {
	p := New(testCatalog(), Options{})
	_, err := p.PlanQuery(mustSelect(t, "SELECT a FROM missing"), &Params{})
	pe := pgerror.From(err)
	if pe.Code != pgerror.UndefinedTable || pe.Position != 15 {
		t.Fatalf("got %s at %d: %s", pe.Code, pe.Position, pe.Message)
	}
	_, err = p.PlanQuery(mustSelect(t, "SELECT a, nope FROM t"), &Params{})
	if pe = pgerror.From(err); pe.Code != pgerror.UndefinedColumn || pe.Position != 11 {
		t.Fatalf("got %s at %d: %s", pe.Code, pe.Position, pe.Message)
	}
}

func TestRootOutputNamesBaseColumns(t *testing.T) {
	p := New(testCatalog(), Options{})
	plan, err := p.PlanQuery(mustSelect(t, "SELECT c, a + 1 FROM t ORDER BY b"), &Params{})
	if err != nil {
		t.Fatal(err)
	}
	out := plan.Output()
	if len(out) != 2 || out[0].TableID != 100 || out[0].AttrNum != 3 || out[1].TableID != 0 {
		t.Fatalf("output = %+v", out)
	}
	for _, c := range out {
		if c.Hidden {
			t.Fatalf("hidden column at the root: %+v", out)
		}
	}
}

// TestStreamPlanningIsDeterministic checks that re-planning a view asks
// for the same state table ids in the same places, as a restart does.
func TestStreamPlanningIsDeterministic(t *testing.T) {
	sql := "SELECT t.c, u.y, count(*), max(t.b) FROM t JOIN u ON t.b = u.x JOIN k ON k.k1 = u.y GROUP BY t.c, u.y"
	var first string
	for i := 0; i < 5; i++ {
		p := New(testCatalog(), Options{})
		next := uint32(0)
		plan, err := p.PlanMaterializedView(&ast.CreateMaterializedView{Query: mustSelect(t, sql)}, func() uint32 { next++; return next })
		if err != nil {
			t.Fatal(err)
		}
		got := Explain(plan.Root)
		if i == 0 {
			first = got
			if next != 6 {
				t.Fatalf("allocated %d state tables, want 6:\n%s", next, got)
			}
		} else if got != first {
			t.Fatalf("plan changed between runs:\n%s\nvs\n%s", first, got)
		}
	}
}

// TestCorpusNeverPanics plans every query and DML statement of the
// end-to-end corpus against the test catalog: errors are fine (the tables
// differ), panics are not.
func TestCorpusNeverPanics(t *testing.T) {
	files, _ := filepath.Glob("../tests/testdata/slt/*.slt")
	n := 0
	for _, file := range files {
		cat := catalog.New()
		p := New(cat, Options{})
		nextID := uint32(1000)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(data), "\n\n") {
			lines := strings.Split(strings.TrimSpace(block), "\n")
			for len(lines) > 0 && strings.HasPrefix(lines[0], "#") {
				lines = lines[1:]
			}
			if len(lines) < 2 || !(strings.HasPrefix(lines[0], "statement") || strings.HasPrefix(lines[0], "query")) {
				continue
			}
			var sqlLines []string
			for _, l := range lines[1:] {
				if l == "----" {
					break
				}
				sqlLines = append(sqlLines, l)
			}
			sql := strings.Join(sqlLines, "\n")
			stmts, err := parser.Parse(sql)
			if err != nil {
				continue
			}
			for _, stmt := range stmts {
				n++
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("panic planning %q: %v", sql, r)
						}
					}()
					if err := planAny(p, stmt); err != nil && testing.Verbose() {
						t.Logf("%s: %s: %v", filepath.Base(file), strings.ReplaceAll(sql, "\n", " "), errorString(err))
					}
					defineForTest(cat, stmt, &nextID, p)
				}()
			}
		}
	}
	t.Logf("planned %d statements", n)
}

func planAny(p *Planner, stmt ast.Statement) error {
	var err error
	switch s := stmt.(type) {
	case *ast.Select:
		var plan Plan
		if plan, err = p.PlanQuery(s, &Params{}); err == nil {
			Explain(plan)
		}
	case *ast.Insert:
		_, err = p.PlanInsert(s, &Params{})
	case *ast.Update:
		_, err = p.PlanUpdate(s, &Params{})
	case *ast.Delete:
		_, err = p.PlanDelete(s, &Params{})
	case *ast.CreateMaterializedView:
		next := uint32(0)
		var plan *MaterializedViewPlan
		if plan, err = p.PlanMaterializedView(s, func() uint32 { next++; return next }); err == nil {
			Explain(plan.Root)
		}
	case *ast.Explain:
		return planAny(p, s.Statement)
	}
	return err
}

// defineForTest adds what a CREATE statement defines to cat, roughly as
// the session would, so later statements of the corpus bind.
func defineForTest(cat *catalog.Catalog, stmt ast.Statement, nextID *uint32, p *Planner) {
	*nextID++
	switch s := stmt.(type) {
	case *ast.CreateTable:
		rel := &catalog.Relation{ID: *nextID, Kind: catalog.KindTable, Schema: "public", Name: s.Name.Name}
		pk := append([]string{}, s.PrimaryKey...)
		for _, c := range s.Columns {
			typ, err := resolveType(c.Type)
			if err != nil {
				return
			}
			rel.Columns = append(rel.Columns, catalog.Column{Name: c.Name, Type: typ})
			if c.PrimaryKey {
				pk = append(pk, c.Name)
			}
		}
		for _, name := range pk {
			rel.Key = append(rel.Key, rel.ColumnIndex(name))
		}
		if len(rel.Key) == 0 {
			rel.Columns = append(rel.Columns, catalog.Column{Name: catalog.RowIDColumn, Type: types.Int64, Hidden: true})
			rel.Key = []int{len(rel.Columns) - 1}
		}
		cat.Add(rel)
	case *ast.CreateMaterializedView:
		plan, err := p.PlanMaterializedView(s, func() uint32 { *nextID++; return *nextID })
		if err != nil {
			return
		}
		cat.Add(&catalog.Relation{ID: *nextID + 1000, Kind: catalog.KindMaterializedView, Schema: "public", Name: s.Name.Name, Columns: plan.Columns, Key: plan.Key})
	}
}
