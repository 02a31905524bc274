package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func TestRegexpAndMathFunctions(t *testing.T) {
	num := func(s string) Expr { return NewConst(num(s), types.Numeric) }
	for _, tc := range []struct {
		name string
		args []Expr
		want string
	}{
		{"regexp_replace", []Expr{lit("2024-01-15"), lit(`(\d+)-(\d+)-(\d+)`), lit(`\3/\2/\1`)}, "15/01/2024"},
		{"regexp_replace", []Expr{lit("hello world"), lit("o"), lit("0")}, "hell0 world"},
		{"regexp_replace", []Expr{lit("hello world"), lit("o"), lit("[\\&$]"), lit("g")}, "hell[o$] w[o$]rld"},
		{"regexp_replace", []Expr{lit("ABC"), lit("b"), lit("x"), lit("i")}, "AxC"},
		{"regexp_replace", []Expr{lit("ABC"), lit("b"), lit("x"), lit("z")}, "!" + string(pgerror.InvalidParameterValue)},
		{"regexp_match", []Expr{lit("foobarbaz"), lit("ba(.)")}, "{r}"},
		{"regexp_match", []Expr{lit("ab"), lit("(a)|(z)")}, "{a,NULL}"},
		{"regexp_match", []Expr{lit("abc"), lit("z")}, "NULL"},
		{"regexp_match", []Expr{lit("abc"), lit("b"), lit("g")}, "!" + string(pgerror.InvalidParameterValue)},
		{"regexp_count", []Expr{lit("banana"), lit("an")}, "2"},
		{"regexp_split_to_array", []Expr{lit("a1b22c"), lit("[0-9]+")}, "{a,b,c}"},
		{"div", []Expr{lit(-17), lit(5)}, "-3"},
		{"div", []Expr{num("17.5"), lit(5)}, "3"},
		{"div", []Expr{lit(1), lit(0)}, "!" + string(pgerror.DivisionByZero)},
		{"gcd", []Expr{lit(-12), lit(18)}, "6"},
		{"lcm", []Expr{lit(4), lit(6)}, "12"},
		{"lcm", []Expr{NewConst(int64(2147483647), types.Int32), NewConst(int64(2147483646), types.Int32)}, "!" + string(pgerror.NumericValueOutOfRange)},
		{"degrees", []Expr{NewConst(3.141592653589793, types.Float64)}, "180"},
		{"asin", []Expr{lit(2)}, "!" + string(pgerror.NumericValueOutOfRange)},
		{"power", []Expr{num("2"), num("10")}, "1024.0000000000000000"},
		{"power", []Expr{num("10"), num("-3")}, "0.0010000000000000"},
		{"power", []Expr{num("0"), num("0")}, "1.0000000000000000"},
	} {
		e, err := NewFunc(tc.name, tc.args)
		if got := foldText(t, e, err); got != tc.want {
			t.Errorf("%s%v = %s, want %s", tc.name, tc.args, got, tc.want)
		}
	}
	// ~ understands PostgreSQL's word-boundary escapes.
	e, err := NewBinary("~", lit("Hello World"), lit(`\mWorld\M`))
	if got := foldText(t, e, err); got != "t" {
		t.Errorf(`'Hello World' ~ '\mWorld\M' = %s`, got)
	}
}
