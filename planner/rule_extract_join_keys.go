package planner

func extractJoinKeys(n logical) logical { return n }
