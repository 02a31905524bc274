package agg

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// Definition is one aggregate function, whole: how its arguments resolve
// to a result type, the accumulator that folds them (whose MarshalBinary
// and UnmarshalBinary are the state codec), and how streaming aggregation
// treats retractions and NULL inputs. Each aggregate family defines itself
// in its own file's init; Lookup is the one way in.
type Definition struct {
	Name string
	// Invertible aggregates accept retractions (Add with sign -1).
	// Streaming aggregation keeps the input multiset of the others in a
	// state table and recomputes them from it.
	Invertible bool
	// KeepsNulls aggregates fold rows whose (first) argument is NULL
	// rather than skipping them as strict aggregates do: array_agg(x) over
	// {1, NULL} is {1,NULL}.
	KeepsNulls bool

	// resultType returns PostgreSQL's result type for the argument types,
	// or PostgreSQL's error where the call does not resolve.
	resultType func(name string, argTypes []types.T) (types.T, error)
	// newAccumulator returns an empty accumulator for argument types that
	// resultType accepted.
	newAccumulator func(name string, argTypes []types.T) Accumulator
}

var definitions = map[string]*Definition{}

// define registers d under each of names; one name defined twice is a bug
// found at start.
func define(d Definition, names ...string) {
	for _, name := range names {
		if _, dup := definitions[name]; dup {
			panic(fmt.Sprintf("agg: aggregate %s defined twice", name))
		}
		named := d
		named.Name = name
		definitions[name] = &named
	}
}

// Lookup returns the definition of the aggregate called name (in any
// case); ok is false when there is none.
func Lookup(name string) (d *Definition, ok bool) {
	d, ok = definitions[strings.ToLower(name)]
	return d, ok
}

// Names lists every aggregate, sorted.
func Names() []string {
	names := make([]string, 0, len(definitions))
	for name := range definitions {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// IsAggregate reports whether name is an aggregate function Eddy knows.
func IsAggregate(name string) bool {
	_, ok := Lookup(name)
	return ok
}

// Invertible reports whether the aggregate's accumulator accepts
// retractions; see Definition.Invertible.
func Invertible(name string) bool {
	d, ok := Lookup(name)
	return ok && d.Invertible
}

// KeepsNulls reports whether an aggregate folds rows whose (first)
// argument is NULL; see Definition.KeepsNulls.
func KeepsNulls(name string) bool {
	d, ok := Lookup(name)
	return ok && d.KeepsNulls
}
