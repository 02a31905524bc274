package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// logicalTableFunc is a set-returning function in FROM: its arguments are
// evaluated once (they read no input; under an Apply they may read outer
// columns) and it produces cols.
type logicalTableFunc struct {
	name string
	args []scalar
	cols []column
	// ordinality: WITH ORDINALITY, the last of cols numbers the rows.
	ordinality bool
}

var _ logical = (*logicalTableFunc)(nil)

func (n *logicalTableFunc) columns() []column { return n.cols }

func (n *logicalTableFunc) children() []logical { return nil }

func (n *logicalTableFunc) withChildren([]logical) logical { c := *n; return &c }

func (n *logicalTableFunc) mapScalars(f func(scalar) scalar) {
	for i := range n.args {
		n.args[i] = f(n.args[i])
	}
}

func (n *logicalTableFunc) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalTableFunc) prune(map[colID]bool, bool) []map[colID]bool { return nil }

func (n *logicalTableFunc) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalTableFunc) describe() string {
	out := "TableFunction " + n.name + "(" + strings.Trim(describeScalars(n.args), "[]") + ") " + describeColumns(n.cols)
	if n.ordinality {
		out += " WITH ORDINALITY"
	}
	return out
}

// lower lowers a set-returning function in FROM (batch only).
func (n *logicalTableFunc) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("set-returning functions in materialized views are not supported yet")
	}
	f := &TableFunction{Name: n.name, Ordinality: n.ordinality}
	var err error
	if f.Args, err = buildAll(n.args, l.emptyEnv()); err != nil {
		return nil, err
	}
	f.Out = outputOf(n.cols)
	if t := n.cols[0].t; n.name == "generate_series" && (!t.IsInteger() && len(f.Args) == 3 || t.Kind == types.KindNumeric) {
		step := f.Args[len(f.Args)-1].Type()
		if len(f.Args) == 2 {
			step = t
		}
		if f.Add, err = mkBinary("+", mkColumnRef(0, t, "value"), mkColumnRef(1, step, "step")); err != nil {
			return nil, err
		}
	}
	return &lowered{plan: f, ids: idsOf(n.cols)}, nil
}
