package planner

func foldConstants(n logical) logical { return n }
