package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// evalText builds and evaluates a constant expression, formatting the
// result as PostgreSQL prints it ("NULL", or "!SQLSTATE" for an error).
func evalText(build func() (Expr, error)) string {
	e, err := build()
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

func TestMoreFunctions(t *testing.T) {
	typed := func(s string, to types.T) Expr { return must(NewCast(lit(s), to)) }
	fn := func(name string, args ...Expr) func() (Expr, error) {
		return func() (Expr, error) { return NewFunc(name, args) }
	}
	fl := func(x float64) Expr { return NewConst(x, types.Float64) }
	for _, c := range []struct {
		sql   string
		build func() (Expr, error)
		want  string
	}{
		{"translate", fn("translate", lit("12345"), lit("143"), lit("ax")), "a2x5"},
		{"overlay 4", fn("overlay", lit("hello"), lit("XX"), lit(2), lit(1)), "hXXllo"},
		{"overlay 3", fn("overlay", lit("abcdef"), lit("ZZ"), lit(3)), "abZZef"},
		{"overlay from 0", fn("overlay", lit("abc"), lit("Z"), lit(0)), "!22011"},
		{"to_hex(-1)", fn("to_hex", lit(-1)), "ffffffff"},
		{"bit_length", fn("bit_length", lit("héllo")), "48"},
		{"quote_literal", fn("quote_literal", lit(`it's \`)), `E'it''s \\'`},
		{"quote_nullable(NULL)", fn("quote_nullable", NewConst(nil, types.Text)), "NULL"},
		{"format", fn("format", lit("%s|%I|%L|%3$s|[%-4s]"), lit("a"), lit("B c"), lit(nil), lit("x")), `a|"B c"|NULL||[x   ]`},
		{"format too few", fn("format", lit("%s %s"), lit("a")), "!22023"},
		{"format %I NULL", fn("format", lit("%I"), lit(nil)), "!22004"},
		{"format bad", fn("format", lit("%d"), lit(1)), "!22023"},
		{"octet_length(bytea)", fn("octet_length", typed(`\x0102`, types.Bytea)), "2"},
		{"substring(bytea)", fn("substring", typed(`\x010203`, types.Bytea), lit(2)), `\x0203`},
		{"convert_from", fn("convert_from", typed(`\x68c3a9`, types.Bytea), lit("UTF8")), "hé"},
		{"cbrt(27)", fn("cbrt", lit(27)), "3.0000000000000004"},
		{"|/ 16", func() (Expr, error) { return NewUnary("|/", lit(16)) }, "4"},
		{"|/ -1", func() (Expr, error) { return NewUnary("|/", lit(-1)) }, "!2201F"},
		{"scale", fn("scale", typed("1.2300", types.Numeric)), "4"},
		{"min_scale", fn("min_scale", typed("1.2300", types.Numeric)), "2"},
		{"trim_scale", fn("trim_scale", typed("1.2300", types.Numeric)), "1.23"},
		{"factorial(20)", fn("factorial", lit(20)), "2432902008176640000"},
		{"factorial(-1)", fn("factorial", lit(-1)), "!2201E"},
		{"width_bucket numeric", fn("width_bucket", typed("5.35", types.Numeric), typed("0.024", types.Numeric), typed("10.06", types.Numeric), lit(5)), "3"},
		{"width_bucket reversed", fn("width_bucket", fl(5.5), fl(10), fl(0), lit(4)), "2"},
		{"width_bucket count 0", fn("width_bucket", fl(1), fl(0), fl(2), lit(0)), "!2201G"},
		{"justify_interval", fn("justify_interval", typed("1 month -1 hour", types.IntervalType)), "29 days 23:00:00"},
		{"justify_hours", fn("justify_hours", typed("1 day -25 hours", types.IntervalType)), "-01:00:00"},
		{"make_timestamp", fn("make_timestamp", lit(2024), lit(1), lit(2), lit(3), lit(4), fl(5.5)), "2024-01-02 03:04:05.5"},
		{"make_interval", fn("make_interval", lit(1), lit(2), lit(1), lit(0), lit(3), lit(0), fl(1.5)), "1 year 2 mons 7 days 03:00:01.5"},
		{"make_interval()", fn("make_interval"), "00:00:00"},
		{"make_timestamp bad", fn("make_timestamp", lit(2023), lit(2), lit(29), lit(0), lit(0), fl(0)), "!22008"},
		{"to_timestamp(1.5)", fn("to_timestamp", fl(1.5)), "1970-01-01 00:00:01.5+00"},
		{"to_date", fn("to_date", lit("15/03/2024"), lit("DD/MM/YYYY")), "2024-03-15"},
		{"to_date names", fn("to_date", lit("5 March 2020"), lit("DD Month YYYY")), "2020-03-05"},
		{"to_timestamp text", fn("to_timestamp", lit("2024-03-15 02:30 PM"), lit("YYYY-MM-DD HH12:MI AM")), "2024-03-15 14:30:00+00"},
		{"isfinite", fn("isfinite", typed("infinity", types.TimestampType)), "f"},
		{"date_bin before origin", fn("date_bin", typed("10 minutes", types.IntervalType), typed("2024-01-01 10:35", types.TimestampType), typed("2024-01-01 11:00", types.TimestampType)), "2024-01-01 10:30:00"},
		{"date_bin months", fn("date_bin", typed("1 month", types.IntervalType), typed("2024-01-01", types.TimestampType), typed("2024-01-01", types.TimestampType)), "!0A000"},
		{"overlaps", fn("overlaps", typed("2024-01-01", types.DateType), typed("2024-02-01", types.DateType), typed("2024-02-01", types.DateType), typed("2024-03-01", types.DateType)), "f"},
		{"overlaps null end", fn("overlaps", typed("2024-01-01", types.DateType), NewConst(nil, types.DateType), typed("2023-01-01", types.DateType), typed("2024-03-01", types.DateType)), "t"},
		{"date + time", func() (Expr, error) {
			return NewBinary("+", typed("2024-01-01", types.DateType), typed("10:30", types.TimeType))
		}, "2024-01-01 10:30:00"},
	} {
		if got := evalText(c.build); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
}

func TestJSONModify(t *testing.T) {
	j := func(s string) Expr { return must(NewCast(lit(s), types.JSONB)) }
	p := func(s string) Expr { return must(NewCast(lit(s), types.ArrayOf(types.Text))) }
	fn := func(name string, args ...Expr) func() (Expr, error) {
		return func() (Expr, error) { return NewFunc(name, args) }
	}
	for _, c := range []struct {
		sql   string
		build func() (Expr, error)
		want  string
	}{
		{"jsonb_set", fn("jsonb_set", j(`{"a": [1, 2]}`), p("{a,1}"), j(`"x"`)), `{"a": [1, "x"]}`},
		{"jsonb_set create", fn("jsonb_set", j(`[1, 2]`), p("{-5}"), j(`0`)), `[0, 1, 2]`},
		{"jsonb_set no create", fn("jsonb_set", j(`{"a": 1}`), p("{b}"), j(`0`), NewConst(false, types.Bool)), `{"a": 1}`},
		{"jsonb_set scalar", fn("jsonb_set", j(`1`), p("{a}"), j(`0`)), "!22023"},
		{"jsonb_insert after", fn("jsonb_insert", j(`[1, 2]`), p("{0}"), j(`9`), NewConst(true, types.Bool)), `[1, 9, 2]`},
		{"jsonb_insert existing", fn("jsonb_insert", j(`{"a": 1}`), p("{a}"), j(`9`)), "!22023"},
		{"#-", func() (Expr, error) { return NewBinary("#-", j(`{"a": {"b": 1, "c": 2}}`), p("{a,b}")) }, `{"a": {"c": 2}}`},
		{"#- bad index", func() (Expr, error) { return NewBinary("#-", j(`[1]`), p("{x}")) }, "!22P02"},
		{"jsonb_pretty", fn("jsonb_pretty", j(`{"a": [1]}`)), "{\n    \"a\": [\n        1\n    ]\n}"},
		{"json_build_object", fn("json_build_object", lit("a"), lit(1), lit("b"), lit(nil)), `{"a" : 1, "b" : null}`},
		{"json_build_object odd", fn("json_build_object", lit("a")), "!22023"},
		{"json_build_array", fn("json_build_array", lit(1), lit("x")), `[1, "x"]`},
		{"array_positions", fn("array_positions", must(NewCast(lit("{1,2,1}"), types.ArrayOf(types.Int32))), lit(1)), "{1,3}"},
		{"trim_array", fn("trim_array", must(NewCast(lit("{1,2,3}"), types.ArrayOf(types.Int32))), lit(2)), "{1}"},
		{"trim_array too many", fn("trim_array", must(NewCast(lit("{1}"), types.ArrayOf(types.Int32))), lit(2)), "!2202E"},
	} {
		if got := evalText(c.build); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
}

func TestExtractTimeAndInfinity(t *testing.T) {
	typed := func(s string, to types.T) Expr { return must(NewCast(lit(s), to)) }
	fn := func(name string, args ...Expr) func() (Expr, error) {
		return func() (Expr, error) { return NewFunc(name, args) }
	}
	for _, c := range []struct {
		sql   string
		build func() (Expr, error)
		want  string
	}{
		{"extract(second from time)", fn("extract", lit("second"), typed("13:45:10.5", types.TimeType)), "10.500000"},
		{"extract(ms from time)", fn("extract", lit("ms"), typed("00:00:01.5", types.TimeType)), "1500.000"},
		{"date_part(hour, time)", fn("date_part", lit("hour"), typed("13:45:10", types.TimeType)), "13"},
		{"extract(day from time)", fn("extract", lit("day"), typed("13:45:10", types.TimeType)), "!0A000"},
		{"extract(year from infinity)", fn("extract", lit("year"), typed("infinity", types.TimestampType)), "Infinity"},
		{"extract(month from -infinity)", fn("extract", lit("month"), typed("-infinity", types.TimestampType)), "NULL"},
		{"date_part(epoch, -infinity date)", fn("date_part", lit("epoch"), typed("-infinity", types.DateType)), "-Infinity"},
		{"extract(hour from infinity date)", fn("extract", lit("hour"), typed("infinity", types.DateType)), "!0A000"},
	} {
		if got := evalText(c.build); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
}
