package expr

// pg_typeof(any) is the regtype of its argument's type as bound; the value
// is evaluated (as PostgreSQL does) but not looked at, so it is not strict:
// pg_typeof(NULL) is "unknown". A typmod is not part of the result
// (pg_typeof(1.5::numeric(3,1)) is "numeric"), as in PostgreSQL.
func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		oid := int64(args[0].Type().OID())
		return &rowExpr{name: "pg_typeof", args: args, t: regtype, fn: constant(oid)}, nil
	}, "(any) regtype"), "pg_typeof")
}
