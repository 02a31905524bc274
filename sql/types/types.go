package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the family of a SQL type.
type Kind uint8

const (
	KindUnknown Kind = iota // an untyped literal or NULL before coercion
	KindBool
	KindInt16
	KindInt32
	KindInt64
	KindFloat32
	KindFloat64
	KindNumeric
	KindText
	KindVarchar
	KindChar
	KindBytea
	KindDate
	KindTimestamp
	KindTimestampTZ
	KindInterval
	// The object identifier family (oid.go): an int64 datum in 0..2^32-1.
	KindOid
	KindRegclass
	KindRegtype
	KindRegproc
	KindRegnamespace
	// KindName is PostgreSQL's name (identifiers in the system catalogs):
	// a string that behaves as text.
	KindName
	// KindQChar is PostgreSQL's single-byte "char" (pg_class.relkind and
	// the like): a string of at most one byte.
	KindQChar
	// uuid, time, json, jsonb and one-dimensional arrays: see uuid.go,
	// time_of_day.go, json.go and array.go.
	KindUUID
	KindTime
	KindJSON
	KindJSONB
	KindArray
	// KindRecord is an anonymous composite (record.go).
	KindRecord
)

// T is a SQL type: a kind plus its modifiers.
type T struct {
	Kind Kind
	// Width is n of varchar(n) and char(n); 0 means unbounded.
	Width int32
	// Precision and Scale are p and s of numeric(p,s); Precision 0 means
	// unconstrained.
	Precision int32
	Scale     int32
	// Elem is the element kind of an array (KindArray); Width, Precision
	// and Scale are then the element's modifiers. It keeps T comparable
	// with ==.
	Elem Kind
	// Vector marks the catalog's int2vector and oidvector: an array of
	// int2 (oid) with lower bound 0 whose text form is its elements
	// separated by spaces (see vector.go).
	Vector bool `json:",omitempty"`
}

// The common types, for use without modifiers.
var (
	Unknown = T{Kind: KindUnknown}
	Bool    = T{Kind: KindBool}
	Int16   = T{Kind: KindInt16}
	Int32   = T{Kind: KindInt32}
	Int64   = T{Kind: KindInt64}
	Float32 = T{Kind: KindFloat32}
	Float64 = T{Kind: KindFloat64}
	Numeric = T{Kind: KindNumeric}
	Text    = T{Kind: KindText}
	Varchar = T{Kind: KindVarchar}
	Bytea   = T{Kind: KindBytea}
	// DateType, TimestampType and IntervalType carry a suffix because Date,
	// Timestamp and Interval name the Go types of their datums.
	DateType      = T{Kind: KindDate}
	TimestampType = T{Kind: KindTimestamp}
	TimestampTZ   = T{Kind: KindTimestampTZ}
	IntervalType  = T{Kind: KindInterval}
	Oid           = T{Kind: KindOid}
	Name          = T{Kind: KindName}
	QChar         = T{Kind: KindQChar}
	UUID          = T{Kind: KindUUID}
	TimeType      = T{Kind: KindTime}
	JSON          = T{Kind: KindJSON}
	JSONB         = T{Kind: KindJSONB}
)

// PostgreSQL type OIDs, from pg_type.dat.
const (
	OIDBool         uint32 = 16
	OIDBytea        uint32 = 17
	OIDInt8         uint32 = 20
	OIDInt2         uint32 = 21
	OIDInt4         uint32 = 23
	OIDText         uint32 = 25
	OIDOid          uint32 = 26
	OIDFloat4       uint32 = 700
	OIDFloat8       uint32 = 701
	OIDUnknown      uint32 = 705
	OIDBpchar       uint32 = 1042
	OIDVarchar      uint32 = 1043
	OIDDate         uint32 = 1082
	OIDTimestamp    uint32 = 1114
	OIDTimestampTZ  uint32 = 1184
	OIDInterval     uint32 = 1186
	OIDNumeric      uint32 = 1700
	OIDQChar        uint32 = 18
	OIDName         uint32 = 19
	OIDRegproc      uint32 = 24
	OIDRegclass     uint32 = 2205
	OIDRegtype      uint32 = 2206
	OIDRegnamespace uint32 = 4089
	OIDUUID         uint32 = 2950
	OIDTime         uint32 = 1083
	OIDJSON         uint32 = 114
	OIDJSONB        uint32 = 3802
)

var kindInfo = [...]struct {
	name string // PostgreSQL's format_type name
	oid  uint32
	size int16 // pg_type.typlen
}{
	KindUnknown:      {"unknown", OIDUnknown, -2},
	KindBool:         {"boolean", OIDBool, 1},
	KindInt16:        {"smallint", OIDInt2, 2},
	KindInt32:        {"integer", OIDInt4, 4},
	KindInt64:        {"bigint", OIDInt8, 8},
	KindFloat32:      {"real", OIDFloat4, 4},
	KindFloat64:      {"double precision", OIDFloat8, 8},
	KindNumeric:      {"numeric", OIDNumeric, -1},
	KindText:         {"text", OIDText, -1},
	KindVarchar:      {"character varying", OIDVarchar, -1},
	KindChar:         {"character", OIDBpchar, -1},
	KindBytea:        {"bytea", OIDBytea, -1},
	KindDate:         {"date", OIDDate, 4},
	KindTimestamp:    {"timestamp without time zone", OIDTimestamp, 8},
	KindTimestampTZ:  {"timestamp with time zone", OIDTimestampTZ, 8},
	KindInterval:     {"interval", OIDInterval, 16},
	KindOid:          {"oid", OIDOid, 4},
	KindRegclass:     {"regclass", OIDRegclass, 4},
	KindRegtype:      {"regtype", OIDRegtype, 4},
	KindRegproc:      {"regproc", OIDRegproc, 4},
	KindRegnamespace: {"regnamespace", OIDRegnamespace, 4},
	KindName:         {"name", OIDName, 64},
	KindQChar:        {`"char"`, OIDQChar, 1},
	KindUUID:         {"uuid", OIDUUID, 16},
	KindTime:         {"time without time zone", OIDTime, 8},
	KindJSON:         {"json", OIDJSON, -1},
	KindJSONB:        {"jsonb", OIDJSONB, -1},
	KindArray:        {"array", 0, -1}, // OID and name from the element: array.go
	KindRecord:       {"record", OIDRecord, -1},
}

// OID is the PostgreSQL type OID that clients see for t.
func (t T) OID() uint32 {
	if t.Kind == KindArray {
		if t.Vector {
			return vectorOID(t.Elem)
		}
		return arrayOID(t.Elem)
	}
	return kindInfo[t.Kind].oid
}

// Size is pg_type.typlen: the fixed byte width, or -1 for variable width.
func (t T) Size() int16 { return kindInfo[t.Kind].size }

// Modifier is the atttypmod PostgreSQL reports for t, -1 when none.
func (t T) Modifier() int32 {
	if t.Kind == KindArray {
		return t.ElemType().Modifier()
	}
	switch t.Kind {
	case KindVarchar, KindChar:
		if t.Width > 0 {
			return t.Width + 4
		}
	case KindNumeric:
		if t.Precision > 0 {
			return (t.Precision<<16 | t.Scale) + 4
		}
	}
	return -1
}

// String is the type as PostgreSQL's format_type prints it.
func (t T) String() string {
	if t.Kind == KindArray {
		if t.Vector {
			return vectorName(t.Elem)
		}
		return t.ElemType().String() + "[]"
	}
	name := kindInfo[t.Kind].name
	switch t.Kind {
	case KindVarchar, KindChar:
		if t.Width > 0 {
			return fmt.Sprintf("%s(%d)", name, t.Width)
		}
	case KindNumeric:
		if t.Precision > 0 {
			return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
		}
	}
	return name
}

// FromOID returns the type with the given OID, without modifiers.
func FromOID(oid uint32) (T, bool) {
	if t, ok := vectorFromOID(oid); ok {
		return t, true
	}
	if t, ok := arrayFromOID(oid); ok {
		return t, true
	}
	for k, info := range kindInfo {
		if Kind(k) == KindArray {
			continue
		}
		if info.oid == oid {
			return T{Kind: Kind(k)}, true
		}
	}
	return Unknown, false
}

// FromName resolves a type name as written in SQL (after pg_catalog
// qualification is stripped), e.g. "int4", "integer", "varchar", "timestamptz".
func FromName(name string) (T, bool) {
	switch strings.ToLower(name) {
	case "bool", "boolean":
		return Bool, true
	case "int2", "smallint":
		return Int16, true
	case "int4", "int", "integer", "serial", "serial4":
		return Int32, true
	case "int8", "bigint", "bigserial", "serial8":
		return Int64, true
	case "float4", "real":
		return Float32, true
	case "float8", "double precision", "float":
		return Float64, true
	case "numeric", "decimal":
		return Numeric, true
	case "text":
		return Text, true
	case "varchar", "character varying":
		return Varchar, true
	case "bpchar", "char", "character":
		return T{Kind: KindChar}, true
	case "bytea":
		return Bytea, true
	case "date":
		return DateType, true
	case "timestamp", "timestamp without time zone":
		return TimestampType, true
	case "timestamptz", "timestamp with time zone":
		return TimestampTZ, true
	case "interval":
		return IntervalType, true
	case "unknown":
		return Unknown, true
	case "oid":
		return Oid, true
	case "regclass":
		return T{Kind: KindRegclass}, true
	case "regtype":
		return T{Kind: KindRegtype}, true
	case "regproc", "regprocedure":
		return T{Kind: KindRegproc}, true
	case "regnamespace":
		return T{Kind: KindRegnamespace}, true
	case "name":
		return Name, true
	case `"char"`:
		return QChar, true
	case "uuid":
		return UUID, true
	case "time", "time without time zone":
		return TimeType, true
	case "json":
		return JSON, true
	case "jsonb":
		return JSONB, true
	case "int2vector":
		return Int2Vector, true
	case "oidvector":
		return OidVector, true
	}
	return arrayFromName(name)
}

// IsInteger reports whether t is one of the integer kinds.
func (t T) IsInteger() bool {
	return t.Kind == KindInt16 || t.Kind == KindInt32 || t.Kind == KindInt64
}

// IsNumeric reports whether t is a number: an integer, float or numeric.
func (t T) IsNumeric() bool {
	return t.IsInteger() || t.Kind == KindFloat32 || t.Kind == KindFloat64 || t.Kind == KindNumeric
}

// IsString reports whether t is text, varchar or char, or one of the
// catalog's string types name and "char".
func (t T) IsString() bool {
	switch t.Kind {
	case KindText, KindVarchar, KindChar, KindName, KindQChar:
		return true
	}
	return false
}

// IntRange is the inclusive range of an integer kind.
func (t T) IntRange() (min, max int64) {
	switch t.Kind {
	case KindInt16:
		return -1 << 15, 1<<15 - 1
	case KindInt32:
		return -1 << 31, 1<<31 - 1
	}
	return -1 << 63, 1<<63 - 1
}

// Date is a calendar date: days since 1970-01-01.
type Date int32

// Timestamp is microseconds since 1970-01-01 00:00:00 UTC. For timestamp
// without time zone it is the wall clock read as if it were UTC.
type Timestamp int64

// Interval is PostgreSQL's interval: months, days and microseconds are kept
// apart because a month and a day have no fixed length.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// ArrowType is the Arrow data type that holds columns of t in a batch.
// Numeric columns hold their canonical decimal text, since Arrow's decimals
// cannot hold PostgreSQL's unbounded precision.
func (t T) ArrowType() arrow.DataType {
	switch t.Kind {
	case KindBool:
		return arrow.FixedWidthTypes.Boolean
	case KindInt16:
		return arrow.PrimitiveTypes.Int16
	case KindInt32:
		return arrow.PrimitiveTypes.Int32
	case KindInt64, KindOid, KindRegclass, KindRegtype, KindRegproc, KindRegnamespace:
		return arrow.PrimitiveTypes.Int64
	case KindFloat32:
		return arrow.PrimitiveTypes.Float32
	case KindFloat64:
		return arrow.PrimitiveTypes.Float64
	case KindBytea:
		return arrow.BinaryTypes.Binary
	case KindDate:
		return arrow.FixedWidthTypes.Date32
	case KindTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case KindTimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case KindInterval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	case KindUUID:
		return &arrow.FixedSizeBinaryType{ByteWidth: 16}
	case KindTime:
		return arrow.FixedWidthTypes.Time64us
	case KindArray, KindRecord:
		// An array or record is one value in the binary form of array.go.
		return arrow.BinaryTypes.Binary
	}
	// Numeric, text, varchar, char, json, jsonb (canonical text) and
	// unknown are strings.
	return arrow.BinaryTypes.String
}
