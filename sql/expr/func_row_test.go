package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestRowConstructor(t *testing.T) {
	row := func(args ...Expr) Expr { return must(NewFunc("row", args)) }
	for _, tc := range []struct {
		name string
		e    Expr
		err  error
		want string
	}{
		{"ROW(1, 'a b', NULL)", row(lit(1), lit("a b"), lit(nil)), nil, `(1,"a b",)`},
		{"ROW()", row(), nil, "()"},
		{"row_to_json(ROW(1, 'a'))", must(NewFunc("row_to_json", []Expr{row(lit(1), lit("a"))})), nil, `{"f1":1,"f2":"a"}`},
		{"row_to_json(ROW(NULL, 'x\"y'))", must(NewFunc("row_to_json", []Expr{row(lit(nil), lit(`x"y`))})), nil, `{"f1":null,"f2":"x\"y"}`},
	} {
		if got := foldText(t, tc.e, tc.err); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, got, tc.want)
		}
	}
	if rt := row(lit(1), lit("a")).Type(); rt.Kind != types.KindRecord || rt.Shape().Names[1] != "f2" || rt.Shape().Types[1] != types.Text {
		t.Errorf("ROW(1, 'a') has type %v %v", rt, rt.Shape())
	}
	if _, err := NewFunc("row_to_json", []Expr{lit(1)}); err == nil {
		t.Error("row_to_json(integer) resolved")
	}
}
