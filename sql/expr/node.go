package expr

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

var mem = memory.DefaultAllocator

func newBuilder(t types.T) array.Builder { return array.NewBuilder(mem, t.ArrowType()) }

// datumsToArray builds an array of type t from one datum per row.
func datumsToArray(t types.T, ds []types.Datum) arrow.Array {
	b := newBuilder(t)
	defer b.Release()
	b.Reserve(len(ds))
	for _, d := range ds {
		chunk.AppendDatum(b, t, d)
	}
	return b.NewArray()
}

// constArray repeats d n times.
func constArray(t types.T, d types.Datum, n int) arrow.Array {
	switch v := d.(type) {
	case int64:
		if t.IsInteger() {
			vals := make([]int64, n)
			for i := range vals {
				vals[i] = v
			}
			return buildInts(t.ArrowType(), vals, nil)
		}
	case float64:
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = v
		}
		return buildFloats(t.ArrowType(), vals, nil)
	case bool:
		vals := make([]bool, n)
		for i := range vals {
			vals[i] = v
		}
		return buildBools(vals, nil)
	}
	b := newBuilder(t)
	defer b.Release()
	b.Reserve(n)
	if d == nil {
		b.AppendNulls(n)
		return b.NewArray()
	}
	for i := 0; i < n; i++ {
		chunk.AppendDatum(b, t, d)
	}
	return b.NewArray()
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// evalAll evaluates each expression over in; on error it releases what it
// built.
func evalAll(ctx *Context, in *chunk.Chunk, es []Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := e.Eval(ctx, in)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// subChunk is the chunk of in's rows at the given indexes, for evaluating
// branches (CASE, COALESCE, AND, OR) only on the rows that reach them, so
// that an error in an untaken branch is never raised.
func subChunk(in *chunk.Chunk, rows []int) *chunk.Chunk {
	b := chunk.NewBuilder(in.Types)
	for _, i := range rows {
		b.Append(chunk.Insert, in.Row(i))
	}
	return b.Build()
}

// evalRows evaluates e on the given rows of in, returning one datum per
// entry of rows.
func evalRows(ctx *Context, e Expr, in *chunk.Chunk, rows []int) ([]types.Datum, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	src := in
	if len(rows) != in.Len() {
		src = subChunk(in, rows)
		defer src.Batch.Release()
	}
	a, err := e.Eval(ctx, src)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	out := make([]types.Datum, len(rows))
	t := e.Type()
	for i := range rows {
		out[i] = chunk.Datum(a, t, i)
	}
	return out, nil
}

// rowFunc computes one row's result from its argument datums.
type rowFunc func(ctx *Context, args []types.Datum) (types.Datum, error)

// rowExpr is the generic node: its arguments are evaluated column-wise and
// fn is applied row by row. Strict nodes return NULL when any argument is
// NULL without calling fn. It backs functions and the operators that have
// no typed kernel.
type rowExpr struct {
	built
	name     string // function name, or operator for infix printing
	infix    bool
	postfix  bool
	display  func(args []Expr) string // overrides String when set
	args     []Expr
	t        types.T
	strict   bool
	volatile bool // depends on more than its arguments (now(), random())
	fn       rowFunc
}

func (e *rowExpr) Type() types.T { return e.t }

func (e *rowExpr) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	arrs, err := evalAll(ctx, in, e.args)
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	n := in.Len()
	b := newBuilder(e.t)
	defer b.Release()
	b.Reserve(n)
	args := make([]types.Datum, len(arrs))
	for i := 0; i < n; i++ {
		isNull := false
		for j, a := range arrs {
			args[j] = chunk.Datum(a, e.args[j].Type(), i)
			if args[j] == nil {
				isNull = true
			}
		}
		if isNull && e.strict {
			b.AppendNull()
			continue
		}
		d, err := e.fn(ctx, args)
		if err != nil {
			return nil, err
		}
		chunk.AppendDatum(b, e.t, d)
	}
	return b.NewArray(), nil
}

func (e *rowExpr) String() string {
	if e.display != nil {
		return e.display(e.args)
	}
	if e.infix && len(e.args) == 2 {
		return "(" + e.args[0].String() + " " + e.name + " " + e.args[1].String() + ")"
	}
	if e.postfix && len(e.args) == 1 {
		return "(" + e.args[0].String() + " " + e.name + ")"
	}
	if e.infix && len(e.args) == 1 {
		return "(" + e.name + " " + e.args[0].String() + ")"
	}
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	return e.name + "(" + strings.Join(parts, ", ") + ")"
}

func (e *rowExpr) children() []Expr { return e.args }

// parent is implemented by nodes with subexpressions, for ConstFold.
type parent interface {
	children() []Expr
}

func errNoOperator(op string, l, r types.T) *pgerror.Error {
	return pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", l, op, r).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

func errNoUnaryOperator(op string, t types.T) *pgerror.Error {
	return pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s", op, t).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

// Compile-time interface checks.
var (
	_ Expr = (*ColumnRef)(nil)
	_ Expr = (*Const)(nil)
	_ Expr = (*Param)(nil)
	_ Expr = (*rowExpr)(nil)
)
