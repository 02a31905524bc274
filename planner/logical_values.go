package planner

import (
	"fmt"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// logicalValues produces constant rows.
type logicalValues struct {
	cols []column
	rows [][]scalar
}

var _ logical = (*logicalValues)(nil)

func (n *logicalValues) columns() []column { return n.cols }

func (n *logicalValues) children() []logical { return nil }

func (n *logicalValues) withChildren([]logical) logical { c := *n; return &c }

func (n *logicalValues) mapScalars(f func(scalar) scalar) {
	for _, row := range n.rows {
		for i := range row {
			row[i] = f(row[i])
		}
	}
}

func (n *logicalValues) reads(set map[colID]bool) { scalarReads(n, set) }

func (n *logicalValues) prune(map[colID]bool, bool) []map[colID]bool { return nil }

func (n *logicalValues) pushDown(preds []scalar) logical { return keepPredicatesAbove(n, preds) }

func (n *logicalValues) describe() string {
	return fmt.Sprintf("Values %s rows=%d", describeColumns(n.cols), len(n.rows))
}

func (n *logicalValues) lower(l *lowerer) (*lowered, error) {
	if l.stream {
		return nil, pgerror.Unsupported("materialized views without FROM are not supported yet")
	}
	v := &Values{}
	v.Out = outputOf(n.cols)
	empty := l.emptyEnv()
	for _, row := range n.rows {
		r, err := buildAll(row, empty)
		if err != nil {
			return nil, err
		}
		v.Rows = append(v.Rows, r)
	}
	return &lowered{plan: v, ids: idsOf(n.cols)}, nil
}
