package planner

import (
	"fmt"
	"strings"
)

// explainOther describes the nodes of plan_more.go and Apply.
func explainOther(p Plan) []string {
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
	}
	return []string{fmt.Sprintf("%T", p)}
}
