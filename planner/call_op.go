package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/types"
)

// callOp is the kind of construction a callScalar records.
type callOp uint8

const (
	opCompare callOp = iota // l cmp r
	opBinary                // any other binary operator, by symbol
	opUnary                 // a prefix operator, by symbol
	opAnd
	opOr
	opNot
	opIsNull       // IS [NOT] NULL
	opIsBool       // IS [NOT] TRUE | FALSE | UNKNOWN
	opIsDistinct   // IS [NOT] DISTINCT FROM
	opBetween      // [NOT] BETWEEN [SYMMETRIC]
	opInList       // [NOT] IN (list)
	opLike         // [NOT] LIKE | ILIKE [ESCAPE]
	opCast         // explicit cast to t
	opIntervalCast // cast to interval with a fields qualifier
	opCoerce       // assignment cast to t
	opBool         // a clause's condition made boolean
	opCase         // CASE [operand] WHEN … THEN … [ELSE …] END
	opCoalesce
	opNullIf
	opGreatest
	opLeast
	opFunc   // a scalar function, by name
	opAnyAll // l op ANY | ALL (array)
	opArray  // ARRAY[…]
	opSubscript
	opField  // (record).field
	opRecord // ROW(…) with field names
)

var callOpNames = [...]string{
	opCompare: "compare", opBinary: "binary", opUnary: "unary", opAnd: "and", opOr: "or", opNot: "not",
	opIsNull: "isnull", opIsBool: "isbool", opIsDistinct: "isdistinct", opBetween: "between", opInList: "in",
	opLike: "like", opCast: "cast", opIntervalCast: "intervalcast", opCoerce: "coerce", opBool: "bool",
	opCase: "case", opCoalesce: "coalesce", opNullIf: "nullif", opGreatest: "greatest", opLeast: "least",
	opFunc: "func", opAnyAll: "anyall", opArray: "array", opSubscript: "subscript", opField: "field", opRecord: "record",
}

func (o callOp) String() string { return callOpNames[o] }

// comparison is one of the six comparison operators.
type comparison uint8

const (
	cmpEQ comparison = iota
	cmpNE
	cmpLT
	cmpLE
	cmpGT
	cmpGE
)

var comparisonSymbols = [...]string{cmpEQ: "=", cmpNE: "<>", cmpLT: "<", cmpLE: "<=", cmpGT: ">", cmpGE: ">="}

func (c comparison) String() string { return comparisonSymbols[c] }

// parseComparison reads an operator symbol as written in SQL.
func parseComparison(symbol string) (comparison, bool) {
	if symbol == "!=" {
		return cmpNE, true
	}
	for c, s := range comparisonSymbols {
		if s == symbol {
			return comparison(c), true
		}
	}
	return 0, false
}

// commuted is the comparison with its operands swapped: a < b is b > a.
func (c comparison) commuted() comparison {
	return [...]comparison{cmpEQ: cmpEQ, cmpNE: cmpNE, cmpLT: cmpGT, cmpLE: cmpGE, cmpGT: cmpLT, cmpGE: cmpLE}[c]
}

// strict drops the equality from <= and >=.
func (c comparison) strict() comparison {
	switch c {
	case cmpLE:
		return cmpLT
	case cmpGE:
		return cmpGT
	}
	return c
}

// callFlags are the variants of a construction.
type callFlags uint8

const (
	flagNot             callFlags = 1 << iota // the NOT form (IS NOT NULL, NOT IN, …)
	flagSymmetric                             // BETWEEN SYMMETRIC
	flagCaseInsensitive                       // ILIKE
	flagAll                                   // ALL rather than ANY
	flagOperand                               // CASE with an operand
	flagElse                                  // CASE with an ELSE
)

var callFlagNames = [...]string{"not", "symmetric", "insensitive", "all", "operand", "else"}

func (f callFlags) String() string {
	var parts []string
	for i, name := range callFlagNames {
		if f&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "|")
}

func (f callFlags) has(g callFlags) bool { return f&g != 0 }

// flagIf is flag when cond holds.
func flagIf(cond bool, flag callFlags) callFlags {
	if cond {
		return flag
	}
	return 0
}

// binaryCall is l symbol r: a comparison when the operator is one.
func binaryCall(symbol string, l, r scalar) (scalar, error) {
	if cmp, ok := parseComparison(symbol); ok {
		return newCall(callScalar{op: opCompare, cmp: cmp, args: []scalar{l, r}})
	}
	return newCall(callScalar{op: opBinary, name: symbol, args: []scalar{l, r}})
}

// compareCall is l cmp r.
func compareCall(cmp comparison, l, r scalar) (scalar, error) {
	return newCall(callScalar{op: opCompare, cmp: cmp, args: []scalar{l, r}})
}

// castCall is CAST(s AS t).
func castCall(s scalar, t types.T) (scalar, error) {
	return newCall(callScalar{op: opCast, t: t, args: []scalar{s}})
}

// writeConstruction writes what identifies s's construction, besides its
// arguments, for fingerprint.
func (s *callScalar) writeConstruction(sb *strings.Builder) {
	sb.WriteString(s.op.String())
	switch s.op {
	case opCompare:
		sb.WriteString(" " + s.cmp.String())
	case opCast, opCoerce:
		sb.WriteString(" " + s.t.String())
	case opIsBool:
		sb.WriteString(" " + [...]string{"true", "false", "unknown"}[s.test])
	case opRecord:
		sb.WriteString(" " + strings.Join(s.names, ","))
	}
	if s.name != "" {
		sb.WriteString(" " + s.name)
	}
	if s.flags != 0 {
		sb.WriteString(" " + s.flags.String())
	}
}
