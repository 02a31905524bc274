package planner

// mode says which lowering a plan is optimized for.
type mode uint8

const (
	batchMode mode = iota
	streamMode
)

// rule rewrites a logical plan. Rules return the plan unchanged when they
// do not apply and never fail: what they cannot prove safe they leave.
type rule struct {
	name string
	// batchOnly rules are skipped for streaming plans.
	batchOnly bool
	apply     func(n logical) logical
}

// rules are the optimizer's rules, applied once each, in this order.
var rules = []rule{
	{name: "fold constants", apply: foldConstants},
	{name: "push down predicates", apply: pushDownPredicates},
	{name: "extract join keys", apply: extractJoinKeys},
	{name: "merge projections", apply: mergeProjections},
	{name: "prune columns", apply: pruneColumns},
	{name: "key prefix scan", batchOnly: true, apply: keyPrefixScan},
}

func optimize(n logical, m mode) logical {
	for _, r := range rules {
		if r.batchOnly && m != batchMode {
			continue
		}
		n = r.apply(n)
	}
	return n
}
