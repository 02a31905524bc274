package planner

import (
	"github.com/eddy-db/eddy/sql/agg"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/types"
)

// Plan is a node of a physical plan. The same node types serve both
// lowerings: the executor runs a batch plan once over a snapshot; mview runs
// a streaming plan forever over change chunks. Streaming-only fields
// (StreamKey, state table ids) are zero in batch plans.
//
// Expressions inside a node refer to the node's input columns by index: for
// a Join, the left input's columns followed by the right's.
type Plan interface {
	// Output describes the columns the node produces, in order.
	Output() []OutputColumn
	// Inputs are the child plans.
	Inputs() []Plan
	// StreamKey lists the output columns that identify a row in a
	// streaming plan (nil in batch plans, empty for a single-row output).
	StreamKey() []int
}

// OutputColumn is one column a plan node produces.
type OutputColumn struct {
	Name string
	Type types.T
	// Hidden columns are carried for keys but not shown to the client.
	Hidden bool
	// TableID and AttrNum name the base column for RowDescription, 0 if
	// the column is computed.
	TableID uint32
	AttrNum int16
}

// Node holds the fields every plan node has.
type Node struct {
	Out []OutputColumn
	Key []int
}

func (n *Node) Output() []OutputColumn { return n.Out }
func (n *Node) StreamKey() []int       { return n.Key }

// Types lists the output column types of p.
func Types(p Plan) []types.T {
	out := p.Output()
	ts := make([]types.T, len(out))
	for i, c := range out {
		ts[i] = c.Type
	}
	return ts
}

// Scan reads a stored relation (table or materialized view). In a batch
// plan it reads a snapshot; in a streaming plan it backfills from a
// snapshot and then follows the relation's changes.
type Scan struct {
	Node
	Relation *catalog.Relation
	// Columns are the relation's column indexes produced, in output order.
	Columns []int
	// Filter is a predicate over the output columns pushed into the scan;
	// nil when none.
	Filter expr.Expr
	// KeyPrefix, when set, restricts the scan to rows whose first
	// len(KeyPrefix) key columns equal these values: a point lookup when it
	// covers the whole key. Batch plans only.
	KeyPrefix []expr.Expr
}

// Values produces constant rows.
type Values struct {
	Node
	Rows [][]expr.Expr
}

// Filter keeps the rows for which Predicate is true (not false or NULL).
type Filter struct {
	Node
	Input     Plan
	Predicate expr.Expr
}

// Project computes Exprs over each input row.
type Project struct {
	Node
	Input Plan
	Exprs []expr.Expr
}

// Aggregate groups its input by the GroupBy columns and computes Aggs per
// group. Output: the group columns in GroupBy order, then one column per
// aggregate. With no GroupBy it produces exactly one row.
type Aggregate struct {
	Node
	Input   Plan
	GroupBy []int
	Aggs    []agg.Call
	// StateTables (streaming): [0] holds per-group accumulator state and row
	// counts; [1], when present, holds the value multisets of the
	// non-invertible aggregates (min, max, …) keyed by (aggregate index,
	// group, value).
	StateTables []uint32
}

// JoinKind is the kind of a join.
type JoinKind uint8

const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	// SemiJoin outputs the Left rows with a match and AntiJoin those
	// without; MarkJoin outputs every Left row plus a boolean column
	// saying whether it matched. Their output is Left's columns (and the
	// mark): Right's columns are only seen by the Condition.
	SemiJoin
	AntiJoin
	MarkJoin
)

var joinKindNames = [...]string{InnerJoin: "inner", LeftJoin: "left", RightJoin: "right", FullJoin: "full", SemiJoin: "semi", AntiJoin: "anti", MarkJoin: "mark"}

func (k JoinKind) String() string { return joinKindNames[k] }

// Join matches rows of Left and Right with equal keys and a true Condition.
// Output: Left's columns then Right's.
type Join struct {
	Node
	Kind      JoinKind
	Left      Plan
	Right     Plan
	LeftKeys  []int // equi-join columns of Left
	RightKeys []int // the matching columns of Right
	// Condition is a residual predicate over the joined row; nil if none.
	Condition expr.Expr
	// InLeft and InRight (semi, anti and mark joins only) are compared as
	// x IN (subquery) compares: a NULL on either side makes the pair's
	// comparison unknown, and a Left row whose best comparison is unknown
	// gets a NULL mark and is neither a semi nor an anti join's row. The
	// pairs of LeftKeys/RightKeys and the Condition decide which Right
	// rows take part at all.
	InLeft  []int
	InRight []int
	// StateTables (streaming): [0] the left side's rows, [1] the right's,
	// each keyed by (join key, the side's stream key).
	StateTables []uint32
}

// ApplyKind is what an Apply computes from each run of its subquery.
type ApplyKind uint8

const (
	// ApplyScalar adds the subquery's single value: NULL when it returns
	// no row, error 21000 when more than one.
	ApplyScalar ApplyKind = iota
	// ApplyExists adds whether the subquery returned a row.
	ApplyExists
	// ApplyAny and ApplyAll add the OR (AND) under three-valued logic of
	// the subquery's one boolean column: false (true) over no rows.
	ApplyAny
	ApplyAll
	// ApplyInner pairs each input row with every subquery row (LATERAL);
	// ApplyLeft also keeps input rows with none, NULL-extended.
	ApplyInner
	ApplyLeft
	// ApplyArray adds the array of the subquery's one column, in the
	// subquery's order: ARRAY(subquery), '{}' for no rows.
	ApplyArray
)

var applyKindNames = [...]string{ApplyScalar: "scalar", ApplyExists: "exists", ApplyAny: "any", ApplyAll: "all", ApplyInner: "inner", ApplyLeft: "left", ApplyArray: "array"}

func (k ApplyKind) String() string { return applyKindNames[k] }

// Apply runs Subquery once per Input row with OuterColumns of that row
// bound as outer values: appended, in order, after the outer values
// already bound (expr.Context.Outer), where the Subquery's expr.OuterRef
// nodes read them. Rows with equal OuterColumns may share one run. Output:
// Input's columns, then the computed column (scalar, exists, any, all) or
// the Subquery's columns (inner, left). Batch plans only.
type Apply struct {
	Node
	Kind         ApplyKind
	Input        Plan
	Subquery     Plan
	OuterColumns []int
}

// SortKey is one ORDER BY column.
type SortKey struct {
	Column     int
	Desc       bool
	NullsFirst bool
}

// Sort orders its input. Batch plans only.
type Sort struct {
	Node
	Input Plan
	Keys  []SortKey
}

// Limit skips Offset rows and then passes at most Count rows (Count < 0:
// no limit). Batch plans only.
type Limit struct {
	Node
	Input  Plan
	Count  int64
	Offset int64
	// CountExpr and OffsetExpr, when set, are a parameter ($n) to evaluate
	// once at execution (no input columns); they replace Count and Offset.
	// A NULL count means no limit.
	CountExpr  expr.Expr
	OffsetExpr expr.Expr
}

// TopN passes, in each group of rows with equal PartitionBy columns, the
// rows ranked Offset+1 to Offset+Count of its input in the order of Keys,
// ties broken by the input's stream key: ORDER BY … LIMIT … OFFSET … (no
// PartitionBy), or row_number() OVER (PARTITION BY … ORDER BY …) <= n with
// Rank set, which appends the row's rank in its group (bigint) to the
// input's columns. Streaming plans only (batch plans use Sort and Limit, or
// Window). Its stream key is the input's.
type TopN struct {
	Node
	Input       Plan
	PartitionBy []int
	Keys        []SortKey
	Count       int64
	Offset      int64
	Rank        bool
	// StateTables (streaming): [0] every input row, keyed by (sort key,
	// stream key).
	StateTables []uint32
}

// Materialize is the root of a streaming plan: it stores its input's rows
// in the relation RelationID keyed by StreamKey, and forwards its changes to
// the dataflows that read this relation.
type Materialize struct {
	Node
	Input      Plan
	RelationID uint32
	// Parallelism is the number of instances each stateful operator of
	// the dataflow runs as (one for those without distribution columns,
	// see DistributionKey); at least 1.
	Parallelism int
}

// DistributionKey returns the columns on which the rows that a stateful
// node keeps in state are partitioned across its instances and hashed to
// vnodes (input side 1 is a join's right input): an aggregate's group
// columns, a join's key on that side, a top-N's partition columns. It is
// empty for a global aggregate or top-N, which run as one instance, and
// nil for a node without state.
func DistributionKey(p Plan, side int) []int {
	switch p := p.(type) {
	case *Aggregate:
		return append([]int{}, p.GroupBy...)
	case *Join:
		if side == 1 {
			return append([]int{}, p.RightKeys...)
		}
		return append([]int{}, p.LeftKeys...)
	case *TopN:
		return append([]int{}, p.PartitionBy...)
	}
	return nil
}

func (p *Scan) Inputs() []Plan        { return nil }
func (p *Values) Inputs() []Plan      { return nil }
func (p *Filter) Inputs() []Plan      { return []Plan{p.Input} }
func (p *Project) Inputs() []Plan     { return []Plan{p.Input} }
func (p *Aggregate) Inputs() []Plan   { return []Plan{p.Input} }
func (p *Join) Inputs() []Plan        { return []Plan{p.Left, p.Right} }
func (p *Sort) Inputs() []Plan        { return []Plan{p.Input} }
func (p *Limit) Inputs() []Plan       { return []Plan{p.Input} }
func (p *Materialize) Inputs() []Plan { return []Plan{p.Input} }
func (p *TopN) Inputs() []Plan        { return []Plan{p.Input} }
func (p *Apply) Inputs() []Plan       { return []Plan{p.Input, p.Subquery} }

var (
	_ Plan = (*Scan)(nil)
	_ Plan = (*Values)(nil)
	_ Plan = (*Filter)(nil)
	_ Plan = (*Project)(nil)
	_ Plan = (*Aggregate)(nil)
	_ Plan = (*Join)(nil)
	_ Plan = (*Sort)(nil)
	_ Plan = (*Limit)(nil)
	_ Plan = (*Materialize)(nil)
	_ Plan = (*TopN)(nil)
	_ Plan = (*Apply)(nil)
)

// SetOp combines Left's and Right's rows, which have the same column
// types. UNION ALL is every row of both; UNION the distinct ones;
// INTERSECT and EXCEPT the distinct rows of Left that are (are not) in
// Right, and with ALL as many copies as the counts allow (min(m, n) and
// max(m-n, 0)). Rows compare as GROUP BY compares them: NULLs equal. Batch
// plans only.
type SetOp struct {
	Node
	Kind        ast.SetOpKind
	All         bool
	Left, Right Plan
}

// TableFunction produces the rows of a set-returning function in FROM.
// Its Args read no input columns: they are evaluated once (they may read
// parameters and, under an Apply, outer values). Batch plans only.
type TableFunction struct {
	Node
	// Name is the function: generate_series, or unnest (one output
	// column per array argument, read side by side, NULL-padded).
	Name string
	Args []expr.Expr
	// Add computes the next value of a series from a chunk of two columns
	// (the current value, the step), for the types without a native loop.
	Add expr.Expr
	// Ordinality (WITH ORDINALITY): the last output column, a bigint,
	// numbers the function's rows from 1.
	Ordinality bool
}

func (p *SetOp) Inputs() []Plan         { return []Plan{p.Left, p.Right} }
func (p *TableFunction) Inputs() []Plan { return nil }

var (
	_ Plan = (*SetOp)(nil)
	_ Plan = (*TableFunction)(nil)
)
