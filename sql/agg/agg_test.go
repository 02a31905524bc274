package agg

import (
	"math"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func num(s string) types.Datum {
	d, err := types.ParseNumeric(s)
	if err != nil {
		panic(err)
	}
	return d
}

func call(name string, star bool, ts ...types.T) Call {
	c := Call{Name: name, Star: star}
	for i, t := range ts {
		c.Args = append(c.Args, expr.NewColumnRef(i, t, ""))
	}
	return c
}

func resultText(t *testing.T, c Call, a Accumulator) string {
	t.Helper()
	d, err := a.Result()
	if err != nil {
		return "error " + string(pgerror.CodeOf(err)) + ": " + err.Error()
	}
	if d == nil {
		return "NULL"
	}
	argTypes := make([]types.T, len(c.Args))
	for i, e := range c.Args {
		argTypes[i] = e.Type()
	}
	rt, err := ResultType(c.Name, argTypes, c.Star)
	if err != nil {
		t.Fatal(err)
	}
	return types.FormatText(rt, d)
}

// Expected results are PostgreSQL 15's.
var aggCases = []struct {
	name string
	star bool
	ts   []types.T
	rows [][]types.Datum
	want string
}{
	{"count", true, nil, [][]types.Datum{{}, {}, {}}, "3"},
	{"count", true, nil, nil, "0"},
	{"count", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {nil}, {int64(3)}}, "2"},
	{"sum", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(4)}}, "7"},
	{"sum", false, []types.T{types.Int32}, [][]types.Datum{{int64(2147483647)}, {int64(1)}}, "2147483648"},
	{"sum", false, []types.T{types.Int32}, [][]types.Datum{{nil}}, "NULL"},
	{"sum", false, []types.T{types.Int32}, nil, "NULL"},
	{"sum", false, []types.T{types.Int64}, [][]types.Datum{{int64(math.MaxInt64)}, {int64(1)}}, "9223372036854775808"},
	{"sum", false, []types.T{types.Int64}, [][]types.Datum{{int64(math.MinInt64)}, {int64(math.MinInt64)}}, "-18446744073709551616"},
	{"sum", false, []types.T{types.Int64}, [][]types.Datum{{int64(math.MaxInt64)}, {int64(math.MaxInt64)}, {int64(math.MaxInt64)}}, "27670116110564327421"},
	{"sum", false, []types.T{types.Numeric}, [][]types.Datum{{num("1e5")}, {num("2e3")}}, "102000"},
	{"sum", false, []types.T{types.Numeric}, [][]types.Datum{{num("1.50")}, {num("2")}}, "3.50"},
	{"sum", false, []types.T{types.Numeric}, [][]types.Datum{{num("-Infinity")}, {num("Infinity")}}, "NaN"},
	{"sum", false, []types.T{types.Numeric}, [][]types.Datum{{num("Infinity")}, {num("1")}}, "Infinity"},
	{"sum", false, []types.T{types.Float32}, [][]types.Datum{{1.5}, {2.25}}, "3.75"},
	{"sum", false, []types.T{types.Float64}, [][]types.Datum{{1e308}, {1e308}}, "error 22003: value out of range: overflow"},
	{"sum", false, []types.T{types.IntervalType}, [][]types.Datum{{types.Interval{Months: 1}}, {types.Interval{Days: 2, Micros: 3600e6}}}, "1 mon 2 days 01:00:00"},
	{"avg", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}}, "1.5000000000000000"},
	{"avg", false, []types.T{types.Int16}, [][]types.Datum{{int64(1)}}, "1.00000000000000000000"},
	{"avg", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(-3)}}, "0.00000000000000000000"},
	{"avg", false, []types.T{types.Int32}, [][]types.Datum{{int64(-1)}, {int64(-2)}}, "-1.5000000000000000"},
	{"avg", false, []types.T{types.Int32}, [][]types.Datum{{int64(10000)}, {int64(10000)}}, "10000.0000000000000000"},
	{"avg", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(99999)}}, "50000.000000000000"},
	{"avg", false, []types.T{types.Int64}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(2)}}, "1.6666666666666667"},
	{"avg", false, []types.T{types.Int64}, [][]types.Datum{{int64(123456789012)}, {int64(2)}}, "61728394507.00000000"},
	{"avg", false, []types.T{types.Numeric}, [][]types.Datum{{num("1.50")}, {num("2.25")}, {num("4.125")}}, "2.6250000000000000"},
	{"avg", false, []types.T{types.Numeric}, [][]types.Datum{{num("1e5")}, {num("2e3")}}, "51000.000000000000"},
	{"avg", false, []types.T{types.Numeric}, [][]types.Datum{{num("0.001")}, {num("0.002")}}, "0.00150000000000000000"},
	{"avg", false, []types.T{types.Numeric}, [][]types.Datum{{num("Infinity")}, {num("1")}}, "Infinity"},
	{"avg", false, []types.T{types.Float32}, [][]types.Datum{{1.5}, {2.25}}, "1.875"},
	{"avg", false, []types.T{types.IntervalType}, [][]types.Datum{{types.Interval{Months: 1}}, {types.Interval{Days: 1}}, {types.Interval{Micros: 3 * 3600e6}}}, "10 days 09:00:00"},
	{"avg", false, []types.T{types.IntervalType}, [][]types.Datum{{types.Interval{Months: 1}}, {types.Interval{Months: 1}}, {types.Interval{Days: 1}}, {types.Interval{Micros: -3600e6}}}, "15 days 05:45:00"},
	{"avg", false, []types.T{types.IntervalType}, [][]types.Datum{{types.Interval{Months: 1, Days: 1, Micros: 1}}, {types.Interval{}}}, "15 days 12:00:00"},
	{"variance", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(4)}}, "2.3333333333333333"},
	{"stddev", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(4)}}, "1.5275252316519467"},
	{"stddev_pop", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(4)}}, "1.2472191289246471"},
	{"var_pop", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(2)}, {int64(4)}}, "1.5555555555555556"},
	{"stddev", false, []types.T{types.Int32}, [][]types.Datum{{int64(2)}, {int64(3)}, {int64(7)}}, "2.6457513110645906"},
	{"var_pop", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}}, "0"},
	{"var_samp", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}}, "NULL"},
	{"variance", false, []types.T{types.Int32}, [][]types.Datum{{int64(1)}, {int64(1)}}, "0"},
	{"variance", false, []types.T{types.Numeric}, [][]types.Datum{{num("1.50")}, {num("2.25")}, {num("4.125")}}, "1.8281250000000000"},
	{"stddev", false, []types.T{types.Numeric}, [][]types.Datum{{num("1.50")}, {num("2.25")}, {num("4.125")}}, "1.3520817282989960"},
	{"variance", false, []types.T{types.Numeric}, [][]types.Datum{{num("1e20")}, {num("3e20")}, {num("2")}}, "23333333333333333333066666666666666666668"},
	{"stddev", false, []types.T{types.Numeric}, [][]types.Datum{{num("1e20")}, {num("3e20")}, {num("2")}}, "152752523165194666885"},
	{"stddev", false, []types.T{types.Numeric}, [][]types.Datum{{num("1e-20")}, {num("3e-20")}}, "0.00000000000000000001414213562373095048801688724209698079"},
	{"stddev", false, []types.T{types.Numeric}, [][]types.Datum{{num("Infinity")}, {num("1")}}, "NaN"},
	{"var_pop", false, []types.T{types.Float64}, [][]types.Datum{{1.5}, {2.0}, {10.0}}, "15.166666666666666"},
	{"var_samp", false, []types.T{types.Float64}, [][]types.Datum{{1.5}, {2.0}, {10.0}}, "22.75"},
	{"stddev_pop", false, []types.T{types.Float64}, [][]types.Datum{{1.5}, {2.0}, {10.0}}, "3.8944404818493075"},
	{"variance", false, []types.T{types.Float64}, [][]types.Datum{{1.0}}, "NULL"},
	{"min", false, []types.T{types.Int32}, [][]types.Datum{{int64(3)}, {nil}, {int64(-1)}}, "-1"},
	{"max", false, []types.T{types.Text}, [][]types.Datum{{"b"}, {"ab"}, {nil}}, "b"},
	{"max", false, []types.T{types.IntervalType}, [][]types.Datum{{types.Interval{Days: 1}}, {types.Interval{Micros: 24 * 3600e6}}}, "24:00:00"},
	{"min", false, []types.T{types.Numeric}, [][]types.Datum{{num("1.0")}, {num("1.00")}}, "1.00"},
	{"max", false, []types.T{types.Int32}, [][]types.Datum{{nil}}, "NULL"},
	{"bool_and", false, []types.T{types.Bool}, [][]types.Datum{{true}, {nil}, {false}}, "f"},
	{"bool_or", false, []types.T{types.Bool}, [][]types.Datum{{false}, {nil}, {true}}, "t"},
	{"every", false, []types.T{types.Bool}, [][]types.Datum{{true}}, "t"},
	{"bool_or", false, []types.T{types.Bool}, [][]types.Datum{{nil}}, "NULL"},
	{"string_agg", false, []types.T{types.Text, types.Text}, [][]types.Datum{{"a", ","}, {"b", nil}, {nil, ";"}, {"c", "-"}}, "ab-c"},
	{"string_agg", false, []types.T{types.Text, types.Text}, [][]types.Datum{{nil, ","}}, "NULL"},
	{"string_agg", false, []types.T{types.Bytea, types.Bytea}, [][]types.Datum{{[]byte{1}, []byte{0}}, {[]byte{2}, []byte{0xff}}}, `\x01ff02`},
}

// noise are rows added and then retracted again in the invertible cases:
// the result must be as if they had never been seen.
var noise = map[types.Kind][][]types.Datum{
	types.KindInt16:    {{int64(7)}, {nil}, {int64(-3)}},
	types.KindInt32:    {{int64(7)}, {nil}, {int64(-2147483648)}},
	types.KindInt64:    {{int64(math.MaxInt64)}, {int64(math.MaxInt64)}, {nil}},
	types.KindNumeric:  {{num("0.123456")}, {num("NaN")}, {num("-Infinity")}, {num("1e10")}},
	types.KindFloat32:  {{0.5}, {math.Inf(1)}, {math.NaN()}},
	types.KindFloat64:  {{1e300}, {math.Inf(-1)}, {math.NaN()}, {-3.0}},
	types.KindInterval: {{types.Interval{Months: 2147483647, Micros: math.MaxInt64}}, {types.Interval{Days: 3}}},
}

func TestAccumulators(t *testing.T) {
	for _, tc := range aggCases {
		c := call(tc.name, tc.star, tc.ts...)
		label := signature(tc.name, tc.ts) + " over " + strings.TrimSpace(strings.Repeat("r ", len(tc.rows)))
		t.Run(label, func(t *testing.T) {
			a, err := NewAccumulator(c)
			if err != nil {
				t.Fatal(err)
			}
			var firstErr error
			for _, r := range tc.rows {
				if err := a.Add(r, 1); err != nil && firstErr == nil {
					firstErr = err
				}
			}
			got := resultText(t, c, a)
			if firstErr != nil {
				got = "error " + string(pgerror.CodeOf(firstErr)) + ": " + firstErr.Error()
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if firstErr != nil {
				return
			}

			// The state survives a round trip through its encoding.
			b, err := a.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			restored, _ := NewAccumulator(c)
			if err := restored.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if got := resultText(t, c, restored); got != tc.want {
				t.Errorf("after round trip: got %s, want %s", got, tc.want)
			}

			if !Invertible(tc.name) {
				if len(tc.rows) > 0 && restored.Add(tc.rows[0], -1) == nil {
					t.Errorf("retraction accepted by a non-invertible aggregate")
				}
				return
			}
			// Interleave extra rows and their retractions, and retract and
			// re-add the real rows.
			var extra [][]types.Datum
			if tc.star {
				extra = [][]types.Datum{{}, {}}
			} else if len(tc.ts) > 0 {
				extra = noise[tc.ts[0].Kind]
			}
			for _, r := range extra {
				mustAdd(t, restored, r, 1)
			}
			for _, r := range tc.rows {
				mustAdd(t, restored, r, -1)
			}
			for _, r := range extra {
				mustAdd(t, restored, r, -1)
			}
			if got := resultText(t, c, restored); got != resultOfNothing(tc.name) {
				t.Errorf("after retracting everything: got %s, want %s", got, resultOfNothing(tc.name))
			}
			for _, r := range tc.rows {
				mustAdd(t, restored, r, 1)
			}
			if got := resultText(t, c, restored); got != tc.want {
				t.Errorf("after retractions: got %s, want %s", got, tc.want)
			}
		})
	}
}

func resultOfNothing(name string) string {
	if name == "count" {
		return "0"
	}
	return "NULL"
}

func mustAdd(t *testing.T, a Accumulator, row []types.Datum, sign int64) {
	t.Helper()
	if err := a.Add(row, sign); err != nil {
		t.Fatalf("Add(%v, %d): %v", row, sign, err)
	}
}

func TestResultType(t *testing.T) {
	cases := []struct {
		name string
		star bool
		ts   []types.T
		want string
	}{
		{"count", true, nil, "bigint"},
		{"count", false, []types.T{types.Text}, "bigint"},
		{"sum", false, []types.T{types.Int16}, "bigint"},
		{"sum", false, []types.T{types.Int32}, "bigint"},
		{"sum", false, []types.T{types.Int64}, "numeric"},
		{"sum", false, []types.T{{Kind: types.KindNumeric, Precision: 10, Scale: 2}}, "numeric"},
		{"sum", false, []types.T{types.Float32}, "real"},
		{"sum", false, []types.T{types.Float64}, "double precision"},
		{"sum", false, []types.T{types.IntervalType}, "interval"},
		{"avg", false, []types.T{types.Int32}, "numeric"},
		{"avg", false, []types.T{types.Float32}, "double precision"},
		{"avg", false, []types.T{types.IntervalType}, "interval"},
		{"stddev", false, []types.T{types.Int64}, "numeric"},
		{"var_pop", false, []types.T{types.Float32}, "double precision"},
		{"min", false, []types.T{types.DateType}, "date"},
		{"max", false, []types.T{types.Varchar}, "text"},
		{"max", false, []types.T{types.Unknown}, "text"},
		{"max", false, []types.T{{Kind: types.KindChar, Width: 2}}, "character"},
		{"bool_and", false, []types.T{types.Bool}, "boolean"},
		{"every", false, []types.T{types.Bool}, "boolean"},
		{"string_agg", false, []types.T{types.Text, types.Text}, "text"},
		{"string_agg", false, []types.T{types.Varchar, types.Unknown}, "text"},
		{"string_agg", false, []types.T{types.Bytea, types.Bytea}, "bytea"},
		{"sum", false, []types.T{types.Text}, "error 42883: function sum(text) does not exist"},
		{"sum", false, []types.T{types.Varchar}, "error 42883: function sum(character varying) does not exist"},
		{"sum", false, []types.T{types.Unknown}, "error 42725: function sum(unknown) is not unique"},
		{"max", false, []types.T{types.Bytea}, "error 42883: function max(bytea) does not exist"},
		{"min", false, []types.T{types.Bool}, "error 42883: function min(boolean) does not exist"},
		{"string_agg", false, []types.T{types.Text, types.Int32}, "error 42883: function string_agg(text, integer) does not exist"},
		{"array_agg", false, []types.T{types.Int32}, "integer[]"},
		{"array_agg", false, []types.T{types.Unknown}, "text[]"},
		{"jsonb_agg", false, []types.T{types.Int32}, "jsonb"},
		{"jsonb_object_agg", false, []types.T{types.Text, types.Int32}, "jsonb"},
		{"sum", true, nil, "error 42883: function sum() does not exist"},
	}
	for _, tc := range cases {
		rt, err := ResultType(tc.name, tc.ts, tc.star)
		got := rt.String()
		if err != nil {
			got = "error " + string(pgerror.CodeOf(err)) + ": " + err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", signature(tc.name, tc.ts), got, tc.want)
		}
	}
}

// TestDefinitions pins every aggregate and its streaming treatment, so a
// change that drops one or changes its retraction rule shows up here.
func TestDefinitions(t *testing.T) {
	const (
		invertible = "invertible"
		recomputed = "recomputed"
		keepsNulls = "recomputed, keeps NULLs"
	)
	want := map[string]string{
		"count": invertible, "sum": invertible, "avg": invertible,
		"stddev": invertible, "stddev_samp": invertible, "stddev_pop": invertible,
		"variance": invertible, "var_samp": invertible, "var_pop": invertible,
		"min": recomputed, "max": recomputed, "bool_and": recomputed, "bool_or": recomputed, "every": recomputed,
		"string_agg": recomputed, "jsonb_object_agg": recomputed,
		"bit_and": recomputed, "bit_or": recomputed, "bit_xor": recomputed,
		"corr": recomputed, "covar_pop": recomputed, "covar_samp": recomputed, "regr_count": recomputed,
		"regr_avgx": recomputed, "regr_avgy": recomputed, "regr_sxx": recomputed, "regr_syy": recomputed,
		"regr_sxy": recomputed, "regr_slope": recomputed, "regr_intercept": recomputed, "regr_r2": recomputed,
		"array_agg": keepsNulls, "jsonb_agg": keepsNulls, "json_agg": keepsNulls,
	}
	for _, name := range Names() {
		d, _ := Lookup(strings.ToUpper(name))
		got := recomputed
		switch {
		case d.Invertible && d.KeepsNulls:
			got = "invertible, keeps NULLs"
		case d.Invertible:
			got = invertible
		case d.KeepsNulls:
			got = keepsNulls
		}
		if want[name] != got {
			t.Errorf("%s is %s, want %q", name, got, want[name])
		}
		if Invertible(name) != d.Invertible || KeepsNulls(name) != d.KeepsNulls || !IsAggregate(name) {
			t.Errorf("%s: Invertible, KeepsNulls or IsAggregate disagrees with Lookup", name)
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("aggregate %s is not defined", name)
	}
	if IsAggregate("lower") || Invertible("no_such_aggregate") {
		t.Error("a scalar or unknown name counts as an aggregate")
	}
}

// foldCase is an aggregate call, the rows it folds and PostgreSQL's
// answer as text.
type foldCase struct {
	call Call
	rows [][]types.Datum
	want string
}

// checkFolds folds each case's rows, round-trips the state through its
// encoding, and compares the result.
func checkFolds(t *testing.T, cases []foldCase) {
	t.Helper()
	for _, c := range cases {
		a, err := NewAccumulator(c.call)
		if err != nil {
			t.Fatalf("%s: %v", c.call.Name, err)
		}
		for _, r := range c.rows {
			if err := a.Add(r, 1); err != nil {
				t.Fatalf("%s: %v", c.call.Name, err)
			}
		}
		// The state survives a round trip.
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		a2, _ := NewAccumulator(c.call)
		if err := a2.UnmarshalBinary(b); err != nil {
			t.Fatalf("%s: %v", c.call.Name, err)
		}
		if got := resultText(t, c.call, a2); got != c.want {
			t.Errorf("%s = %s, want %s", c.call.Name, got, c.want)
		}
	}
}

func TestDefineRejectsDuplicates(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("defining count twice did not panic")
		}
	}()
	define(Definition{}, "count")
}
