package executor

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/parser"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected outputs of testdata/*.txt")

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
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runQueryFile(t, file) })
	}
}

func runQueryFile(t *testing.T, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	type tc struct{ sql, expected string }
	var cases []tc
	sc := bufio.NewScanner(f)
	state := 0
	var sql, exp []string
	flush := func() {
		if sql != nil {
			cases = append(cases, tc{strings.Join(sql, "\n"), strings.Join(exp, "\n")})
		}
		sql, exp = nil, nil
	}
	for sc.Scan() {
		line := sc.Text()
		switch state {
		case 0:
			if strings.TrimSpace(line) == "query" {
				state = 1
			}
		case 1:
			if line == "----" {
				state = 2
				continue
			}
			sql = append(sql, line)
		case 2:
			if line == "" {
				flush()
				state = 0
				continue
			}
			exp = append(exp, line)
		}
	}
	flush()
	f.Close()
	var out strings.Builder
	for _, c := range cases {
		got := strings.TrimRight(runQuery(t, c.sql), "\n")
		if !*rewrite && got != c.expected {
			t.Errorf("%s:\n%s\nexpected:\n%s\ngot:\n%s", file, c.sql, c.expected, got)
		}
		fmt.Fprintf(&out, "query\n%s\n----\n%s\n\n", c.sql, got)
	}
	if *rewrite {
		if err := os.WriteFile(file, []byte(strings.TrimRight(out.String(), "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
	var sb strings.Builder
	sb.WriteString(planner.Explain(p))
	rows, err := Run(context.Background(), p, newMemReader(), &expr.Context{})
	if err != nil {
		return sb.String() + errText(err)
	}
	defer rows.Close()
	for {
		c, err := rows.Next(context.Background())
		if err != nil {
			return sb.String() + errText(err)
		}
		if c == nil {
			return sb.String()
		}
		if c.Len() == 0 || c.Len() > chunkSize {
			t.Errorf("%s: chunk of %d rows", sql, c.Len())
		}
		sb.WriteString(c.String())
	}
}
