package expr

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestSetFuncs(t *testing.T) {
	run := func(name string, args ...types.Datum) string {
		ts := make([]types.T, len(args))
		for i, a := range args {
			ts[i] = types.Text
			if _, ok := a.(*types.JSONValue); ok {
				ts[i] = types.JSONB
			}
		}
		f, err := ResolveSetFunc(name, ts)
		if err != nil {
			return "!" + err.Error()
		}
		rows, err := f.Rows(args)
		if err != nil {
			return "!" + err.Error()
		}
		return fmt.Sprint(rows)
	}
	j := func(s string) *types.JSONValue {
		v, err := types.ParseJSONB(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ got, want string }{
		{run("jsonb_each_text", j(`{"b": null, "a": "x"}`)), "[[a x] [b <nil>]]"},
		{run("jsonb_object_keys", j(`[1]`)), "!cannot call jsonb_object_keys on an array"},
		{run("jsonb_array_elements_text", j(`[1, "a", null]`)), "[[1] [a] [<nil>]]"},
		{run("jsonb_array_elements", j(`{}`)), "!cannot extract elements from an object"},
		{run("regexp_matches", "a1b22", "[0-9]+", "g"), "[[[1]] [[22]]]"},
		{run("regexp_matches", "ab", "(x)?b"), "[[[<nil>]]]"},
		{run("regexp_split_to_table", "a,b", ",", "g"), `!regexp_split_to_table() does not support the "global" option`},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if _, err := ResolveSetFunc("jsonb_each", []types.T{types.Int32}); err == nil {
		t.Error("jsonb_each(integer) resolved")
	}
}

func TestRegexpSplit(t *testing.T) {
	for _, c := range []struct{ s, re, want string }{
		{"one two  three", `\s+`, "[one two three]"},
		{"abc", ``, "[a b c]"},
		{"abc", `x*`, "[a b c]"},
		{",a,", `,`, "[ a ]"},
	} {
		if got := fmt.Sprint(regexpSplit(regexp.MustCompile(c.re), c.s)); got != c.want {
			t.Errorf("split(%q, %q) = %s, want %s", c.s, c.re, got, c.want)
		}
	}
}
