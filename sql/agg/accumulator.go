package agg

import (
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// NewAccumulator returns an empty accumulator for c. It resolves c the way
// ResultType does and fails the same way for calls PostgreSQL would reject.
// DISTINCT is not the accumulator's concern: the caller passes each
// distinct argument tuple once per group.
func NewAccumulator(c Call) (Accumulator, error) {
	name := strings.ToLower(c.Name)
	argTypes := make([]types.T, len(c.Args))
	for i, e := range c.Args {
		argTypes[i] = e.Type()
	}
	if _, err := ResultType(name, argTypes, c.Star); err != nil {
		return nil, err
	}
	if c.Star {
		return &countAccumulator{star: true}, nil
	}
	d, _ := Lookup(name)
	return d.newAccumulator(name, argTypes), nil
}
