package session

import (
	"context"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// createView stores a view: its query text and columns in the catalog.
// Nothing runs; the planner expands the query wherever the view is read.
// CREATE OR REPLACE replaces a view (not another kind of relation) in
// place, keeping its id.
func (s *Session) createView(ctx context.Context, n *ast.CreateView) (Result, error) {
	schema, err := s.resolveSchema(n.Name)
	if err != nil {
		return nil, err
	}
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	vp, err := s.planner().PlanView(n)
	if err != nil {
		return nil, err
	}
	existing, exists := e.catalog.Lookup(schema, n.Name.Name, nil)
	if exists && (!n.OrReplace || existing.Kind != catalog.KindView) {
		if existing.Kind != catalog.KindView && n.OrReplace {
			return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a view", existing.Name)
		}
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", existing.Name)
	}
	if err := e.refuseUnacknowledged(vp.DependsOn); err != nil {
		return nil, err
	}
	for _, d := range vp.DependsOn {
		if exists && d == existing.ID {
			return nil, pgerror.New(pgerror.InvalidObjectDefinition, "infinite recursion detected in rules for relation %q", existing.Name)
		}
	}
	rel := &catalog.Relation{
		Kind:         catalog.KindView,
		Schema:       schema,
		Name:         n.Name.Name,
		Columns:      vp.Columns,
		SQL:          n.QueryText,
		DependsOn:    vp.DependsOn,
		CreatedEpoch: e.CommittedEpoch() + 1,
	}
	if exists {
		rel.ID = existing.ID
		rel.CreatedEpoch = existing.CreatedEpoch
	} else {
		rel.ID = e.allocID()
	}
	blob, err := catalog.Marshal(rel)
	if err != nil {
		return nil, err
	}
	if err := e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, rel.ID, blob)
		e.persistNextID(b)
	}); err != nil {
		return nil, err
	}
	if exists {
		e.catalog.Remove(existing.ID)
	}
	e.catalog.Add(rel)
	e.catalogVersion.Add(1)
	return tagOnly("CREATE VIEW"), nil
}
