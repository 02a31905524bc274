package expr

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// OuterRef reads a column of the enclosing query from inside a correlated
// subquery: the value in ctx.Outer[Slot], the same for every row of one
// run of the subquery. It is never constant-folded.
type OuterRef struct {
	Slot int
	T    types.T
	Name string // for EXPLAIN only
}

// NewOuterRef refers to outer value slot of type t.
func NewOuterRef(slot int, t types.T, name string) *OuterRef {
	return &OuterRef{Slot: slot, T: t, Name: name}
}

func (o *OuterRef) Type() types.T { return o.T }

func (o *OuterRef) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	if ctx == nil || o.Slot < 0 || o.Slot >= len(ctx.Outer) {
		return nil, pgerror.Internal("expr: outer reference %s (slot %d) is not bound", o.Name, o.Slot)
	}
	return constArray(o.T, ctx.Outer[o.Slot], in.Len()), nil
}

func (o *OuterRef) String() string {
	if o.Name != "" {
		return "outer." + o.Name
	}
	return "outer.#" + strconv.Itoa(o.Slot)
}
