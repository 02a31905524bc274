package expr

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The sequence functions: nextval, currval, lastval and setval read and
// advance sequences through the session (SequenceSession), which keeps
// their state in storage; pg_get_serial_sequence finds a column's own
// sequence in the catalog. None of them is ever folded.

// SequenceSession is implemented by a SessionInfo that can advance
// sequences. Values taken are never given back (sequences are not
// transactional), and currval/lastval are per session.
type SequenceSession interface {
	NextVal(seq *catalog.Relation) (int64, error)
	CurrVal(seq *catalog.Relation) (int64, error)
	LastVal() (int64, error)
	SetVal(seq *catalog.Relation, value int64, isCalled bool) (int64, error)
}

var regclassType = types.T{Kind: types.KindRegclass}

// sequenceSession is the context's SequenceSession, or an error naming the
// function where there is none (a materialized view's dataflow).
func sequenceSession(ctx *Context, fn string) (SequenceSession, error) {
	if ctx != nil {
		if s, ok := ctx.Session.(SequenceSession); ok {
			return s, nil
		}
	}
	return nil, pgerror.Unsupported("%s cannot be used in a materialized view", fn).
		WithHint("Call %s in INSERT or in a query, or use a column default.", fn)
}

// sequenceArg resolves a regclass argument to a sequence.
func sequenceArg(ctx *Context, oid types.Datum) (*catalog.Relation, error) {
	r, ok := CatalogOf(ctx).ByID(uint32(oid.(int64)))
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedTable, "could not open relation with OID %d", oid)
	}
	if r.Kind != catalog.KindSequence {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", r.Name)
	}
	return r, nil
}

// regclassArgs types arguments of the sequence functions: the first is a
// regclass, from a name as text or a literal, as PostgreSQL's implicit
// text-to-regclass cast allows.
func regclassArgs(args []Expr, rest ...types.T) ([]Expr, error) {
	if len(args) != 1+len(rest) {
		return nil, errNoMatch
	}
	out := make([]Expr, len(args))
	first := args[0]
	var err error
	switch {
	case first.Type().Kind == types.KindRegclass:
	case first.Type().IsString() || first.Type().Kind == types.KindUnknown || first.Type().IsOid():
		if first, err = NewCast(first, regclassType); err != nil {
			return nil, err
		}
	default:
		return nil, errNoMatch
	}
	out[0] = first
	for i, t := range rest {
		if out[i+1], err = coerceArg(args[i+1], t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func sequenceFunc(name string, rest []types.T, fn rowFunc) resolver {
	return func(args []Expr) (Expr, error) {
		typed, err := regclassArgs(args, rest...)
		if err != nil {
			return nil, err
		}
		return &rowExpr{name: name, args: typed, t: types.Int64, strict: true, volatile: true, fn: fn}, nil
	}
}

func init() {
	register(custom(sequenceFunc("nextval", nil, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		s, err := sequenceSession(ctx, "nextval")
		if err != nil {
			return nil, err
		}
		seq, err := sequenceArg(ctx, a[0])
		if err != nil {
			return nil, err
		}
		return s.NextVal(seq)
	}), "(regclass) bigint"), "nextval")
	register(custom(sequenceFunc("currval", nil, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		s, err := sequenceSession(ctx, "currval")
		if err != nil {
			return nil, err
		}
		seq, err := sequenceArg(ctx, a[0])
		if err != nil {
			return nil, err
		}
		return s.CurrVal(seq)
	}), "(regclass) bigint"), "currval")
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 0 {
			return nil, errNoMatch
		}
		return &rowExpr{name: "lastval", t: types.Int64, strict: true, volatile: true, fn: func(ctx *Context, _ []types.Datum) (types.Datum, error) {
			s, err := sequenceSession(ctx, "lastval")
			if err != nil {
				return nil, err
			}
			return s.LastVal()
		}}, nil
	}, "() bigint"), "lastval")
	setval := func(ctx *Context, a []types.Datum) (types.Datum, error) {
		s, err := sequenceSession(ctx, "setval")
		if err != nil {
			return nil, err
		}
		seq, err := sequenceArg(ctx, a[0])
		if err != nil {
			return nil, err
		}
		isCalled := true
		if len(a) == 3 {
			isCalled = a[2].(bool)
		}
		return s.SetVal(seq, a[1].(int64), isCalled)
	}
	register(overloads(
		custom(sequenceFunc("setval", []types.T{types.Int64}, setval), "(regclass, bigint) bigint"),
		custom(sequenceFunc("setval", []types.T{types.Int64, types.Bool}, setval), "(regclass, bigint, boolean) bigint"),
	), "setval")
	register(catalogOverloads("pg_get_serial_sequence", types.Text, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		oid, ok := lookupRelation(ctx, a[0].(string))
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", a[0])
		}
		cat := CatalogOf(ctx)
		r, ok := cat.ByID(uint32(oid))
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", a[0])
		}
		i := r.ColumnIndex(a[1].(string))
		if i < 0 || r.Columns[i].Hidden {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", a[1], r.Name)
		}
		seq, ok := cat.ByID(r.Columns[i].SequenceID)
		if !ok || seq.Sequence == nil || seq.Sequence.OwnerTable != r.ID {
			return nil, nil
		}
		return ast.QuoteIdent(seq.Schema) + "." + ast.QuoteIdent(seq.Name), nil
	}, []types.T{types.Text, types.Text}), "pg_get_serial_sequence")
}
