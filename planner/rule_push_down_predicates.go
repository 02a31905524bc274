package planner

func pushDownPredicates(n logical) logical { return n }
