package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// bindTargetSRF binds a set-returning function written as a whole target
// (SELECT generate_series(1, 3)) or as a field of one
// (SELECT (_pg_expandarray(a)).n): it becomes a function in FROM joined
// laterally to the query's rows, and the target reads its column, or the
// record of its columns. That is PostgreSQL's behaviour for one such
// function; the same call written several times is one function (as
// PostgreSQL's lockstep evaluation gives), while different ones (which it
// zips together) and grouped queries are not supported.
func (b *binder) bindTargetSRF(plan logical, sc *scope, targets []*target, grouped bool) (logical, error) {
	var call string
	var tf *logicalTableFunc
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
		if grouped || (tf != nil && f.String() != call) {
			return nil, pgerror.Unsupported("this use of set-returning functions in the select list is not supported yet").WithPosition(position(f.Pos))
		}
		if tf == nil {
			call = f.String()
			args, err := b.bindList(&exprContext{scope: sc, clause: "set-returning function arguments"}, f.Args)
			if err != nil {
				return nil, err
			}
			if tf, err = b.tableFunc(name, args, f.Pos); err != nil {
				return nil, err
			}
			plan = b.lateralJoin(InnerJoin, plan, tf, nil)
		}
		var s scalar
		if len(tf.cols) == 1 {
			c := tf.cols[0]
			s = &colScalar{id: c.id, t: c.t, name: c.name}
		} else {
			names := make([]string, len(tf.cols))
			fields := make([]scalar, len(tf.cols))
			for i, c := range tf.cols {
				names[i] = c.name
				fields[i] = &colScalar{id: c.id, t: c.t, name: c.name}
			}
			var err error
			s, err = newCall(callScalar{op: opRecord, names: names, args: fields})
			if err != nil {
				return nil, err
			}
		}
		if field != "" {
			var err error
			arg := s
			if s, err = newCall(callScalar{op: opField, name: field, args: []scalar{arg}}); err != nil {
				return nil, err
			}
		}
		t.s = s
		t.column = b.newCol(t.name, s.typ())
	}
	return plan, nil
}
