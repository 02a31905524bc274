package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

// A client may bind an array parameter in its own array type (pgJDBC's
// setArray): the elements are converted to the parameter's element type.
func TestParamArrayValue(t *testing.T) {
	p := NewParam(1, types.ArrayOf(types.Oid))
	ctx := &Context{Params: []types.Datum{types.Array{int64(1259), nil, "2615"}}}
	d, err := p.Value(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := types.FormatText(p.T, d); got != "{1259,NULL,2615}" {
		t.Errorf("value = %s", got)
	}
	if _, err := NewParam(1, types.Oid).Value(ctx); err == nil {
		t.Error("an array bound to a scalar parameter must fail")
	}
}
