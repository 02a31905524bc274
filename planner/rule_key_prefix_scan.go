package planner

func keyPrefixScan(n logical) logical { return n }
