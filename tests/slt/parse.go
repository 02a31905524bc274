// Package slt reads, runs and rewrites sqllogictest files against any server
// that speaks the PostgreSQL wire protocol.
//
// # Format
//
// Records are separated by blank lines; lines starting with # are comments.
//
//	statement ok
//	CREATE TABLE t (k int PRIMARY KEY, v text)
//
//	statement error 42P01
//	SELECT * FROM missing
//
//	statement error relation "missing" does not exist
//	SELECT * FROM missing
//
//	query IT rowsort
//	SELECT k, v FROM t
//	----
//	1 a
//	2 NULL
//
// "statement error" takes a SQLSTATE (five characters of 0-9A-Z, matched
// exactly), a regular expression matched against the error message, or
// nothing (any error). "query error ..." is the same for a query. A query's
// type string has one letter per column (I integer, R float or numeric,
// B boolean, T anything else); only its length is checked. The sort mode is
// nosort (the default: rows must come in this order), rowsort (rows compared
// as a sorted list) or valuesort (all values compared as a sorted list).
//
// # Values
//
// Each expected line is one row; values are exactly the server's text format
// (the simple query protocol's rendering), separated by spaces or tabs. SQL
// NULL is written NULL and the empty string (empty). Runs of whitespace are
// collapsed before comparing, so a value may contain single spaces (as
// timestamps do) but its own leading, trailing or repeated spaces are not
// checked.
//
// # Conditions
//
// "skipif ENGINE" and "onlyif ENGINE" (engines: eddy, postgres) apply to the
// record that follows. "halt" stops the file. "hash-threshold" is ignored.
package slt

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Kind is what a record does.
type Kind int

const (
	KindStatement Kind = iota
	KindQuery
	KindHalt
)

// SortMode says how a query's rows are compared.
type SortMode string

const (
	NoSort    SortMode = "nosort"
	RowSort   SortMode = "rowsort"
	ValueSort SortMode = "valuesort"
)

// Condition is a skipif or onlyif line.
type Condition struct {
	Only   bool // onlyif; false = skipif
	Engine string
}

// Record is one statement, query or halt, with the positions of its lines in
// the file so that a rewrite can replace exactly what it regenerates.
type Record struct {
	Kind       Kind
	Line       int // 1-based line of the record's header
	Conditions []Condition
	SQL        string

	ExpectError  bool
	ErrorPattern string // SQLSTATE, regexp, or "" for any error

	Types    string
	Sort     SortMode
	Label    string
	Expected []string // result lines, as written

	header       int // 0-based index of the header line
	sqlEnd       int // index just past the SQL lines
	separator    int // index of "----", -1 if absent
	resultsEnd   int // index just past the result lines
	headerSuffix string
}

// File is a parsed .slt file.
type File struct {
	Path    string
	Lines   []string
	Records []*Record
}

// SQLStatePattern matches a SQLSTATE as written after "statement error".
var SQLStatePattern = regexp.MustCompile(`^[0-9A-Z]{5}$`)

// ParseFile reads and parses an .slt file.
func ParseFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(data))
}

// Parse parses the text of an .slt file; path is used in messages only.
func Parse(path, text string) (*File, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	f := &File{Path: path, Lines: lines}
	var conds []Condition
	blank := func(i int) bool { return strings.TrimSpace(lines[i]) == "" }
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		errf := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, i+1, fmt.Sprintf(format, args...))
		}
		switch fields[0] {
		case "hash-threshold":
			continue
		case "skipif", "onlyif":
			if len(fields) < 2 {
				return nil, errf("%s needs an engine name", fields[0])
			}
			conds = append(conds, Condition{Only: fields[0] == "onlyif", Engine: fields[1]})
			continue
		case "halt":
			f.Records = append(f.Records, &Record{Kind: KindHalt, Line: i + 1, Conditions: conds, header: i})
			conds = nil
			continue
		case "statement", "query":
		default:
			return nil, errf("unknown record type %q", fields[0])
		}
		r := &Record{Line: i + 1, header: i, Conditions: conds, separator: -1, Sort: NoSort}
		conds = nil
		if len(fields) < 2 {
			return nil, errf("%s needs ok, error or a type string", fields[0])
		}
		switch {
		case fields[1] == "ok" && fields[0] == "statement":
			r.Kind = KindStatement
		case fields[1] == "error":
			r.Kind = KindStatement
			if fields[0] == "query" {
				r.Kind = KindQuery
			}
			r.ExpectError = true
			r.ErrorPattern = strings.TrimSpace(strings.SplitN(line, "error", 2)[1])
		case fields[0] == "query":
			r.Kind = KindQuery
			r.Types = fields[1]
			if len(fields) > 2 {
				switch SortMode(fields[2]) {
				case NoSort, RowSort, ValueSort:
					r.Sort = SortMode(fields[2])
				default:
					return nil, errf("unknown sort mode %q", fields[2])
				}
			}
			if len(fields) > 3 {
				r.Label = fields[3]
				r.headerSuffix = strings.Join(fields[3:], " ")
			}
		default:
			return nil, errf("statement must be followed by ok or error")
		}
		// SQL runs until a blank line, the end of the file, or (for a
		// query) the ---- separator.
		j := i + 1
		var sql []string
		for ; j < len(lines) && !blank(j); j++ {
			if r.Kind == KindQuery && !r.ExpectError && strings.TrimSpace(lines[j]) == "----" {
				break
			}
			sql = append(sql, lines[j])
		}
		if len(sql) == 0 {
			return nil, errf("record has no SQL")
		}
		r.SQL = strings.Join(sql, "\n")
		r.sqlEnd = j
		r.resultsEnd = j
		if j < len(lines) && strings.TrimSpace(lines[j]) == "----" {
			r.separator = j
			for j++; j < len(lines) && !blank(j); j++ {
				r.Expected = append(r.Expected, lines[j])
			}
			r.resultsEnd = j
		}
		f.Records = append(f.Records, r)
		i = j - 1
	}
	return f, nil
}

// Skipped reports whether the record's conditions exclude engine.
func (r *Record) Skipped(engine string) bool {
	for _, c := range r.Conditions {
		if c.Only && c.Engine != engine {
			return true
		}
		if !c.Only && c.Engine == engine {
			return true
		}
	}
	return false
}

// OnlyIf reports whether the record carries "onlyif engine".
func (r *Record) OnlyIf(engine string) bool {
	for _, c := range r.Conditions {
		if c.Only && c.Engine == engine {
			return true
		}
	}
	return false
}
