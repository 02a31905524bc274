package types

import "github.com/eddy-db/eddy/sql/pgerror"

// errInvalidSyntax is PostgreSQL's input-function error for text that is not
// a value of t.
func errInvalidSyntax(t T, s string) *pgerror.Error {
	code := pgerror.InvalidTextRepresentation
	switch t.Kind {
	case KindDate, KindTimestamp, KindTimestampTZ, KindInterval, KindTime:
		code = pgerror.InvalidDatetimeFormat
	}
	name := baseName(t)
	switch t.Kind {
	case KindTime:
		name = "time" // PostgreSQL's time_in names its type so
	case KindTimestamp:
		name = "timestamp"
	}
	return pgerror.New(code, "invalid input syntax for type %s: %q", name, s)
}

func errIntOutOfRange(t T) *pgerror.Error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "%s out of range", baseName(t))
}

func errFieldOverflow(s string) *pgerror.Error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: %q", s)
}

// baseName is t's name without modifiers, as input errors print it.
func baseName(t T) string { return T{Kind: t.Kind}.String() }
