package expr

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// Const is a literal value. A string literal is a Const of type Unknown
// until an operator, function or assignment coerces it; NULL is a Const
// with a nil Value.
type Const struct {
	Value types.Datum
	T     types.T
}

// NewConst is a literal of type t holding d (nil for NULL).
func NewConst(d types.Datum, t types.T) *Const { return &Const{Value: d, T: t} }

func (c *Const) Type() types.T { return c.T }

func (c *Const) Eval(_ *Context, in *chunk.Chunk) (arrow.Array, error) {
	return constArray(c.T, c.Value, in.Len()), nil
}

func (c *Const) String() string {
	if c.Value == nil {
		return "NULL"
	}
	s := types.FormatText(c.T, c.Value)
	switch {
	case c.T.IsString() || c.T.Kind == types.KindUnknown:
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case c.T.IsNumeric() || c.T.Kind == types.KindBool:
		if c.T.Kind == types.KindBool {
			if c.Value.(bool) {
				return "true"
			}
			return "false"
		}
		return s
	}
	return "'" + s + "'::" + c.T.String()
}

// Param is a statement parameter $Index (1-based), bound at execution time
// from Context.Params.
type Param struct {
	Index int
	T     types.T
}

// NewParam is parameter $index of type t. Its value is ctx.Params[index-1]
// cast to t; a text value (what clients send in text format, or a value of
// a parameter whose type was left unknown) is parsed with t's input function.
func NewParam(index int, t types.T) *Param { return &Param{Index: index, T: t} }

func (p *Param) Type() types.T { return p.T }

// Value returns the parameter's bound datum converted to the parameter type.
func (p *Param) Value(ctx *Context) (types.Datum, error) {
	if ctx == nil || p.Index < 1 || p.Index > len(ctx.Params) {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", p.Index)
	}
	d := ctx.Params[p.Index-1]
	if d == nil {
		return nil, nil
	}
	return datumAs(d, p.T, ctxZone(ctx))
}

// datumAs converts a Go datum of unknown static type to type t: strings
// are parsed, other representations are cast from the kind they imply.
func datumAs(d types.Datum, t types.T, loc *time.Location) (types.Datum, error) {
	if a, ok := d.(types.Array); ok {
		// An array bound in binary format or by the client's array type:
		// convert element by element.
		if t.Kind != types.KindArray {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "cannot use an array value as a parameter of type %s", t)
		}
		out := make(types.Array, len(a))
		for i, x := range a {
			if x == nil {
				continue
			}
			v, err := datumAs(x, t.ElemType(), loc)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	from := impliedType(d)
	if from.Kind == t.Kind && !(t.Kind == types.KindNumeric && t.Precision > 0) && !(t.IsString() && t.Width > 0) {
		if t.Kind == types.KindFloat32 {
			return float64(float32(d.(float64))), nil
		}
		if t.IsInteger() {
			return types.Cast(d, types.Int64, t)
		}
		return d, nil
	}
	if s, ok := d.(string); ok {
		return types.ParseTextIn(t, s, loc)
	}
	// Not CastAssignIn: a timestamp datum is taken as timestamptz here
	// only because both share a representation.
	return types.CastAssign(d, from, t)
}

// impliedType is the widest type whose datums have d's Go representation.
func impliedType(d types.Datum) types.T {
	switch d.(type) {
	case bool:
		return types.Bool
	case int64:
		return types.Int64
	case float64:
		return types.Float64
	case string:
		return types.Text
	case []byte:
		return types.Bytea
	case types.Date:
		return types.DateType
	case types.Timestamp:
		return types.TimestampTZ
	case types.Interval:
		return types.IntervalType
	case *types.JSONValue: // a jsonb parameter in binary format
		return types.JSONB
	}
	if _, ok := d.(interface{ Text(byte) string }); ok {
		return types.Numeric
	}
	return types.Unknown
}

func (p *Param) Eval(ctx *Context, in *chunk.Chunk) (arrow.Array, error) {
	d, err := p.Value(ctx)
	if err != nil {
		return nil, err
	}
	return constArray(p.T, d, in.Len()), nil
}

func (p *Param) String() string { return fmt.Sprintf("$%d", p.Index) }
