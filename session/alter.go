package session

import (
	"context"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

var alterKinds = map[ast.ObjectKind]struct {
	kind catalog.Kind
	noun string
	tag  string
}{
	ast.ObjTable:            {0, "relation", "ALTER TABLE"}, // ALTER TABLE renames any relation, as in PostgreSQL
	ast.ObjMaterializedView: {catalog.KindMaterializedView, "materialized view", "ALTER MATERIALIZED VIEW"},
	ast.ObjView:             {catalog.KindView, "view", "ALTER VIEW"},
	ast.ObjSource:           {catalog.KindSource, "source", "ALTER SOURCE"},
	ast.ObjSink:             {catalog.KindSink, "sink", "ALTER SINK"},
}

// alterRename is ALTER kind name RENAME TO new: the descriptor changes
// name in the catalog and in storage; the relation keeps its id, so its
// rows and dataflow are untouched. Materialized views that read it keep
// running: their stored plans name it by id, and restart rebuilds them
// from those. A relation that a plain view or a sink reads cannot be
// renamed yet: those are bound again from their SQL text, which names it.
func (s *Session) alterRename(ctx context.Context, n *ast.AlterRename) (Result, error) {
	ak, ok := alterKinds[n.Kind]
	if !ok {
		return nil, pgerror.Unsupported("this ALTER … RENAME is not supported yet")
	}
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	rel, ok := e.catalog.Lookup(n.Name.Schema, n.Name.Name, s.searchPath())
	if !ok {
		if n.IfExists {
			s.notice("%s %q does not exist, skipping", ak.noun, n.Name.Name)
			return tagOnly(ak.tag), nil
		}
		return nil, pgerror.New(pgerror.UndefinedTable, "%s %q does not exist", ak.noun, n.Name.Name)
	}
	if rel.Kind == catalog.KindSystemView {
		return nil, pgerror.New(pgerror.InsufficientPrivilege, "permission denied: %q is a system catalog", rel.QualifiedName())
	}
	if ak.kind != 0 && rel.Kind != ak.kind {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a %s", rel.Name, ak.noun)
	}
	if existing, ok := e.catalog.Lookup(rel.Schema, n.NewName, nil); ok && existing.ID != rel.ID {
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", n.NewName)
	}
	// Dependents keep reading the relation: materialized views by id in
	// their stored plans, plain views by name, so the text of each (read
	// by pg_get_viewdef, and by the binder for plain views) follows the
	// rename in the same epoch.
	var rewritten []*catalog.Relation
	for _, dep := range e.catalog.Dependents(rel.ID) {
		if dep.Kind != catalog.KindMaterializedView && dep.Kind != catalog.KindView {
			return nil, pgerror.Unsupported("cannot rename %s %s because %s %s depends on it", rel.Kind, rel.Name, dep.Kind, dep.Name).
				WithHint("Drop the dependent objects first, or recreate them after the rename.")
		}
		sql, changed, err := catalog.RenameReferences(e.catalog, dep, rel, n.NewName)
		if err != nil {
			return nil, pgerror.Internal("the query of %s does not parse again: %v", dep.QualifiedName(), err)
		}
		if changed {
			d := *dep
			d.SQL = sql
			rewritten = append(rewritten, &d)
		}
	}
	renamed := *rel
	renamed.Name = n.NewName
	blobs := map[uint32][]byte{}
	for _, r := range append(rewritten, &renamed) {
		blob, err := catalog.Marshal(r)
		if err != nil {
			return nil, err
		}
		blobs[r.ID] = blob
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		for id, blob := range blobs {
			storage.PutCatalog(b, id, blob)
		}
	}); err != nil {
		return nil, err
	}
	for _, d := range rewritten {
		e.catalog.Add(d)
	}
	e.catalog.Add(&renamed)
	e.catalogVersion.Add(1)
	return tagOnly(ak.tag), nil
}
