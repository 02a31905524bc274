package planner

import (
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/agg"
)

// Explain prints p as an indented tree, one node per line, children
// indented two spaces under their parent. A streaming plan (rooted at a
// Materialize) names its nodes Stream… and shows each node's stream key
// and state table ids, its instances when more than one, and the
// exchanges between fragments (stream_fragments.go) as nodes of their own.
func Explain(p Plan) string { return ExplainAnnotated(p, nil) }

// ExplainAnnotated is Explain with what annotate says of each node
// appended to its line (EXPLAIN ANALYZE's actual rows and time).
func ExplainAnnotated(p Plan, annotate func(Plan) string) string {
	var sb strings.Builder
	parallelism := 0
	if m, stream := p.(*Materialize); stream {
		parallelism = max(m.Parallelism, 1)
	}
	explainNode(&sb, p, 0, parallelism, annotate)
	return sb.String()
}

// explainNode prints p and its inputs; parallelism is 0 for a batch plan.
func explainNode(sb *strings.Builder, p Plan, depth, parallelism int, annotate func(Plan) string) {
	stream := parallelism > 0
	sb.WriteString(strings.Repeat("  ", depth))
	sb.WriteString(explainLine(p, stream))
	if stream {
		if n := Instances(p, parallelism); n > 1 {
			fmt.Fprintf(sb, " instances=%d", n)
		}
	}
	if annotate != nil {
		sb.WriteString(annotate(p))
	}
	sb.WriteByte('\n')
	for side, in := range p.Inputs() {
		inDepth := depth + 1
		if stream && Exchanged(p, side, parallelism) {
			sb.WriteString(strings.Repeat("  ", depth+1))
			sb.WriteString(explainExchange(p, side, parallelism))
			sb.WriteByte('\n')
			inDepth++
		}
		explainNode(sb, in, inDepth, parallelism, annotate)
	}
}

// explainExchange is the line of the exchange feeding p's input side.
func explainExchange(p Plan, side, parallelism int) string {
	in := p.Inputs()[side]
	from, to := Instances(in, parallelism), Instances(p, parallelism)
	if _, ok := p.(*Materialize); ok {
		return fmt.Sprintf("StreamGather %d→%d", from, to)
	}
	out := names(in.Output())
	dist := DistributionKey(p, side)
	cols := make([]string, len(dist))
	for i, c := range dist {
		cols[i] = out[c]
	}
	if len(cols) == 0 {
		return fmt.Sprintf("StreamExchange single %d→%d", from, to)
	}
	return fmt.Sprintf("StreamExchange hash=[%s] %d→%d", strings.Join(cols, ", "), from, to)
}

func explainLine(p Plan, stream bool) string {
	var parts []string
	prefix := ""
	if stream {
		prefix = "Stream"
	}
	var state []uint32
	switch p := p.(type) {
	case *Scan:
		cols := make([]string, len(p.Columns))
		for i, c := range p.Columns {
			cols[i] = p.Relation.Columns[c].Name
		}
		parts = append(parts, prefix+"Scan "+p.Relation.Name, "["+strings.Join(cols, ", ")+"]")
		if len(p.KeyPrefix) > 0 {
			eqs := make([]string, len(p.KeyPrefix))
			for i, e := range p.KeyPrefix {
				eqs[i] = p.Relation.Columns[p.Relation.Key[i]].Name + " = " + e.String()
			}
			kind := "prefix"
			if len(p.KeyPrefix) == len(p.Relation.Key) {
				kind = "lookup"
			}
			parts = append(parts, kind+"=["+strings.Join(eqs, ", ")+"]")
		}
		if p.Filter != nil {
			parts = append(parts, "filter="+p.Filter.String())
		}
	case *Values:
		parts = append(parts, prefix+"Values", "["+strings.Join(names(p.Out), ", ")+"]")
		if len(p.Rows) <= 3 {
			rows := make([]string, len(p.Rows))
			for i, row := range p.Rows {
				vals := make([]string, len(row))
				for j, e := range row {
					vals[j] = e.String()
				}
				rows[i] = "(" + strings.Join(vals, ", ") + ")"
			}
			parts = append(parts, "rows=["+strings.Join(rows, ", ")+"]")
		} else {
			parts = append(parts, fmt.Sprintf("rows=%d", len(p.Rows)))
		}
	case *Filter:
		parts = append(parts, prefix+"Filter", p.Predicate.String())
	case *Project:
		items := make([]string, len(p.Exprs))
		for i, e := range p.Exprs {
			items[i] = e.String()
			out := p.Out[i]
			if out.Name != items[i] && out.Name != "?column?" && !out.Hidden {
				items[i] += " AS " + out.Name
			}
			if out.Hidden {
				items[i] += " (hidden)"
			}
		}
		parts = append(parts, prefix+"Project", "["+strings.Join(items, ", ")+"]")
	case *Aggregate:
		kind := "HashAgg"
		if len(p.GroupBy) == 0 {
			kind = "SimpleAgg"
		}
		parts = append(parts, prefix+kind)
		inNames := names(p.Input.Output())
		if len(p.GroupBy) > 0 {
			groups := make([]string, len(p.GroupBy))
			for i, g := range p.GroupBy {
				groups[i] = inNames[g]
			}
			parts = append(parts, "group=["+strings.Join(groups, ", ")+"]")
		}
		if len(p.Aggs) > 0 {
			calls := make([]string, len(p.Aggs))
			for i, c := range p.Aggs {
				calls[i] = aggString(c)
			}
			parts = append(parts, "aggs=["+strings.Join(calls, ", ")+"]")
		}
		state = p.StateTables
	case *Join:
		// Named for the executor operator that runs it: a join without
		// equal keys is a HashJoin whose keys are all empty (every pair is
		// a candidate for the condition).
		kind := "HashJoin"
		if p.Kind >= SemiJoin {
			kind = "SemiJoin"
		}
		parts = append(parts, prefix+kind, p.Kind.String())
		if len(p.LeftKeys) > 0 {
			ln, rn := names(p.Left.Output()), names(p.Right.Output())
			eqs := make([]string, len(p.LeftKeys))
			for i := range p.LeftKeys {
				eqs[i] = ln[p.LeftKeys[i]] + " = " + rn[p.RightKeys[i]]
			}
			parts = append(parts, "keys=["+strings.Join(eqs, ", ")+"]")
		}
		if len(p.InLeft) > 0 {
			ln, rn := names(p.Left.Output()), names(p.Right.Output())
			eqs := make([]string, len(p.InLeft))
			for i := range p.InLeft {
				eqs[i] = ln[p.InLeft[i]] + " = " + rn[p.InRight[i]]
			}
			parts = append(parts, "in=["+strings.Join(eqs, ", ")+"]")
		}
		if p.Condition != nil {
			parts = append(parts, "cond="+p.Condition.String())
		}
		state = p.StateTables
	case *Sort:
		parts = append(parts, prefix+"Sort", "["+strings.Join(sortKeyNames(p.Out, p.Keys), ", ")+"]")
	case *TopN:
		parts = append(parts, prefix+"TopN")
		if len(p.PartitionBy) > 0 {
			in := names(p.Input.Output())
			cols := make([]string, len(p.PartitionBy))
			for i, c := range p.PartitionBy {
				cols[i] = in[c]
			}
			parts = append(parts, "partition=["+strings.Join(cols, ", ")+"]")
		}
		if len(p.Keys) > 0 {
			parts = append(parts, "["+strings.Join(sortKeyNames(p.Out, p.Keys), ", ")+"]")
		}
		parts = append(parts, fmt.Sprintf("count=%d", p.Count))
		if p.Rank {
			parts = append(parts, "rank="+p.Out[len(p.Out)-1].Name)
		}
		if p.Offset > 0 {
			parts = append(parts, fmt.Sprintf("offset=%d", p.Offset))
		}
		state = p.StateTables
	case *Limit:
		parts = append(parts, prefix+"Limit")
		switch {
		case p.CountExpr != nil:
			parts = append(parts, "count="+p.CountExpr.String())
		case p.Count >= 0:
			parts = append(parts, fmt.Sprintf("count=%d", p.Count))
		}
		switch {
		case p.OffsetExpr != nil:
			parts = append(parts, "offset="+p.OffsetExpr.String())
		case p.Offset > 0:
			parts = append(parts, fmt.Sprintf("offset=%d", p.Offset))
		}
	case *Materialize:
		items := make([]string, len(p.Out))
		for i, c := range p.Out {
			items[i] = c.Name
			if c.Hidden {
				items[i] += " (hidden)"
			}
		}
		parts = append(parts, "StreamMaterialize", "["+strings.Join(items, ", ")+"]")
	case *Apply:
		parts = append(parts, "Apply", p.Kind.String())
		in := names(p.Input.Output())
		if len(p.OuterColumns) > 0 {
			cols := make([]string, len(p.OuterColumns))
			for i, c := range p.OuterColumns {
				cols[i] = in[c]
			}
			parts = append(parts, "outer=["+strings.Join(cols, ", ")+"]")
		}
	case *SetOp:
		name := p.Kind.String()
		if p.All {
			name += " ALL"
		}
		parts = append(parts, "SetOp", name, "["+strings.Join(names(p.Out), ", ")+"]")
	case *TableFunction:
		args := make([]string, len(p.Args))
		for i, a := range p.Args {
			args[i] = a.String()
		}
		call := p.Name + "(" + strings.Join(args, ", ") + ")"
		if p.Ordinality {
			call += " WITH ORDINALITY"
		}
		parts = append(parts, "TableFunction", call, "["+strings.Join(names(p.Out), ", ")+"]")
	case *Window:
		funcs := make([]string, len(p.Funcs))
		for i, f := range p.Funcs {
			funcs[i] = windowString(f)
		}
		parts = append(parts, "Window", "["+strings.Join(funcs, ", ")+"]")
	case *RecursiveUnion:
		name := "UNION"
		if p.All {
			name += " ALL"
		}
		parts = append(parts, "RecursiveUnion", name, fmt.Sprintf("work=%d", p.WorkTable), "["+strings.Join(names(p.Out), ", ")+"]")
	case *WorkTableScan:
		parts = append(parts, "WorkTableScan", fmt.Sprintf("work=%d", p.WorkTable), "["+strings.Join(names(p.Out), ", ")+"]")
	default:
		parts = append(parts, fmt.Sprintf("%T", p))
	}
	if stream {
		out := names(p.Output())
		key := make([]string, len(p.StreamKey()))
		for i, k := range p.StreamKey() {
			key[i] = out[k]
		}
		parts = append(parts, "key=["+strings.Join(key, ", ")+"]")
		if len(state) > 0 {
			ids := make([]string, len(state))
			for i, id := range state {
				ids[i] = fmt.Sprint(id)
			}
			parts = append(parts, "state=["+strings.Join(ids, ", ")+"]")
		}
	}
	return strings.Join(parts, " ")
}

func names(out []OutputColumn) []string {
	ns := make([]string, len(out))
	for i, c := range out {
		ns[i] = c.Name
	}
	return ns
}

func aggString(c agg.Call) string {
	var args []string
	if c.Star {
		args = []string{"*"}
	}
	for _, a := range c.Args {
		args = append(args, a.String())
	}
	s := c.Name + "("
	if c.Distinct {
		s += "DISTINCT "
	}
	s += strings.Join(args, ", ") + ")"
	if c.Filter != nil {
		s += " FILTER (WHERE " + c.Filter.String() + ")"
	}
	return s
}

// sortKeyNames prints keys over columns out as ORDER BY items.
func sortKeyNames(out []OutputColumn, keys []SortKey) []string {
	ns := names(out)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = ns[k.Column]
		if k.Desc {
			items[i] += " DESC"
		}
		if k.NullsFirst != k.Desc {
			if k.NullsFirst {
				items[i] += " NULLS FIRST"
			} else {
				items[i] += " NULLS LAST"
			}
		}
	}
	return items
}
