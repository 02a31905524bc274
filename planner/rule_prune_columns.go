package planner

func pruneColumns(n logical) logical { return n }
