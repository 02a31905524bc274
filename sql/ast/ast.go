// Package ast is Eddy's own syntax tree: what sql/parser produces from
// PostgreSQL's grammar (pg_query) and from the hand parser for Eddy's
// streaming clauses, and what the planner binds. Nothing outside sql/parser
// sees pg_query's protobuf nodes, so the grammar behind the parser can change
// without touching any consumer.
//
// Nodes hold names as written (folded to lower case unless quoted) and
// literals as their source text; typing is the binder's job. Pos fields are
// 0-based byte offsets into the statement text, or -1 when unknown.
//
// Every node prints back to SQL with String; parse → print → parse must give
// an equal tree (the parser's round-trip fuzz test checks it).
package ast

// Statement is one top-level SQL statement.
type Statement interface {
	Node
	statement()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	expr()
}

// TableExpr is an item of a FROM clause.
type TableExpr interface {
	Node
	tableExpr()
}

// Node is any syntax tree node.
type Node interface {
	String() string
}

// ---- Statements ----

// Select is a query: a SELECT block, a set operation, or VALUES.
type Select struct {
	With []CTE
	// Exactly one of the three forms is set.
	Block  *SelectBlock
	SetOp  *SetOp
	Values [][]Expr

	OrderBy []OrderItem
	Limit   Expr // nil, or LIMIT ALL as nil
	Offset  Expr
}

// SelectBlock is SELECT … FROM … WHERE … GROUP BY … HAVING.
type SelectBlock struct {
	Distinct   bool
	DistinctOn []Expr
	Targets    []SelectItem
	From       []TableExpr // comma-separated items are a cross join
	Where      Expr
	GroupBy    []Expr
	Having     Expr
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

const (
	Union SetOpKind = iota
	Intersect
	Except
)

// SetOp is Left UNION|INTERSECT|EXCEPT [ALL] Right.
type SetOp struct {
	Kind        SetOpKind
	All         bool
	Left, Right *Select
}

// CTE is one WITH item.
type CTE struct {
	Name    string
	Columns []string
	Query   *Select
	// Recursive is set for every item of WITH RECURSIVE: the item's query
	// may then read the item itself (a working table).
	Recursive bool
}

// SelectItem is one entry of a target list. Star is `*` (Table empty) or
// `t.*`.
type SelectItem struct {
	Expr  Expr
	Alias string
	Star  bool
	Table string // qualifier of t.*
}

// OrderItem is one ORDER BY entry. NullsFirst nil means the default (NULLS
// LAST for ASC, NULLS FIRST for DESC).
type OrderItem struct {
	Expr       Expr
	Desc       bool
	NullsFirst *bool
}

// Insert is INSERT INTO table [(cols)] query [ON CONFLICT …] [RETURNING …].
type Insert struct {
	Table      TableName
	Columns    []string
	Source     *Select // VALUES or a query; nil for DEFAULT VALUES
	OnConflict *OnConflict
	Returning  []SelectItem
	// Overriding is OVERRIDING SYSTEM VALUE ('s') or OVERRIDING USER
	// VALUE ('u'), 0 when not written.
	Overriding byte
}

// OnConflict is ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING |
// DO UPDATE SET … [WHERE …]. Without Columns and Constraint it applies to a
// conflict on any constraint (DO NOTHING only).
type OnConflict struct {
	Columns    []string
	Constraint string
	DoUpdate   bool
	Set        []Assignment
	Where      Expr
}

// Update is UPDATE table SET … [FROM …] [WHERE …] [RETURNING …].
type Update struct {
	Table     TableName
	Set       []Assignment
	From      []TableExpr
	Where     Expr
	Returning []SelectItem
}

// Assignment is column = expr in UPDATE … SET.
type Assignment struct {
	Column string
	Value  Expr // *Default for DEFAULT
}

// Delete is DELETE FROM table [USING …] [WHERE …] [RETURNING …].
type Delete struct {
	Table     TableName
	Using     []TableExpr
	Where     Expr
	Returning []SelectItem
}

// CreateTable is CREATE TABLE. Options and Format carry a connector clause
// (WITH (connector = …) FORMAT … ENCODE …) when the table is fed by one.
type CreateTable struct {
	Name        TableName
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []string // table-level PRIMARY KEY (…), merged with column-level
	// Unique are the table-level UNIQUE (…) constraints, in the order
	// written; a column's own UNIQUE is ColumnDef.Unique.
	Unique    []UniqueConstraint
	Options   []Option
	Format    *FormatSpec
	Watermark *Watermark
}

// UniqueConstraint is [CONSTRAINT name] UNIQUE [NULLS NOT DISTINCT]
// (columns) of CREATE TABLE; Name is empty when none was written.
type UniqueConstraint struct {
	Name             string
	Columns          []string
	NullsNotDistinct bool
}

// ColumnDef is one column of CREATE TABLE.
type ColumnDef struct {
	Name       string
	Type       TypeName
	NotNull    bool
	PrimaryKey bool
	// Unique is the column's UNIQUE constraint (its Columns empty: the
	// column itself), nil for none.
	Unique  *UniqueConstraint
	Default Expr
	// Identity is GENERATED ALWAYS ('a') or BY DEFAULT ('d') AS IDENTITY,
	// 0 for an ordinary column; IdentityOptions are its sequence options.
	Identity        byte
	IdentityOptions SequenceOptions
}

// CreateSource is CREATE SOURCE (Eddy's streaming clause).
type CreateSource struct {
	Name        TableName
	IfNotExists bool
	Columns     []ColumnDef
	Watermark   *Watermark
	Options     []Option
	Format      *FormatSpec
}

// Watermark is WATERMARK FOR column AS expr.
type Watermark struct {
	Column string
	Expr   Expr
}

// Option is one `name = value` of a WITH (…) clause; dotted names are kept
// whole ("properties.bootstrap.server").
type Option struct {
	Name  string
	Value string
}

// FormatSpec is FORMAT x ENCODE y [(options)].
type FormatSpec struct {
	Format  string // PLAIN, UPSERT, DEBEZIUM
	Encode  string // JSON, AVRO, …
	Options []Option
}

// CreateMaterializedView is CREATE MATERIALIZED VIEW name [(cols)] AS query.
// QueryText is the query's source text, kept so the view can be re-planned
// from the catalog after a restart.
type CreateMaterializedView struct {
	Name              TableName
	IfNotExists       bool
	Columns           []string
	Query             *Select
	QueryText         string
	EmitOnWindowClose bool
}

// CreateView is CREATE [OR REPLACE] VIEW name [(cols)] AS query.
type CreateView struct {
	Name      TableName
	OrReplace bool
	Columns   []string
	Query     *Select
	QueryText string
}

// CreateSchema is CREATE SCHEMA [IF NOT EXISTS] name.
type CreateSchema struct {
	Name        string
	IfNotExists bool
}

// CreateSink is CREATE SINK name FROM relation | AS query WITH (…) FORMAT ….
type CreateSink struct {
	Name        TableName
	IfNotExists bool
	From        *TableName
	Query       *Select
	QueryText   string
	Options     []Option
	Format      *FormatSpec
}

// ObjectKind names what DROP, SHOW and ALTER act on.
type ObjectKind uint8

const (
	ObjTable ObjectKind = iota
	ObjMaterializedView
	ObjView
	ObjSource
	ObjSink
	ObjSchema
	ObjIndex
	ObjSequence
)

// Drop is DROP kind [IF EXISTS] names [CASCADE].
type Drop struct {
	Kind     ObjectKind
	Names    []TableName
	IfExists bool
	Cascade  bool
}

// AlterRename is ALTER kind name RENAME TO newname.
type AlterRename struct {
	Kind     ObjectKind
	Name     TableName
	IfExists bool
	NewName  string
}

// SetVariable is SET [LOCAL|SESSION] name {TO|=} values, or RESET name
// (Reset true, Values nil), or RESET ALL (Name "all").
type SetVariable struct {
	Name   string
	Values []Expr // literals or identifiers (as *ColumnRef); DEFAULT as *Default
	Local  bool
	Reset  bool
}

// ShowVariable is SHOW name (SHOW ALL has Name "all").
type ShowVariable struct {
	Name string
}

// ShowObjects is SHOW TABLES | MATERIALIZED VIEWS | SOURCES | SINKS | VIEWS
// [FROM schema].
type ShowObjects struct {
	Kind   ObjectKind
	Schema string
}

// TransactionKind is what a transaction statement does.
type TransactionKind uint8

const (
	Begin TransactionKind = iota
	Commit
	Rollback
	Savepoint
	RollbackToSavepoint
	ReleaseSavepoint
)

// Transaction is BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT,
// SAVEPOINT name, ROLLBACK TO [SAVEPOINT] name and RELEASE [SAVEPOINT] name.
type Transaction struct {
	Kind TransactionKind
	// Savepoint names the savepoint of the last three kinds.
	Savepoint string
}

// Explain is EXPLAIN [ANALYZE] [VERBOSE] statement.
type Explain struct {
	Statement Statement
	Analyze   bool
	Verbose   bool
}

// Flush is Eddy's FLUSH: wait until every earlier change is visible.
type Flush struct{}

// RefreshMaterializedView is REFRESH MATERIALIZED VIEW [CONCURRENTLY] name
// [WITH [NO] DATA]. Eddy's views are always fresh, so it waits as FLUSH
// does; dbt and BI tools send it.
type RefreshMaterializedView struct {
	Name         TableName
	Concurrently bool
	NoData       bool
}

// ---- Table expressions ----

// TableName is [schema.]name, optionally aliased in a FROM clause.
type TableName struct {
	Catalog string
	Schema  string
	Name    string
	Alias   *Alias
	Pos     int
}

// Alias is AS name [(columns)].
type Alias struct {
	Name    string
	Columns []string
}

// JoinKind is the kind of a join.
type JoinKind uint8

const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	CrossJoin
)

// Join is Left [NATURAL] kind JOIN Right [ON cond | USING (cols)].
type Join struct {
	Kind        JoinKind
	Natural     bool
	Left, Right TableExpr
	On          Expr
	Using       []string
	Alias       *Alias
}

// Subquery is (query) AS alias in FROM, optionally LATERAL.
type Subquery struct {
	Query   *Select
	Alias   *Alias
	Lateral bool
}

// FunctionTable is a set-returning function in FROM: generate_series(…),
// unnest(…), TUMBLE(…), HOP(…).
type FunctionTable struct {
	Func       *FuncCall
	Alias      *Alias
	Lateral    bool
	Ordinality bool // WITH ORDINALITY: a bigint column numbering the rows from 1
}

// ---- Expressions ----

// ColumnRef is a possibly qualified column name: a, t.a, s.t.a.
type ColumnRef struct {
	Parts []string
	Pos   int
}

// LiteralKind is the lexical class of a literal.
type LiteralKind uint8

const (
	LitNull LiteralKind = iota
	LitBool
	LitInteger // fits int64; Text is its decimal form
	LitNumeric // a decimal or too-large integer; Text as written
	LitString  // Text is the unescaped value
	LitBitString
)

// Literal is a constant as written.
type Literal struct {
	Kind LiteralKind
	Text string
	Pos  int
}

// Param is $n (1-based).
type Param struct {
	Index int
	Pos   int
}

// Default is DEFAULT in VALUES, SET or SET variable.
type Default struct{}

// BinaryExpr is Left Op Right for an operator (+ - * / % ^ = <> < <= > >=
// || ~ !~ ~* !~* ~~ !~~ ~~* !~~* @> -> ->> …). Op is the operator symbol
// as PostgreSQL names it; `!=` is normalised to `<>`.
type BinaryExpr struct {
	Op          string
	Left, Right Expr
	Pos         int
}

// UnaryExpr is Op Operand (- + ~ @).
type UnaryExpr struct {
	Op      string
	Operand Expr
	Pos     int
}

// BoolOp is AND, OR or NOT.
type BoolOp uint8

const (
	And BoolOp = iota
	Or
	Not
)

// BoolExpr is AND/OR over two or more args, or NOT over one.
type BoolExpr struct {
	Op   BoolOp
	Args []Expr
}

// IsNull is Expr IS [NOT] NULL.
type IsNull struct {
	Expr Expr
	Not  bool
}

// BoolTestKind is what IS [NOT] TRUE/FALSE/UNKNOWN tests.
type BoolTestKind uint8

const (
	IsTrue BoolTestKind = iota
	IsFalse
	IsUnknown
)

// IsBool is Expr IS [NOT] TRUE|FALSE|UNKNOWN.
type IsBool struct {
	Expr Expr
	Test BoolTestKind
	Not  bool
}

// IsDistinctFrom is Left IS [NOT] DISTINCT FROM Right.
type IsDistinctFrom struct {
	Left, Right Expr
	Not         bool
}

// Between is Expr [NOT] BETWEEN [SYMMETRIC] Low AND High.
type Between struct {
	Expr, Low, High Expr
	Not             bool
	Symmetric       bool
}

// InList is Expr [NOT] IN (List…).
type InList struct {
	Expr Expr
	List []Expr
	Not  bool
}

// Like is Expr [NOT] LIKE|ILIKE Pattern [ESCAPE Escape]; SIMILAR TO is not
// supported.
type Like struct {
	Expr, Pattern   Expr
	Escape          Expr
	Not             bool
	CaseInsensitive bool
}

// FuncCall is name(args) including aggregates and window functions.
// Name is the possibly schema-qualified name, lower case.
type FuncCall struct {
	Name     []string
	Args     []Expr
	Star     bool // count(*)
	Distinct bool
	OrderBy  []OrderItem // within-aggregate ORDER BY (string_agg(x, ',' ORDER BY y))
	Filter   Expr
	Over     *WindowSpec
	Pos      int
}

// WindowSpec is OVER (PARTITION BY … ORDER BY … frame) or OVER name.
type WindowSpec struct {
	Name        string
	PartitionBy []Expr
	OrderBy     []OrderItem
	Frame       *WindowFrame
}

// WindowFrame is ROWS|RANGE BETWEEN start AND end, with bounds kept as text
// ("UNBOUNDED PRECEDING", "CURRENT ROW", "3 PRECEDING").
type WindowFrame struct {
	Mode       string // ROWS, RANGE, GROUPS
	Start, End string
	StartExpr  Expr
	EndExpr    Expr
}

// Cast is Expr::Type or CAST(Expr AS Type), or a typed literal `date '…'`.
type Cast struct {
	Expr Expr
	Type TypeName
	Pos  int
}

// TypeName is a type as written: Name lower case without pg_catalog,
// modifiers (varchar(10) → [10], numeric(10,2) → [10 2]), ArrayDims > 0
// for arrays. For interval, Fields holds a field restriction (DAY TO SECOND).
type TypeName struct {
	Name      string
	Mods      []int32
	ArrayDims int
	Pos       int
	Fields    string // interval field restriction in upper case ("DAY", "DAY TO SECOND"); Mods then holds only a seconds precision
}

// Case is CASE [Operand] WHEN … THEN … [ELSE …] END.
type Case struct {
	Operand Expr
	Whens   []When
	Else    Expr
}

// When is one WHEN cond THEN result.
type When struct {
	Cond, Result Expr
}

// Coalesce is COALESCE(args).
type Coalesce struct {
	Args []Expr
}

// NullIf is NULLIF(a, b).
type NullIf struct {
	Left, Right Expr
}

// GreatestLeast is GREATEST(args) or LEAST(args).
type GreatestLeast struct {
	Greatest bool
	Args     []Expr
}

// SubqueryKind distinguishes subquery expressions.
type SubqueryKind uint8

const (
	ScalarSubquery SubqueryKind = iota
	ExistsSubquery
	AnySubquery // Expr Op ANY (query), including IN (query)
	AllSubquery
	ArraySubquery
)

// SubqueryExpr is (query), EXISTS (query), Expr op ANY|ALL (query), or
// Expr IN (query) (AnySubquery with Op "=").
type SubqueryExpr struct {
	Kind  SubqueryKind
	Expr  Expr
	Op    string
	Query *Select
}

// AnyAll is Expr op ANY|ALL (array expression).
type AnyAll struct {
	Expr  Expr
	Op    string
	All   bool
	Array Expr
}

// ArrayExpr is ARRAY[elems].
type ArrayExpr struct {
	Elems []Expr
}

// Subscript is Expr[Index].
type Subscript struct {
	Expr, Index Expr
}

// FieldSelect is (Expr).Field: a field of a composite value.
type FieldSelect struct {
	Expr  Expr
	Field string
}

// Collate is Expr COLLATE name; Eddy accepts and ignores "default" and "C".
type Collate struct {
	Expr      Expr
	Collation []string
}

// SpecialFunc is a SQL-standard niladic function written without
// parentheses: CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP,
// CURRENT_USER, SESSION_USER, CURRENT_CATALOG, CURRENT_SCHEMA, USER.
// Name is lower case.
type SpecialFunc struct {
	Name string
}

func (*Select) statement()                  {}
func (*Insert) statement()                  {}
func (*Update) statement()                  {}
func (*Delete) statement()                  {}
func (*CreateTable) statement()             {}
func (*CreateSource) statement()            {}
func (*CreateSink) statement()              {}
func (*CreateMaterializedView) statement()  {}
func (*CreateView) statement()              {}
func (*CreateSchema) statement()            {}
func (*Drop) statement()                    {}
func (*AlterRename) statement()             {}
func (*SetVariable) statement()             {}
func (*ShowVariable) statement()            {}
func (*ShowObjects) statement()             {}
func (*Transaction) statement()             {}
func (*Explain) statement()                 {}
func (*Flush) statement()                   {}
func (*RefreshMaterializedView) statement() {}

func (*TableName) tableExpr()     {}
func (*Join) tableExpr()          {}
func (*Subquery) tableExpr()      {}
func (*FunctionTable) tableExpr() {}

func (*ColumnRef) expr()      {}
func (*Literal) expr()        {}
func (*Param) expr()          {}
func (*Default) expr()        {}
func (*BinaryExpr) expr()     {}
func (*UnaryExpr) expr()      {}
func (*BoolExpr) expr()       {}
func (*IsNull) expr()         {}
func (*IsBool) expr()         {}
func (*IsDistinctFrom) expr() {}
func (*Between) expr()        {}
func (*InList) expr()         {}
func (*Like) expr()           {}
func (*FuncCall) expr()       {}
func (*Cast) expr()           {}
func (*Case) expr()           {}
func (*Coalesce) expr()       {}
func (*NullIf) expr()         {}
func (*GreatestLeast) expr()  {}
func (*SubqueryExpr) expr()   {}
func (*AnyAll) expr()         {}
func (*ArrayExpr) expr()      {}
func (*Subscript) expr()      {}
func (*FieldSelect) expr()    {}
func (*Collate) expr()        {}
func (*SpecialFunc) expr()    {}
