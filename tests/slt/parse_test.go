package slt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
)

const sample = `# comment
hash-threshold 8

statement ok
CREATE TABLE t (k int)

statement error 42P01
SELECT * FROM missing

statement error relation ".*" does not exist
SELECT * FROM missing

skipif postgres
onlyif eddy
query IT rowsort label-1
SELECT k,
       v FROM t
----
1 a
2	NULL

query I
SELECT 1
----

query error 22012
SELECT 1/0

halt

statement ok
never parsed as run
`

func TestParse(t *testing.T) {
	f, err := Parse("sample.slt", sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Records) != 8 { // records after halt are parsed, not run
		t.Fatalf("%d records", len(f.Records))
	}
	r := f.Records[1]
	if !r.ExpectError || r.ErrorPattern != string(pgerror.UndefinedTable) || !SQLStatePattern.MatchString(r.ErrorPattern) || r.Line != 7 {
		t.Errorf("statement error: %+v", r)
	}
	if f.Records[2].ErrorPattern != `relation ".*" does not exist` {
		t.Errorf("regexp pattern %q", f.Records[2].ErrorPattern)
	}
	q := f.Records[3]
	if q.Kind != KindQuery || q.Types != "IT" || q.Sort != RowSort || q.Label != "label-1" ||
		q.SQL != "SELECT k,\n       v FROM t" || len(q.Expected) != 2 || len(q.Conditions) != 2 {
		t.Errorf("query: %+v", q)
	}
	if !q.Skipped("postgres") || q.Skipped("eddy") || !q.OnlyIf("eddy") || !EddyOnly(q) {
		t.Errorf("conditions: %+v", q.Conditions)
	}
	if e := f.Records[4]; e.Kind != KindQuery || len(e.Expected) != 0 || e.separator < 0 {
		t.Errorf("empty result: %+v", e)
	}
	if e := f.Records[5]; e.Kind != KindQuery || !e.ExpectError || e.ErrorPattern != string(pgerror.DivisionByZero) {
		t.Errorf("query error: %+v", e)
	}
	if f.Records[6].Kind != KindHalt {
		t.Errorf("halt: %+v", f.Records[6])
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		"statement maybe\nSELECT 1\n",
		"query I sideways\nSELECT 1\n",
		"statement ok\n\n",
		"frobnicate\n",
		"onlyif\nstatement ok\nSELECT 1\n",
	} {
		if _, err := Parse("bad.slt", text); err == nil {
			t.Errorf("no error for %q", text)
		}
	}
}

func TestCompare(t *testing.T) {
	cases := []struct {
		mode     SortMode
		expected []string
		actual   []string
		equal    bool
	}{
		{NoSort, []string{"1 a", "2\tNULL"}, []string{"1 a", "2 NULL"}, true},
		{NoSort, []string{"2 b", "1 a"}, []string{"1 a", "2 b"}, false},
		{RowSort, []string{"2 b", "1 a"}, []string{"1 a", "2 b"}, true},
		{ValueSort, []string{"b 2", "1 a"}, []string{"1 2", "a b"}, true},
		{NoSort, []string{"2024-01-01  10:00:00"}, []string{"2024-01-01 10:00:00"}, true},
		{NoSort, nil, []string{"1"}, false},
	}
	for i, c := range cases {
		if got := compare(c.mode, c.expected, c.actual) == ""; got != c.equal {
			t.Errorf("case %d: equal=%v, want %v", i, got, c.equal)
		}
	}
}

func TestWriteBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.slt")
	text := "# keep me\nquery I\nSELECT 1\n\nstatement error 42000\nSELECT x\n\nquery T\nSELECT 'a'\n----\nold\n\nstatement ok\nSELECT 2\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	err = writeBack(f, map[*Record][]string{
		f.Records[0]: {"query I", "SELECT 1", "----", "1"},
		f.Records[1]: {"statement error 42703"},
		f.Records[2]: {"query T", "SELECT 'a'", "----", "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# keep me\nquery I\nSELECT 1\n----\n1\n\nstatement error 42703\nSELECT x\n\nquery T\nSELECT 'a'\n----\na\n\nstatement ok\nSELECT 2\n"
	if string(got) != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", got, want)
	}
	if strings.Count(string(got), "----") != 2 {
		t.Error("separator count")
	}
}
