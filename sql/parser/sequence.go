package parser

import (
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// CREATE SEQUENCE, ALTER SEQUENCE and the options of an identity column
// share one option list (PostgreSQL's SeqOptList).

func (c *converter) createSequence(s *pg_query.CreateSeqStmt) ast.Statement {
	if s.Sequence.Relpersistence == "t" {
		unsupported("temporary sequence")
	}
	if s.Sequence.Relpersistence == "u" {
		unsupported("unlogged sequence")
	}
	return &ast.CreateSequence{Name: c.rangeVar(s.Sequence), IfNotExists: s.IfNotExists, Options: c.sequenceOptions(s.Options, false)}
}

func (c *converter) alterSequence(s *pg_query.AlterSeqStmt) ast.Statement {
	return &ast.AlterSequence{Name: c.rangeVar(s.Sequence), IfExists: s.MissingOk, Options: c.sequenceOptions(s.Options, true)}
}

func (c *converter) sequenceOptions(list []*pg_query.Node, alter bool) ast.SequenceOptions {
	var o ast.SequenceOptions
	seen := map[string]bool{}
	for _, n := range list {
		d := n.GetDefElem()
		if d == nil {
			unsupported("%s as a sequence option", nodeKind(n))
		}
		if seen[d.Defname] {
			panic(c.errorAt(pgerrorf("conflicting or redundant options"), int(d.Location)))
		}
		seen[d.Defname] = true
		switch d.Defname {
		case "as":
			t := c.typeName(d.Arg.GetTypeName())
			o.Type = &t
		case "increment":
			o.Increment = c.sequenceNumber(d)
		case "minvalue":
			if d.Arg == nil {
				o.NoMinValue = true
			} else {
				o.MinValue = c.sequenceNumber(d)
			}
		case "maxvalue":
			if d.Arg == nil {
				o.NoMaxValue = true
			} else {
				o.MaxValue = c.sequenceNumber(d)
			}
		case "start":
			o.Start = c.sequenceNumber(d)
		case "restart":
			o.Restart = true
			if d.Arg != nil {
				o.RestartWith = c.sequenceNumber(d)
			}
		case "cache":
			o.Cache = c.sequenceNumber(d)
		case "cycle":
			b := defElemBool(d.Defname, d.Arg)
			o.Cycle = &b
		case "owned_by":
			parts := c.names(d.Arg.GetList().GetItems())
			if len(parts) == 1 && parts[0] == "none" {
				o.OwnedByNone = true
			} else {
				o.OwnedBy = parts
			}
		case "sequence_name":
			name := qualifiedName(c.names(d.Arg.GetList().GetItems()))
			o.Name = &name
		default:
			unsupported("sequence option %s", d.Defname)
		}
	}
	return o
}

// sequenceNumber reads a numeric option: an integer, or a float node for
// values beyond int32 (the grammar's NumericOnly).
func (c *converter) sequenceNumber(d *pg_query.DefElem) *int64 {
	switch {
	case d.Arg.GetInteger() != nil:
		v := int64(d.Arg.GetInteger().Ival)
		return &v
	case d.Arg.GetFloat() != nil:
		text := d.Arg.GetFloat().Fval
		v, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			panic(c.errorAt(pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type bigint: %q", text), int(d.Location)))
		}
		return &v
	}
	unsupported("%s as a sequence option value", nodeKind(d.Arg))
	return nil
}

// identity reads GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)].
func (c *converter) identity(k *pg_query.Constraint, out *ast.ColumnDef) {
	if out.Identity != 0 {
		panic(c.errorAt(pgerrorf("multiple identity specifications for column %q", out.Name), int(k.Location)))
	}
	out.Identity = 'd'
	if k.GeneratedWhen == "a" {
		out.Identity = 'a'
	}
	out.IdentityOptions = c.sequenceOptions(k.Options, false)
}
