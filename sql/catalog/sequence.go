package catalog

import (
	"strconv"

	"github.com/eddy-db/eddy/sql/types"
)

// Sequence is the definition of a sequence relation (KindSequence): what
// CREATE SEQUENCE and ALTER SEQUENCE set. Its current value is not here:
// it lives in storage under the sequence's id and changes outside
// transactions, so descriptors stay immutable.
type Sequence struct {
	Type      types.T `json:"type"` // int2, int4 or int8
	Start     int64   `json:"start"`
	Increment int64   `json:"increment"`
	Min       int64   `json:"min"`
	Max       int64   `json:"max"`
	Cache     int64   `json:"cache"`
	Cycle     bool    `json:"cycle,omitempty"`
	// OwnerTable and OwnerColumn (a 1-based attnum) are OWNED BY: dropping
	// that table drops the sequence. 0 when not owned.
	OwnerTable  uint32 `json:"owner_table,omitempty"`
	OwnerColumn int    `json:"owner_column,omitempty"`
}

// SequenceColumns are the columns SELECT * FROM a sequence shows.
func SequenceColumns() []Column {
	return []Column{
		{Name: "last_value", Type: types.Int64, NotNull: true},
		{Name: "log_cnt", Type: types.Int64, NotNull: true},
		{Name: "is_called", Type: types.Bool, NotNull: true},
	}
}

// SequenceValue is what a sequence reads as: its row and whether a value
// was ever taken.
type SequenceValue struct {
	LastValue int64
	LogCount  int64
	IsCalled  bool
}

// SequenceReader is implemented by a SessionInfo that can read sequences'
// current values (for pg_sequences.last_value).
type SequenceReader interface {
	SequenceValue(id uint32) (SequenceValue, bool)
}

// IdentityAlways and IdentityByDefault are pg_attribute.attidentity.
const (
	IdentityAlways    = "a"
	IdentityByDefault = "d"
)

func (v *systemContext) sequences() []*Relation { return v.cat.Relations(KindSequence) }

// sequenceCatalogRows are pg_sequence's rows.
func sequenceCatalogRows(v *systemContext) [][]types.Datum {
	var rows [][]types.Datum
	for _, r := range v.sequences() {
		s := r.Sequence
		rows = append(rows, rowOf(r.ID, s.Type.OID(), s.Start, s.Increment, s.Max, s.Min, s.Cache, s.Cycle))
	}
	return rows
}

func init() {
	defineSystemView(12080, pgCatalog, "pg_sequences", []string{
		"schemaname name", "sequencename name", "sequenceowner name", "data_type regtype",
		"start_value int8", "min_value int8", "max_value int8", "increment_by int8", "cycle bool",
		"cache_size int8", "last_value int8",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		reader, _ := v.session.(SequenceReader)
		for _, r := range v.sequences() {
			s := r.Sequence
			var last any
			if reader != nil {
				if val, ok := reader.SequenceValue(r.ID); ok && val.IsCalled {
					last = val.LastValue
				}
			}
			rows = append(rows, rowOf(r.Schema, r.Name, v.user(), s.Type.OID(),
				s.Start, s.Min, s.Max, s.Increment, s.Cycle,
				s.Cache, last))
		}
		return rows
	})

	defineSystemView(13080, informationSchema, "sequences", []string{
		"sequence_catalog sql_identifier", "sequence_schema sql_identifier", "sequence_name sql_identifier",
		"data_type character_data", "numeric_precision cardinal_number", "numeric_precision_radix cardinal_number",
		"numeric_scale cardinal_number", "start_value character_data", "minimum_value character_data",
		"maximum_value character_data", "increment character_data", "cycle_option yes_or_no",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.sequences() {
			s := r.Sequence
			_, _, precision, radix, scale, _ := columnSizes(s.Type)
			rows = append(rows, rowOf(v.database(), r.Schema, r.Name,
				dataTypeName(s.Type), precision, radix,
				scale, strconv.FormatInt(s.Start, 10), strconv.FormatInt(s.Min, 10),
				strconv.FormatInt(s.Max, 10), strconv.FormatInt(s.Increment, 10), boolText(s.Cycle)))
		}
		return rows
	})
}

// identityInfo is information_schema.columns' identity fields.
type identityInfo struct {
	is, cycle                              string
	generation, start, increment, max, min any
}

func (v *systemContext) identityColumn(c Column) identityInfo {
	info := identityInfo{is: "NO", cycle: "NO"}
	if c.Identity == "" {
		return info
	}
	seq, ok := v.cat.ByID(c.SequenceID)
	if !ok || seq.Sequence == nil {
		return info
	}
	s := seq.Sequence
	info.is, info.cycle = "YES", boolText(s.Cycle)
	info.generation = "BY DEFAULT"
	if c.Identity == IdentityAlways {
		info.generation = "ALWAYS"
	}
	info.start, info.increment = strconv.FormatInt(s.Start, 10), strconv.FormatInt(s.Increment, 10)
	info.max, info.min = strconv.FormatInt(s.Max, 10), strconv.FormatInt(s.Min, 10)
	return info
}
