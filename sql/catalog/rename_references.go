package catalog

import (
	"reflect"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/parser"
)

// RenameReferences returns the defining query of view with its references
// to target, which is being renamed to newName, renamed, and whether there
// were any. PostgreSQL keeps a view's query as a tree of OIDs, so a rename
// never reaches it; Eddy keeps the text, read again by pg_get_viewdef, by
// \d+, and (for plain views) each time the view is read, so the text must
// follow the rename.
//
// A name in a FROM clause refers to target when its schema (if written) is
// target's, its name is target's, it is not the name of a WITH query, and
// no other relation the view depends on has that name. An unaliased
// reference gets the old name as its alias when the query names the
// relation anywhere else (t.a, t.*, a whole-row t), so every qualified
// column keeps resolving; pg_get_viewdef then shows `FROM new old` where
// PostgreSQL would show `FROM new`.
func RenameReferences(cat *Catalog, view, target *Relation, newName string) (string, bool, error) {
	stmt, err := parser.ParseOne(view.SQL)
	if err != nil {
		return "", false, err
	}
	for _, id := range view.DependsOn {
		if other, ok := cat.ByID(id); ok && other.ID != target.ID && other.Name == target.Name {
			// Two dependencies of one name in different schemas: which
			// one an unqualified name meant depended on the search path
			// at CREATE, which is not stored. Qualified names still work.
			return renameQualified(stmt, target, newName)
		}
	}
	r := &referenceRenamer{target: target, newName: newName, ctes: map[string]bool{}}
	r.collect(reflect.ValueOf(stmt))
	r.rename(reflect.ValueOf(stmt))
	if !r.renamed {
		return view.SQL, false, nil
	}
	return stmt.(interface{ String() string }).String(), true, nil
}

// renameQualified renames only the schema-qualified references.
func renameQualified(stmt ast.Statement, target *Relation, newName string) (string, bool, error) {
	r := &referenceRenamer{target: target, newName: newName, ctes: map[string]bool{}, qualifiedOnly: true}
	r.collect(reflect.ValueOf(stmt))
	r.rename(reflect.ValueOf(stmt))
	if !r.renamed {
		return "", false, nil
	}
	return stmt.(interface{ String() string }).String(), true, nil
}

type referenceRenamer struct {
	target        *Relation
	newName       string
	ctes          map[string]bool
	qualifiedOnly bool
	// mentioned is set when a column reference names the old name, so a
	// renamed FROM item must keep it as its alias.
	mentioned bool
	renamed   bool
}

// collect finds the WITH names and the column references that use the
// relation's name.
func (r *referenceRenamer) collect(x reflect.Value) {
	walkNodes(x, func(x reflect.Value) bool {
		switch v := x.Interface().(type) {
		case *ast.CTE:
			r.ctes[v.Name] = true
		case *ast.ColumnRef:
			for _, p := range v.Parts {
				if p == r.target.Name {
					r.mentioned = true
				}
			}
			return false
		}
		return true
	})
}

func (r *referenceRenamer) rename(x reflect.Value) {
	walkNodes(x, func(x reflect.Value) bool {
		tn, ok := x.Interface().(*ast.TableName)
		if !ok {
			return true
		}
		if tn.Name != r.target.Name || (tn.Schema != "" && tn.Schema != r.target.Schema) {
			return false
		}
		if tn.Schema == "" && (r.qualifiedOnly || r.ctes[tn.Name]) {
			return false
		}
		if tn.Alias == nil && r.mentioned {
			tn.Alias = &ast.Alias{Name: tn.Name}
		}
		tn.Name = r.newName
		r.renamed = true
		return false
	})
}

// walkNodes calls visit with a pointer to every struct in the tree under
// x (reached through a pointer, a slice or a field), and descends into it
// when visit returns true.
func walkNodes(x reflect.Value, visit func(reflect.Value) bool) {
	switch x.Kind() {
	case reflect.Interface, reflect.Pointer:
		if !x.IsNil() {
			walkNodes(x.Elem(), visit)
		}
	case reflect.Struct:
		if x.CanAddr() && !visit(x.Addr()) {
			return
		}
		for i := 0; i < x.NumField(); i++ {
			if x.Type().Field(i).IsExported() {
				walkNodes(x.Field(i), visit)
			}
		}
	case reflect.Slice:
		for i := 0; i < x.Len(); i++ {
			walkNodes(x.Index(i), visit)
		}
	}
}
