package ast

import "strconv"

// SequenceOptions are the options of CREATE SEQUENCE, ALTER SEQUENCE and an
// identity column's GENERATED … AS IDENTITY (…). A nil field was not
// written; the session fills in PostgreSQL's defaults.
type SequenceOptions struct {
	Type       *TypeName
	Increment  *int64
	MinValue   *int64
	NoMinValue bool
	MaxValue   *int64
	NoMaxValue bool
	Start      *int64
	// Restart is ALTER SEQUENCE … RESTART [WITH n]; RestartWith nil means
	// the start value.
	Restart     bool
	RestartWith *int64
	Cache       *int64
	Cycle       *bool
	// OwnedBy is OWNED BY table.column as its name parts; OwnedByNone is
	// OWNED BY NONE.
	OwnedBy     []string
	OwnedByNone bool
	// Name is an identity column's SEQUENCE NAME option.
	Name *TableName
}

// CreateSequence is CREATE SEQUENCE [IF NOT EXISTS] name options.
type CreateSequence struct {
	Name        TableName
	IfNotExists bool
	Options     SequenceOptions
}

// AlterSequence is ALTER SEQUENCE [IF EXISTS] name options.
type AlterSequence struct {
	Name     TableName
	IfExists bool
	Options  SequenceOptions
}

func (*CreateSequence) statement() {}
func (*AlterSequence) statement()  {}

func (s *CreateSequence) String() string { return toString(s) }

func (s *CreateSequence) format(p *printer) {
	p.WriteString("CREATE SEQUENCE ")
	if s.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.node(&s.Name)
	p.sequenceOptions(&s.Options)
}

func (s *AlterSequence) String() string { return toString(s) }

func (s *AlterSequence) format(p *printer) {
	p.WriteString("ALTER SEQUENCE ")
	if s.IfExists {
		p.WriteString("IF EXISTS ")
	}
	p.node(&s.Name)
	p.sequenceOptions(&s.Options)
}

func (p *printer) sequenceOptions(o *SequenceOptions) {
	num := func(word string, v *int64) {
		if v != nil {
			p.WriteString(" " + word + " " + strconv.FormatInt(*v, 10))
		}
	}
	if o.Type != nil {
		p.WriteString(" AS ")
		p.node(o.Type)
	}
	if o.Name != nil {
		p.WriteString(" SEQUENCE NAME ")
		p.node(o.Name)
	}
	num("INCREMENT BY", o.Increment)
	num("MINVALUE", o.MinValue)
	if o.NoMinValue {
		p.WriteString(" NO MINVALUE")
	}
	num("MAXVALUE", o.MaxValue)
	if o.NoMaxValue {
		p.WriteString(" NO MAXVALUE")
	}
	num("START WITH", o.Start)
	if o.Restart {
		p.WriteString(" RESTART")
		num("WITH", o.RestartWith)
	}
	num("CACHE", o.Cache)
	if o.Cycle != nil {
		if *o.Cycle {
			p.WriteString(" CYCLE")
		} else {
			p.WriteString(" NO CYCLE")
		}
	}
	if o.OwnedByNone {
		p.WriteString(" OWNED BY NONE")
	} else if len(o.OwnedBy) > 0 {
		p.WriteString(" OWNED BY ")
		p.dotted(o.OwnedBy)
	}
}
