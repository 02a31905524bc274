package mview

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
)

// Filter passes the rows of its input for which Predicate is true (not
// false or NULL). A row on which Predicate fails (division by zero, …) is
// left out, as if it were false, and its error recorded (view_errors.go).
//
// Input: any change chunks. Retractions: a Delete passes when its row
// passes, as its Insert did. An UpdateBefore/UpdateAfter pair of which only
// one side passes becomes a Delete of the old row or an Insert of the new
// one, so downstream never sees half a pair. State: none. Ownership: an
// input chunk whose rows all pass is forwarded as is (chunks are immutable);
// otherwise a new chunk is built.
type Filter struct {
	predicate expr.Expr
	evalCtx   *expr.Context
	errors    *rowErrorLog
}

// NewFilter returns a Filter on predicate.
func NewFilter(predicate expr.Expr, evalCtx *expr.Context) *Filter {
	return &Filter{predicate: predicate, evalCtx: evalCtx}
}

func (f *Filter) chunk(_ int, c *chunk.Chunk, emit func(*chunk.Chunk)) error {
	pass, rowErrs, err := evalPredicate(f.evalCtx, f.predicate, c)
	if err != nil {
		return err
	}
	f.errors.record(c, rowErrs)
	n := c.Len()
	rows := make([]int, 0, n)
	ops := make([]chunk.Op, 0, n)
	for i := 0; i < n; i++ {
		op := c.Op(i)
		if op == chunk.UpdateBefore && i+1 < n && c.Op(i+1) == chunk.UpdateAfter {
			before, after := pass[i], pass[i+1]
			switch {
			case before && after:
				rows, ops = append(rows, i, i+1), append(ops, chunk.UpdateBefore, chunk.UpdateAfter)
			case before:
				rows, ops = append(rows, i), append(ops, chunk.Delete)
			case after:
				rows, ops = append(rows, i+1), append(ops, chunk.Insert)
			}
			i++
			continue
		}
		if pass[i] {
			rows, ops = append(rows, i), append(ops, op)
		}
	}
	if len(rows) == n && opsEqual(c, ops) {
		emit(c)
		return nil
	}
	emit(selectRows(c, rows, ops))
	return nil
}

func (f *Filter) barrier(b *Barrier, _ func(*chunk.Chunk)) error {
	f.errors.flush(b.Batch)
	return nil
}

// evalPredicate evaluates a boolean expression over c: pass[i] is true when
// the value is true (not false, not NULL). A row on which the expression
// fails is false, and its error is returned with the others.
func evalPredicate(ctx *expr.Context, predicate expr.Expr, c *chunk.Chunk) ([]bool, []expr.RowError, error) {
	arr, rowErrs, err := expr.EvalTolerant(ctx, predicate, c)
	if err != nil {
		return nil, nil, err
	}
	defer arr.Release()
	bools, ok := arr.(*array.Boolean)
	if !ok {
		return nil, nil, fmt.Errorf("mview: predicate %s evaluated to %s, want boolean", predicate, arr.DataType())
	}
	pass := make([]bool, c.Len())
	for i := range pass {
		pass[i] = bools.IsValid(i) && bools.Value(i)
	}
	return pass, rowErrs, nil
}

func opsEqual(c *chunk.Chunk, ops []chunk.Op) bool {
	for i, op := range ops {
		if c.Op(i) != op {
			return false
		}
	}
	return true
}

// selectRows builds a chunk of c's rows at rows, with the given ops.
func selectRows(c *chunk.Chunk, rows []int, ops []chunk.Op) *chunk.Chunk {
	b := chunk.NewBuilder(c.Types)
	for k, i := range rows {
		b.Append(ops[k], c.Row(i))
	}
	return b.Build()
}
