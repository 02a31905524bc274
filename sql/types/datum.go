package types

import "github.com/cockroachdb/apd/v3"

// Datum is one SQL value; see the package comment for the representation
// of each kind. nil is NULL.
type Datum = any

// ParseNumeric parses PostgreSQL numeric text (including NaN).
func ParseNumeric(s string) (*apd.Decimal, error) {
	d, _, err := apd.NewFromString(s)
	return d, err
}
