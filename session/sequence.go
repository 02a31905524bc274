package session

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Sequences as in PostgreSQL. A sequence's definition is a catalog
// descriptor (catalog.Sequence), changed by DDL in an epoch; its value is
// storage.SequenceState, which changes outside transactions: a value
// nextval hands out is used whatever becomes of the transaction, and a
// crash never makes a sequence hand out a value twice.
//
// To keep nextval from syncing to disk on every call, each durable write
// reserves the next sequenceLogValues values ahead, as PostgreSQL's WAL
// record does (its log_cnt): the state on disk says the reserved value was
// already handed out, so a restart continues after it, skipping at most
// the values reserved but never taken.

// sequenceLogValues is how many values one durable write reserves
// (PostgreSQL's SEQ_LOG_VALS).
const sequenceLogValues = 32

// sequenceStates holds the value of every sequence in use since the
// engine opened, read from storage on first use.
type sequenceStates struct {
	store *storage.Store
	mu    sync.Mutex
	byID  map[uint32]*sequenceState
}

// sequenceState is one sequence's current value. What is on disk is
// lastValue advanced by logCount steps (or exactly lastValue after a
// setval, a restart or a reload).
type sequenceState struct {
	mu        sync.Mutex
	lastValue int64
	isCalled  bool
	logCount  int64
	dropped   bool
}

func newSequenceStates(store *storage.Store) *sequenceStates {
	return &sequenceStates{store: store, byID: map[uint32]*sequenceState{}}
}

// state returns sequence id's state, loading it from storage, locked.
func (ss *sequenceStates) state(id uint32) (*sequenceState, error) {
	ss.mu.Lock()
	st, ok := ss.byID[id]
	if !ok {
		stored, found, err := ss.store.GetSequenceState(id)
		if err != nil {
			ss.mu.Unlock()
			return nil, err
		}
		if !found {
			ss.mu.Unlock()
			return nil, pgerror.Internal("sequence %d has no stored state", id)
		}
		st = &sequenceState{lastValue: stored.LastValue, isCalled: stored.IsCalled}
		ss.byID[id] = st
	}
	ss.mu.Unlock()
	st.mu.Lock()
	if st.dropped {
		st.mu.Unlock()
		return nil, pgerror.New(pgerror.UndefinedTable, "sequence %d was dropped", id)
	}
	return st, nil
}

// forget marks a dropped sequence's state so that no write resurrects it.
func (ss *sequenceStates) forget(id uint32) {
	ss.mu.Lock()
	st, ok := ss.byID[id]
	delete(ss.byID, id)
	ss.mu.Unlock()
	if ok {
		st.mu.Lock()
		st.dropped = true
		st.mu.Unlock()
	}
}

// step advances v by one increment within the sequence's bounds; ok is
// false when that leaves them.
func step(def *catalog.Sequence, v int64) (int64, bool) {
	if def.Increment > 0 {
		if v > def.Max-def.Increment {
			return 0, false
		}
	} else if v < def.Min-def.Increment {
		return 0, false
	}
	return v + def.Increment, true
}

// wrap is where a cycling sequence goes after its bound.
func wrap(def *catalog.Sequence) int64 {
	if def.Increment > 0 {
		return def.Min
	}
	return def.Max
}

// nextval takes the next value of seq.
func (ss *sequenceStates) nextval(seq *catalog.Relation) (int64, error) {
	def := seq.Sequence
	st, err := ss.state(seq.ID)
	if err != nil {
		return 0, err
	}
	defer st.mu.Unlock()
	next := st.lastValue
	if st.isCalled {
		n, ok := step(def, st.lastValue)
		switch {
		case ok:
			next = n
		case def.Cycle:
			next = wrap(def)
		case def.Increment > 0:
			return 0, pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached maximum value of sequence %q (%d)", seq.Name, def.Max)
		default:
			return 0, pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached minimum value of sequence %q (%d)", seq.Name, def.Min)
		}
	}
	if st.logCount > 0 && st.isCalled {
		st.logCount--
	} else {
		reserved, logged := next, int64(0)
		for logged < sequenceLogValues {
			n, ok := step(def, reserved)
			if !ok {
				if !def.Cycle {
					break
				}
				n = wrap(def)
			}
			reserved = n
			logged++
		}
		if err := ss.store.WriteSequenceState(seq.ID, storage.SequenceState{LastValue: reserved, IsCalled: true}); err != nil {
			return 0, err
		}
		st.logCount = logged
	}
	st.lastValue, st.isCalled = next, true
	return next, nil
}

// setval sets seq's value; the next nextval returns value's successor, or
// value itself when isCalled is false.
func (ss *sequenceStates) setval(seq *catalog.Relation, value int64, isCalled bool) error {
	def := seq.Sequence
	if value < def.Min || value > def.Max {
		return pgerror.New(pgerror.NumericValueOutOfRange, "setval: value %d is out of bounds for sequence %q (%d..%d)", value, seq.Name, def.Min, def.Max)
	}
	return ss.reset(seq.ID, value, isCalled)
}

// reset writes a sequence's value through to disk, with nothing reserved.
func (ss *sequenceStates) reset(id uint32, value int64, isCalled bool) error {
	st, err := ss.state(id)
	if err != nil {
		return err
	}
	defer st.mu.Unlock()
	if err := ss.store.WriteSequenceState(id, storage.SequenceState{LastValue: value, IsCalled: isCalled}); err != nil {
		return err
	}
	st.lastValue, st.isCalled, st.logCount = value, isCalled, 0
	return nil
}

// value is what SELECT * FROM seq shows.
func (ss *sequenceStates) value(id uint32) (catalog.SequenceValue, bool) {
	st, err := ss.state(id)
	if err != nil {
		return catalog.SequenceValue{}, false
	}
	defer st.mu.Unlock()
	return catalog.SequenceValue{LastValue: st.lastValue, LogCount: st.logCount, IsCalled: st.isCalled}, true
}

// sessionSequences are a session's currval and lastval.
type sessionSequences struct {
	current map[uint32]int64
	last    uint32 // the sequence of lastval, 0 before any nextval
}

// NextVal implements expr.SequenceSession.
func (i sessionInfo) NextVal(seq *catalog.Relation) (int64, error) {
	v, err := i.s.engine.sequences.nextval(seq)
	if err != nil {
		return 0, err
	}
	i.s.remember(seq.ID, v)
	i.s.sequences.last = seq.ID
	return v, nil
}

func (s *Session) remember(id uint32, v int64) {
	if s.sequences.current == nil {
		s.sequences.current = map[uint32]int64{}
	}
	s.sequences.current[id] = v
}

// CurrVal implements expr.SequenceSession.
func (i sessionInfo) CurrVal(seq *catalog.Relation) (int64, error) {
	v, ok := i.s.sequences.current[seq.ID]
	if !ok {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "currval of sequence %q is not yet defined in this session", seq.Name)
	}
	return v, nil
}

// LastVal implements expr.SequenceSession.
func (i sessionInfo) LastVal() (int64, error) {
	id := i.s.sequences.last
	if id == 0 {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	}
	if _, ok := i.s.engine.catalog.ByID(id); !ok {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	}
	return i.s.sequences.current[id], nil
}

// SetVal implements expr.SequenceSession.
func (i sessionInfo) SetVal(seq *catalog.Relation, value int64, isCalled bool) (int64, error) {
	if err := i.s.engine.sequences.setval(seq, value, isCalled); err != nil {
		return 0, err
	}
	if isCalled {
		i.s.remember(seq.ID, value)
	}
	return value, nil
}

// SequenceValue implements catalog.SequenceReader.
func (i sessionInfo) SequenceValue(id uint32) (catalog.SequenceValue, bool) {
	return i.s.engine.sequences.value(id)
}

// sequenceTypeBounds are the values of a sequence's data type.
func sequenceTypeBounds(t types.T) (int64, int64) {
	switch t.Kind {
	case types.KindInt16:
		return math.MinInt16, math.MaxInt16
	case types.KindInt32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func isSequenceType(t types.T) bool {
	return t.Kind == types.KindInt16 || t.Kind == types.KindInt32 || t.Kind == types.KindInt64
}

// sequenceDefinition applies options to a sequence's definition (old nil
// for CREATE), with PostgreSQL's defaults and checks. restart is the value
// an ALTER … RESTART starts from.
func sequenceDefinition(o ast.SequenceOptions, old *catalog.Sequence) (def *catalog.Sequence, restart *int64, err error) {
	def = &catalog.Sequence{Type: types.Int64, Increment: 1, Cache: 1}
	if old != nil {
		*def = *old
	}
	typeChanged := false
	if o.Type != nil {
		t, err := typeOf(*o.Type)
		if err != nil {
			return nil, nil, err
		}
		if !isSequenceType(t) {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
		}
		typeChanged = old != nil && t.Kind != old.Type.Kind
		def.Type = t
	}
	if o.Increment != nil {
		if *o.Increment == 0 {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "INCREMENT must not be zero")
		}
		def.Increment = *o.Increment
	}
	lo, hi := sequenceTypeBounds(def.Type)
	switch {
	case o.MaxValue != nil:
		def.Max = *o.MaxValue
	case old == nil || o.NoMaxValue:
		def.Max = -1
		if def.Increment > 0 {
			def.Max = hi
		}
	case typeChanged:
		if _, oldHi := sequenceTypeBounds(old.Type); def.Max == oldHi || def.Max > hi {
			def.Max = hi
		}
	}
	if def.Max < lo || def.Max > hi {
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "MAXVALUE (%d) is out of range for sequence data type %s", def.Max, sequenceTypeName(def.Type))
	}
	switch {
	case o.MinValue != nil:
		def.Min = *o.MinValue
	case old == nil || o.NoMinValue:
		def.Min = lo
		if def.Increment > 0 {
			def.Min = 1
		}
	case typeChanged:
		if oldLo, _ := sequenceTypeBounds(old.Type); def.Min == oldLo || def.Min < lo {
			def.Min = lo
		}
	}
	if def.Min < lo || def.Min > hi {
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) is out of range for sequence data type %s", def.Min, sequenceTypeName(def.Type))
	}
	if def.Min >= def.Max {
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", def.Min, def.Max)
	}
	switch {
	case o.Start != nil:
		def.Start = *o.Start
	case old == nil:
		def.Start = def.Min
		if def.Increment < 0 {
			def.Start = def.Max
		}
	}
	if def.Start < def.Min {
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", def.Start, def.Min)
	}
	if def.Start > def.Max {
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", def.Start, def.Max)
	}
	if o.Restart {
		v := def.Start
		if o.RestartWith != nil {
			v = *o.RestartWith
		}
		if v < def.Min {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", v, def.Min)
		}
		if v > def.Max {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", v, def.Max)
		}
		restart = &v
	}
	if o.Cache != nil {
		if *o.Cache <= 0 {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "CACHE (%d) must be greater than zero", *o.Cache)
		}
		def.Cache = *o.Cache
	}
	if o.Cycle != nil {
		def.Cycle = *o.Cycle
	}
	return def, restart, nil
}

func sequenceTypeName(t types.T) string {
	switch t.Kind {
	case types.KindInt16:
		return "smallint"
	case types.KindInt32:
		return "integer"
	}
	return "bigint"
}

// sequenceOwner resolves OWNED BY table.column for a sequence in schema.
func (s *Session) sequenceOwner(o ast.SequenceOptions, schema string) (table uint32, column int, err error) {
	if o.OwnedByNone || len(o.OwnedBy) == 0 {
		return 0, 0, nil
	}
	parts := o.OwnedBy
	if len(parts) < 2 {
		return 0, 0, pgerror.New(pgerror.SyntaxError, "invalid OWNED BY option").
			WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
	}
	tn := ast.TableName{Name: parts[len(parts)-2]}
	if len(parts) > 2 {
		tn.Schema = parts[len(parts)-3]
	}
	col := parts[len(parts)-1]
	rel, ok := s.engine.catalog.Lookup(tn.Schema, tn.Name, s.searchPath())
	if !ok {
		return 0, 0, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", tn.Name)
	}
	if rel.Kind != catalog.KindTable {
		return 0, 0, pgerror.New(pgerror.WrongObjectType, "sequence cannot be owned by relation %q", rel.Name).
			WithDetail("This operation is not supported for %ss.", rel.Kind)
	}
	if rel.Schema != schema {
		return 0, 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to")
	}
	i := rel.ColumnIndex(col)
	if i < 0 || rel.Columns[i].Hidden {
		return 0, 0, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", col, rel.Name)
	}
	return rel.ID, i + 1, nil
}

// newSequence builds a sequence relation; the caller assigns its id.
func newSequence(schema, name string, def *catalog.Sequence) *catalog.Relation {
	return &catalog.Relation{Kind: catalog.KindSequence, Schema: schema, Name: name, Columns: catalog.SequenceColumns(), Sequence: def}
}

func (s *Session) createSequence(ctx context.Context, n *ast.CreateSequence) (Result, error) {
	schema, err := s.resolveSchema(n.Name)
	if err != nil {
		return nil, err
	}
	def, _, err := sequenceDefinition(n.Options, nil)
	if err != nil {
		return nil, err
	}
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	if existing, ok := e.catalog.Lookup(schema, n.Name.Name, nil); ok {
		if n.IfNotExists {
			s.notice("relation %q already exists, skipping", n.Name.Name)
			return tagOnly("CREATE SEQUENCE"), nil
		}
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", existing.Name)
	}
	if def.OwnerTable, def.OwnerColumn, err = s.sequenceOwner(n.Options, schema); err != nil {
		return nil, err
	}
	seq := newSequence(schema, n.Name.Name, def)
	seq.ID = e.allocID()
	seq.CreatedEpoch = e.CommittedEpoch() + 1
	blob, err := catalog.Marshal(seq)
	if err != nil {
		return nil, err
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, seq.ID, blob)
		storage.PutSequenceState(b, seq.ID, storage.SequenceState{LastValue: def.Start})
		e.persistNextID(b)
	}); err != nil {
		return nil, err
	}
	e.catalog.Add(seq)
	e.catalogVersion.Add(1)
	return tagOnly("CREATE SEQUENCE"), nil
}

func (s *Session) alterSequence(ctx context.Context, n *ast.AlterSequence) (Result, error) {
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	seq, ok := e.catalog.Lookup(n.Name.Schema, n.Name.Name, s.searchPath())
	if !ok {
		if n.IfExists {
			s.notice("relation %q does not exist, skipping", n.Name.Name)
			return tagOnly("ALTER SEQUENCE"), nil
		}
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", n.Name.Name)
	}
	if seq.Kind != catalog.KindSequence {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", seq.Name)
	}
	def, restart, err := sequenceDefinition(n.Options, seq.Sequence)
	if err != nil {
		return nil, err
	}
	if n.Options.OwnedByNone {
		def.OwnerTable, def.OwnerColumn = 0, 0
	} else if len(n.Options.OwnedBy) > 0 {
		if def.OwnerTable, def.OwnerColumn, err = s.sequenceOwner(n.Options, seq.Schema); err != nil {
			return nil, err
		}
	}
	altered := *seq
	altered.Sequence = def
	blob, err := catalog.Marshal(&altered)
	if err != nil {
		return nil, err
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, altered.ID, blob)
	}); err != nil {
		return nil, err
	}
	e.catalog.Add(&altered)
	e.catalogVersion.Add(1)
	// The values reserved ahead were counted in the old increment and
	// bounds: write the current value through so that none is relied on.
	value, _ := e.sequences.value(seq.ID)
	if restart != nil {
		err = e.sequences.reset(seq.ID, *restart, false)
	} else {
		err = e.sequences.reset(seq.ID, value.LastValue, value.IsCalled)
	}
	if err != nil {
		return nil, err
	}
	return tagOnly("ALTER SEQUENCE"), nil
}

// serialType is the column type and whether the column is a serial:
// smallserial, serial and bigserial are integer columns with an owned
// sequence behind their default.
func serialType(tn ast.TypeName) (types.T, bool) {
	if tn.ArrayDims > 0 {
		return types.T{}, false
	}
	switch strings.ToLower(tn.Name) {
	case "smallserial", "serial2":
		return types.Int16, true
	case "serial", "serial4":
		return types.Int32, true
	case "bigserial", "serial8":
		return types.Int64, true
	}
	return types.T{}, false
}

// columnSequence is a sequence CREATE TABLE makes for a serial or identity
// column, committed with the table.
type columnSequence struct {
	column  int
	options ast.SequenceOptions
	name    *ast.TableName
}

// sequenceName picks "table_column_seq" or, when taken, the first free
// name with a number after it, as PostgreSQL's ChooseRelationName does.
func (e *Engine) sequenceName(schema, table, column string, taken map[string]bool) string {
	base := table + "_" + column + "_seq"
	name := base
	for i := 1; ; i++ {
		if _, exists := e.catalog.Lookup(schema, name, nil); !exists && !taken[name] {
			return name
		}
		name = base + strconv.Itoa(i)
	}
}

// addColumnSequences creates the owned sequences of rel's serial and
// identity columns: it assigns their ids (rel.ID is already assigned),
// sets the columns' defaults and returns the sequences, for the caller to
// commit with the table. The caller holds e.ddl.
func (s *Session) addColumnSequences(rel *catalog.Relation, wanted []columnSequence) ([]*catalog.Relation, error) {
	e := s.engine
	var out []*catalog.Relation
	taken := map[string]bool{}
	for _, w := range wanted {
		col := &rel.Columns[w.column]
		def, _, err := sequenceDefinition(w.options, nil)
		if err != nil {
			return nil, err
		}
		if w.options.Type == nil {
			// The sequence counts in the column's type unless told otherwise.
			typed := w.options
			typed.Type = &ast.TypeName{Name: col.Type.String()}
			if def, _, err = sequenceDefinition(typed, nil); err != nil {
				return nil, err
			}
		}
		def.OwnerTable, def.OwnerColumn = rel.ID, w.column+1
		schema, name := rel.Schema, ""
		if w.name != nil {
			name = w.name.Name
			if w.name.Schema != "" {
				schema = w.name.Schema
			}
			if _, exists := e.catalog.Lookup(schema, name, nil); exists || taken[name] {
				return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", name)
			}
		} else {
			name = e.sequenceName(schema, rel.Name, col.Name, taken)
		}
		taken[name] = true
		seq := newSequence(schema, name, def)
		seq.ID = e.allocID()
		seq.CreatedEpoch = rel.CreatedEpoch
		col.SequenceID = seq.ID
		col.NotNull = true
		if col.Identity == "" {
			qualified := name
			if !containsString(s.searchPath(), schema) {
				qualified = ast.QuoteIdent(schema) + "." + ast.QuoteIdent(name)
			} else if ast.QuoteIdent(name) != name {
				qualified = ast.QuoteIdent(name)
			}
			col.Default = "nextval(" + ast.QuoteString(qualified) + "::regclass)"
		}
		out = append(out, seq)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ownedSequences are the sequences owned by the columns of table id, which
// go when it goes.
func (e *Engine) ownedSequences(id uint32) []*catalog.Relation {
	var out []*catalog.Relation
	for _, r := range e.catalog.Relations(catalog.KindSequence) {
		if r.Sequence.OwnerTable == id {
			out = append(out, r)
		}
	}
	return out
}

// sequenceUse is a table column that takes values from a sequence.
type sequenceUse struct {
	table  *catalog.Relation
	column int
}

// sequenceUsers are the table columns that take values from seq: identity
// columns and defaults made for serial columns.
func (e *Engine) sequenceUsers(seq *catalog.Relation) []sequenceUse {
	var out []sequenceUse
	for _, t := range e.catalog.Relations(catalog.KindTable) {
		for i, c := range t.Columns {
			if c.SequenceID == seq.ID {
				out = append(out, sequenceUse{t, i})
			}
		}
	}
	return out
}

// dropSequenceUses is what DROP SEQUENCE does to the columns that use the
// sequence: an identity column needs it (an error); a serial's default
// depends on it (an error without CASCADE; with it, the default goes).
// It returns the table descriptors to write with the drop.
func (s *Session) dropSequenceUses(seq *catalog.Relation, cascade bool, dropping map[uint32]bool) ([]*catalog.Relation, error) {
	var changed []*catalog.Relation
	for _, u := range s.engine.sequenceUsers(seq) {
		if dropping[u.table.ID] {
			continue
		}
		col := u.table.Columns[u.column]
		if col.Identity != "" {
			return nil, pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop sequence %s because column %s of table %s requires it", seq.Name, col.Name, u.table.Name).
				WithHint("You can drop column %s of table %s instead.", col.Name, u.table.Name)
		}
		if !cascade {
			return nil, pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop sequence %s because other objects depend on it", seq.Name).
				WithDetail("default value for column %s of table %s depends on sequence %s", col.Name, u.table.Name, seq.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		s.notice("drop cascades to default value for column %s of table %s", col.Name, u.table.Name)
		t := *u.table
		t.Columns = append([]catalog.Column(nil), t.Columns...)
		t.Columns[u.column].Default = ""
		t.Columns[u.column].SequenceID = 0
		changed = append(changed, &t)
	}
	return changed, nil
}

// columnSequenceOf is the sequence a serial or identity column needs, or
// nil for an ordinary column.
func columnSequenceOf(table string, cd ast.ColumnDef, t types.T, serial bool) (*columnSequence, error) {
	switch {
	case serial && cd.Default != nil:
		return nil, pgerror.New(pgerror.SyntaxError, "multiple default values specified for column %q of table %q", cd.Name, table)
	case serial && cd.Identity != 0:
		return nil, pgerror.New(pgerror.SyntaxError, "both default and identity specified for column %q of table %q", cd.Name, table)
	case cd.Identity != 0 && cd.Default != nil:
		return nil, pgerror.New(pgerror.SyntaxError, "both default and identity specified for column %q of table %q", cd.Name, table)
	case cd.Identity != 0 && !isSequenceType(t):
		return nil, pgerror.New(pgerror.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	case serial:
		return &columnSequence{}, nil
	case cd.Identity != 0:
		return &columnSequence{options: cd.IdentityOptions, name: cd.IdentityOptions.Name}, nil
	}
	return nil, nil
}

// withOwnedSequences adds to a drop's order the sequences the dropped
// tables own, each after its table.
func (s *Session) withOwnedSequences(order []*catalog.Relation) []*catalog.Relation {
	in := map[uint32]bool{}
	for _, r := range order {
		in[r.ID] = true
	}
	var out []*catalog.Relation
	for _, r := range order {
		out = append(out, r)
		if r.Kind != catalog.KindTable {
			continue
		}
		for _, seq := range s.engine.ownedSequences(r.ID) {
			if !in[seq.ID] {
				in[seq.ID] = true
				out = append(out, seq)
			}
		}
	}
	return out
}

// rewriteDescriptors commits changed descriptors of existing relations in
// one epoch. The caller holds e.ddl.
func (s *Session) rewriteDescriptors(ctx context.Context, rels []*catalog.Relation) error {
	if len(rels) == 0 {
		return nil
	}
	e := s.engine
	blobs := make([][]byte, len(rels))
	for i, r := range rels {
		var err error
		if blobs[i], err = catalog.Marshal(r); err != nil {
			return err
		}
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		for i, r := range rels {
			storage.PutCatalog(b, r.ID, blobs[i])
		}
	}); err != nil {
		return err
	}
	for _, r := range rels {
		e.catalog.Add(r)
	}
	e.catalogVersion.Add(1)
	return nil
}
