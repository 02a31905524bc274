package planner

import (
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// scopeColumn is a name visible to expressions of one query level.
type scopeColumn struct {
	table  string // the FROM item's alias or relation name; "" if none
	schema string // the relation's schema, for schema.table.column
	name   string
	id     colID
	t      types.T
	// hidden columns (a table's _row_id) resolve by name but are not part of *.
	hidden bool
	// qualifiedOnly columns are the sides merged away by JOIN USING: they
	// resolve only as table.column and are not part of an unqualified *.
	qualifiedOnly bool
	tableID       uint32
	attrNum       int16
}

// scope is the set of names one query level sees. parent is the enclosing
// query's scope: a name not found here is an outer (correlated) reference
// to it, which makes the subquery correlated (see bind_subquery.go).
type scope struct {
	parent *scope
	cols   []scopeColumn
}

func (s *scope) hasTable(name string) bool {
	for _, c := range s.cols {
		if c.table == name {
			return true
		}
	}
	return false
}

// resolve finds the column a ColumnRef names, searching outward.
func (s *scope) resolve(parts []string, pos int) (*scopeColumn, error) {
	for sc := s; sc != nil; sc = sc.parent {
		c, found, err := sc.resolveLocal(parts, pos)
		if err != nil {
			return nil, err
		}
		if found {
			return c, nil
		}
	}
	if len(parts) == 1 {
		return nil, pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", parts[0]).WithPosition(position(pos))
	}
	table := parts[len(parts)-2]
	if !s.anyHasTable(table) {
		return nil, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", table).WithPosition(position(pos))
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "column %s does not exist", strings.Join(parts[len(parts)-2:], ".")).WithPosition(position(pos))
}

// hasColumn reports whether id is a column of this level (not an outer one).
func (s *scope) hasColumn(id colID) bool {
	for _, c := range s.cols {
		if c.id == id {
			return true
		}
	}
	return false
}

func (s *scope) anyHasTable(name string) bool {
	for sc := s; sc != nil; sc = sc.parent {
		if sc.hasTable(name) {
			return true
		}
	}
	return false
}

func (s *scope) resolveLocal(parts []string, pos int) (*scopeColumn, bool, error) {
	var match *scopeColumn
	switch len(parts) {
	case 1:
		for i := range s.cols {
			c := &s.cols[i]
			if c.qualifiedOnly || c.name != parts[0] {
				continue
			}
			if match != nil {
				return nil, false, pgerror.New(pgerror.AmbiguousColumn, "column reference %q is ambiguous", parts[0]).WithPosition(position(pos))
			}
			match = c
		}
	case 2, 3, 4:
		name := parts[len(parts)-1]
		table := parts[len(parts)-2]
		schema := ""
		if len(parts) >= 3 {
			schema = parts[len(parts)-3]
		}
		for i := range s.cols {
			c := &s.cols[i]
			if c.table != table || c.name != name || (schema != "" && c.schema != schema) {
				continue
			}
			if match != nil {
				return nil, false, pgerror.New(pgerror.AmbiguousColumn, "column reference %q is ambiguous", strings.Join(parts, ".")).WithPosition(position(pos))
			}
			match = c
		}
	default:
		return nil, false, pgerror.New(pgerror.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, ".")).WithPosition(position(pos))
	}
	return match, match != nil, nil
}

// star expands * (table "") or table.*.
func (s *scope) star(table string, pos int) ([]scopeColumn, error) {
	var out []scopeColumn
	for _, c := range s.cols {
		if c.hidden {
			continue
		}
		if table == "" && c.qualifiedOnly {
			continue
		}
		if table != "" && c.table != table {
			continue
		}
		out = append(out, c)
	}
	if table != "" && !s.hasTable(table) {
		return nil, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", table).WithPosition(position(pos))
	}
	if table == "" && len(s.cols) == 0 {
		return nil, pgerror.New(pgerror.SyntaxError, "SELECT * with no tables specified is not valid").WithPosition(position(pos))
	}
	return out, nil
}

// position converts an ast 0-based offset to pgerror's 1-based one.
func position(pos int) int32 {
	if pos < 0 {
		return 0
	}
	return int32(pos) + 1
}
