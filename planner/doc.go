// Package planner turns bound SQL into plans. It binds names and types
// against the catalog, builds one logical plan per statement, optimizes it
// with a fixed list of rules (optimizer.go), and lowers it two ways: a batch
// plan that the executor runs once over a snapshot, or a streaming plan with
// a derived stream key that mview runs as a dataflow. It owns the EXPLAIN
// text of both. It executes nothing and does no I/O.
//
// # Phases
//
//	binder (bind_*.go)      ast → logical plan; name resolution through a
//	                        scope chain, typing through the sql/expr
//	                        constructors, PostgreSQL's grouping rules
//	optimizer (rule_*.go)   logical → logical, rules listed in optimizer.go
//	lowering (lower*.go,    logical → the physical nodes of plan.go;
//	  stream.go)            stream keys and state table ids for views
//
// # Logical nodes
//
// Each logical node kind is one file, logical_<kind>.go (logical_scan.go,
// logical_join.go, logical_window.go, …), holding its struct and the
// methods of the logical interface (logical.go): its children and a copy
// over new ones, its scalars, the columns it reads, what it needs of its
// inputs when columns are pruned, how predicates push through it, a line
// for explainLogical, and its lowering. The rules are generic walks over
// those methods; a rule that rewrites one node kind (merge projections,
// extract join keys, key prefix scan) matches that kind itself. A new
// node kind is a new file implementing the interface, plus its physical
// node.
//
// Beyond select-project-join-aggregate the binder handles subqueries
// (bind_subquery.go: EXISTS and IN decorrelate into semi, anti and mark
// joins on the conjuncts that read the outer query; the rest run through
// an Apply once per distinct outer row, outer columns reaching the
// subquery as expr.OuterRef), WITH and views (bound afresh at each
// reference; bind_cte.go, bind_recursive_cte.go), LATERAL and functions
// in FROM (bind_lateral.go), set-returning functions in the select list
// (bind_target_srf.go), set operations (bind_set_op.go), window functions
// and DISTINCT ON (bind_window.go, bind_distinct_on.go), and UPDATE … FROM
// / DELETE … USING. Their logical nodes are in logical_*.go, their
// physical ones in plan.go, plan_window.go and plan_recursive_union.go.
//
// The logical plan names columns by query-wide ids (colID), not by
// position, so rules can move predicates and drop columns without
// renumbering. Scalar expressions are kept in a small planner-side tree
// (scalar.go) that records how each node was constructed; lowering rebuilds
// them with sql/expr's constructors over the physical column positions.
//
// # Invariants
//
//   - A batch plan's root produces exactly the client-visible columns (no
//     Hidden column at the root).
//   - Every streaming node has a stream key (Node.Key), nil never, empty only
//     for a single-row output; the Materialize root stores its rows by it.
//   - A materialized view's streaming plan is stored with it
//     (plan_codec.go: JSON, a kind per node, a format version, each state
//     table's id and layout); restart rebuilds the dataflow from that, never
//     by planning the SQL again, so a planner change never points stored
//     state at another plan. A plan of another format version is refused
//     (PlanVersionError), not guessed at.
//   - User mistakes come back as *pgerror.Error with PostgreSQL's SQLSTATE;
//     unsupported SQL is 0A000 naming the construct; nothing panics on input.
package planner
