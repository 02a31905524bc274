package types

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// The object identifier types (oid, regclass, regtype, regproc,
// regnamespace) hold an unsigned 32-bit object id as an int64 datum. They
// compare, hash and encode as integers. Their text output here is the
// number: turning an id into a name (regclass's output function) and a name
// into an id (its input function) needs the catalog, so sql/expr does that
// in casts from and to text, where the evaluation context carries one.

// IsOid reports whether t is oid or one of its reg* aliases.
func (t T) IsOid() bool {
	switch t.Kind {
	case KindOid, KindRegclass, KindRegtype, KindRegproc, KindRegnamespace:
		return true
	}
	return false
}

// maxOid is the largest object id.
const maxOid = 1<<32 - 1

// oidCastContext is pg_cast for the oid family: integers and oids convert
// implicitly to any of them, and they to each other; oid to bigint is
// implicit and to the narrower integers an assignment.
func oidCastContext(from, to T) (CastLevel, bool) {
	switch {
	case to.IsOid() && (from.IsOid() || from.IsInteger()):
		return CastImplicit, true
	case from.IsOid() && to.Kind == KindInt64:
		return CastImplicit, true
	case from.IsOid() && to.IsInteger():
		return CastAssignment, true
	}
	return CastNone, false
}

func castToOid(d Datum, from, to T) (Datum, error) {
	x, ok := d.(int64)
	if !ok {
		return nil, errCannotCast(from, to)
	}
	if x < 0 && x >= -1<<31 {
		x += 1 << 32 // int4 -1 is oid 4294967295, as in PostgreSQL
	}
	if x < 0 || x > maxOid {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "OID out of range")
	}
	return x, nil
}

// ParseOid reads an object id written as a number.
func ParseOid(t T, s string) (Datum, error) {
	x, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || x < -1<<31 || x > maxOid {
		return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type %s: %q", t, s)
	}
	return castToOid(x, Int64, t)
}
