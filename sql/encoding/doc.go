// Package encoding owns the byte forms of SQL values at rest: memcomparable
// keys and compact row values. Storage below it sees only bytes; operators
// above it encode keys and rows through here, so a relation written by the
// streaming Materialize operator reads back the same way in a batch Scan.
//
// # Keys
//
// EncodeKey produces bytes whose lexicographic order is the SQL order of the
// values, column by column, and whose equality is SQL equality: numerics
// are normalised (1.0 and 1.00 encode the same), -0.0 equals 0.0, and all
// NaNs are one value sorting above every number, as in PostgreSQL. NULL
// sorts before every value. Each column starts with a marker byte so that a
// key of a prefix of the columns is a byte prefix of the full key; range
// scans on a key prefix come free.
//
// DecodeKey returns the normalised value: a numeric key decodes without its
// original display scale. Readers that need the exact stored value read the
// row value instead.
//
// Interval keys order by the interval's span with a month as 30 days and a
// day as 24 hours, as PostgreSQL compares them, followed by the three fields
// so that the original value decodes; so '1 mon' and '30 days' are distinct
// keys though equal in comparison.
//
// # Rows
//
// EncodeRow writes a null bitmap and then each non-NULL value in a compact
// type-directed form (varints for integers and times, fixed 8 bytes for
// floats, length-prefixed bytes for strings). Rows are decoded with the same
// column types they were encoded with; the catalog keeps those types.
package encoding
