package planner

import (
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/expr"
)

// explainOther describes the nodes of plan_more.go and Apply.
func explainOther(p Plan) []string {
	if parts := explainRecursive(p); parts != nil {
		return parts
	}
	switch p := p.(type) {
	case *Apply:
		parts := []string{"Apply", applyKindNames[p.Kind]}
		in := names(p.Input.Output())
		if len(p.OuterColumns) > 0 {
			cols := make([]string, len(p.OuterColumns))
			for i, c := range p.OuterColumns {
				cols[i] = in[c]
			}
			parts = append(parts, "outer=["+strings.Join(cols, ", ")+"]")
		}
		return parts
	case *SetOp:
		name := setOpNames[p.Kind]
		if p.All {
			name += " ALL"
		}
		return []string{"SetOp", name, "[" + strings.Join(names(p.Out), ", ") + "]"}
	case *TableFunction:
		args := make([]string, len(p.Args))
		for i, a := range p.Args {
			args[i] = a.String()
		}
		call := p.Name + "(" + strings.Join(args, ", ") + ")"
		if p.Ordinality {
			call += " WITH ORDINALITY"
		}
		return []string{"TableFunction", call, "[" + strings.Join(names(p.Out), ", ") + "]"}
	case *Window:
		funcs := make([]string, len(p.Funcs))
		for i, f := range p.Funcs {
			funcs[i] = windowString(f)
		}
		return []string{"Window", "[" + strings.Join(funcs, ", ") + "]"}
	}
	return []string{fmt.Sprintf("%T", p)}
}

func windowString(f WindowFunc) string {
	var args []string
	if f.Star {
		args = []string{"*"}
	}
	for _, a := range f.Args {
		args = append(args, a.String())
	}
	s := f.Name + "(" + strings.Join(args, ", ") + ")"
	if f.Filter != nil {
		s += " FILTER (WHERE " + f.Filter.String() + ")"
	}
	var over []string
	if len(f.PartitionBy) > 0 {
		parts := make([]string, len(f.PartitionBy))
		for i, e := range f.PartitionBy {
			parts[i] = e.String()
		}
		over = append(over, "PARTITION BY "+strings.Join(parts, ", "))
	}
	if len(f.OrderBy) > 0 {
		keys := make([]string, len(f.OrderBy))
		for i, o := range f.OrderBy {
			keys[i] = o.Expr.String()
			if o.Desc {
				keys[i] += " DESC"
			}
			if o.NullsFirst != o.Desc {
				if o.NullsFirst {
					keys[i] += " NULLS FIRST"
				} else {
					keys[i] += " NULLS LAST"
				}
			}
		}
		over = append(over, "ORDER BY "+strings.Join(keys, ", "))
	}
	if fr := f.Frame; fr.Rows || fr.Start != UnboundedPreceding || fr.End != CurrentRow {
		mode := "RANGE"
		if fr.Rows {
			mode = "ROWS"
		}
		over = append(over, mode+" BETWEEN "+boundString(fr.Start, fr.StartOffset, fr.StartValue)+" AND "+boundString(fr.End, fr.EndOffset, fr.EndValue))
	}
	return s + " OVER (" + strings.Join(over, " ") + ")"
}

func boundString(b FrameBound, off int64, value expr.Expr) string {
	if value != nil {
		return "VALUE " + value.String()
	}
	switch b {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case OffsetPreceding:
		return fmt.Sprintf("%d PRECEDING", off)
	case CurrentRow:
		return "CURRENT ROW"
	case OffsetFollowing:
		return fmt.Sprintf("%d FOLLOWING", off)
	}
	return "UNBOUNDED FOLLOWING"
}
