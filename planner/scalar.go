package planner

import (
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// colID names a column of the logical plan, unique within one statement.
type colID int

// scalar is a bound expression in the logical plan. It records how it was
// constructed so that lowering can rebuild it with sql/expr's constructors
// over physical column positions, and so that rules can rewrite it (inline a
// projection, fold a constant) without knowing sql/expr's node types.
type scalar interface {
	typ() types.T
	// probe is the expression built with column references standing for
	// colIDs; it exists for typing and is never evaluated.
	probe() expr.Expr
}

// colScalar reads a column of the input.
type colScalar struct {
	id   colID
	t    types.T
	name string
}

// paramScalar is $index; its type lives in the statement's parameter table
// because a later use may still decide it.
type paramScalar struct {
	index  int
	params *paramTable
}

// leafScalar is an already built expression that reads no column and no
// parameter: a literal, or a folded constant.
type leafScalar struct {
	e expr.Expr
}

// callScalar is any other expression: an operator or function over args.
// op and the fields it uses say exactly how the call is constructed
// (buildCall in exprs.go), so two calls with equal fields and args are the
// same expression.
type callScalar struct {
	op callOp
	// cmp is opCompare's comparison.
	cmp comparison
	// name is the operator symbol of opBinary, opUnary and opAnyAll, the
	// function of opFunc, the field of opField, the clause of opBool and
	// the fields of opIntervalCast.
	name string
	// t is the target type of opCast and opCoerce.
	t types.T
	// test is opIsBool's test.
	test ast.BoolTestKind
	// names are opRecord's field names.
	names []string
	flags callFlags
	args  []scalar
	e     expr.Expr
}

func (s *colScalar) typ() types.T   { return s.t }
func (s *paramScalar) typ() types.T { return s.params.typ(s.index) }
func (s *leafScalar) typ() types.T  { return s.e.Type() }
func (s *callScalar) typ() types.T  { return s.e.Type() }

func (s *colScalar) probe() expr.Expr   { return mkColumnRef(int(s.id), s.t, s.name) }
func (s *paramScalar) probe() expr.Expr { return mkParam(s.index, s.typ()) }
func (s *leafScalar) probe() expr.Expr  { return s.e }
func (s *callScalar) probe() expr.Expr  { return s.e }

// newCall constructs c over its args, typing it.
func newCall(c callScalar) (scalar, error) {
	probes := make([]expr.Expr, len(c.args))
	for i, a := range c.args {
		probes[i] = a.probe()
	}
	e, err := buildCall(&c, probes)
	if err != nil {
		return nil, err
	}
	c.e = e
	return &c, nil
}

// withArgs rebuilds a call over new args (same construction).
func (s *callScalar) withArgs(args []scalar) (scalar, error) {
	c := *s
	c.args = args
	return newCall(c)
}

// fingerprint is a canonical text of s: equal fingerprints mean equal
// expressions (GROUP BY matching, ORDER BY matching).
func fingerprint(s scalar) string {
	var sb strings.Builder
	writeFingerprint(&sb, s)
	return sb.String()
}

func writeFingerprint(sb *strings.Builder, s scalar) {
	switch s := s.(type) {
	case *colScalar:
		sb.WriteString("#")
		sb.WriteString(strconv.Itoa(int(s.id)))
	case *paramScalar:
		sb.WriteString("$")
		sb.WriteString(strconv.Itoa(s.index))
	case *leafScalar:
		sb.WriteString("L[")
		sb.WriteString(s.e.String())
		sb.WriteString(":")
		sb.WriteString(s.e.Type().String())
		sb.WriteString("]")
	case *callScalar:
		s.writeConstruction(sb)
		sb.WriteString("(")
		for i, a := range s.args {
			if i > 0 {
				sb.WriteString(",")
			}
			writeFingerprint(sb, a)
		}
		sb.WriteString(")")
	}
}

// columnsOf adds every colID s reads to set.
func columnsOf(s scalar, set map[colID]bool) {
	switch s := s.(type) {
	case *colScalar:
		set[s.id] = true
	case *callScalar:
		for _, a := range s.args {
			columnsOf(a, set)
		}
	}
}

// readsOnly reports whether every column s reads is in set.
func readsOnly(s scalar, set map[colID]bool) bool {
	used := map[colID]bool{}
	columnsOf(s, used)
	for id := range used {
		if !set[id] {
			return false
		}
	}
	return true
}

// hasColumnOrParam reports whether s reads any column or parameter.
func hasColumnOrParam(s scalar) bool {
	switch s := s.(type) {
	case *colScalar, *paramScalar:
		return true
	case *callScalar:
		for _, a := range s.args {
			if hasColumnOrParam(a) {
				return true
			}
		}
	}
	return false
}

// rewrite replaces column references through f (nil result: keep) and
// rebuilds the calls above them.
func rewrite(s scalar, f func(*colScalar) scalar) (scalar, error) {
	switch s := s.(type) {
	case *colScalar:
		if r := f(s); r != nil {
			return r, nil
		}
		return s, nil
	case *callScalar:
		args := make([]scalar, len(s.args))
		changed := false
		for i, a := range s.args {
			na, err := rewrite(a, f)
			if err != nil {
				return nil, err
			}
			args[i] = na
			changed = changed || na != a
		}
		if !changed {
			return s, nil
		}
		return s.withArgs(args)
	}
	return s, nil
}

// columnEnv maps colIDs to positions of a physical node's input.
type columnEnv struct {
	pos   map[colID]int
	names map[colID]string
	// outer maps columns of enclosing queries to their Outer slots.
	outer map[colID]int
}

// build lowers s to an sql/expr expression over env's positions.
func build(s scalar, env *columnEnv) (expr.Expr, error) {
	switch s := s.(type) {
	case *colScalar:
		p, ok := env.pos[s.id]
		if !ok {
			if slot, ok := env.outer[s.id]; ok {
				return mkOuterRef(slot, s.t, s.name), nil
			}
			return nil, pgerror.Internal("planner: column %s (#%d) is not available here", s.name, s.id)
		}
		return mkColumnRef(p, s.t, env.names[s.id]), nil
	case *paramScalar:
		return mkParam(s.index, s.typ()), nil
	case *leafScalar:
		return s.e, nil
	case *callScalar:
		args := make([]expr.Expr, len(s.args))
		for i, a := range s.args {
			e, err := build(a, env)
			if err != nil {
				return nil, err
			}
			args[i] = e
		}
		return buildCall(s, args)
	}
	return nil, pgerror.Internal("planner: unknown scalar %T", s)
}

// conjuncts splits an AND tree into its parts.
func conjuncts(s scalar) []scalar {
	if s == nil {
		return nil
	}
	if c, ok := s.(*callScalar); ok && c.op == opAnd {
		var out []scalar
		for _, a := range c.args {
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	return []scalar{s}
}

// andOf joins conjuncts with AND; nil for none.
func andOf(cs []scalar) (scalar, error) {
	switch len(cs) {
	case 0:
		return nil, nil
	case 1:
		return cs[0], nil
	}
	return newCall(callScalar{op: opAnd, args: cs})
}
