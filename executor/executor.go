// Package executor runs batch plans: ad-hoc queries and the reads of DML,
// once, over a consistent storage snapshot. It builds a tree of vectorized
// operators from a planner.Plan and pulls chunks of at most 1024 rows
// through it.
//
// It owns the batch operators, one per file named for it (scan, values,
// filter, project, hash_agg, hash_join, sort, limit, semi_join, apply,
// set_op, window, table_function). It does not own
// scalar semantics (sql/expr), aggregate functions (sql/agg), the key and
// row encodings (sql/encoding) or streaming plans (mview).
//
// # Operator contract
//
// An operator returns the next chunk of its output from Next, or nil at the
// end; after nil or an error it is not called again except for Close.
// Returned chunks hold only inserts (Ops nil), have between 1 and
// chunkSize rows and the column types of the plan node's output. A chunk
// belongs to the caller: operators never modify or reuse a chunk once
// returned, and may keep references to its arrays (a hash join's build
// side, a sort's input) without copying.
//
// Every operator checks ctx once per chunk it consumes; cancellation
// surfaces as SQLSTATE 57014.
package executor

import (
	"context"
	"errors"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// chunkSize is the most rows an operator puts in one chunk.
const chunkSize = 1024

// Operator is one node of a running batch plan.
type Operator interface {
	// Next returns the next non-empty chunk, or nil at the end.
	Next(ctx context.Context) (*chunk.Chunk, error)
	// Close releases the operator and its inputs. It is safe to call more
	// than once and before the input is exhausted.
	Close()
}

// Rows is the cursor over a running batch plan's output.
type Rows struct {
	root   Operator
	done   bool
	closed bool
}

// Run builds the operator tree for a batch plan over a storage reader (a
// snapshot for queries; a table writer's overlay for DML) and returns a
// cursor. Nothing is read until the first Next.
func Run(ctx context.Context, plan planner.Plan, r storage.Reader, ectx *expr.Context) (*Rows, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if ectx == nil {
		ectx = &expr.Context{}
	}
	root, err := build(plan, r, ectx)
	if err != nil {
		return nil, err
	}
	return &Rows{root: root}, nil
}

// Next returns the next chunk of at most 1024 rows, or nil, nil at the end.
func (r *Rows) Next(ctx context.Context) (*chunk.Chunk, error) {
	if r.done || r.closed {
		return nil, nil
	}
	c, err := r.root.Next(ctx)
	if err != nil || c == nil {
		r.done = true
	}
	return c, err
}

// Close stops the plan and releases what it holds.
func (r *Rows) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.root.Close()
}

// build turns a plan node into an operator over r.
func build(p planner.Plan, r storage.Reader, ectx *expr.Context) (Operator, error) {
	return buildProfiled(p, r, ectx, nil)
}

// buildProfiled builds p's operators; with a profile, each one is counted
// (EXPLAIN ANALYZE).
func buildProfiled(p planner.Plan, r storage.Reader, ectx *expr.Context, prof *Profile) (Operator, error) {
	op, err := buildNode(p, r, ectx, prof)
	if err != nil || prof == nil {
		return op, err
	}
	return prof.count(p, op), nil
}

func buildNode(p planner.Plan, r storage.Reader, ectx *expr.Context, prof *Profile) (Operator, error) {
	switch p := p.(type) {
	case *planner.Scan:
		return NewScan(p, r, ectx)
	case *planner.Values:
		return NewValues(p, ectx)
	case *planner.TableFunction:
		return NewTableFunction(p, ectx)
	case *planner.Apply:
		// The subquery is built anew for each run, under its own context.
		return NewApply(p, r, ectx)
	case *planner.RecursiveUnion:
		// The recursive term is built anew for each iteration.
		return NewRecursiveUnion(p, r, ectx)
	case *planner.WorkTableScan:
		return NewWorkTableScan(p, ectx), nil
	}
	inputs := p.Inputs()
	ops := make([]Operator, 0, len(inputs))
	for _, in := range inputs {
		op, err := buildProfiled(in, r, ectx, prof)
		if err != nil {
			for _, o := range ops {
				o.Close()
			}
			return nil, err
		}
		ops = append(ops, op)
	}
	var op Operator
	var err error
	switch p := p.(type) {
	case *planner.Filter:
		op = NewFilter(p, ops[0], ectx)
	case *planner.Project:
		op = NewProject(p, ops[0], ectx)
	case *planner.Aggregate:
		op, err = NewHashAgg(p, ops[0], ectx)
	case *planner.Join:
		if p.Kind >= planner.SemiJoin {
			op, err = NewSemiJoin(p, ops[0], ops[1], ectx)
		} else {
			op, err = NewHashJoin(p, ops[0], ops[1], ectx)
		}
	case *planner.Sort:
		op = NewSort(p, ops[0])
	case *planner.Limit:
		op, err = NewLimit(p, ops[0], ectx)
	case *planner.SetOp:
		op = NewSetOp(p, ops[0], ops[1])
	case *planner.Window:
		op, err = NewWindow(p, ops[0], ectx)
	default:
		err = pgerror.Internal("executor: cannot run plan node %T in a batch plan", p)
	}
	if err != nil {
		for _, o := range ops {
			o.Close()
		}
		return nil, err
	}
	return op, nil
}

// errCanceled is what a cancelled statement reports.
func errCanceled() error {
	return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
}

// checkContext reports a cancelled or expired context as 57014.
func checkContext(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout")
	}
	return errCanceled()
}
