package expr

import (
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The input columns every case can refer to: a int4, b int4, p bool,
// q bool, s text, n numeric, d date, f float8.
var (
	colTypes = []types.T{types.Int32, types.Int32, types.Bool, types.Bool, types.Text, types.Numeric, types.DateType, types.Float64}
	a        = NewColumnRef(0, types.Int32, "a")
	b        = NewColumnRef(1, types.Int32, "b")
	p        = NewColumnRef(2, types.Bool, "p")
	q        = NewColumnRef(3, types.Bool, "q")
	s        = NewColumnRef(4, types.Text, "s")
	n        = NewColumnRef(5, types.Numeric, "n")
	d        = NewColumnRef(6, types.DateType, "d")
	f        = NewColumnRef(7, types.Float64, "f")
)

func num(s string) *apd.Decimal { x, _ := types.ParseNumeric(s); return x }

// rows: the 3x3 truth table of p and q, with varied other columns.
func testChunk() *chunk.Chunk {
	bools := []types.Datum{true, false, nil}
	var rows [][]types.Datum
	for i, x := range bools {
		for j, y := range bools {
			k := int64(i*3 + j)
			rows = append(rows, []types.Datum{k - 4, int64(j) - 1, x, y, fmt.Sprintf("s%d", k), num("1.50"), types.Date(19724 + k), float64(k) / 2})
		}
	}
	rows[8][0], rows[8][4] = nil, nil
	return chunk.FromRows(colTypes, rows)
}

func lit(v any) Expr {
	switch x := v.(type) {
	case int:
		return NewConst(int64(x), types.Int32)
	case string:
		return NewConst(x, types.Unknown)
	case nil:
		return NewConst(nil, types.Unknown)
	}
	panic("lit")
}

func must(e Expr, err error) Expr {
	if err != nil {
		panic(err)
	}
	return e
}

// evalStrings evaluates e and formats each row, NULL as "NULL".
func evalStrings(t *testing.T, e Expr) ([]string, error) {
	t.Helper()
	in := testChunk()
	arr, err := e.Eval(&Context{Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, in)
	if err != nil {
		return nil, err
	}
	defer arr.Release()
	if arr.Len() != in.Len() {
		t.Fatalf("%s: %d rows, want %d", e, arr.Len(), in.Len())
	}
	out := make([]string, arr.Len())
	for i := range out {
		v := chunk.Datum(arr, e.Type(), i)
		if v == nil {
			out[i] = "NULL"
		} else {
			out[i] = types.FormatText(e.Type(), v)
		}
	}
	return out, nil
}

func TestEvalColumns(t *testing.T) {
	tests := []struct {
		name  string
		build func() (Expr, error)
		want  string // all rows joined by ","; or "!SQLSTATE"
	}{
		{"and", func() (Expr, error) { return NewAnd(p, q) }, "t,f,NULL,f,f,f,NULL,f,NULL"},
		{"or", func() (Expr, error) { return NewOr(p, q) }, "t,t,t,t,f,NULL,t,NULL,NULL"},
		{"not", func() (Expr, error) { return NewNot(p) }, "f,f,f,t,t,t,NULL,NULL,NULL"},
		{"is null", func() (Expr, error) { return NewIsNull(q, false), nil }, "f,f,t,f,f,t,f,f,t"},
		{"is not true", func() (Expr, error) { return NewIsBool(p, "true", true) }, "f,f,f,t,t,t,t,t,t"},
		{"is distinct", func() (Expr, error) { return NewIsDistinct(p, q, false) }, "f,t,t,t,f,t,t,t,f"},
		{"a*2+b>0", func() (Expr, error) {
			return NewBinary(">", must(NewBinary("+", must(NewBinary("*", a, lit(2))), b)), lit(0))
		}, "f,f,f,f,f,t,t,t,NULL"},
		{"a/b", func() (Expr, error) { return NewBinary("/", a, b) }, "!" + string(pgerror.DivisionByZero)},
		{"a%2", func() (Expr, error) { return NewBinary("%", a, lit(3)) }, "-1,0,-2,-1,0,1,2,0,NULL"},
		{"a/2", func() (Expr, error) { return NewBinary("/", a, lit(2)) }, "-2,-1,-1,0,0,0,1,1,NULL"},
		{"a+n", func() (Expr, error) { return NewBinary("+", a, n) }, "-2.50,-1.50,-0.50,0.50,1.50,2.50,3.50,4.50,NULL"},
		{"'1'+a", func() (Expr, error) { return NewBinary("+", lit("1"), a) }, "-3,-2,-1,0,1,2,3,4,NULL"},
		{"s||a", func() (Expr, error) { return NewBinary("||", s, a) }, "s0-4,s1-3,s2-2,s3-1,s40,s51,s62,s73,NULL"},
		{"guarded div", func() (Expr, error) {
			return NewAnd(must(NewBinary("<>", b, lit(0))), must(NewBinary(">", must(NewBinary("/", lit(10), b)), lit(0))))
		}, "f,f,t,f,f,t,f,f,t"},
		{"case guards", func() (Expr, error) {
			return NewCase(nil, []Expr{must(NewBinary("=", b, lit(0)))}, []Expr{lit(0)}, must(NewBinary("/", lit(10), b)))
		}, "-10,0,10,-10,0,10,-10,0,10"},
		{"coalesce", func() (Expr, error) { return NewCoalesce([]Expr{a, lit(99)}) }, "-4,-3,-2,-1,0,1,2,3,99"},
		{"in", func() (Expr, error) { return NewInList(a, []Expr{lit(1), lit(2), lit(nil)}, false) }, "NULL,NULL,NULL,NULL,NULL,t,t,NULL,NULL"},
		{"between", func() (Expr, error) { return NewBetween(a, lit(-1), lit(1), false, false) }, "f,f,f,t,t,t,f,f,NULL"},
		{"like", func() (Expr, error) { return NewBinary("LIKE", s, lit("s_")) }, "t,t,t,t,t,t,t,t,NULL"},
		{"d+a", func() (Expr, error) { return NewBinary("+", d, a) },
			"2023-12-29,2023-12-31,2024-01-02,2024-01-04,2024-01-06,2024-01-08,2024-01-10,2024-01-12,NULL"},
		{"f*2", func() (Expr, error) { return NewBinary("*", f, lit(2)) }, "0,1,2,3,4,5,6,7,8"},
		{"cast", func() (Expr, error) { return NewCast(f, types.Int32) }, "0,0,1,2,2,2,3,4,4"},
		{"abs", func() (Expr, error) { return NewFunc("abs", []Expr{a}) }, "4,3,2,1,0,1,2,3,NULL"},
		{"greatest", func() (Expr, error) { return NewGreatestLeast(true, []Expr{a, b}) }, "-1,0,1,-1,0,1,2,3,1"},
		{"upper", func() (Expr, error) { return NewFunc("upper", []Expr{s}) }, "S0,S1,S2,S3,S4,S5,S6,S7,NULL"},
		{"int overflow", func() (Expr, error) { return NewBinary("*", a, lit(1000000000)) }, "!" + string(pgerror.NumericValueOutOfRange)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := tc.build()
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			got, err := evalStrings(t, e)
			gs := ""
			if err != nil {
				gs = "!" + string(pgerror.CodeOf(err))
			} else {
				for i, x := range got {
					if i > 0 {
						gs += ","
					}
					gs += x
				}
			}
			if gs != tc.want {
				t.Errorf("%s\n got %s\nwant %s (%v)", e, gs, tc.want, err)
			}
		})
	}
}

// Scalar expressions over literals, folded; expected outputs are
// PostgreSQL 15's for SELECT <sql>.
func TestConstExprs(t *testing.T) {
	nl := func(s string) Expr { return NewConst(num(s), types.Numeric) }
	fl := func(x float64) Expr { return NewConst(x, types.Float64) }
	ts := func(s string) Expr { return must(NewCast(lit(s), types.TimestampType)) }
	dt := func(s string) Expr { return must(NewCast(lit(s), types.DateType)) }
	iv := func(s string) Expr { return must(NewCast(lit(s), types.IntervalType)) }
	fn := func(name string, args ...Expr) func() (Expr, error) {
		return func() (Expr, error) { return NewFunc(name, args) }
	}
	bin := func(op string, l, r Expr) func() (Expr, error) {
		return func() (Expr, error) { return NewBinary(op, l, r) }
	}
	tests := []struct {
		sql   string
		build func() (Expr, error)
		want  string
	}{
		{"1+1.5", bin("+", lit(1), nl("1.5")), "2.5"},
		{"5.0/2", bin("/", nl("5.0"), lit(2)), "2.5000000000000000"},
		{"2.0/3", bin("/", nl("2.0"), lit(3)), "0.66666666666666666667"},
		{"100000.0/3", bin("/", nl("100000.0"), lit(3)), "33333.333333333333"},
		{"1/30000.0", bin("/", lit(1), nl("30000.0")), "0.000033333333333333333333"},
		{"5 % 2.5", bin("%", lit(5), nl("2.5")), "0.0"},
		{"2^3", bin("^", lit(2), lit(3)), "8"},
		{"-7/2", bin("/", lit(-7), lit(2)), "-3"},
		{"-7%2", bin("%", lit(-7), lit(2)), "-1"},
		{"0.1::float8+0.2", bin("+", fl(0.1), fl(0.2)), "0.30000000000000004"},
		{"1/0", bin("/", lit(1), lit(0)), "!" + string(pgerror.DivisionByZero)},
		{"1.0/0", bin("/", nl("1.0"), lit(0)), "!" + string(pgerror.DivisionByZero)},
		{"'abc'+1", bin("+", lit("abc"), lit(1)), "!" + string(pgerror.InvalidTextRepresentation)},
		{"1+'x'::text", bin("+", lit(1), NewConst("x", types.Text)), "!" + string(pgerror.UndefinedFunction)},
		{"date '2024-01-01' - date '2023-01-01'", bin("-", dt("2024-01-01"), dt("2023-01-01")), "365"},
		{"date + interval", bin("+", dt("2024-01-01"), iv("1 hour")), "2024-01-01 01:00:00"},
		{"ts - ts", bin("-", ts("2024-01-01"), ts("2023-01-01")), "365 days"},
		{"interval * 2", bin("*", iv("1 day"), lit(2)), "2 days"},
		{"interval / 2", bin("/", iv("1 day"), lit(2)), "12:00:00"},
		{"jan31 + 1 mon", bin("+", ts("2024-01-31"), iv("1 mon")), "2024-02-29 00:00:00"},
		{"'a'||true", bin("||", lit("a"), NewConst(true, types.Bool)), "atrue"},
		{"round(2.5)", fn("round", nl("2.5")), "3"},
		{"round(2.5::float8)", fn("round", fl(2.5)), "2"},
		{"round(1.25,1)", fn("round", nl("1.25"), lit(1)), "1.3"},
		{"sqrt(2)", fn("sqrt", lit(2)), "1.4142135623730951"},
		{"sqrt(2::numeric)", fn("sqrt", nl("2")), "1.414213562373095"},
		{"mod(5,3)", fn("mod", lit(5), lit(3)), "2"},
		{"power(2::numeric,2)", fn("power", nl("2"), lit(2)), "4.0000000000000000"},
		{"length('abc')", fn("length", lit("abc")), "3"},
		{"left('abcde',-2)", fn("left", lit("abcde"), lit(-2)), "abc"},
		{"lpad('abc',5,'xy')", fn("lpad", lit("abc"), lit(5), lit("xy")), "xyabc"},
		{"split_part('a,b,c',',',-1)", fn("split_part", lit("a,b,c"), lit(","), lit(-1)), "c"},
		{"md5('abc')", fn("md5", lit("abc")), "900150983cd24fb0d6963f7d28e17f72"},
		{"substr('hello',0,3)", fn("substr", lit("hello"), lit(0), lit(3)), "he"},
		{"concat('a',1,null,true)", fn("concat", lit("a"), lit(1), lit(nil), NewConst(true, types.Bool)), "a1t"},
		{"concat_ws(',', 'a', null, 2)", fn("concat_ws", lit(","), lit("a"), lit(nil), lit(2)), "a,2"},
		{"extract(epoch from ts)", fn("extract", lit("epoch"), ts("2024-01-02 03:04:05.5")), "1704164645.500000"},
		{"date_part('epoch', ts)", fn("date_part", lit("epoch"), ts("2024-01-02 03:04:05.5")), "1704164645.5"},
		{"extract(dow from date)", fn("extract", lit("dow"), dt("2024-01-02")), "2"},
		{"date_trunc('month', ts)", fn("date_trunc", lit("month"), ts("2024-01-02 03:04:05")), "2024-01-01 00:00:00"},
		{"age", fn("age", ts("2024-03-01"), ts("2023-01-15 10:00")), "1 year 1 mon 16 days 14:00:00"},
		{"to_char", fn("to_char", ts("2024-01-02 03:04:05"), lit("YYYY-MM-DD HH24:MI:SS")), "2024-01-02 03:04:05"},
		{"make_date(2024,2,29)", fn("make_date", lit(2024), lit(2), lit(29)), "2024-02-29"},
		{"foo(1)", fn("foo", lit(1)), "!" + string(pgerror.UndefinedFunction)},
		{"nullif(1,1)", func() (Expr, error) { return NewNullIf(lit(1), lit(1)) }, "NULL"},
		{"coalesce(1, 2.5)", func() (Expr, error) { return NewCoalesce([]Expr{lit(1), nl("2.5")}) }, "1"},
		{"CASE 1 WHEN 1 THEN 'x' ELSE 2 END", func() (Expr, error) {
			return NewCase(lit(1), []Expr{lit(1)}, []Expr{NewConst("x", types.Text)}, lit(2))
		}, "!" + string(pgerror.DatatypeMismatch)},
		{"-(-2147483648)", func() (Expr, error) { return NewUnary("-", NewConst(int64(-2147483648), types.Int32)) }, "!" + string(pgerror.NumericValueOutOfRange)},
		{"~5", func() (Expr, error) { return NewUnary("~", lit(5)) }, "-6"},
		{"'1.5'::int", func() (Expr, error) { return NewCast(lit("1.5"), types.Int32) }, "!" + string(pgerror.InvalidTextRepresentation)},
		{"1::int2 + 32767::int2", bin("+", NewConst(int64(1), types.Int16), NewConst(int64(32767), types.Int16)), "!" + string(pgerror.NumericValueOutOfRange)},
	}
	for _, tc := range tests {
		e, err := tc.build()
		if err == nil {
			e, err = ConstFold(e, &Context{})
		}
		if _, folded := e.(*Const); err == nil && !folded {
			// Stable (TimeZone-reading) expressions are left for execution.
			e, err = evalConst(e, &Context{})
		}
		got := ""
		switch {
		case err != nil:
			got = "!" + string(pgerror.CodeOf(err))
		case e.(*Const).Value == nil:
			got = "NULL"
		default:
			c := e.(*Const)
			got = types.FormatText(c.T, c.Value)
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s (%v)", tc.sql, got, tc.want, err)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := NewBinary("+", lit(1), NewConst("x", types.Text))
	pe := err.(*pgerror.Error)
	if pe.Message != "operator does not exist: integer + text" || pe.Hint == "" {
		t.Errorf("%q %q", pe.Message, pe.Hint)
	}
	_, err = CoerceToBool(a, "WHERE")
	if err.Error() != "argument of WHERE must be type boolean, not type integer" {
		t.Error(err)
	}
	_, err = NewFunc("foo", []Expr{a})
	if err.Error() != "function foo(integer) does not exist" {
		t.Error(err)
	}
	_, err = CommonType([]types.T{types.Int32, types.Text}, "CASE")
	if err.Error() != "CASE types integer and text cannot be matched" {
		t.Error(err)
	}
}

func TestString(t *testing.T) {
	e := must(NewBinary(">", must(NewBinary("+", NewColumnRef(0, types.Int32, ""), lit(1))), lit(5)))
	if got := e.String(); got != "((#0 + 1) > 5)" {
		t.Error(got)
	}
	c := must(NewCast(a, types.Int64))
	if got := c.String(); got != "CAST(a AS bigint)" {
		t.Error(got)
	}
}

func BenchmarkEvalArith(bm *testing.B) {
	ts := []types.T{types.Int64, types.Int64}
	rows := make([][]types.Datum, 4096)
	for i := range rows {
		rows[i] = []types.Datum{int64(i), int64(i % 100)}
	}
	in := chunk.FromRows(ts, rows)
	x, y := NewColumnRef(0, types.Int64, "a"), NewColumnRef(1, types.Int64, "b")
	e := must(NewBinary(">", must(NewBinary("+", must(NewBinary("*", x, lit(2))), y)), lit(100)))
	ctx := &Context{}
	bm.ResetTimer()
	for i := 0; i < bm.N; i++ {
		arr, err := e.Eval(ctx, in)
		if err != nil {
			bm.Fatal(err)
		}
		arr.Release()
	}
	bm.ReportMetric(float64(4096*bm.N)/bm.Elapsed().Seconds(), "rows/s")
}
