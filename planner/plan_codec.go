package planner

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// A materialized view's streaming plan is stored in its catalog
// descriptor (catalog.Relation.Plan) so that a restart rebuilds the very
// dataflow whose state is on disk, whatever this binary's planner would
// make of the SQL today. The stored form is JSON: one object per node with
// a kind tag, expressions in sql/expr's stored form, aggregates in
// sql/agg's, types by name, relations by id, and for every state table its
// id and the layout of its keys and values.
//
// PlanFormatVersion numbers the format. Change it with any change to what
// a stored node means — a node kind, a field, an expression kind or
// constructor, a state table's layout — and teach DecodeMaterialize to
// read the older version or to refuse it: a plan of a version this binary
// does not run is refused with PlanVersionError, never guessed at.

// PlanFormatVersion is the version of the stored plans this binary
// writes and the only one it runs.
//
// Version 2: the keys of aggregate, join and top-N state tables start with
// the vnode of their distribution columns (StateTableLayout.Vnode), and
// the materialize node carries the dataflow's parallelism.
const PlanFormatVersion = 2

// PlanVersionError is a stored plan of a format version this binary does
// not run.
type PlanVersionError struct {
	Stored, Supported int
}

func (e *PlanVersionError) Error() string {
	return fmt.Sprintf("plan stored in format version %d, this version of eddy runs version %d", e.Stored, e.Supported)
}

// storedPlan is the stored form of a Materialize tree.
type storedPlan struct {
	Version int         `json:"version"`
	Root    *storedNode `json:"root"`
}

// storedNode is one plan node. Kind selects which fields mean something;
// nil and empty lists differ where the node's do (a nil StreamKey is no
// key, an empty one a single row; nil Scan columns are all columns).
type storedNode struct {
	Kind   string         `json:"kind"`
	Out    []storedColumn `json:"out"`
	Key    []int          `json:"key"`
	Inputs []*storedNode  `json:"inputs,omitempty"`

	// scan
	Relation    uint32        `json:"relation,omitempty"`
	Columns     []int         `json:"columns"`
	ColumnTypes []*expr.Type  `json:"column_types,omitempty"`
	Filter      *expr.Encoded `json:"filter,omitempty"`
	// filter
	Predicate *expr.Encoded `json:"predicate,omitempty"`
	// project
	Exprs []*expr.Encoded `json:"exprs,omitempty"`
	// aggregate
	GroupBy []int              `json:"group_by,omitempty"`
	Aggs    []*agg.EncodedCall `json:"aggs,omitempty"`
	// join
	JoinKind  string        `json:"join_kind,omitempty"`
	LeftKeys  []int         `json:"left_keys,omitempty"`
	RightKeys []int         `json:"right_keys,omitempty"`
	Condition *expr.Encoded `json:"condition,omitempty"`
	InLeft    []int         `json:"in_left,omitempty"`
	InRight   []int         `json:"in_right,omitempty"`
	// top-n
	PartitionBy []int           `json:"partition_by,omitempty"`
	SortKeys    []storedSortKey `json:"sort_keys,omitempty"`
	Count       int64           `json:"count,omitempty"`
	Offset      int64           `json:"offset,omitempty"`
	Rank        bool            `json:"rank,omitempty"`

	// materialize
	Parallelism int `json:"parallelism,omitempty"`

	StateTables []StateTableLayout `json:"state_tables,omitempty"`
}

type storedColumn struct {
	Name    string     `json:"name"`
	Type    *expr.Type `json:"type"`
	Hidden  bool       `json:"hidden,omitempty"`
	TableID uint32     `json:"table_id,omitempty"`
	AttrNum int16      `json:"attr_num,omitempty"`
}

type storedSortKey struct {
	Column     int  `json:"column"`
	Desc       bool `json:"desc,omitempty"`
	NullsFirst bool `json:"nulls_first,omitempty"`
}

// StateTableLayout is one state table of a stored plan: its id, what the
// operator keeps in it, and the column types its keys are made of, in
// key order, and its values (nil when the value is not a row: an
// aggregate's accumulator states). The layout is derived from the node;
// decoding derives it again and refuses a plan whose layout this binary
// would read differently.
type StateTableLayout struct {
	ID    uint32       `json:"id"`
	Role  string       `json:"role"`
	Key   []*expr.Type `json:"key"`
	Value []*expr.Type `json:"value,omitempty"`
	// Vnode is set when every key starts with the vnode (2 bytes, big
	// endian) of the node's distribution columns (DistributionKey), which
	// are also where Key starts.
	Vnode bool `json:"vnode,omitempty"`
}

// The kinds of stored nodes: the stored format, not Go type names.
const (
	kindScan        = "scan"
	kindFilter      = "filter"
	kindProject     = "project"
	kindAggregate   = "aggregate"
	kindJoin        = "join"
	kindTopN        = "top_n"
	kindMaterialize = "materialize"
)

// storedKinds lists every kind, for the codec's tests.
var storedKinds = []string{kindScan, kindFilter, kindProject, kindAggregate, kindJoin, kindTopN, kindMaterialize}

// EncodeMaterialize is the stored form of a view's streaming plan.
func EncodeMaterialize(m *Materialize) ([]byte, error) {
	root, err := encodeNode(m)
	if err != nil {
		return nil, err
	}
	return json.Marshal(storedPlan{Version: PlanFormatVersion, Root: root})
}

// StoredPlanVersion reads the format version of a stored plan.
func StoredPlanVersion(blob []byte) (int, error) {
	var v struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(blob, &v); err != nil {
		return 0, errCorruptPlan("%v", err)
	}
	return v.Version, nil
}

// DecodeMaterialize rebuilds a stored plan, reading relations by id from
// cat. A plan of another format version is a *PlanVersionError.
func DecodeMaterialize(blob []byte, cat *catalog.Catalog) (*Materialize, error) {
	version, err := StoredPlanVersion(blob)
	if err != nil {
		return nil, err
	}
	if version != PlanFormatVersion {
		return nil, &PlanVersionError{Stored: version, Supported: PlanFormatVersion}
	}
	var sp storedPlan
	if err := json.Unmarshal(blob, &sp); err != nil {
		return nil, errCorruptPlan("%v", err)
	}
	if sp.Root == nil {
		return nil, errCorruptPlan("no root")
	}
	p, err := decodeNode(sp.Root, cat)
	if err != nil {
		return nil, err
	}
	m, ok := p.(*Materialize)
	if !ok {
		return nil, errCorruptPlan("root is a %s, not a materialize", sp.Root.Kind)
	}
	return m, nil
}

func errCorruptPlan(format string, args ...any) error {
	return pgerror.New(pgerror.DataCorrupted, "corrupt stored plan: %s", fmt.Sprintf(format, args...))
}

func encodeExprs(es []expr.Expr) ([]*expr.Encoded, error) {
	out := make([]*expr.Encoded, len(es))
	for i, e := range es {
		enc, err := expr.Encode(e)
		if err != nil {
			return nil, err
		}
		out[i] = enc
	}
	return out, nil
}

func decodeExprs(es []*expr.Encoded) ([]expr.Expr, error) {
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		d, err := expr.Decode(e)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func encodeTypes(ts []types.T) []*expr.Type {
	out := make([]*expr.Type, len(ts))
	for i, t := range ts {
		out[i] = expr.EncodeType(t)
	}
	return out
}

// encodeNode is the one switch over the node kinds a streaming plan
// holds; batch-only nodes are never stored.
func encodeNode(p Plan) (*storedNode, error) {
	n := &storedNode{Key: p.StreamKey()}
	for _, c := range p.Output() {
		n.Out = append(n.Out, storedColumn{Name: c.Name, Type: expr.EncodeType(c.Type), Hidden: c.Hidden, TableID: c.TableID, AttrNum: c.AttrNum})
	}
	for _, in := range p.Inputs() {
		enc, err := encodeNode(in)
		if err != nil {
			return nil, err
		}
		n.Inputs = append(n.Inputs, enc)
	}
	var err error
	switch p := p.(type) {
	case *Scan:
		if len(p.KeyPrefix) > 0 {
			return nil, pgerror.Internal("a streaming scan has a key prefix")
		}
		n.Kind = kindScan
		n.Relation = p.Relation.ID
		n.Columns = p.Columns
		n.ColumnTypes = encodeTypes(scanColumnTypes(p.Relation, p.Columns))
		n.Filter, err = expr.Encode(p.Filter)
	case *Filter:
		n.Kind = kindFilter
		n.Predicate, err = expr.Encode(p.Predicate)
	case *Project:
		n.Kind = kindProject
		n.Exprs, err = encodeExprs(p.Exprs)
	case *Aggregate:
		n.Kind = kindAggregate
		n.GroupBy = p.GroupBy
		for _, c := range p.Aggs {
			enc, err := agg.EncodeCall(c)
			if err != nil {
				return nil, err
			}
			n.Aggs = append(n.Aggs, enc)
		}
	case *Join:
		n.Kind = kindJoin
		n.JoinKind = p.Kind.String()
		n.LeftKeys, n.RightKeys = p.LeftKeys, p.RightKeys
		n.InLeft, n.InRight = p.InLeft, p.InRight
		n.Condition, err = expr.Encode(p.Condition)
	case *TopN:
		n.Kind = kindTopN
		n.PartitionBy = p.PartitionBy
		for _, k := range p.Keys {
			n.SortKeys = append(n.SortKeys, storedSortKey(k))
		}
		n.Count, n.Offset, n.Rank = p.Count, p.Offset, p.Rank
	case *Materialize:
		n.Kind = kindMaterialize
		n.Relation = p.RelationID
		n.Parallelism = p.Parallelism
	default:
		return nil, pgerror.Internal("plan node %T cannot be stored: it has no streaming form", p)
	}
	if err != nil {
		return nil, err
	}
	n.StateTables = StateTableLayouts(p)
	return n, nil
}

// scanColumnTypes are the types of the relation's columns a scan reads.
func scanColumnTypes(rel *catalog.Relation, columns []int) []types.T {
	all := rel.ColumnTypes()
	if columns == nil {
		return all
	}
	out := make([]types.T, len(columns))
	for i, c := range columns {
		out[i] = all[c]
	}
	return out
}

func decodeNode(n *storedNode, cat *catalog.Catalog) (Plan, error) {
	inputs := make([]Plan, len(n.Inputs))
	for i, in := range n.Inputs {
		p, err := decodeNode(in, cat)
		if err != nil {
			return nil, err
		}
		inputs[i] = p
	}
	want := map[string]int{kindScan: 0, kindFilter: 1, kindProject: 1, kindAggregate: 1, kindJoin: 2, kindTopN: 1, kindMaterialize: 1}
	if arity, ok := want[n.Kind]; !ok {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "stored plan uses node kind %q, which this version of eddy does not know", n.Kind)
	} else if len(inputs) != arity {
		return nil, errCorruptPlan("%s node with %d inputs", n.Kind, len(inputs))
	}
	node := Node{Key: n.Key}
	for _, c := range n.Out {
		t, err := expr.DecodeType(c.Type)
		if err != nil {
			return nil, err
		}
		node.Out = append(node.Out, OutputColumn{Name: c.Name, Type: t, Hidden: c.Hidden, TableID: c.TableID, AttrNum: c.AttrNum})
	}
	var p Plan
	var err error
	switch n.Kind {
	case kindScan:
		rel, ok := cat.ByID(n.Relation)
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedTable, "relation with id %d read by the stored plan does not exist", n.Relation)
		}
		for _, c := range n.Columns {
			if c < 0 || c >= len(rel.Columns) {
				return nil, errCorruptPlan("scan of %s reads column %d of %d", rel.QualifiedName(), c, len(rel.Columns))
			}
		}
		if got := encodeTypes(scanColumnTypes(rel, n.Columns)); !sameTypes(got, n.ColumnTypes) {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "the columns of %s that the stored plan reads have changed type", rel.QualifiedName())
		}
		s := &Scan{Node: node, Relation: rel, Columns: n.Columns}
		s.Filter, err = expr.Decode(n.Filter)
		p = s
	case kindFilter:
		f := &Filter{Node: node, Input: inputs[0]}
		f.Predicate, err = expr.Decode(n.Predicate)
		p = f
	case kindProject:
		pr := &Project{Node: node, Input: inputs[0]}
		pr.Exprs, err = decodeExprs(n.Exprs)
		p = pr
	case kindAggregate:
		a := &Aggregate{Node: node, Input: inputs[0], GroupBy: n.GroupBy}
		for _, s := range n.Aggs {
			c, err := agg.DecodeCall(s)
			if err != nil {
				return nil, err
			}
			a.Aggs = append(a.Aggs, c)
		}
		p = a
	case kindJoin:
		kind := slices.Index(joinKindNames[:], n.JoinKind)
		if kind < 0 {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "stored plan uses join kind %q, which this version of eddy does not know", n.JoinKind)
		}
		j := &Join{Node: node, Kind: JoinKind(kind), Left: inputs[0], Right: inputs[1],
			LeftKeys: n.LeftKeys, RightKeys: n.RightKeys, InLeft: n.InLeft, InRight: n.InRight}
		j.Condition, err = expr.Decode(n.Condition)
		p = j
	case kindTopN:
		t := &TopN{Node: node, Input: inputs[0], PartitionBy: n.PartitionBy, Count: n.Count, Offset: n.Offset, Rank: n.Rank}
		for _, k := range n.SortKeys {
			t.Keys = append(t.Keys, SortKey(k))
		}
		p = t
	case kindMaterialize:
		if n.Parallelism < 1 {
			return nil, errCorruptPlan("a materialize node with parallelism %d", n.Parallelism)
		}
		p = &Materialize{Node: node, Input: inputs[0], RelationID: n.Relation, Parallelism: n.Parallelism}
	}
	if err != nil {
		return nil, err
	}
	if err := setStateTables(p, n.StateTables); err != nil {
		return nil, err
	}
	return p, nil
}

func sameTypes(a, b []*expr.Type) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// setStateTables gives a decoded node its stored state table ids, after
// checking that the layouts this binary derives for the node are the
// stored ones.
func setStateTables(p Plan, stored []StateTableLayout) error {
	ids := make([]uint32, len(stored))
	for i, s := range stored {
		ids[i] = s.ID
	}
	switch p := p.(type) {
	case *Aggregate:
		p.StateTables = ids
	case *Join:
		p.StateTables = ids
	case *TopN:
		p.StateTables = ids
	case *Materialize:
		// Its one table is the relation itself.
	default:
		if len(stored) > 0 {
			return errCorruptPlan("a %T node with state tables", p)
		}
	}
	derived := StateTableLayouts(p)
	x, _ := json.Marshal(derived)
	y, _ := json.Marshal(stored)
	if string(x) != string(y) {
		return pgerror.New(pgerror.FeatureNotSupported, "stored plan's state tables are laid out as %s; this version of eddy lays them out as %s", y, x)
	}
	return nil
}

// StateTableLayouts describes the state tables of one node (not its
// inputs'), in the order of its StateTables, as mview's operators lay them
// out (their type comments say the same).
func StateTableLayouts(p Plan) []StateTableLayout {
	columnTypes := func(in Plan, cols []int) []*expr.Type {
		ts := Types(in)
		out := make([]*expr.Type, len(cols))
		for i, c := range cols {
			out[i] = expr.EncodeType(ts[c])
		}
		return out
	}
	switch p := p.(type) {
	case *Aggregate:
		var out []StateTableLayout
		roles := []string{"aggregate groups", "aggregate values"}
		for i, id := range p.StateTables {
			out = append(out, StateTableLayout{ID: id, Role: roles[min(i, 1)], Key: columnTypes(p.Input, p.GroupBy), Vnode: true})
		}
		return out
	case *Join:
		var out []StateTableLayout
		sides := []Plan{p.Left, p.Right}
		keys := [][]int{p.LeftKeys, p.RightKeys}
		roles := []string{"join left rows", "join right rows"}
		for i, id := range p.StateTables {
			side := sides[min(i, 1)]
			key := append(columnTypes(side, keys[min(i, 1)]), columnTypes(side, side.StreamKey())...)
			out = append(out, StateTableLayout{ID: id, Role: roles[min(i, 1)], Key: key, Value: encodeTypes(Types(side)), Vnode: true})
		}
		return out
	case *TopN:
		var out []StateTableLayout
		sortCols := make([]int, len(p.Keys))
		for i, k := range p.Keys {
			sortCols[i] = k.Column
		}
		for _, id := range p.StateTables {
			key := append(append(columnTypes(p.Input, p.PartitionBy), columnTypes(p.Input, sortCols)...), columnTypes(p.Input, p.Input.StreamKey())...)
			out = append(out, StateTableLayout{ID: id, Role: "top-n rows", Key: key, Value: encodeTypes(Types(p.Input)), Vnode: true})
		}
		return out
	case *Materialize:
		return []StateTableLayout{{ID: p.RelationID, Role: "view rows", Key: columnTypes(p, p.Key), Value: encodeTypes(Types(p))}}
	}
	return nil
}

// StateTableIDs lists the state tables of a plan and its inputs, the
// view's own relation excluded: what dropping the view deletes.
func StateTableIDs(p Plan) []uint32 {
	var out []uint32
	switch p := p.(type) {
	case *Aggregate:
		out = append(out, p.StateTables...)
	case *Join:
		out = append(out, p.StateTables...)
	case *TopN:
		out = append(out, p.StateTables...)
	}
	for _, in := range p.Inputs() {
		out = append(out, StateTableIDs(in)...)
	}
	return out
}
