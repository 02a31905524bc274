package session

import (
	"context"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

var commentKinds = map[ast.ObjectKind]struct {
	kind catalog.Kind
	noun string
}{
	ast.ObjTable:            {catalog.KindTable, "table"},
	ast.ObjMaterializedView: {catalog.KindMaterializedView, "materialized view"},
	ast.ObjView:             {catalog.KindView, "view"},
}

// comment is COMMENT ON: the text goes into the relation's descriptor,
// stored like any other catalog change, where pg_description reads it.
func (s *Session) comment(ctx context.Context, n *ast.Comment) (Result, error) {
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	rel, ok := e.catalog.Lookup(n.Name.Schema, n.Name.Name, s.searchPath())
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", n.Name.Name)
	}
	if rel.Kind == catalog.KindSystemView {
		return nil, pgerror.New(pgerror.InsufficientPrivilege, "permission denied: %q is a system catalog", rel.QualifiedName())
	}
	text := ""
	if n.Text != nil {
		text = *n.Text
	}
	changed := *rel
	if n.Column != "" {
		i := rel.ColumnIndex(n.Column)
		if i < 0 || rel.Columns[i].Hidden {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", n.Column, rel.Name)
		}
		changed.Columns = append([]catalog.Column(nil), rel.Columns...)
		changed.Columns[i].Comment = text
	} else {
		ck := commentKinds[n.Kind]
		if rel.Kind != ck.kind {
			return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a %s", rel.Name, ck.noun)
		}
		changed.Comment = text
	}
	blob, err := catalog.Marshal(&changed)
	if err != nil {
		return nil, err
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, changed.ID, blob)
	}); err != nil {
		return nil, err
	}
	e.catalog.Add(&changed)
	e.catalogVersion.Add(1)
	return tagOnly("COMMENT"), nil
}
