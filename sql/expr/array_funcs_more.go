package expr

import (
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// array_positions, array_replace and trim_array.

func init() {
	register(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_positions", args, 0)
		if err != nil {
			return nil, err
		}
		elem, x, err := elementArg(t, args[1])
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_positions", args: []Expr{args[0], x}, t: types.ArrayOf(types.Int32),
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				out := types.Array{}
				for i, d := range a[0].(types.Array) {
					// IS NOT DISTINCT FROM: NULL finds NULL.
					if notDistinct(elem, d, a[1]) {
						out = append(out, int64(i+1))
					}
				}
				return out, nil
			}}, nil
	}, "array_positions")
	register(func(args []Expr) (Expr, error) {
		if len(args) != 3 {
			return nil, errNoMatch
		}
		t, err := arrayArg("array_replace", args, 0)
		if err != nil {
			return nil, err
		}
		elem := t.ElemType()
		from, err := coerceArg(args[1], elem)
		if err != nil {
			return nil, err
		}
		to, err := coerceArg(args[2], elem)
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: "array_replace", args: []Expr{args[0], from, to}, t: t,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				out := append(types.Array{}, a[0].(types.Array)...)
				for i, d := range out {
					if notDistinct(elem, d, a[1]) {
						out[i] = a[2]
					}
				}
				return out, nil
			}}, nil
	}, "array_replace")
	register(func(args []Expr) (Expr, error) {
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t, err := arrayArg("trim_array", args, 0)
		if err != nil {
			return nil, err
		}
		return call("trim_array", args, []types.T{t, types.Int32}, t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			arr, n := a[0].(types.Array), a[1].(int64)
			if n < 0 || n > int64(len(arr)) {
				return nil, pgerror.New("2202E", "number of elements to trim must be between 0 and %d", len(arr))
			}
			return append(types.Array{}, arr[:int64(len(arr))-n]...), nil
		})
	}, "trim_array")
}
