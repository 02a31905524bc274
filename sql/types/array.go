package types

import (
	"encoding/binary"
	"hash/fnv"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Array is the datum of a one-dimensional array (KindArray): its elements,
// each nil (NULL) or a datum of the element type, with lower bound 1.
// Multidimensional arrays and other lower bounds are not supported.
type Array []Datum

// ArrayOf is the array type whose elements have type elem (modifiers
// included).
func ArrayOf(elem T) T {
	return T{Kind: KindArray, Elem: elem.Kind, Width: elem.Width, Precision: elem.Precision, Scale: elem.Scale}
}

// ElemType is the element type of an array type, modifiers included.
func (t T) ElemType() T {
	return T{Kind: t.Elem, Width: t.Width, Precision: t.Precision, Scale: t.Scale}
}

// arrayOIDs maps element kinds to the OID of their array type (pg_type's
// typarray).
var arrayOIDs = map[Kind]uint32{
	KindBool: 1000, KindBytea: 1001, KindQChar: 1002, KindName: 1003, KindInt16: 1005, KindInt32: 1007,
	KindText: 1009, KindChar: 1014, KindVarchar: 1015, KindInt64: 1016, KindFloat32: 1021, KindFloat64: 1022,
	KindOid: 1028, KindTimestamp: 1115, KindDate: 1182, KindTime: 1183, KindTimestampTZ: 1185,
	KindInterval: 1187, KindNumeric: 1231, KindUUID: 2951, KindJSON: 199, KindJSONB: 3807,
	KindRegclass: 2210, KindRegtype: 2211, KindRegproc: 1008, KindRegnamespace: 4090,
}

func arrayOID(elem Kind) uint32 { return arrayOIDs[elem] }

// HasArrayType reports whether elements of kind k can form an array.
func HasArrayType(k Kind) bool { return arrayOIDs[k] != 0 }

func arrayFromOID(oid uint32) (T, bool) {
	for k, o := range arrayOIDs {
		if o == oid {
			return T{Kind: KindArray, Elem: k}, true
		}
	}
	return Unknown, false
}

// arrayFromName resolves pg_type's names of array types: _int4, _text, ….
func arrayFromName(name string) (T, bool) {
	if !strings.HasPrefix(name, "_") {
		return Unknown, false
	}
	elem, ok := FromName(name[1:])
	if !ok || !HasArrayType(elem.Kind) {
		return Unknown, false
	}
	return ArrayOf(elem), true
}

// FormatArray is array_out: {a,b,NULL}, with an element quoted when it is
// empty, is NULL in any case, or holds a brace, comma, quote, backslash or
// white space; quotes and backslashes inside are escaped by a backslash.
func FormatArray(t T, a Array) string {
	elem := t.ElemType()
	var sb strings.Builder
	sb.WriteByte('{')
	for i, d := range a {
		if i > 0 {
			sb.WriteByte(',')
		}
		if d == nil {
			sb.WriteString("NULL")
			continue
		}
		writeArrayElem(&sb, FormatText(elem, d))
	}
	sb.WriteByte('}')
	return sb.String()
}

func writeArrayElem(sb *strings.Builder, s string) {
	quote := s == "" || strings.EqualFold(s, "NULL")
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
			quote = true
		}
	}
	if !quote {
		sb.WriteString(s)
		return
	}
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			sb.WriteByte('\\')
		}
		sb.WriteByte(s[i])
	}
	sb.WriteByte('"')
}

func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// ParseArray is array_in for one-dimensional arrays: each element is
// read with the element type's input function.
func ParseArray(t T, s string) (Datum, error) {
	malformed := func(detail string) error {
		return pgerror.New(pgerror.InvalidTextRepresentation, "malformed array literal: %q", s).WithDetail("%s", detail)
	}
	i := 0
	for i < len(s) && isArraySpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '[' {
		return nil, pgerror.Unsupported("array literals with explicit bounds are not supported")
	}
	if i >= len(s) || s[i] != '{' {
		return nil, malformed(`Array value must start with "{" or dimension information.`)
	}
	i++
	elem := t.ElemType()
	out := Array{}
	expectElem := true
	for {
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, malformed("Unexpected end of input.")
		}
		if s[i] == '}' {
			if len(out) > 0 && expectElem {
				return nil, malformed(`Unexpected "}" character.`)
			}
			i++
			break
		}
		if !expectElem {
			if s[i] != ',' {
				return nil, malformed("Expected \",\" or \"}\".")
			}
			i++
			expectElem = true
			continue
		}
		if s[i] == '{' {
			if len(out) > 0 {
				return nil, malformed(`Unexpected "{" character.`)
			}
			return nil, pgerror.Unsupported("multidimensional arrays are not supported")
		}
		var sb strings.Builder
		quoted, sawEscape := false, false
		if s[i] == '"' {
			quoted = true
			i++
			for {
				if i >= len(s) {
					return nil, malformed("Unexpected end of input.")
				}
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					sb.WriteByte(s[i+1])
					i += 2
					continue
				}
				i++
				if c == '"' {
					break
				}
				sb.WriteByte(c)
			}
		} else {
			// Unquoted: up to a comma or brace, outer white space dropped
			// unless escaped.
			lastKept := 0
			for i < len(s) && s[i] != ',' && s[i] != '}' {
				c := s[i]
				switch {
				case c == '\\' && i+1 < len(s):
					sb.WriteByte(s[i+1])
					sawEscape = true
					i += 2
					lastKept = sb.Len()
					continue
				case c == '"' || c == '{':
					return nil, malformed("Unexpected \"" + string(c) + "\" character.")
				case isArraySpace(c) && sb.Len() == 0:
				default:
					sb.WriteByte(c)
					if !isArraySpace(c) {
						lastKept = sb.Len()
					}
				}
				i++
			}
			v := sb.String()[:lastKept]
			sb.Reset()
			sb.WriteString(v)
		}
		v := sb.String()
		if !quoted && !sawEscape && strings.EqualFold(v, "NULL") {
			out = append(out, nil)
		} else if !quoted && v == "" {
			return nil, malformed(`Unexpected "," character.`)
		} else {
			d, err := ParseText(elem, v)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		expectElem = false
	}
	for i < len(s) && isArraySpace(s[i]) {
		i++
	}
	if i != len(s) {
		return nil, malformed("Junk after closing right brace.")
	}
	return out, nil
}

// CompareArray orders arrays as PostgreSQL's array_cmp: element by
// element, a NULL element above any value and equal to another NULL, then
// the shorter array first.
func CompareArray(t T, a, b Array) int {
	if t.Kind == KindRecord {
		return compareRecord(t, a, b)
	}
	elem := t.ElemType()
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		if c := Compare(elem, x, y); c != 0 {
			return c
		}
	}
	return cmp3(int64(len(a)), int64(len(b)))
}

func hashArray(t T, a Array) uint64 {
	h := fnv.New64a()
	var buf [8]byte
	for i, d := range a {
		var v uint64
		if d != nil {
			v = Hash(t.elemAt(i), d) | 1
		}
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	return h.Sum64()
}

// AppendArrayBytes appends the form in which an array travels in an Arrow
// Binary column and in row values: a uvarint element count, then per
// element a uvarint of its text length plus one (0 for NULL) and the
// element's text.
func AppendArrayBytes(buf []byte, t T, a Array) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(a)))
	for i, d := range a {
		if d == nil {
			buf = append(buf, 0)
			continue
		}
		s := FormatText(t.elemAt(i), d)
		buf = binary.AppendUvarint(buf, uint64(len(s))+1)
		buf = append(buf, s...)
	}
	return buf
}

// DecodeArrayBytes reads what AppendArrayBytes wrote and returns the rest.
func DecodeArrayBytes(t T, b []byte) (Array, []byte, error) {
	corrupt := pgerror.Internal("types: corrupt array value")
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, nil, corrupt
	}
	b = b[k:]
	out := make(Array, n)
	for i := range out {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k)+1 {
			return nil, nil, corrupt
		}
		b = b[k:]
		if l == 0 {
			continue
		}
		s := string(b[:l-1])
		b = b[l-1:]
		d, err := ParseText(t.elemAt(i), s)
		if err != nil {
			return nil, nil, corrupt
		}
		out[i] = d
	}
	return out, b, nil
}

// arrayCastContext is the cast context between arrays: that of their
// elements (array_coerce); text to an array and back are I/O casts.
func arrayCastContext(from, to T) CastLevel {
	if from.Kind == KindArray && to.Kind == KindArray {
		if from.Elem == to.Elem {
			return CastImplicit
		}
		return CastContext(from.ElemType(), to.ElemType())
	}
	if to.IsString() {
		return CastAssignment
	}
	if from.IsString() {
		return CastExplicit
	}
	return CastNone
}

// castArray casts each element.
func castArray(a Array, from, to T, explicit bool) (Datum, error) {
	fe, te := from.ElemType(), to.ElemType()
	out := make(Array, len(a))
	for i, d := range a {
		v, err := cast(d, fe, te, explicit)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
