package expr

// timeOrChance lists the functions whose result moves with the clock or
// with chance rather than with their arguments, by the argument counts at
// which it does (-1: any). A materialized view is kept up to date from its
// inputs' changes alone, so such a function in one would go stale without
// a sign: `WHERE ts > now() - interval '1 minute'` would never let an old
// row leave.
var timeOrChance = map[string]int{
	"now": -1, "current_timestamp": -1, "transaction_timestamp": -1, "statement_timestamp": -1,
	"clock_timestamp": -1, "timeofday": -1, "current_date": -1, "current_time": -1,
	"localtime": -1, "localtimestamp": -1, "age": 1,
	"random": -1, "random_normal": -1, "setseed": -1, "gen_random_uuid": -1,
	"nextval": -1, "currval": -1, "lastval": -1, "setval": -1,
}

// ChangesWithoutInput reports whether the function name called with args
// arguments can return a different value for the same arguments as time
// passes or by chance.
func ChangesWithoutInput(name string, args int) bool {
	n, ok := timeOrChance[name]
	return ok && (n < 0 || n == args)
}
