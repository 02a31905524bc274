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

// srfUse is a target that reads a set-returning call.
type srfUse struct {
	target *target
	srf    *targetSRF
	field  string
}

// bindTargetSRF binds the set-returning functions written as whole targets
// (SELECT generate_series(1, 3)) or as a field of one
// (SELECT (_pg_expandarray(a)).n). Each distinct call becomes a function
// in FROM joined laterally to the query's rows, and its targets read its
// column, or the record of its columns; the same call written several
// times is one function. Different calls are zipped as PostgreSQL 10+
// does: row i of the result holds row i of every function, NULL where one
// has ended, so a query row yields as many rows as its longest function.
// The zip is a FULL JOIN of the functions on their ordinality, under the
// lateral join. Grouped queries are not supported.
func (b *binder) bindTargetSRF(plan logical, sc *scope, targets []*target, grouped bool) (logical, error) {
	var calls []*targetSRF
	var uses []srfUse
	byCall := map[string]*targetSRF{}
	for _, t := range targets {
		field := ""
		e := t.expr
		if fs, ok := e.(*ast.FieldSelect); ok {
			e, field = fs.Expr, fs.Field
		}
		f, ok := e.(*ast.FuncCall)
		if !ok || f.Over != nil {
			continue
		}
		name := f.Name[len(f.Name)-1]
		if !isSetReturning(name) {
			continue
		}
		if grouped {
			return nil, pgerror.Unsupported("set-returning functions in the select list of a grouped query are not supported yet").WithPosition(position(f.Pos))
		}
		srf := byCall[f.String()]
		if srf == nil {
			args, err := b.bindList(&exprContext{scope: sc, clause: "set-returning function arguments"}, f.Args)
			if err != nil {
				return nil, err
			}
			tf, err := b.tableFunc(name, args, f.Pos)
			if err != nil {
				return nil, err
			}
			srf = &targetSRF{call: f.String(), tf: tf, values: append([]column{}, tf.cols...)}
			byCall[srf.call] = srf
			calls = append(calls, srf)
		}
		uses = append(uses, srfUse{target: t, srf: srf, field: field})
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
	for _, u := range uses {
		s, err := srfTarget(u.srf, u.field)
		if err != nil {
			return nil, err
		}
		u.target.s = s
		u.target.column = b.newCol(u.target.name, s.typ())
	}
	return b.lateralJoin(InnerJoin, plan, from, nil), nil
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

// srfTarget is what a target reads of its function: the column, the record
// of its columns (NULL, not a record of NULLs, once a zipped function has
// ended), or one field of that record.
func srfTarget(srf *targetSRF, field string) (scalar, error) {
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
	if field == "" {
		return s, nil
	}
	return newCall(callScalar{op: opField, name: field, args: []scalar{s}})
}
