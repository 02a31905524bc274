package parser

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// describe renders the result of parsing sql for the testdata files: each
// statement's node type and printed form, or the error.
func describe(sql string) string {
	stmts, err := Parse(sql)
	if err != nil {
		return describeError(err)
	}
	var lines []string
	for _, s := range stmts {
		lines = append(lines, fmt.Sprintf("%s: %s", strings.TrimPrefix(fmt.Sprintf("%T", s), "*ast."), s))
		switch s := s.(type) {
		case *ast.CreateMaterializedView:
			lines = append(lines, "query text: "+s.QueryText)
		case *ast.CreateView:
			lines = append(lines, "query text: "+s.QueryText)
		case *ast.CreateSink:
			if s.Query != nil {
				lines = append(lines, "query text: "+s.QueryText)
			}
		}
	}
	if len(lines) == 0 {
		return "(no statements)"
	}
	return strings.Join(lines, "\n")
}

func describeError(err error) string {
	var pe *pgerror.Error
	if !errors.As(err, &pe) {
		return fmt.Sprintf("error (not a pgerror): %v", err)
	}
	s := fmt.Sprintf("error %s: %s", pe.Code, pe.Message)
	if pe.Position > 0 {
		s += fmt.Sprintf(" (position %d)", pe.Position)
	}
	return s
}

// TestParse runs testdata/parse.txt, whose cases are
//
//	parse
//	<sql, one or more lines>
//	----
//	<each statement's node type and printed form, or the error>
//
// Every case is also parsed the fast way (the whole string in one pg_query
// call), which must give exactly what the statement-by-statement path
// gives, offsets included, and round-trips through printing. -rewrite
// regenerates the expected outputs.
func TestParse(t *testing.T) {
	datadriven.RunTest(t, "testdata/parse.txt", func(t *testing.T, td *datadriven.TestData) string {
		if td.Cmd != "parse" {
			td.Fatalf(t, "unknown directive %q", td.Cmd)
		}
		if err := checkFastPath(td.Input); err != nil {
			t.Error(err)
		}
		if err := checkRoundTrip(td.Input); err != nil {
			t.Error(err)
		}
		return describe(td.Input)
	})
}

// checkFastPath checks that parsing sql in one pg_query call, where that
// path takes it, gives exactly what the statement-by-statement path gives.
func checkFastPath(sql string) error {
	if mayNeedHandParser(sql) {
		return nil
	}
	var fast []ast.Statement
	ok := func() (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		fast, ok = parseFast(sql)
		return ok
	}()
	if !ok {
		return nil
	}
	slow, err := parse(sql, true)
	if err != nil {
		return fmt.Errorf("the fast path parses, the slow one fails: %v", err)
	}
	if !reflect.DeepEqual(fast, slow) {
		return fmt.Errorf("fast and slow paths differ:\n  %#v\n  %#v", fast, slow)
	}
	return nil
}

// checkRoundTrip checks parse → print → parse gives an equal tree (offsets
// and source texts aside) and that printing is stable.
func checkRoundTrip(sql string) error {
	stmts, err := Parse(sql)
	if err != nil {
		return nil
	}
	for _, s := range stmts {
		printed := s.String()
		again, err := ParseOne(printed)
		if err != nil {
			return fmt.Errorf("printed form %q does not parse: %v", printed, err)
		}
		if reprinted := again.String(); reprinted != printed {
			return fmt.Errorf("printing is not stable:\n  %s\n  %s", printed, reprinted)
		}
		a, b := normalize(s), normalize(again)
		if !reflect.DeepEqual(a, b) {
			return fmt.Errorf("trees differ after a round trip through %q:\n  %#v\n  %#v", printed, a, b)
		}
	}
	return nil
}

// normalize returns a deep copy of n with the fields that legitimately
// change in a round trip cleared: offsets (Pos) and source texts
// (QueryText).
func normalize(n ast.Node) any {
	v := reflect.New(reflect.TypeOf(n)).Elem()
	v.Set(deepCopy(reflect.ValueOf(n)))
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				switch f.Name {
				case "Pos":
					v.Field(i).SetInt(0)
				case "QueryText":
					v.Field(i).SetString("")
				default:
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(v)
	return v.Interface()
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			c.Field(i).Set(deepCopy(v.Field(i)))
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	}
	return v
}

func FuzzParse(f *testing.F) {
	// The corpus seeds the fuzzer; each case's expected output stays as it is.
	datadriven.RunTestAny(f, "testdata/parse.txt", func(_ testing.TB, td *datadriven.TestData) string {
		f.Add(td.Input)
		return td.Expected
	})
	f.Fuzz(func(t *testing.T, sql string) {
		_, err := Parse(sql)
		if err != nil {
			var pe *pgerror.Error
			if !errors.As(err, &pe) {
				t.Fatalf("%q: error is not a pgerror: %v", sql, err)
			}
			if pe.Code == pgerror.InternalError {
				t.Fatalf("%q: internal error: %v\n%s", sql, err, pe.Detail)
			}
			return
		}
		if err := checkRoundTrip(sql); err != nil {
			t.Fatalf("%q: %v", sql, err)
		}
	})
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		sql      string
		code     pgerror.Code
		message  string
		position int32
	}{
		{"SELECT 1 FORM t", pgerror.SyntaxError, `syntax error at or near "t"`, 15},
		{"selec 1", pgerror.SyntaxError, `syntax error at or near "selec"`, 1},
		{"SELECT 1 FROM", pgerror.SyntaxError, "syntax error at end of input", 14},
		{"SELECT 'abc", pgerror.SyntaxError, `unterminated quoted string at or near "'abc"`, 8},
		// Positions count characters, and are relative to the whole string.
		{"SELECT 'é'; SELECT 1 FORM t", pgerror.SyntaxError, `syntax error at or near "t"`, 27},
		{"SELECT 1; FLUSH now", pgerror.SyntaxError, `syntax error at or near "now"`, 17},
		// Errors inside pieces the hand parser hands back keep their position.
		{"CREATE SOURCE s (a int, b nope nope) FORMAT PLAIN ENCODE JSON", pgerror.SyntaxError, `syntax error at or near "nope"`, 32},
		{"CREATE SOURCE s (a timestamptz, WATERMARK FOR a AS a - ) FORMAT PLAIN ENCODE JSON", pgerror.SyntaxError, `syntax error at or near ")"`, 56},
		{"CREATE SOURCE s (a int) WITH (connector 'kafka')", pgerror.SyntaxError, `syntax error at or near "'kafka'"`, 41},
		{"CREATE SINK k FROM v WITH (connector = 'kafka') FORMAT PLAIN", pgerror.SyntaxError, "syntax error at end of input", 61},
		{"CREATE SINK k AS SELECT FROM WHERE WITH (connector = 'kafka')", pgerror.SyntaxError, `syntax error at or near "WHERE"`, 30},
		{"SHOW TABLES FROM", pgerror.SyntaxError, "syntax error at end of input", 17},
		{"DROP SOURCE", pgerror.SyntaxError, "syntax error at end of input", 12},
		{"SELECT 1; SELECT 2", pgerror.SyntaxError, "", 0}, // ParseOne only
		{"CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql", pgerror.FeatureNotSupported, "CREATE FUNCTION is not supported", 0},
		{"SELECT a FROM t FOR UPDATE", pgerror.FeatureNotSupported, "SELECT FOR UPDATE/SHARE is not supported", 0},
		{"SELECT x SIMILAR TO 'a'", pgerror.FeatureNotSupported, "SIMILAR TO is not supported", 0},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED", pgerror.FeatureNotSupported, "SET SESSION CHARACTERISTICS is not supported", 0},
		{"PREPARE TRANSACTION 'x'", pgerror.FeatureNotSupported, "PREPARE TRANSACTION is not supported", 0},
		{"DECLARE c CURSOR FOR INSERT INTO t VALUES (1)", pgerror.SyntaxError, `syntax error at or near "INSERT"`, 22},
		{"CREATE TABLE t (a int, b int, PRIMARY KEY (a), PRIMARY KEY (b))", pgerror.InvalidTableDefinition, `multiple primary keys for table "t" are not allowed`, 48},
		{"SELECT " + strings.Repeat("1+", 20000) + "1", pgerror.StatementTooComplex, "statement is too deeply nested", 0},
	} {
		var err error
		if c.message == "" {
			_, err = ParseOne(c.sql)
			c.message = "cannot insert multiple commands into a prepared statement"
		} else {
			_, err = Parse(c.sql)
		}
		var pe *pgerror.Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: want a pgerror, got %v", c.sql, err)
			continue
		}
		if pe.Code != c.code || pe.Message != c.message || pe.Position != c.position {
			t.Errorf("%s:\nwant %s %q at %d\ngot  %s %q at %d", c.sql, c.code, c.message, c.position, pe.Code, pe.Message, pe.Position)
		}
	}
}

func TestParseOneEmpty(t *testing.T) {
	for _, sql := range []string{"", "  ", ";", "-- nothing\n", "/* */ ;"} {
		s, err := ParseOne(sql)
		if s != nil || err != nil {
			t.Errorf("ParseOne(%q) = %v, %v; want nil, nil", sql, s, err)
		}
	}
}

func TestParseExpr(t *testing.T) {
	for sql, want := range map[string]string{
		"a + 1":                             "(a + 1)",
		"now() - interval '5 seconds'":      "(now() - CAST('5 seconds' AS interval))",
		"'x'":                               "'x'",
		"ts - INTERVAL '5' SECOND":          "(ts - CAST('5' AS interval SECOND))",
		"CAST($1 AS varchar(10))":           "CAST($1 AS \"varchar\"(10))",
		"coalesce(a, b) IS DISTINCT FROM c": "(COALESCE(a, b) IS DISTINCT FROM c)",
	} {
		e, err := ParseExpr(sql)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", sql, err)
			continue
		}
		if e.String() != want {
			t.Errorf("ParseExpr(%q) = %s, want %s", sql, e, want)
		}
	}
	for _, sql := range []string{"1 FROM t", "a AS b", "1, 2", "*", "1; SELECT 2", ""} {
		if _, err := ParseExpr(sql); err == nil {
			t.Errorf("ParseExpr(%q) succeeded, want an error", sql)
		}
	}
	_, err := ParseExpr("a +")
	var pe *pgerror.Error
	if !errors.As(err, &pe) || pe.Code != pgerror.SyntaxError || pe.Position != 4 {
		t.Errorf("ParseExpr(\"a +\") error = %#v, want 42601 at 4", err)
	}
}

func TestPositions(t *testing.T) {
	stmts, err := Parse("SELECT 1;\nSELECT a FROM t")
	if err != nil {
		t.Fatal(err)
	}
	b := stmts[1].(*ast.Select).Block
	if got := b.Targets[0].Expr.(*ast.ColumnRef).Pos; got != 17 {
		t.Errorf("column a at %d, want 17", got)
	}
	if got := b.From[0].(*ast.TableName).Pos; got != 24 {
		t.Errorf("table t at %d, want 24", got)
	}
	s, err := ParseOne("CREATE SOURCE s (ts timestamptz, WATERMARK FOR ts AS ts - interval '1' second) FORMAT PLAIN ENCODE JSON")
	if err != nil {
		t.Fatal(err)
	}
	wm := s.(*ast.CreateSource).Watermark.Expr.(*ast.BinaryExpr)
	if got := wm.Left.(*ast.ColumnRef).Pos; got != 53 {
		t.Errorf("watermark column at %d, want 53", got)
	}
}

func BenchmarkParse(b *testing.B) {
	const sql = `SELECT c.relname, n.nspname, sum(x.v) FILTER (WHERE x.v > 0) AS total
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN LATERAL (SELECT v FROM t WHERE t.id = c.oid) x ON true
		WHERE c.relname OPERATOR(pg_catalog.~) '^(foo)$' COLLATE pg_catalog.default
		GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10`
	for b.Loop() {
		if _, err := Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSplitQuoting(t *testing.T) {
	got, err := Split("SELECT ';' ; -- only a comment\n;/* c */ CREATE SOURCE s (a int) WITH (k = 'v;w'); \"a;b\"")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SELECT ';'", "CREATE SOURCE s (a int) WITH (k = 'v;w')", `"a;b"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Split = %q, want %q", got, want)
	}
	if _, err := Split("SELECT 'x"); err == nil {
		t.Error("Split of an unterminated string succeeded")
	}
}

func TestInvalidUTF8(t *testing.T) {
	_, err := Parse("SELECT '\xff'")
	var pe *pgerror.Error
	if !errors.As(err, &pe) || pe.Code != pgerror.CharacterNotInRepertoire || pe.Message != `invalid byte sequence for encoding "UTF8": 0xff` {
		t.Errorf("Parse of invalid UTF-8: %v", err)
	}
}
