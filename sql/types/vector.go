package types

import "strings"

// int2vector and oidvector are the vectors of PostgreSQL's catalogs
// (pg_index.indkey, pg_proc.proargtypes): arrays of int2 and oid with
// lower bound 0, shown on the wire under their own type oids and printed
// as their elements separated by spaces ("1 3"). They are arrays
// (KindArray) with T.Vector set, so every array operator and function
// applies; the functions that see lower bounds (subscripts, array_lower,
// array_upper, generate_subscripts) ask LowerBound.

// OIDs of the vector types.
const (
	OIDInt2Vector uint32 = 22
	OIDOidVector  uint32 = 30
)

// Int2Vector and OidVector are the vector types.
var (
	Int2Vector = T{Kind: KindArray, Elem: KindInt16, Vector: true}
	OidVector  = T{Kind: KindArray, Elem: KindOid, Vector: true}
)

// LowerBound is the subscript of an array's first element: 0 for the
// vectors, 1 for every other array.
func (t T) LowerBound() int64 {
	if t.Vector {
		return 0
	}
	return 1
}

func vectorOID(elem Kind) uint32 {
	if elem == KindOid {
		return OIDOidVector
	}
	return OIDInt2Vector
}

func vectorName(elem Kind) string {
	if elem == KindOid {
		return "oidvector"
	}
	return "int2vector"
}

func vectorFromOID(oid uint32) (T, bool) {
	switch oid {
	case OIDInt2Vector:
		return Int2Vector, true
	case OIDOidVector:
		return OidVector, true
	}
	return Unknown, false
}

// formatVector is int2vectorout and oidvectorout: the elements separated
// by single spaces.
func formatVector(t T, a Array) string {
	elem := t.ElemType()
	var sb strings.Builder
	for i, d := range a {
		if i > 0 {
			sb.WriteByte(' ')
		}
		if d == nil {
			continue
		}
		sb.WriteString(FormatText(elem, d))
	}
	return sb.String()
}

// parseVector is int2vectorin and oidvectorin: elements separated by
// white space.
func parseVector(t T, s string) (Datum, error) {
	elem := t.ElemType()
	out := Array{}
	for _, f := range strings.Fields(s) {
		d, err := ParseText(elem, f)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
