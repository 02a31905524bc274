package expr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// roundTrip encodes e, passes it through JSON, decodes it and checks that
// the result prints, types and evaluates as e does and encodes the same.
func roundTrip(t *testing.T, what string, e Expr) Expr {
	t.Helper()
	enc, err := Encode(e)
	if err != nil {
		t.Fatalf("%s: encode %s: %v", what, e, err)
	}
	blob, err := json.Marshal(enc)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var back Encoded
	if err := json.Unmarshal(blob, &back); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	d, err := Decode(&back)
	if err != nil {
		t.Fatalf("%s: decode %s: %v", what, blob, err)
	}
	if d.String() != e.String() || d.Type() != e.Type() {
		t.Fatalf("%s: decoded %s (%s), want %s (%s)", what, d, d.Type(), e, e.Type())
	}
	again, err := Encode(d)
	if err != nil {
		t.Fatalf("%s: encode decoded: %v", what, err)
	}
	blob2, _ := json.Marshal(again)
	if string(blob2) != string(blob) {
		t.Fatalf("%s: re-encoding differs:\n%s\n%s", what, blob, blob2)
	}
	return d
}

func col(i int, t types.T) Expr { return NewColumnRef(i, t, "") }

// TestCodecEveryConstructor builds a node with each constructor the codec
// replays; a constructor added to the list without a case here fails.
func TestCodecEveryConstructor(t *testing.T) {
	i4, txt, b := col(0, types.Int32), col(1, types.Text), col(2, types.Bool)
	arr := col(3, types.ArrayOf(types.Int32))
	lit := func(s string) Expr { return NewConst(s, types.Unknown) }
	rec := NewRecord([]string{"a", "b"}, []Expr{i4, txt})
	cases := map[constructor]func() (Expr, error){
		ctorFunc:           func() (Expr, error) { return NewFunc("upper", []Expr{txt}) },
		ctorBinary:         func() (Expr, error) { return NewBinary("+", i4, lit("5")) },
		ctorUnary:          func() (Expr, error) { return NewUnary("-", i4) },
		ctorAnd:            func() (Expr, error) { return NewAnd(b, b) },
		ctorOr:             func() (Expr, error) { return NewOr(b, b) },
		ctorNot:            func() (Expr, error) { return NewNot(b) },
		ctorIsNull:         func() (Expr, error) { return NewIsNull(lit("x"), true), nil },
		ctorIsBool:         func() (Expr, error) { return NewIsBool(b, "unknown", true) },
		ctorIsDistinct:     func() (Expr, error) { return NewIsDistinct(i4, lit("3"), false) },
		ctorBetween:        func() (Expr, error) { return NewBetween(i4, lit("1"), lit("9"), false, true) },
		ctorInList:         func() (Expr, error) { return NewInList(txt, []Expr{lit("a"), lit("b")}, true) },
		ctorLike:           func() (Expr, error) { return NewLike(txt, lit("a%"), lit("!"), false, true) },
		ctorCast:           func() (Expr, error) { return NewCast(i4, types.T{Kind: types.KindNumeric, Precision: 10, Scale: 2}) },
		ctorCoerce:         func() (Expr, error) { return Coerce(i4, types.Int64) },
		ctorCoerceToBool:   func() (Expr, error) { return CoerceToBool(col(5, types.Unknown), "WHERE") },
		ctorIntervalFields: func() (Expr, error) { return NewIntervalFieldsCast(col(4, types.IntervalType), "DAY") },
		ctorCase: func() (Expr, error) {
			return NewCase(i4, []Expr{lit("1"), lit("2")}, []Expr{lit("one"), txt}, nil)
		},
		ctorCoalesce:      func() (Expr, error) { return NewCoalesce([]Expr{txt, lit("none")}) },
		ctorNullIf:        func() (Expr, error) { return NewNullIf(i4, lit("0")) },
		ctorGreatestLeast: func() (Expr, error) { return NewGreatestLeast(true, []Expr{i4, lit("7")}) },
		ctorAnyAll:        func() (Expr, error) { return NewAnyAll("=", true, i4, arr) },
		ctorArray:         func() (Expr, error) { return NewArray([]Expr{i4, lit("2")}) },
		ctorSubscript:     func() (Expr, error) { return NewSubscript(arr, lit("1")) },
		ctorFieldSelect:   func() (Expr, error) { return NewFieldSelect(rec, "b") },
		ctorRecord:        func() (Expr, error) { return rec, nil },
	}
	for _, c := range constructors {
		build, ok := cases[c]
		if !ok {
			t.Errorf("constructor %s has no round-trip case", c)
			continue
		}
		e, err := build()
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		enc, err := Encode(e)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if enc.Kind != encCall || enc.Constructor != c {
			t.Errorf("%s: stored as %s %s", c, enc.Kind, enc.Constructor)
		}
		roundTrip(t, string(c), e)
	}
	if len(cases) != len(constructors) {
		t.Errorf("%d cases for %d constructors", len(cases), len(constructors))
	}
}

// TestCodecEveryKind stores each leaf kind and each node type that can
// appear without a constructor call of its own (ConstFold's rebuilt
// parents, comparisons built inside IN and BETWEEN).
func TestCodecEveryKind(t *testing.T) {
	seen := map[string]bool{}
	dec, _, _ := apd.NewFromString("-12.50")
	leaves := []Expr{
		col(2, types.Text),
		NewParam(1, types.Int64),
		NewOuterRef(0, types.DateType, "d"),
		&zonedConst{text: "2024-01-02 03:04", T: types.TimestampTZ},
		NewConst(nil, types.Int32),
		NewConst(int64(-7), types.Int16),
		NewConst(2.5, types.Float64),
		NewConst(dec, types.T{Kind: types.KindNumeric, Precision: 6, Scale: 2}),
		NewConst("x'y", types.T{Kind: types.KindVarchar, Width: 3}),
		NewConst(true, types.Bool),
		NewConst(types.Interval{Months: 1, Days: 2, Micros: 3}, types.IntervalType),
		NewConst(types.Array{int64(1), nil, int64(3)}, types.ArrayOf(types.Int64)),
	}
	for _, e := range leaves {
		enc, err := Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		seen[enc.Kind] = true
		roundTrip(t, enc.Kind, e)
	}
	b := col(0, types.Bool)
	cmp := must(NewBinary("<", col(1, types.Int64), NewConst(int64(3), types.Int64)))
	bare := []Expr{
		&Logic{And: true, Args: []Expr{b, cmp}},
		&Not{Input: b},
		&IsNull{Input: cmp, Not: true},
		&Case{Whens: []Expr{b}, Thens: []Expr{col(2, types.Text)}, Else: NewConst(nil, types.Text), T: types.Text},
		&Coalesce{Args: []Expr{col(2, types.Text), NewConst("z", types.Text)}, T: types.Text},
		&Binary{Op: "<", Left: col(1, types.Int64), Right: NewConst(int64(4), types.Int64), T: types.Bool},
		&Cast{Input: col(1, types.Int64), To: types.Text},
	}
	for _, e := range bare {
		enc, err := Encode(e)
		if err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		seen[enc.Kind] = true
		roundTrip(t, e.String(), e)
	}
	for _, k := range encodedKinds {
		if !seen[k] {
			t.Errorf("kind %s has no round-trip case", k)
		}
	}
}

// TestCodecEveryFunction stores a call of every registered function
// signature: each must decode to the same overload. Pseudo-typed
// parameters take a representative type, which some functions refuse.
func TestCodecEveryFunction(t *testing.T) {
	pseudo := map[string][]types.T{
		"any": {types.Text}, "anyelement": {types.Int32}, "anyarray": {types.ArrayOf(types.Int32)},
		"VARIADIC any": {types.Text, types.Int32}, "VARIADIC text[]": {types.Text, types.Text},
	}
	stored, concrete := 0, 0
	for _, sig := range Signatures() {
		open := strings.IndexByte(sig, '(')
		closeAt := strings.LastIndexByte(sig, ')')
		name, inner := sig[:open], sig[open+1:closeAt]
		var args []Expr
		isConcrete := true
		if inner != "" {
			for _, p := range strings.Split(inner, ", ") {
				if ts, ok := pseudo[p]; ok {
					isConcrete = false
					for _, pt := range ts {
						args = append(args, col(len(args), pt))
					}
					continue
				}
				pt, ok := types.FromName(p)
				if !ok {
					isConcrete = false
					args = nil
					break
				}
				args = append(args, col(len(args), pt))
			}
		}
		if !isConcrete && args == nil && inner != "" {
			continue
		}
		e, err := NewFunc(name, args)
		if err != nil {
			if isConcrete {
				t.Errorf("%s: %v", sig, err)
			}
			continue
		}
		if isConcrete {
			concrete++
		}
		roundTrip(t, sig, e)
		stored++
	}
	if concrete < 200 {
		t.Errorf("only %d concrete signatures stored (of %d calls)", concrete, stored)
	}
}

// TestCodecEvaluatesTheSame checks that a decoded expression computes the
// same values, not only the same text.
func TestCodecEvaluatesTheSame(t *testing.T) {
	in := chunk.FromRows([]types.T{types.Int32, types.Text}, [][]types.Datum{{int64(3), "ab"}, {nil, "Zq"}, {int64(-4), nil}})
	e := must(NewCase(nil,
		[]Expr{must(NewBinary(">", col(0, types.Int32), NewConst("0", types.Unknown)))},
		[]Expr{must(NewFunc("lower", []Expr{col(1, types.Text)}))},
		must(NewFunc("concat", []Expr{col(1, types.Text), col(0, types.Int32)}))))
	d := roundTrip(t, "case", e)
	want, err := e.Eval(&Context{}, in)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Release()
	got, err := d.Eval(&Context{}, in)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	for i := 0; i < in.Len(); i++ {
		if a, b := chunk.Datum(want, e.Type(), i), chunk.Datum(got, d.Type(), i); a != b {
			t.Errorf("row %d: decoded %v, want %v", i, b, a)
		}
	}
}

func TestTypeCodec(t *testing.T) {
	var all []types.T
	for k := types.KindUnknown; k <= types.KindRecord; k++ {
		if k == types.KindArray || k == types.KindRecord {
			continue
		}
		all = append(all, types.T{Kind: k}, types.ArrayOf(types.T{Kind: k}))
	}
	all = append(all,
		types.T{Kind: types.KindVarchar, Width: 12}, types.ArrayOf(types.T{Kind: types.KindNumeric, Precision: 8, Scale: 3}),
		types.Int2Vector, types.OidVector,
		types.RecordOf([]string{"x", "y"}, []types.T{types.Int64, types.RecordOf([]string{"z"}, []types.T{types.Text})}))
	for _, want := range all {
		blob, err := json.Marshal(EncodeType(want))
		if err != nil {
			t.Fatal(err)
		}
		var s Type
		if err := json.Unmarshal(blob, &s); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeType(&s)
		if err != nil {
			t.Fatalf("%s: %v", blob, err)
		}
		if got != want {
			t.Errorf("%s: decoded %#v, want %#v", blob, got, want)
		}
	}
}
