package expr

import (
	"fmt"

	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Encoded is the stored form of an expression, one JSON object per node
// with a kind tag. Leaves (column, const, param, outer, zoned_const) are
// stored by their fields; a node a constructor built is stored as that
// call (kind "call", see origin.go) and decoded by calling the
// constructor again, so functions and operators are found by name and
// argument types, never by position. The kinds and constructor names are
// the stored format: changing one changes the planner's plan format
// version.
type Encoded struct {
	Kind string `json:"kind"`
	// column, param, outer: the index or slot; name: for EXPLAIN, or the
	// function, operator, field, test name of a call.
	Index int    `json:"index,omitempty"`
	Name  string `json:"name,omitempty"`
	Type  *Type  `json:"type,omitempty"`
	// Value is a const's value in the row value encoding of its type, nil
	// for NULL; zoned_const keeps its text there.
	Value []byte `json:"value,omitempty"`
	Null  bool   `json:"null,omitempty"`
	// call
	Constructor constructor `json:"constructor,omitempty"`
	Names       []string    `json:"names,omitempty"`
	Flags       []bool      `json:"flags,omitempty"`
	Whens       int         `json:"whens,omitempty"`
	Args        []*Encoded  `json:"args,omitempty"`
}

const (
	encColumn     = "column"
	encConst      = "const"
	encParam      = "param"
	encOuter      = "outer"
	encZonedConst = "zoned_const"
	encCall       = "call"
)

// encodedKinds lists every kind Encode writes, for the codec's tests.
var encodedKinds = []string{encColumn, encConst, encParam, encOuter, encZonedConst, encCall}

// Encode is e's stored form; nil encodes as nil. An expression not built
// by this package's constructors cannot be stored and is an internal
// error naming it.
func Encode(e Expr) (*Encoded, error) {
	if e == nil {
		return nil, nil
	}
	if s, ok := e.(stampable); ok && s.builtBy() != nil {
		return encodeCall(s.builtBy())
	}
	switch x := e.(type) {
	case *ColumnRef:
		return &Encoded{Kind: encColumn, Index: x.Index, Name: x.Name, Type: EncodeType(x.T)}, nil
	case *Param:
		return &Encoded{Kind: encParam, Index: x.Index, Type: EncodeType(x.T)}, nil
	case *OuterRef:
		return &Encoded{Kind: encOuter, Index: x.Slot, Name: x.Name, Type: EncodeType(x.T)}, nil
	case *zonedConst:
		return &Encoded{Kind: encZonedConst, Value: []byte(x.text), Type: EncodeType(x.T)}, nil
	case *Const:
		out := &Encoded{Kind: encConst, Type: EncodeType(x.T)}
		if x.Value == nil {
			out.Null = true
			return out, nil
		}
		v, err := encodeValue(x.T, x.Value)
		if err != nil {
			return nil, err
		}
		out.Value = v
		return out, nil
	case *Binary:
		// A comparison built inside another constructor (IN, BETWEEN):
		// its operands already have the operator's types.
		return encodeCall(&origin{ctor: ctorBinary, name: x.Op, args: []Expr{x.Left, x.Right}})
	case *Cast:
		if x.Assign {
			break
		}
		return encodeCall(&origin{ctor: ctorCast, t: x.To, args: []Expr{x.Input}})
	case *Logic:
		c := ctorOr
		if x.And {
			c = ctorAnd
		}
		return encodeCall(&origin{ctor: c, args: x.Args})
	case *Not:
		return encodeCall(&origin{ctor: ctorNot, args: []Expr{x.Input}})
	case *Coalesce:
		return encodeCall(&origin{ctor: ctorCoalesce, args: x.Args})
	case *IsNull:
		return encodeCall(&origin{ctor: ctorIsNull, flags: []bool{x.Not}, args: []Expr{x.Input}})
	case *Case:
		// Whens are already conditions: the operand form was expanded.
		args := append(append(append([]Expr{nil}, x.Whens...), x.Thens...), x.Else)
		return encodeCall(&origin{ctor: ctorCase, whens: len(x.Whens), args: args})
	}
	return nil, pgerror.Internal("expression %s (%T) cannot be stored in a plan", e, e)
}

// encodeValue encodes one non-NULL value; a value its type's encoding
// cannot hold is an internal error rather than a panic.
func encodeValue(t types.T, d types.Datum) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = pgerror.Internal("constant %v of type %s cannot be stored in a plan: %v", d, t, r)
		}
	}()
	return encoding.EncodeRow(nil, []types.T{t}, []types.Datum{d}), nil
}

func encodeCall(o *origin) (*Encoded, error) {
	out := &Encoded{Kind: encCall, Constructor: o.ctor, Name: o.name, Names: o.names, Flags: o.flags, Whens: o.whens}
	if o.ctor == ctorCast || o.ctor == ctorCoerce {
		out.Type = EncodeType(o.t)
	}
	for _, a := range o.args {
		enc, err := Encode(a)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, enc)
	}
	return out, nil
}

// Decode rebuilds an expression from its stored form.
func Decode(n *Encoded) (Expr, error) {
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case encColumn, encParam, encOuter, encConst, encZonedConst:
		t, err := DecodeType(n.Type)
		if err != nil {
			return nil, err
		}
		switch n.Kind {
		case encColumn:
			return NewColumnRef(n.Index, t, n.Name), nil
		case encParam:
			return NewParam(n.Index, t), nil
		case encOuter:
			return NewOuterRef(n.Index, t, n.Name), nil
		case encZonedConst:
			return &zonedConst{text: string(n.Value), T: t}, nil
		}
		if n.Null {
			return NewConst(nil, t), nil
		}
		row, err := encoding.DecodeRow([]types.T{t}, n.Value)
		if err != nil {
			return nil, err
		}
		return NewConst(row[0], t), nil
	case encCall:
		args := make([]Expr, len(n.Args))
		for i, a := range n.Args {
			e, err := Decode(a)
			if err != nil {
				return nil, err
			}
			args[i] = e
		}
		return decodeCall(n, args)
	}
	return nil, errUnknownEncoding("expression kind", n.Kind)
}

// decodeCall calls the constructor n names: the one switch that knows
// every constructor's parameters.
func decodeCall(n *Encoded, a []Expr) (Expr, error) {
	arity := map[constructor]int{
		ctorBinary: 2, ctorUnary: 1, ctorNot: 1, ctorIsNull: 1, ctorIsBool: 1, ctorIsDistinct: 2, ctorBetween: 3,
		ctorLike: 3, ctorCast: 1, ctorCoerce: 1, ctorCoerceToBool: 1, ctorIntervalFields: 1,
		ctorNullIf: 2, ctorAnyAll: 2, ctorSubscript: 2, ctorFieldSelect: 1,
	}
	flags := map[constructor]int{
		ctorIsNull: 1, ctorIsBool: 1, ctorIsDistinct: 1, ctorBetween: 2, ctorInList: 1, ctorLike: 2,
		ctorGreatestLeast: 1, ctorAnyAll: 1,
	}
	if want, ok := arity[n.Constructor]; ok && len(a) != want {
		return nil, errCorruptEncoding("%s takes %d arguments, stored %d", n.Constructor, want, len(a))
	}
	if want := flags[n.Constructor]; len(n.Flags) != want {
		return nil, errCorruptEncoding("%s takes %d flags, stored %d", n.Constructor, want, len(n.Flags))
	}
	f := n.Flags
	switch n.Constructor {
	case ctorFunc:
		return NewFunc(n.Name, a)
	case ctorBinary:
		return NewBinary(n.Name, a[0], a[1])
	case ctorUnary:
		return NewUnary(n.Name, a[0])
	case ctorAnd:
		return NewAnd(a...)
	case ctorOr:
		return NewOr(a...)
	case ctorNot:
		return NewNot(a[0])
	case ctorIsNull:
		return NewIsNull(a[0], f[0]), nil
	case ctorIsBool:
		return NewIsBool(a[0], n.Name, f[0])
	case ctorIsDistinct:
		return NewIsDistinct(a[0], a[1], f[0])
	case ctorBetween:
		return NewBetween(a[0], a[1], a[2], f[0], f[1])
	case ctorInList:
		if len(a) < 1 {
			return nil, errCorruptEncoding("IN without its left operand")
		}
		return NewInList(a[0], a[1:], f[0])
	case ctorLike:
		return NewLike(a[0], a[1], a[2], f[0], f[1])
	case ctorCast, ctorCoerce:
		t, err := DecodeType(n.Type)
		if err != nil {
			return nil, err
		}
		if n.Constructor == ctorCast {
			return NewCast(a[0], t)
		}
		return Coerce(a[0], t)
	case ctorCoerceToBool:
		return CoerceToBool(a[0], n.Name)
	case ctorIntervalFields:
		return NewIntervalFieldsCast(a[0], n.Name)
	case ctorCase:
		if n.Whens < 0 || len(a) != 2*n.Whens+2 {
			return nil, errCorruptEncoding("CASE with %d arms stored with %d arguments", n.Whens, len(a))
		}
		return NewCase(a[0], a[1:1+n.Whens], a[1+n.Whens:1+2*n.Whens], a[len(a)-1])
	case ctorCoalesce:
		return NewCoalesce(a)
	case ctorNullIf:
		return NewNullIf(a[0], a[1])
	case ctorGreatestLeast:
		return NewGreatestLeast(f[0], a)
	case ctorAnyAll:
		return NewAnyAll(n.Name, f[0], a[0], a[1])
	case ctorArray:
		return NewArray(a)
	case ctorSubscript:
		return NewSubscript(a[0], a[1])
	case ctorFieldSelect:
		return NewFieldSelect(a[0], n.Name)
	case ctorRecord:
		if len(n.Names) != len(a) {
			return nil, errCorruptEncoding("record of %d fields stored with %d names", len(a), len(n.Names))
		}
		return NewRecord(n.Names, a), nil
	}
	return nil, errUnknownEncoding("expression constructor", string(n.Constructor))
}

// errUnknownEncoding is a stored kind this binary does not know: a plan
// written by another version, which the planner's format version should
// have caught.
func errUnknownEncoding(what, kind string) error {
	return pgerror.New(pgerror.FeatureNotSupported, "stored plan uses %s %q, which this version of eddy does not know", what, kind)
}

func errCorruptEncoding(format string, args ...any) error {
	return pgerror.New(pgerror.DataCorrupted, "corrupt stored plan: %s", fmt.Sprintf(format, args...))
}
