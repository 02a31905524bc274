package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// targetSRF is one distinct set-returning call of a select list.
type targetSRF struct {
	call string
	tf   *logicalTableFunc
	// values are the function's own columns (without the ordinality that
	// zipping adds).
	values []column
	// present, once zipped, is the ordinality column: NULL on the rows
	// after the function has ended.
	present scalar
}

// bindTargetSRF binds the set-returning functions of a select list,
// written as a whole target (SELECT generate_series(1, 3)), as a field of
// one (SELECT (_pg_expandarray(a)).n) or inside a target's expression
// (SELECT generate_series(1, 3) * 10). Each distinct call becomes a
// function in FROM joined laterally to the query's rows, and the targets
// read its column, or the record of its columns, through ctx.srfs; the
// same call written several times is one function. Different calls are
// zipped as PostgreSQL 10+ does: row i of the result holds row i of every
// function, NULL where one has ended, so a query row yields as many rows
// as its longest function. The zip is a FULL JOIN of the functions on
// their ordinality, under the lateral join. Grouped queries are not
// supported.
func (b *binder) bindTargetSRF(plan logical, ctx *exprContext, targets []*target, grouped bool) (logical, error) {
	var calls []*targetSRF
	byCall := map[string]*targetSRF{}
	for _, t := range targets {
		found, err := setReturningCalls(t.expr)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if grouped {
				return nil, pgerror.Unsupported("set-returning functions in the select list of a grouped query are not supported yet").WithPosition(position(f.Pos))
			}
			if byCall[f.String()] != nil {
				continue
			}
			args, err := b.bindList(&exprContext{scope: ctx.scope, clause: "set-returning function arguments"}, f.Args)
			if err != nil {
				return nil, err
			}
			tf, err := b.tableFunc(f.Name[len(f.Name)-1], args, f.Pos)
			if err != nil {
				return nil, err
			}
			srf := &targetSRF{call: f.String(), tf: tf, values: append([]column{}, tf.cols...)}
			byCall[srf.call] = srf
			calls = append(calls, srf)
		}
	}
	if len(calls) == 0 {
		return plan, nil
	}
	var from logical = calls[0].tf
	if len(calls) > 1 {
		var err error
		if from, err = b.zipSRFs(calls); err != nil {
			return nil, err
		}
	}
	ctx.srfs = byCall
	return b.lateralJoin(InnerJoin, plan, from, nil), nil
}

// setReturningCalls lists the set-returning calls of a target expression.
// PostgreSQL refuses them where evaluating them conditionally would be
// needed (CASE, COALESCE) and inside aggregates; a set-returning call in
// another's arguments needs a second projection level, not built yet.
func setReturningCalls(e ast.Expr) ([]*ast.FuncCall, error) {
	var found []*ast.FuncCall
	var err error
	var visit func(e ast.Expr, inside string)
	visitAll := func(es []ast.Expr, inside string) {
		for _, x := range es {
			visit(x, inside)
		}
	}
	visit = func(e ast.Expr, inside string) {
		walkExpr(e, func(x ast.Expr) bool {
			if err != nil {
				return false
			}
			switch x := x.(type) {
			case *ast.Case:
				visitAll([]ast.Expr{x.Operand, x.Else}, "CASE")
				for _, w := range x.Whens {
					visitAll([]ast.Expr{w.Cond, w.Result}, "CASE")
				}
				return false
			case *ast.Coalesce:
				visitAll(x.Args, "COALESCE")
				return false
			case *ast.FuncCall:
				name := x.Name[len(x.Name)-1]
				if x.Over == nil && isAggregate(name) {
					visitAll(append([]ast.Expr{x.Filter}, x.Args...), "aggregate")
					return false
				}
				if x.Over != nil || !isSetReturning(name) {
					return true
				}
				switch inside {
				case "":
				case "aggregate":
					err = pgerror.New(pgerror.FeatureNotSupported, "aggregate function calls cannot contain set-returning function calls").
						WithHint("You might be able to move the set-returning function into a LATERAL FROM item.").WithPosition(position(x.Pos))
					return false
				default:
					err = pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in %s", inside).
						WithHint("You might be able to move the set-returning function into a LATERAL FROM item.").WithPosition(position(x.Pos))
					return false
				}
				for _, a := range x.Args {
					if nested, _ := setReturningCalls(a); len(nested) > 0 {
						err = pgerror.Unsupported("a set-returning function in the arguments of another is not supported yet").
							WithHint("Move the inner function into a LATERAL FROM item.").WithPosition(position(nested[0].Pos))
						return false
					}
				}
				found = append(found, x)
				return false
			}
			return true
		})
	}
	visit(e, "")
	return found, err
}

// zipSRFs numbers each function's rows and full-joins them on the number:
// f1 ⟗ f2 ON n1 = n2 ⟗ f3 ON coalesce(n1, n2) = n3 …
func (b *binder) zipSRFs(calls []*targetSRF) (logical, error) {
	var zipped logical
	var number scalar
	for _, srf := range calls {
		srf.tf.ordinality = true
		ord := b.newCol("ordinality", types.Int64)
		srf.tf.cols = append(srf.tf.cols, ord)
		n := &colScalar{id: ord.id, t: ord.t, name: ord.name}
		srf.present = n
		if zipped == nil {
			zipped, number = srf.tf, n
			continue
		}
		on, err := compareCall(cmpEQ, number, n)
		if err != nil {
			return nil, err
		}
		zipped = &logicalJoin{kind: FullJoin, left: zipped, right: srf.tf, on: on}
		if number, err = newCall(callScalar{op: opCoalesce, args: []scalar{number, n}}); err != nil {
			return nil, err
		}
	}
	return zipped, nil
}

// srfTarget is what a target reads of its function: the column, or the
// record of its columns (NULL, not a record of NULLs, once a zipped
// function has ended).
func srfTarget(srf *targetSRF) (scalar, error) {
	values := srf.values
	var s scalar
	if len(values) == 1 {
		c := values[0]
		s = &colScalar{id: c.id, t: c.t, name: c.name}
	} else {
		names := make([]string, len(values))
		fields := make([]scalar, len(values))
		for i, c := range values {
			names[i] = c.name
			fields[i] = &colScalar{id: c.id, t: c.t, name: c.name}
		}
		var err error
		if s, err = newCall(callScalar{op: opRecord, names: names, args: fields}); err != nil {
			return nil, err
		}
		if srf.present != nil {
			ended, err := newCall(callScalar{op: opIsNull, flags: flagNot, args: []scalar{srf.present}})
			if err != nil {
				return nil, err
			}
			if s, err = newCall(callScalar{op: opCase, args: []scalar{ended, s}}); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}
