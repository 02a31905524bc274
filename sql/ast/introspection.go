package ast

// Statements that describe objects rather than change data: COMMENT ON,
// SHOW CREATE and DESCRIBE (RisingWave's forms of the last two).

// Comment is COMMENT ON {TABLE | VIEW | MATERIALIZED VIEW} name IS text,
// or COMMENT ON COLUMN relation.column IS text (Column set, Kind
// ObjTable). Text nil is IS NULL, which drops the comment.
type Comment struct {
	Kind   ObjectKind
	Name   TableName
	Column string
	Text   *string
}

// ShowCreate is SHOW CREATE {TABLE | MATERIALIZED VIEW | VIEW} name.
type ShowCreate struct {
	Kind ObjectKind
	Name TableName
}

// Describe is DESCRIBE name.
type Describe struct {
	Name TableName
}

func (*Comment) statement()    {}
func (*ShowCreate) statement() {}
func (*Describe) statement()   {}

func (s *Comment) String() string { return toString(s) }

func (s *Comment) format(p *printer) {
	p.WriteString("COMMENT ON ")
	if s.Column != "" {
		p.WriteString("COLUMN ")
		p.node(&s.Name)
		p.WriteByte('.')
		p.ident(s.Column)
	} else {
		p.WriteString(s.Kind.String())
		p.WriteByte(' ')
		p.node(&s.Name)
	}
	p.WriteString(" IS ")
	if s.Text == nil {
		p.WriteString("NULL")
	} else {
		p.WriteString(QuoteString(*s.Text))
	}
}

func (s *ShowCreate) String() string { return toString(s) }

func (s *ShowCreate) format(p *printer) {
	p.WriteString("SHOW CREATE ")
	p.WriteString(s.Kind.String())
	p.WriteByte(' ')
	p.node(&s.Name)
}

func (s *Describe) String() string { return toString(s) }

func (s *Describe) format(p *printer) {
	p.WriteString("DESCRIBE ")
	p.node(&s.Name)
}
