package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// Type is the stored form of a SQL type: its name as format_type prints
// it without modifiers, and the modifiers. It never holds a types.Kind
// number (their order is the package's) nor a record's shape number (the
// order shapes were met in): a record stores its fields.
type Type struct {
	Name      string `json:"name"`
	Width     int32  `json:"width,omitempty"`
	Precision int32  `json:"precision,omitempty"`
	Scale     int32  `json:"scale,omitempty"`
	// Array: Name is the element's; Vector marks int2vector and oidvector.
	Array  bool          `json:"array,omitempty"`
	Vector bool          `json:"vector,omitempty"`
	Fields []RecordField `json:"fields,omitempty"`
}

// RecordField is one field of a stored record type.
type RecordField struct {
	Name string `json:"name"`
	Type *Type  `json:"type"`
}

const recordTypeName = "record"

// EncodeType is t's stored form.
func EncodeType(t types.T) *Type {
	switch t.Kind {
	case types.KindRecord:
		shape := t.Shape()
		out := &Type{Name: recordTypeName, Fields: []RecordField{}}
		for i, name := range shape.Names {
			out.Fields = append(out.Fields, RecordField{Name: name, Type: EncodeType(shape.Types[i])})
		}
		return out
	case types.KindArray:
		return &Type{Name: types.T{Kind: t.Elem}.String(), Width: t.Width, Precision: t.Precision, Scale: t.Scale, Array: true, Vector: t.Vector}
	}
	return &Type{Name: types.T{Kind: t.Kind}.String(), Width: t.Width, Precision: t.Precision, Scale: t.Scale}
}

// DecodeType rebuilds a type from its stored form.
func DecodeType(s *Type) (types.T, error) {
	if s == nil {
		return types.Unknown, errCorruptEncoding("a type is missing")
	}
	if s.Name == recordTypeName && !s.Array {
		names := make([]string, len(s.Fields))
		fieldTypes := make([]types.T, len(s.Fields))
		for i, f := range s.Fields {
			t, err := DecodeType(f.Type)
			if err != nil {
				return types.Unknown, err
			}
			names[i], fieldTypes[i] = f.Name, t
		}
		return types.RecordOf(names, fieldTypes), nil
	}
	base, ok := types.FromName(s.Name)
	if !ok || base.Kind == types.KindArray || base.Kind == types.KindRecord {
		return types.Unknown, errUnknownEncoding("type", s.Name)
	}
	t := types.T{Kind: base.Kind, Width: s.Width, Precision: s.Precision, Scale: s.Scale}
	if s.Array {
		t = types.ArrayOf(t)
		t.Vector = s.Vector
	}
	return t, nil
}
