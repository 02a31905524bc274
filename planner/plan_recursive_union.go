package planner

// RecursiveUnion runs a WITH RECURSIVE item's query (see the top of
// bind_recursive_cte.go): Seed once, then Recursive once per iteration
// with the WorkTableScan nodes labelled WorkTable reading the rows the
// previous iteration produced. Batch plans only.
type RecursiveUnion struct {
	Node
	// Name is the WITH item's name, for messages.
	Name            string
	All             bool
	WorkTable       int
	Seed, Recursive Plan
}

// WorkTableScan produces the current working table of the RecursiveUnion
// labelled WorkTable (executor: expr.Context.WorkTables).
type WorkTableScan struct {
	Node
	WorkTable int
}

func (p *RecursiveUnion) Inputs() []Plan { return []Plan{p.Seed, p.Recursive} }
func (p *WorkTableScan) Inputs() []Plan  { return nil }

var (
	_ Plan = (*RecursiveUnion)(nil)
	_ Plan = (*WorkTableScan)(nil)
)
