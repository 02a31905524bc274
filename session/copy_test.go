package session

import (
	"strings"
	"testing"

	"github.com/eddy-db/eddy/sql/ast"
)

func fieldsString(fields []*string) string {
	var parts []string
	for _, f := range fields {
		if f == nil {
			parts = append(parts, "NULL")
		} else {
			parts = append(parts, "["+*f+"]")
		}
	}
	return strings.Join(parts, " ")
}

func TestCopyTextAndCSVRecords(t *testing.T) {
	cases := []struct {
		opts  []ast.Option
		data  string
		final bool
		want  string // fields, or "incomplete"
		n     int
	}{
		{nil, "a\tb\\tc\t\\N\n", false, "[a] [b\tc] NULL", 10},
		{nil, "\\x41\\102\\\\\\\t|x\r\nnext", false, "[AB\\\t|x]", 16},
		{nil, "a\tb", false, "incomplete", 0},
		{nil, "a\tb", true, "[a] [b]", 3},
		{nil, "a\\", true, "[a\\]", 2},
		{[]ast.Option{{Name: "delimiter", Value: "|"}, {Name: "null", Value: ""}}, "|x\\|y|\n", false, "NULL [x|y] NULL", 7},
		{[]ast.Option{{Name: "format", Value: "csv"}}, "1,\"a,\"\"b\"\"\n c\",,\"\"\r\n", false, "[1] [a,\"b\"\n c] NULL []", 20},
		{[]ast.Option{{Name: "format", Value: "csv"}}, "1,\"open\n", false, "incomplete", 0},
		{[]ast.Option{{Name: "format", Value: "csv"}, {Name: "quote", Value: "'"}, {Name: "escape", Value: "\\"}}, "'it\\'s',x\n", false, "[it's] [x]", 10},
	}
	for _, tc := range cases {
		opts, err := parseCopyOptions(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		c := &copyIn{opts: opts}
		var fields []*string
		var n int
		var ok bool
		if opts.format == copyCSV {
			fields, _, n, ok = c.csvRecord([]byte(tc.data), tc.final)
		} else {
			fields, _, n, ok = c.textLine([]byte(tc.data), tc.final)
		}
		got := fieldsString(fields)
		if !ok {
			got = "incomplete"
		}
		if got != tc.want || n != tc.n {
			t.Errorf("%q: got %s (%d bytes), want %s (%d)", tc.data, got, n, tc.want, tc.n)
		}
	}
}

func TestCopyOptionErrors(t *testing.T) {
	for _, opts := range [][]ast.Option{
		{{Name: "format", Value: "xml"}},
		{{Name: "delimiter", Value: "ab"}},
		{{Name: "quote", Value: "'"}},
		{{Name: "format", Value: "binary"}, {Name: "null", Value: "x"}},
		{{Name: "bogus", Value: "1"}},
		{{Name: "header", Value: "true"}, {Name: "header", Value: "false"}},
	} {
		if _, err := parseCopyOptions(opts); err == nil {
			t.Errorf("%v: no error", opts)
		}
	}
}
