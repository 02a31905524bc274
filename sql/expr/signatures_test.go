package expr

import (
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/eddy-db/eddy/sql/types"
)

// TestSignatures keeps testdata/signatures equal to the registered
// overloads, so a change that drops or alters one shows up in review.
// Regenerate with -rewrite.
func TestSignatures(t *testing.T) {
	datadriven.RunTest(t, "testdata/signatures", func(t *testing.T, td *datadriven.TestData) string {
		if td.Cmd != "signatures" {
			t.Fatalf("unknown command %s", td.Cmd)
		}
		return strings.Join(Signatures(), "\n") + "\n"
	})
}

// TestSignaturesResolve calls every listed overload with arguments of its
// parameter types (integer for a pseudo-type) and checks that the call
// resolves to the result type the signature names.
func TestSignaturesResolve(t *testing.T) {
	for name, list := range functions {
		for _, o := range list {
			if len(o.sigs) == 0 {
				t.Errorf("an overload of %s lists no signature", name)
			}
			for _, s := range o.sigs {
				var args []Expr
				for _, p := range s.params {
					args = append(args, NewConst(nil, sampleType(t, p)))
					if strings.HasPrefix(p, "VARIADIC") {
						// Two, for the functions that take pairs.
						args = append(args, NewConst(nil, sampleType(t, p)))
					}
				}
				e, err := NewFunc(name, args)
				if err != nil {
					t.Errorf("%s%s: %v", name, s, err)
					continue
				}
				if want := sampleType(t, s.result); typeName(e.Type()) != typeName(want) {
					t.Errorf("%s%s resolves to %s", name, s, e.Type())
				}
			}
		}
	}
}

// sampleType is the type a parameter or result name stands for in
// TestSignaturesResolve: itself, or integer for a pseudo-type.
func sampleType(t *testing.T, name string) types.T {
	switch name {
	case "any", "anyelement", "VARIADIC any":
		return types.Int32
	case "anyarray":
		return types.ArrayOf(types.Int32)
	case "VARIADIC text[]":
		return types.Text
	case "record":
		return types.T{Kind: types.KindRecord}
	}
	if elem, ok := strings.CutSuffix(name, "[]"); ok {
		return types.ArrayOf(sampleType(t, elem))
	}
	typ, ok := types.FromName(name)
	if !ok {
		t.Fatalf("no type named %q", name)
	}
	return typ
}

// TestRegisterRejectsDuplicates: a second registration of a name, or two
// overloads with the same parameter types, must fail at start rather than
// let one silently replace the other.
func TestRegisterRejectsDuplicates(t *testing.T) {
	const name = "test_duplicate_overload"
	defer delete(functions, name)
	one := textFunc(name, []types.T{types.Text}, types.Text, func(a []types.Datum) (types.Datum, error) { return a[0], nil })
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", what)
			}
		}()
		f()
	}
	mustPanic("two overloads of (text)", func() { register(overloads(one, one), name) })
	delete(functions, name)
	register(one, name)
	mustPanic("registering a name twice", func() { register(one, name) })
}
