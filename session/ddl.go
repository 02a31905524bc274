package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// resolveSchema picks the schema a new object is created in.
func (s *Session) resolveSchema(name ast.TableName) (string, error) {
	schema := name.Schema
	if schema == "" {
		for _, sp := range s.searchPath() {
			if _, ok := s.engine.catalog.SchemaExists(sp); ok {
				schema = sp
				break
			}
		}
		if schema == "" {
			return "", pgerror.New(pgerror.InvalidSchemaName, "no schema has been selected to create in")
		}
	}
	if _, ok := s.engine.catalog.SchemaExists(schema); !ok {
		return "", pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", schema)
	}
	if schema == "pg_catalog" || schema == "information_schema" || schema == "eddy_catalog" {
		return "", pgerror.New(pgerror.InsufficientPrivilege, "permission denied to create %q.%q", schema, name.Name)
	}
	return schema, nil
}

// typeOf resolves a column type as written.
func typeOf(tn ast.TypeName) (types.T, error) {
	if tn.ArrayDims > 0 {
		// int[][] is int[]: PostgreSQL does not enforce dimensions.
		elemName := tn
		elemName.ArrayDims = 0
		elem, err := typeOf(elemName)
		if err != nil {
			return types.Unknown, err
		}
		if !types.HasArrayType(elem.Kind) {
			return types.Unknown, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", tn.Name+"[]").WithPosition(int32(tn.Pos + 1))
		}
		return types.ArrayOf(elem), nil
	}
	t, ok := types.FromName(tn.Name)
	if !ok || t.Kind == types.KindUnknown {
		return types.Unknown, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", tn.Name).WithPosition(int32(tn.Pos + 1))
	}
	switch t.Kind {
	case types.KindVarchar, types.KindChar:
		if len(tn.Mods) > 0 {
			t.Width = tn.Mods[0]
		} else if t.Kind == types.KindChar {
			t.Width = 1
		}
	case types.KindNumeric:
		if len(tn.Mods) > 0 {
			t.Precision = tn.Mods[0]
			if t.Precision < 1 || t.Precision > 1000 {
				return types.Unknown, pgerror.New(pgerror.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", t.Precision)
			}
		}
		if len(tn.Mods) > 1 {
			t.Scale = tn.Mods[1]
		}
	}
	return t, nil
}

func (s *Session) createTable(ctx context.Context, n *ast.CreateTable) (Result, error) {
	if len(n.Options) > 0 || n.Format != nil || n.Watermark != nil {
		return nil, pgerror.Unsupported("tables fed by a connector are not supported yet")
	}
	schema, err := s.resolveSchema(n.Name)
	if err != nil {
		return nil, err
	}
	rel := &catalog.Relation{Kind: catalog.KindTable, Schema: schema, Name: n.Name.Name}
	pk := append([]string(nil), n.PrimaryKey...)
	var sequences []columnSequence
	for _, cd := range n.Columns {
		if rel.ColumnIndex(cd.Name) >= 0 {
			return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", cd.Name)
		}
		t, serial := serialType(cd.Type)
		if !serial {
			var err error
			if t, err = typeOf(cd.Type); err != nil {
				return nil, err
			}
		}
		col := catalog.Column{Name: cd.Name, Type: t, NotNull: cd.NotNull}
		if cd.Default != nil {
			col.Default = cd.Default.String()
		}
		if want, err := columnSequenceOf(n.Name.Name, cd, t, serial); err != nil {
			return nil, err
		} else if want != nil {
			want.column = len(rel.Columns)
			sequences = append(sequences, *want)
			if cd.Identity == 'a' {
				col.Identity = catalog.IdentityAlways
			} else if cd.Identity == 'd' {
				col.Identity = catalog.IdentityByDefault
			}
		}
		rel.Columns = append(rel.Columns, col)
		if cd.PrimaryKey {
			if len(pk) > 0 {
				return nil, pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", n.Name.Name)
			}
			pk = []string{cd.Name}
		}
	}
	if len(rel.Columns) == 0 {
		return nil, pgerror.Unsupported("tables without columns are not supported")
	}
	for _, name := range pk {
		i := rel.ColumnIndex(name)
		if i < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name)
		}
		rel.Columns[i].NotNull = true
		rel.Key = append(rel.Key, i)
	}
	rel.UserPrimaryKey = len(pk) > 0
	if len(pk) == 0 {
		rel.Columns = append(rel.Columns, catalog.Column{Name: catalog.RowIDColumn, Type: types.Int64, NotNull: true, Hidden: true})
		rel.Key = []int{len(rel.Columns) - 1}
	}

	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	_, isIndex := e.catalog.IndexByName(schema, rel.Name)
	if existing, ok := e.catalog.Lookup(schema, rel.Name, nil); ok || isIndex {
		if n.IfNotExists {
			s.notice("relation %q already exists, skipping", rel.Name)
			return tagOnly("CREATE TABLE"), nil
		}
		if ok {
			return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", existing.Name)
		}
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rel.Name)
	}
	if rel.Unique, err = s.uniqueConstraints(n, rel); err != nil {
		return nil, err
	}
	saved := e.nextID
	rel.ID = e.allocID()
	for i := range rel.Unique {
		rel.Unique[i].IndexID = e.allocID()
	}
	rel.CreatedEpoch = e.CommittedEpoch() + 1
	owned, err := s.addColumnSequences(rel, sequences)
	if err != nil {
		e.nextID = saved
		return nil, err
	}
	blob, err := catalog.Marshal(rel)
	if err != nil {
		return nil, err
	}
	seqBlobs := make([][]byte, len(owned))
	for i, seq := range owned {
		if seqBlobs[i], err = catalog.Marshal(seq); err != nil {
			return nil, err
		}
	}
	if err := e.runtime.AddTable(rel); err != nil {
		return nil, err
	}
	if err := e.addUniqueIndexes(rel); err != nil {
		return nil, err
	}
	err = e.runtime.Mutate(ctx, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, rel.ID, blob)
		for i, seq := range owned {
			storage.PutCatalog(b, seq.ID, seqBlobs[i])
			storage.PutSequenceState(b, seq.ID, storage.SequenceState{LastValue: seq.Sequence.Start})
		}
		e.persistNextID(b)
	})
	if err != nil {
		return nil, err
	}
	for _, seq := range owned {
		e.catalog.Add(seq)
	}
	e.catalog.Add(rel)
	e.catalogVersion.Add(1)
	return tagOnly("CREATE TABLE"), nil
}

func (s *Session) createSchema(ctx context.Context, n *ast.CreateSchema) (Result, error) {
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	if _, ok := e.catalog.SchemaExists(n.Name); ok {
		if n.IfNotExists {
			s.notice("schema %q already exists, skipping", n.Name)
			return tagOnly("CREATE SCHEMA"), nil
		}
		return nil, pgerror.New(pgerror.DuplicateSchema, "schema %q already exists", n.Name)
	}
	rel := &catalog.Relation{ID: e.allocID(), Kind: catalog.KindSchema, Name: n.Name}
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
	e.catalog.Add(rel)
	e.catalogVersion.Add(1)
	return tagOnly("CREATE SCHEMA"), nil
}

func (s *Session) createMaterializedView(ctx context.Context, n *ast.CreateMaterializedView) (Result, error) {
	schema, err := s.resolveSchema(n.Name)
	if err != nil {
		return nil, err
	}
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	if existing, ok := e.catalog.Lookup(schema, n.Name.Name, nil); ok {
		if n.IfNotExists {
			s.notice("relation %q already exists, skipping", n.Name.Name)
			return tagOnly("CREATE MATERIALIZED VIEW"), nil
		}
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", existing.Name)
	}
	saved := e.nextID
	var stateTables []uint32
	alloc := func() uint32 {
		id := e.allocID()
		stateTables = append(stateTables, id)
		return id
	}
	mvp, err := s.planner().PlanMaterializedView(n, alloc)
	if err == nil {
		err = e.refuseUnacknowledged(mvp.DependsOn)
	}
	if err != nil {
		e.nextID = saved
		return nil, err
	}
	rel := &catalog.Relation{
		ID:           e.allocID(),
		Kind:         catalog.KindMaterializedView,
		Schema:       schema,
		Name:         n.Name.Name,
		Columns:      mvp.Columns,
		Key:          mvp.Key,
		SQL:          n.QueryText,
		StateTables:  stateTables,
		DependsOn:    mvp.DependsOn,
		CreatedEpoch: e.CommittedEpoch() + 1,
	}
	if len(n.Columns) > 0 {
		visible := rel.VisibleColumns()
		if len(n.Columns) > len(visible) {
			e.nextID = saved
			return nil, pgerror.New(pgerror.SyntaxError, "too many column names were specified")
		}
		for i, name := range n.Columns {
			rel.Columns[visible[i]].Name = name
		}
	}
	mvp.Root.RelationID = rel.ID
	if rel.Plan, err = planner.EncodeMaterialize(mvp.Root); err != nil {
		e.nextID = saved
		return nil, err
	}
	blob, err := catalog.Marshal(rel)
	if err != nil {
		return nil, err
	}
	build, err := e.runtime.CreateMaterializedView(ctx, rel, mvp.Root, func(b *storage.EpochBatch) {
		storage.PutCatalog(b, rel.ID, blob)
		e.persistNextID(b)
	})
	if err != nil {
		e.nextID = saved
		return nil, err
	}
	e.catalog.Add(rel)
	e.catalogVersion.Add(1)
	if s.backgroundDDL() {
		return tagOnly("CREATE MATERIALIZED VIEW"), nil
	}
	// The view exists (reading it says it is being built); other DDL need
	// not wait for its build.
	if e.unacknowledged == nil {
		e.unacknowledged = map[uint32]bool{}
	}
	e.unacknowledged[rel.ID] = true
	e.ddl.Unlock()
	err = build.Wait(ctx)
	e.ddl.Lock()
	delete(e.unacknowledged, rel.ID)
	if err != nil {
		if dropErr := s.dropUnbuiltView(ctx, rel.ID); dropErr != nil {
			e.log.Error("dropping a materialized view whose build failed", "view", rel.QualifiedName(), "err", dropErr)
		}
		return nil, err
	}
	return tagOnly("CREATE MATERIALIZED VIEW"), nil
}

// refuseUnacknowledged fails the creation of an object that would read a
// view whose foreground CREATE has not returned: a failed build drops that
// view, and it must not take another session's object with it. Called with
// e.ddl held.
func (e *Engine) refuseUnacknowledged(dependsOn []uint32) error {
	for _, d := range dependsOn {
		if !e.unacknowledged[d] {
			continue
		}
		name := "?"
		if rel, ok := e.catalog.ByID(d); ok {
			name = rel.QualifiedName()
		}
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view %s is still being created by another session", name).
			WithHint("Wait until its CREATE MATERIALIZED VIEW returns, or create it with SET background_ddl = true so that it is acknowledged at once.")
	}
	return nil
}

// dropUnbuiltView drops a view whose foreground build did not finish
// (cancelled, timed out, failed), with whatever was created over it
// meanwhile, so the statement leaves nothing behind. The caller holds
// e.ddl; another session may have dropped it already.
func (s *Session) dropUnbuiltView(ctx context.Context, id uint32) error {
	e := s.engine
	rel, ok := e.catalog.ByID(id)
	if !ok {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	for _, d := range e.catalog.Dependents(id) {
		if err := s.dropUnbuiltView(ctx, d.ID); err != nil {
			return err
		}
	}
	err := e.runtime.Drop(ctx, id, rel.StateTables, func(b *storage.EpochBatch) {
		storage.DeleteCatalog(b, id)
	})
	if err != nil {
		return err
	}
	e.catalog.Remove(id)
	e.catalogVersion.Add(1)
	return nil
}

var dropKinds = map[ast.ObjectKind]struct {
	kind catalog.Kind
	noun string
	tag  string
}{
	ast.ObjTable:            {catalog.KindTable, "table", "DROP TABLE"},
	ast.ObjMaterializedView: {catalog.KindMaterializedView, "materialized view", "DROP MATERIALIZED VIEW"},
	ast.ObjView:             {catalog.KindView, "view", "DROP VIEW"},
	ast.ObjSource:           {catalog.KindSource, "source", "DROP SOURCE"},
	ast.ObjSink:             {catalog.KindSink, "sink", "DROP SINK"},
	ast.ObjSequence:         {catalog.KindSequence, "sequence", "DROP SEQUENCE"},
}

func (s *Session) drop(ctx context.Context, n *ast.Drop) (Result, error) {
	if n.Kind == ast.ObjSchema {
		return nil, pgerror.Unsupported("DROP SCHEMA is not supported yet")
	}
	dk, ok := dropKinds[n.Kind]
	if !ok {
		return nil, pgerror.Unsupported("DROP %s is not supported yet", n.Kind)
	}
	e := s.engine
	e.ddl.Lock()
	defer e.ddl.Unlock()
	var targets []*catalog.Relation
	for _, name := range n.Names {
		rel, ok := e.catalog.Lookup(name.Schema, name.Name, s.searchPath())
		if !ok {
			if n.IfExists {
				s.notice("%s %q does not exist, skipping", dk.noun, name.Name)
				continue
			}
			return nil, pgerror.New(pgerror.UndefinedTable, "%s %q does not exist", dk.noun, name.Name)
		}
		if rel.Kind != dk.kind {
			return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a %s", rel.Name, dk.noun).
				WithHint("Use DROP %s to remove a %s.", strings.ToUpper(rel.Kind.String()), rel.Kind)
		}
		targets = append(targets, rel)
	}
	// Collect dependents, deepest first, so each drop leaves no dangling reader.
	var order []*catalog.Relation
	seen := map[uint32]bool{}
	var visit func(r *catalog.Relation, root *catalog.Relation) error
	visit = func(r *catalog.Relation, root *catalog.Relation) error {
		if seen[r.ID] {
			return nil
		}
		seen[r.ID] = true
		for _, d := range e.catalog.Dependents(r.ID) {
			if !n.Cascade {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", root.Kind, root.Name).
					WithDetail("%s %s depends on %s %s", d.Kind, d.Name, r.Kind, r.Name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
			if err := visit(d, root); err != nil {
				return err
			}
		}
		order = append(order, r)
		return nil
	}
	for _, t := range targets {
		if err := visit(t, t); err != nil {
			return nil, err
		}
	}
	order = s.withOwnedSequences(order)
	dropping := map[uint32]bool{}
	for _, r := range order {
		dropping[r.ID] = true
	}
	var changed []*catalog.Relation
	for _, r := range order {
		if r.Kind == catalog.KindSequence {
			c, err := s.dropSequenceUses(r, n.Cascade, dropping)
			if err != nil {
				return nil, err
			}
			changed = append(changed, c...)
		}
	}
	if err := s.rewriteDescriptors(ctx, changed); err != nil {
		return nil, err
	}
	for _, r := range order {
		ownedByDropped := r.Kind == catalog.KindSequence && dropping[r.Sequence.OwnerTable]
		if !containsRel(targets, r) && !ownedByDropped {
			s.notice("drop cascades to %s %s", r.Kind, r.Name)
		}
		id := r.ID
		isSequence := r.Kind == catalog.KindSequence
		// A table's unique indexes lose their rows in the epoch that drops
		// it; their dataflows, written by nobody since, stop after.
		err := e.runtime.Drop(ctx, id, append(uniqueIndexIDs(r), r.StateTables...), func(b *storage.EpochBatch) {
			storage.DeleteCatalog(b, id)
			if isSequence {
				storage.DeleteSequenceState(b, id)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("drop %s: %w", r.Name, err)
		}
		for _, ix := range uniqueIndexIDs(r) {
			if err := e.runtime.Drop(ctx, ix, nil, nil); err != nil {
				return nil, fmt.Errorf("drop %s: %w", r.Name, err)
			}
		}
		if isSequence {
			e.sequences.forget(id)
		}
		e.catalog.Remove(id)
		e.catalogVersion.Add(1)
	}
	return tagOnly(dk.tag), nil
}

func containsRel(rels []*catalog.Relation, r *catalog.Relation) bool {
	for _, x := range rels {
		if x.ID == r.ID {
			return true
		}
	}
	return false
}

func (s *Session) showObjects(n *ast.ShowObjects) (Result, error) {
	kind := catalog.KindTable
	switch n.Kind {
	case ast.ObjMaterializedView:
		kind = catalog.KindMaterializedView
	case ast.ObjView:
		kind = catalog.KindView
	case ast.ObjSource:
		kind = catalog.KindSource
	case ast.ObjSink:
		kind = catalog.KindSink
	}
	schema := n.Schema
	if schema == "" {
		schema = s.searchPath()[0]
		if _, ok := s.engine.catalog.SchemaExists(schema); !ok {
			schema = catalog.DefaultSchema
		}
	}
	var rows [][]string
	for _, r := range s.engine.catalog.Relations(kind) {
		if r.Schema == schema {
			rows = append(rows, []string{r.Name})
		}
	}
	return textRows(fmt.Sprintf("SHOW %d", len(rows)), rows), nil
}
