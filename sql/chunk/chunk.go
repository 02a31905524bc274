// Package chunk owns the unit of data in motion: a Chunk is an Arrow record
// batch plus one change op per row. Batch operators (executor) pass chunks
// whose ops are all inserts; streaming operators (mview) pass chunks of
// inserts, deletes and update pairs. It also owns the bridge between Arrow
// arrays and Datums (sql/types) for code that must look at single values:
// key encoding, hashing, wire encoding.
//
// Most SQL types map to the matching Arrow type; numeric and jsonb columns
// hold canonical text (String), uuid a FixedSizeBinary(16), time a
// Time64(µs), and arrays a Binary column of types.AppendArrayBytes values
// (Arrow lists would need a builder per element type for one-dimensional
// arrays only looked at row by row).
//
// Invariants: every column of a chunk has the Arrow type that its SQL type
// maps to (types.T.ArrowType); an UpdateBefore row is immediately followed
// by its UpdateAfter row in the same chunk.
package chunk

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/eddy-db/eddy/sql/types"
)

// Op is the change a row makes.
type Op uint8

const (
	Insert Op = iota
	Delete
	UpdateBefore
	UpdateAfter
)

// String is the op as chunks are written in tests: + - U- U+.
func (o Op) String() string {
	switch o {
	case Insert:
		return "+"
	case Delete:
		return "-"
	case UpdateBefore:
		return "U-"
	case UpdateAfter:
		return "U+"
	}
	return "?"
}

// IsRetraction reports whether the op removes a row (Delete, UpdateBefore).
func (o Op) IsRetraction() bool { return o == Delete || o == UpdateBefore }

// Sign is +1 for ops that add a row and -1 for ops that remove one.
func (o Op) Sign() int64 {
	if o.IsRetraction() {
		return -1
	}
	return 1
}

// Chunk is a batch of changes. Ops is nil when every row is an Insert (the
// batch case). Types gives each column's SQL type.
type Chunk struct {
	Types []types.T
	Batch arrow.RecordBatch
	Ops   []Op
}

// Len is the number of rows.
func (c *Chunk) Len() int {
	if c == nil || c.Batch == nil {
		return 0
	}
	return int(c.Batch.NumRows())
}

// Op returns the op of row i.
func (c *Chunk) Op(i int) Op {
	if c.Ops == nil {
		return Insert
	}
	return c.Ops[i]
}

// Column returns column j.
func (c *Chunk) Column(j int) arrow.Array { return c.Batch.Column(j) }

// Datum returns the value at row i of column j.
func (c *Chunk) Datum(i, j int) types.Datum {
	return Datum(c.Batch.Column(j), c.Types[j], i)
}

// Row returns row i as datums.
func (c *Chunk) Row(i int) []types.Datum {
	row := make([]types.Datum, len(c.Types))
	for j := range c.Types {
		row[j] = c.Datum(i, j)
	}
	return row
}

// String renders the chunk one row per line as "op v1 v2 ...", the form
// operator tests are written in.
func (c *Chunk) String() string {
	var sb strings.Builder
	for i := 0; i < c.Len(); i++ {
		sb.WriteString(c.Op(i).String())
		for j := range c.Types {
			sb.WriteByte(' ')
			d := c.Datum(i, j)
			if d == nil {
				sb.WriteString("NULL")
			} else {
				sb.WriteString(types.FormatText(c.Types[j], d))
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// Schema builds an Arrow schema for columns of the given types, named c0..cn.
func Schema(ts []types.T) *arrow.Schema {
	fields := make([]arrow.Field, len(ts))
	for i, t := range ts {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: t.ArrowType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// Datum reads the value at row i of arr, whose SQL type is t.
func Datum(arr arrow.Array, t types.T, i int) types.Datum {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		s := a.Value(i)
		if t.Kind == types.KindNumeric {
			d, err := types.ParseNumeric(s)
			if err != nil {
				panic(fmt.Sprintf("chunk: corrupt numeric %q in batch", s))
			}
			return d
		}
		if t.Kind == types.KindJSONB {
			v, err := types.ParseJSONB(s)
			if err != nil {
				panic(fmt.Sprintf("chunk: corrupt jsonb %q in batch", s))
			}
			return v
		}
		return s
	case *array.Binary:
		if t.Kind == types.KindArray || t.Kind == types.KindRecord {
			v, _, err := types.DecodeArrayBytes(t, a.Value(i))
			if err != nil {
				panic("chunk: corrupt array in batch")
			}
			return v
		}
		return a.Value(i)
	case *array.FixedSizeBinary:
		return types.UUIDValue(a.Value(i))
	case *array.Time64:
		return types.TimeOfDay(a.Value(i))
	case *array.Date32:
		return types.Date(a.Value(i))
	case *array.Timestamp:
		return types.Timestamp(a.Value(i))
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return types.Interval{Months: v.Months, Days: v.Days, Micros: v.Nanoseconds / 1000}
	case *array.Null:
		return nil
	}
	panic(fmt.Sprintf("chunk: unsupported arrow array %T", arr))
}

// Builder accumulates rows of datums and ops into a Chunk. It is the one way
// operators make chunks from values they computed one by one (decoded state,
// aggregate outputs); expression kernels build arrays directly.
type Builder struct {
	types     []types.T
	builders  []array.Builder
	ops       []Op
	allInsert bool
}

// NewBuilder starts a chunk of the given column types.
func NewBuilder(ts []types.T) *Builder {
	b := &Builder{types: ts, builders: make([]array.Builder, len(ts)), allInsert: true}
	for i, t := range ts {
		b.builders[i] = array.NewBuilder(memory.DefaultAllocator, t.ArrowType())
	}
	return b
}

// Len is the number of rows appended since the last Build.
func (b *Builder) Len() int { return len(b.ops) }

// Append adds one row.
func (b *Builder) Append(op Op, row []types.Datum) {
	if op != Insert {
		b.allInsert = false
	}
	b.ops = append(b.ops, op)
	for j, d := range row {
		AppendDatum(b.builders[j], b.types[j], d)
	}
}

// Build returns the accumulated chunk and resets the builder. Ops is nil if
// every row was an insert.
func (b *Builder) Build() *Chunk {
	cols := make([]arrow.Array, len(b.builders))
	for j, bl := range b.builders {
		cols[j] = bl.NewArray()
	}
	c := &Chunk{
		Types: b.types,
		Batch: array.NewRecordBatch(Schema(b.types), cols, int64(len(b.ops))),
	}
	if !b.allInsert {
		c.Ops = b.ops
	}
	b.ops = nil
	b.allInsert = true
	return c
}

// AppendDatum appends d (of SQL type t) to an Arrow builder of t's Arrow type.
func AppendDatum(bl array.Builder, t types.T, d types.Datum) {
	if d == nil {
		bl.AppendNull()
		return
	}
	switch b := bl.(type) {
	case *array.BooleanBuilder:
		b.Append(d.(bool))
	case *array.Int16Builder:
		b.Append(int16(d.(int64)))
	case *array.Int32Builder:
		b.Append(int32(d.(int64)))
	case *array.Int64Builder:
		b.Append(d.(int64))
	case *array.Float32Builder:
		b.Append(float32(d.(float64)))
	case *array.Float64Builder:
		b.Append(d.(float64))
	case *array.StringBuilder:
		if t.Kind == types.KindNumeric || t.Kind == types.KindJSONB {
			b.Append(types.FormatText(t, d))
		} else {
			b.Append(d.(string))
		}
	case *array.BinaryBuilder:
		if t.Kind == types.KindArray || t.Kind == types.KindRecord {
			b.Append(types.AppendArrayBytes(nil, t, d.(types.Array)))
		} else {
			b.Append(d.([]byte))
		}
	case *array.FixedSizeBinaryBuilder:
		u := d.(types.UUIDValue)
		b.Append(u[:])
	case *array.Time64Builder:
		b.Append(arrow.Time64(d.(types.TimeOfDay)))
	case *array.Date32Builder:
		b.Append(arrow.Date32(d.(types.Date)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(d.(types.Timestamp)))
	case *array.MonthDayNanoIntervalBuilder:
		iv := d.(types.Interval)
		b.Append(arrow.MonthDayNanoInterval{Months: iv.Months, Days: iv.Days, Nanoseconds: iv.Micros * 1000})
	default:
		panic(fmt.Sprintf("chunk: unsupported arrow builder %T", bl))
	}
}

// FromRows builds an all-insert chunk from rows of datums.
func FromRows(ts []types.T, rows [][]types.Datum) *Chunk {
	b := NewBuilder(ts)
	for _, r := range rows {
		b.Append(Insert, r)
	}
	return b.Build()
}
