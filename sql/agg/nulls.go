package agg

// KeepsNulls reports whether an aggregate folds rows whose (first)
// argument is NULL, rather than skipping them as strict aggregates do:
// array_agg(x) over {1, NULL} is {1,NULL}.
func KeepsNulls(name string) bool {
	switch name {
	case "array_agg", "json_agg", "jsonb_agg":
		return true
	}
	return false
}
