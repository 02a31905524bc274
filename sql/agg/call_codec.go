package agg

import (
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// EncodedCall is the stored form of an aggregate call in a plan: the
// aggregate by its Definition's name, its argument and FILTER expressions
// in sql/expr's stored form, and its result type.
type EncodedCall struct {
	Name     string          `json:"name"`
	Star     bool            `json:"star,omitempty"`
	Distinct bool            `json:"distinct,omitempty"`
	Args     []*expr.Encoded `json:"args,omitempty"`
	Filter   *expr.Encoded   `json:"filter,omitempty"`
	Result   *expr.Type      `json:"result"`
}

// EncodeCall is c's stored form.
func EncodeCall(c Call) (*EncodedCall, error) {
	out := &EncodedCall{Name: c.Name, Star: c.Star, Distinct: c.Distinct, Result: expr.EncodeType(c.Result)}
	for _, a := range c.Args {
		enc, err := expr.Encode(a)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, enc)
	}
	filter, err := expr.Encode(c.Filter)
	if err != nil {
		return nil, err
	}
	out.Filter = filter
	return out, nil
}

// DecodeCall rebuilds a call from its stored form. The aggregate must be
// defined in this binary and resolve its stored argument types to the
// stored result type again.
func DecodeCall(s *EncodedCall) (Call, error) {
	def, ok := Lookup(s.Name)
	if !ok {
		return Call{}, pgerror.New(pgerror.FeatureNotSupported, "stored plan uses aggregate %q, which this version of eddy does not define", s.Name)
	}
	c := Call{Name: def.Name, Star: s.Star, Distinct: s.Distinct}
	for _, a := range s.Args {
		e, err := expr.Decode(a)
		if err != nil {
			return Call{}, err
		}
		c.Args = append(c.Args, e)
	}
	filter, err := expr.Decode(s.Filter)
	if err != nil {
		return Call{}, err
	}
	c.Filter = filter
	result, err := expr.DecodeType(s.Result)
	if err != nil {
		return Call{}, err
	}
	argTypes := make([]types.T, len(c.Args))
	for i, a := range c.Args {
		argTypes[i] = a.Type()
	}
	resolved, err := ResultType(c.Name, argTypes, c.Star)
	if err != nil {
		return Call{}, err
	}
	if resolved != result {
		return Call{}, pgerror.New(pgerror.FeatureNotSupported, "stored plan's %s returns %s, but this version of eddy resolves it to %s", c.Name, result, resolved)
	}
	c.Result = result
	return c, nil
}
