package types

import (
	"strings"
	"sync"
)

// A record (KindRecord) is an anonymous composite value, such as the
// (x, n) rows of information_schema._pg_expandarray. Its datum is an Array
// of the field values; its fields' names and types are a RecordShape,
// interned so that T stays a small comparable value: T.Width is the
// shape's index. Records are computed in queries only and never stored.
//
// The text form is PostgreSQL's record_out: (a,b), an empty field for
// NULL, a field quoted when it is empty or holds a parenthesis, comma,
// quote, backslash or white space.

// OIDRecord is the pseudo-type record.
const OIDRecord uint32 = 2249

// RecordShape is the fields of a record type.
type RecordShape struct {
	Names []string
	Types []T
}

var recordShapes struct {
	mu     sync.Mutex
	shapes []RecordShape
	index  map[string]int32
}

// RecordOf is the record type with the given fields.
func RecordOf(names []string, fieldTypes []T) T {
	var key strings.Builder
	for i, n := range names {
		key.WriteString(n)
		key.WriteByte(0)
		key.WriteString(fieldTypes[i].String())
		key.WriteByte(0)
	}
	recordShapes.mu.Lock()
	defer recordShapes.mu.Unlock()
	if recordShapes.index == nil {
		recordShapes.index = map[string]int32{}
	}
	id, ok := recordShapes.index[key.String()]
	if !ok {
		id = int32(len(recordShapes.shapes))
		recordShapes.shapes = append(recordShapes.shapes, RecordShape{
			Names: append([]string(nil), names...),
			Types: append([]T(nil), fieldTypes...),
		})
		recordShapes.index[key.String()] = id
	}
	return T{Kind: KindRecord, Width: id}
}

// Shape is the fields of record type t.
func (t T) Shape() RecordShape {
	recordShapes.mu.Lock()
	defer recordShapes.mu.Unlock()
	if t.Kind != KindRecord || int(t.Width) >= len(recordShapes.shapes) {
		return RecordShape{}
	}
	return recordShapes.shapes[t.Width]
}

// elemAt is the type of element i of an array or field i of a record.
func (t T) elemAt(i int) T {
	if t.Kind == KindRecord {
		fields := t.Shape().Types
		if i < len(fields) {
			return fields[i]
		}
		return Text
	}
	return t.ElemType()
}

func formatRecord(t T, a Array) string {
	fields := t.Shape().Types
	var sb strings.Builder
	sb.WriteByte('(')
	for i, d := range a {
		if i > 0 {
			sb.WriteByte(',')
		}
		if d == nil || i >= len(fields) {
			continue
		}
		s := FormatText(fields[i], d)
		quote := s == ""
		for j := 0; j < len(s) && !quote; j++ {
			switch s[j] {
			case '(', ')', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
				quote = true
			}
		}
		if !quote {
			sb.WriteString(s)
			continue
		}
		sb.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				sb.WriteByte(s[j])
			}
			sb.WriteByte(s[j])
		}
		sb.WriteByte('"')
	}
	sb.WriteByte(')')
	return sb.String()
}

// compareRecord orders records field by field, NULL last, as record_cmp.
func compareRecord(t T, a, b Array) int {
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
		if c := Compare(t.elemAt(i), x, y); c != 0 {
			return c
		}
	}
	return cmp3(int64(len(a)), int64(len(b)))
}
