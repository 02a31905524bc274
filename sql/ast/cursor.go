package ast

import "strconv"

// DeclareCursor is DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH HOLD |
// WITHOUT HOLD] FOR query.
type DeclareCursor struct {
	Name   string
	Binary bool
	// Scroll is true for an explicit SCROLL, which asks for backward
	// fetches.
	Scroll bool
	// NoScroll is true for an explicit NO SCROLL.
	NoScroll bool
	// Hold is true for WITH HOLD: the cursor outlives its transaction.
	Hold  bool
	Query *Select
}

// FetchDirection is where FETCH and MOVE go from the cursor's position.
type FetchDirection uint8

const (
	// FetchForward moves Count rows forward (NEXT, FORWARD n, n, ALL).
	FetchForward FetchDirection = iota
	// FetchBackward moves Count rows backward (PRIOR, BACKWARD n).
	FetchBackward
	// FetchAbsolute goes to row Count (FIRST, LAST, ABSOLUTE n); negative
	// counts from the end.
	FetchAbsolute
	// FetchRelative goes Count rows from the current one (RELATIVE n).
	FetchRelative
)

// FetchAll is the Count of ALL, FORWARD ALL and BACKWARD ALL.
const FetchAll int64 = 1<<63 - 1

// Fetch is FETCH or MOVE [direction] [FROM | IN] cursor.
type Fetch struct {
	Cursor    string
	Move      bool
	Direction FetchDirection
	Count     int64
}

// CloseCursor is CLOSE name or CLOSE ALL.
type CloseCursor struct {
	// Name is empty for CLOSE ALL.
	Name string
}

func (*DeclareCursor) statement() {}
func (*Fetch) statement()         {}
func (*CloseCursor) statement()   {}

func (s *DeclareCursor) String() string { return toString(s) }

func (s *DeclareCursor) format(p *printer) {
	p.WriteString("DECLARE ")
	p.ident(s.Name)
	if s.Binary {
		p.WriteString(" BINARY")
	}
	if s.Scroll {
		p.WriteString(" SCROLL")
	}
	if s.NoScroll {
		p.WriteString(" NO SCROLL")
	}
	p.WriteString(" CURSOR")
	if s.Hold {
		p.WriteString(" WITH HOLD")
	}
	p.WriteString(" FOR ")
	p.node(s.Query)
}

func (s *Fetch) String() string { return toString(s) }

func (s *Fetch) format(p *printer) {
	if s.Move {
		p.WriteString("MOVE ")
	} else {
		p.WriteString("FETCH ")
	}
	count := strconv.FormatInt(s.Count, 10)
	switch s.Direction {
	case FetchForward:
		p.WriteString("FORWARD ")
		if s.Count == FetchAll {
			count = "ALL"
		}
	case FetchBackward:
		p.WriteString("BACKWARD ")
		if s.Count == FetchAll {
			count = "ALL"
		}
	case FetchAbsolute:
		p.WriteString("ABSOLUTE ")
	case FetchRelative:
		p.WriteString("RELATIVE ")
	}
	p.WriteString(count)
	p.WriteString(" FROM ")
	p.ident(s.Cursor)
}

func (s *CloseCursor) String() string { return toString(s) }

func (s *CloseCursor) format(p *printer) {
	if s.Name == "" {
		p.WriteString("CLOSE ALL")
		return
	}
	p.WriteString("CLOSE ")
	p.ident(s.Name)
}
