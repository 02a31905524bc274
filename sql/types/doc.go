// Package types owns Eddy's SQL type system: the types a column or
// expression can have, their PostgreSQL OIDs and names, the Go
// representation of one value of each type (a Datum), and the mapping of each
// type onto an Arrow data type for columnar batches.
//
// It does not own wire encodings (pgwire) or storage encodings (sql/encoding).
//
// # Datums
//
// A Datum is an untyped Go value whose meaning is given by the static type of
// the column or expression it came from. NULL is always the Go nil. The
// representation of each kind:
//
//	Bool                  bool
//	Int16, Int32, Int64   int64 (range checked against the kind)
//	Float32, Float64      float64 (Float32 values are rounded to float32)
//	Numeric               *apd.Decimal, never mutated once built
//	Text, Varchar, Char   string
//	Bytea                 []byte
//	Date                  Date (days since 1970-01-01)
//	Timestamp, TimestampTZ Timestamp (microseconds since 1970-01-01 00:00:00 UTC)
//	Interval              Interval
//	UUID                  UUIDValue ([16]byte)
//	Time                  TimeOfDay (microseconds since midnight)
//	JSON                  string (the input text, validated)
//	JSONB                 *JSONValue (canonical tree, json.go)
//	Array                 Array ([]Datum of the element type, nil = NULL)
//	Unknown               string (an untyped literal not yet coerced) or nil
//
// Every package that builds datums builds exactly these, so comparison,
// hashing and encoding can switch on the kind without surprises.
package types
