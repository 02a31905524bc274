package session

import (
	"strings"
	"time"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// logStatement writes the log line of a finished statement that changes
// the schema (CREATE, DROP, ALTER, COMMENT): what it was, on which object,
// how long it took, and how it failed. Queries and DML are not logged
// one by one; their counts and times are metrics.
func (s *Session) logStatement(stmt ast.Statement, kind string, started time.Time, err error) {
	name := statementName(stmt)
	if !isSchemaChange(name) {
		return
	}
	attrs := []any{"kind", kind, "object", objectName(stmt), "duration", time.Since(started).Round(time.Microsecond), "pid", s.pid}
	if err != nil {
		s.engine.log.Info("ddl failed", append(attrs, "sqlstate", string(pgerror.CodeOf(err)), "err", err)...)
		return
	}
	s.engine.log.Info("ddl", attrs...)
}

func isSchemaChange(statementName string) bool {
	for _, verb := range []string{"Create", "Drop", "Alter", "Comment"} {
		if strings.HasPrefix(statementName, verb) {
			return true
		}
	}
	return false
}

// objectName names what a schema change is about, "" when the statement
// kind is not listed here.
func objectName(stmt ast.Statement) string {
	switch n := stmt.(type) {
	case *ast.CreateTable:
		return qualified(n.Name)
	case *ast.CreateMaterializedView:
		return qualified(n.Name)
	case *ast.CreateView:
		return qualified(n.Name)
	case *ast.CreateSink:
		return qualified(n.Name)
	case *ast.CreateSchema:
		return n.Name
	case *ast.AlterRename:
		return qualified(n.Name)
	case *ast.Drop:
		names := make([]string, len(n.Names))
		for i, t := range n.Names {
			names[i] = qualified(t)
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func qualified(t ast.TableName) string {
	if t.Schema != "" {
		return t.Schema + "." + t.Name
	}
	return t.Name
}
