package planner

import (
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/expr"
)

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
