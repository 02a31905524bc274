package planner

import (
	"sort"
	"strconv"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// PlanMaterializedView plans a materialized view's dataflow. alloc hands
// out state table ids; they are requested in a fixed order (post-order,
// left input before right) so that re-planning the same SQL over the same
// catalog after a restart asks for the same sequence.
func (p *Planner) PlanMaterializedView(mv *ast.CreateMaterializedView, alloc func() uint32) (*MaterializedViewPlan, error) {
	if mv.EmitOnWindowClose {
		return nil, pgerror.Unsupported("EMIT ON WINDOW CLOSE is not supported yet")
	}
	b := p.newBinder(nil)
	b.stream = true
	q, err := b.bindQuery(mv.Query, nil, true)
	if err != nil {
		return nil, err
	}
	if b.params.max > 0 {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", b.params.max)
	}
	if len(mv.Columns) > len(q.cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "CREATE MATERIALIZED VIEW specifies too many column names")
	}
	l := &lowerer{stream: true, alloc: alloc}
	in, err := optimize(q.plan, streamMode).lower(l)
	if err != nil {
		return nil, err
	}
	input := visibleFirst(in.plan)

	mat := &Materialize{Input: input, Parallelism: max(p.opts.StreamingParallelism, 1)}
	mat.Key = append([]int{}, input.StreamKey()...)
	used := map[string]bool{}
	for i, c := range input.Output() {
		if c.Hidden {
			continue
		}
		if i < len(mv.Columns) {
			c.Name = mv.Columns[i]
		}
		if used[c.Name] {
			return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", c.Name)
		}
		used[c.Name] = true
		mat.Out = append(mat.Out, c)
	}
	for _, c := range input.Output() {
		if !c.Hidden {
			continue
		}
		name := c.Name
		for n := 1; used[name]; n++ {
			name = c.Name + "_" + strconv.Itoa(n)
		}
		used[name] = true
		c.Name = name
		mat.Out = append(mat.Out, c)
	}
	plan := &MaterializedViewPlan{Root: mat, Key: mat.Key}
	for _, c := range mat.Out {
		plan.Columns = append(plan.Columns, catalog.Column{Name: c.Name, Type: c.Type, Hidden: c.Hidden})
	}
	plan.DependsOn = append([]uint32{}, b.depends...)
	sort.Slice(plan.DependsOn, func(i, j int) bool { return plan.DependsOn[i] < plan.DependsOn[j] })
	return plan, nil
}

// visibleFirst returns p, or a projection of it that puts its hidden
// columns after the visible ones (the layout a view is stored in).
func visibleFirst(p Plan) Plan {
	out := p.Output()
	ordered := true
	seenHidden := false
	for _, c := range out {
		if c.Hidden {
			seenHidden = true
		} else if seenHidden {
			ordered = false
		}
	}
	if ordered {
		return p
	}
	proj := &Project{Input: p}
	perm := make([]int, 0, len(out))
	for pass := 0; pass < 2; pass++ {
		for i, c := range out {
			if c.Hidden == (pass == 1) {
				perm = append(perm, i)
			}
		}
	}
	where := make([]int, len(out))
	for to, from := range perm {
		proj.Exprs = append(proj.Exprs, mkColumnRef(from, out[from].Type, out[from].Name))
		proj.Out = append(proj.Out, out[from])
		where[from] = to
	}
	proj.Key = []int{}
	for _, k := range p.StreamKey() {
		proj.Key = append(proj.Key, where[k])
	}
	return proj
}
