package ast

// Copy is COPY table [(columns)] FROM STDIN, COPY table [(columns)] TO
// STDOUT or COPY (query) TO STDOUT, with its options.
type Copy struct {
	// Table is the table copied from or to; nil for COPY (query).
	Table   *TableName
	Columns []string
	// Query is the query of COPY (query) TO STDOUT.
	Query *Select
	// From is true for COPY … FROM STDIN, false for COPY … TO STDOUT.
	From bool
	// Options are the WITH (…) options and the old keyword forms (CSV,
	// HEADER, DELIMITER 'x', NULL 'x', BINARY) in order, names in lower
	// case; an option given without a value has the value "true".
	Options []Option
}

func (*Copy) statement() {}

func (s *Copy) String() string { return toString(s) }

func (s *Copy) format(p *printer) {
	p.WriteString("COPY ")
	if s.Query != nil {
		p.WriteByte('(')
		p.node(s.Query)
		p.WriteByte(')')
	} else if s.Table != nil {
		p.node(s.Table)
	}
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		p.idents(s.Columns)
		p.WriteByte(')')
	}
	if s.From {
		p.WriteString(" FROM STDIN")
	} else {
		p.WriteString(" TO STDOUT")
	}
	if len(s.Options) > 0 {
		p.WriteString(" WITH (")
		for i, o := range s.Options {
			if i > 0 {
				p.WriteString(", ")
			}
			p.ident(o.Name)
			p.WriteByte(' ')
			p.WriteString(QuoteString(o.Value))
		}
		p.WriteByte(')')
	}
}
