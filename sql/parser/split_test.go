package parser

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SELEC 1", []string{"SELEC 1"}},
		{"select 1; select 2", []string{"select 1", "select 2"}},
		{"select ';'; -- c;\nselect 2;;", []string{"select ';'", "select 2"}},
		{"/* only */ ; -- comments", nil},
		{"", nil},
	}
	for _, tc := range tests {
		got, err := Split(tc.in)
		if err != nil {
			t.Fatalf("Split(%q): %v", tc.in, err)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
