package executor

import (
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/parser"
)

// TestQueries runs testdata/*.txt: queries over VALUES, planned by the
// planner and run by Run, each case
//
//	query
//	<sql>
//	----
//	<EXPLAIN of the plan>
//	<the rows as chunks print them, or "error CODE: message">
//
// so that each file shows the operator it exercises (semi_join, apply,
// set_op, window, table_function) and its output as data. -rewrite
// regenerates the expected outputs.
func TestQueries(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
			if td.Cmd != "query" {
				td.Fatalf(t, "unknown directive %q", td.Cmd)
			}
			return runQuery(t, td.Input)
		})
	})
}

func runQuery(t *testing.T, sql string) string {
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return "parse error: " + err.Error()
	}
	sel, ok := stmt.(*ast.Select)
	if !ok {
		return "not a query"
	}
	p, err := planner.New(catalog.New(), planner.Options{}).PlanQuery(sel, &planner.Params{})
	if err != nil {
		return errText(err)
	}
	return planner.Explain(p) + run(t, p, newMemReader())
}
