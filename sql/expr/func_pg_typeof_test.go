package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// foldText folds a constant expression and renders it as PostgreSQL's text
// output ("NULL", or "!SQLSTATE" for an error).
func foldText(t *testing.T, e Expr, err error) string {
	t.Helper()
	if err == nil {
		e, err = ConstFold(e, &Context{})
	}
	if _, folded := e.(*Const); err == nil && !folded {
		e, err = evalConst(e, &Context{})
	}
	switch {
	case err != nil:
		return "!" + string(pgerror.CodeOf(err))
	case e.(*Const).Value == nil:
		return "NULL"
	}
	c := e.(*Const)
	return types.FormatText(c.T, c.Value)
}

func TestPgTypeof(t *testing.T) {
	for _, tc := range []struct {
		arg  Expr
		want string
	}{
		{lit(nil), "unknown"},
		{lit(1), "integer"},
		{NewConst(nil, types.T{Kind: types.KindVarchar, Width: 3}), "character varying"},
		{NewConst(nil, types.T{Kind: types.KindChar, Width: 2}), "character"},
		{NewConst(nil, types.T{Kind: types.KindNumeric, Precision: 3, Scale: 1}), "numeric"},
		{NewConst(nil, types.T{Kind: types.KindArray, Elem: types.KindInt64}), "bigint[]"},
		{NewConst(nil, types.Float64), "double precision"},
	} {
		e, err := NewFunc("pg_typeof", []Expr{tc.arg})
		if got := foldText(t, e, err); got != tc.want {
			t.Errorf("pg_typeof(%s) = %s, want %s", tc.arg.Type(), got, tc.want)
		}
	}
	e, err := NewNullIf(lit(1), NewConst(num("2.0"), types.Numeric))
	if err != nil || e.Type().Kind != types.KindNumeric {
		t.Errorf("NULLIF(1, 2.0) is %v (%v), want numeric", e, err)
	}
}
