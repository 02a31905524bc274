package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// SHOW CREATE and DESCRIBE answer as RisingWave does, so that its users'
// habits carry over: SHOW CREATE gives the relation's name and a CREATE
// statement that makes it again; DESCRIBE lists the columns (hidden ones
// too), then the primary key and the relation's comment.

var (
	showCreateColumns = []Column{{Name: "Name", Type: types.Text}, {Name: "Create Sql", Type: types.Text}}
	describeColumns   = []Column{{Name: "Name", Type: types.Text}, {Name: "Type", Type: types.Text},
		{Name: "Is Hidden", Type: types.Text}, {Name: "Description", Type: types.Text}}
)

var showCreateKinds = map[ast.ObjectKind]struct {
	kind catalog.Kind
	noun string
}{
	ast.ObjTable:            {catalog.KindTable, "table"},
	ast.ObjMaterializedView: {catalog.KindMaterializedView, "materialized view"},
	ast.ObjView:             {catalog.KindView, "view"},
}

// lookupForDescribe finds a user relation by name for SHOW CREATE and
// DESCRIBE.
func (s *Session) lookupForDescribe(name ast.TableName) (*catalog.Relation, error) {
	rel, ok := s.engine.catalog.Lookup(name.Schema, name.Name, s.searchPath())
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", name.Name)
	}
	return rel, nil
}

func (s *Session) showCreate(n *ast.ShowCreate) (Result, error) {
	rel, err := s.lookupForDescribe(n.Name)
	if err != nil {
		return nil, err
	}
	want := showCreateKinds[n.Kind]
	if rel.Kind != want.kind {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a %s", rel.Name, want.noun).
			WithHint("It is a %s.", rel.Kind)
	}
	var sql string
	name := ast.QuoteIdent(rel.Schema) + "." + ast.QuoteIdent(rel.Name)
	switch rel.Kind {
	case catalog.KindTable:
		sql = createTableSQL(name, rel)
	case catalog.KindMaterializedView:
		sql = "CREATE MATERIALIZED VIEW " + name + " AS " + rel.SQL
	case catalog.KindView:
		sql = "CREATE VIEW " + name + " AS " + rel.SQL
	}
	return datumRows("SHOW 1", showCreateColumns, [][]types.Datum{{rel.QualifiedName(), sql}}), nil
}

// createTableSQL is a CREATE TABLE statement for rel: its visible
// columns with their types, NOT NULL and DEFAULT, and its primary key.
func createTableSQL(name string, rel *catalog.Relation) string {
	var parts []string
	for _, c := range rel.Columns {
		if c.Hidden {
			continue
		}
		col := ast.QuoteIdent(c.Name) + " " + c.Type.String()
		if c.NotNull {
			col += " NOT NULL"
		}
		if c.Default != "" {
			col += " DEFAULT " + c.Default
		}
		parts = append(parts, col)
	}
	if rel.UserPrimaryKey {
		parts = append(parts, "PRIMARY KEY ("+keyNames(rel)+")")
	}
	return "CREATE TABLE " + name + " (" + strings.Join(parts, ", ") + ")"
}

func keyNames(rel *catalog.Relation) string {
	names := make([]string, len(rel.Key))
	for i, k := range rel.Key {
		names[i] = ast.QuoteIdent(rel.Columns[k].Name)
	}
	return strings.Join(names, ", ")
}

func (s *Session) describe(n *ast.Describe) (Result, error) {
	rel, err := s.lookupForDescribe(n.Name)
	if err != nil {
		return nil, err
	}
	var rows [][]types.Datum
	for _, c := range rel.Columns {
		rows = append(rows, []types.Datum{c.Name, c.Type.String(), fmt.Sprint(c.Hidden), nullIfEmpty(c.Comment)})
	}
	if len(rel.Key) > 0 && rel.Kind != catalog.KindSystemView {
		rows = append(rows, []types.Datum{"primary key", keyNames(rel), nil, nil})
	}
	rows = append(rows, []types.Datum{"table description", rel.Name, nil, nullIfEmpty(rel.Comment)})
	return datumRows(fmt.Sprintf("DESCRIBE %d", len(rows)), describeColumns, rows), nil
}

func nullIfEmpty(s string) types.Datum {
	if s == "" {
		return nil
	}
	return s
}

// datumRows is a result computed in full, with NULLs where rows hold nil.
func datumRows(tag string, cols []Column, rows [][]types.Datum) Result {
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	return &rowsResult{chunks: []*chunk.Chunk{chunk.FromRows(ts, rows)}, tag: tag}
}

// refreshMaterializedView answers REFRESH MATERIALIZED VIEW, which dbt's
// materialized views and BI tools send: an Eddy view is never stale, so
// there is nothing to recompute. It waits as FLUSH does, so that the view
// shows every change made before it, and says so in a notice.
func (s *Session) refreshMaterializedView(ctx context.Context, n *ast.RefreshMaterializedView) (Result, error) {
	rel, err := s.lookupForDescribe(n.Name)
	if err != nil {
		return nil, err
	}
	if rel.Kind != catalog.KindMaterializedView {
		// PostgreSQL 15 answers this with feature_not_supported, not
		// wrong_object_type.
		return nil, pgerror.New(pgerror.FeatureNotSupported, "%q is not a materialized view", rel.Name)
	}
	if n.NoData {
		return nil, pgerror.Unsupported("REFRESH MATERIALIZED VIEW … WITH NO DATA is not supported").
			WithHint("Eddy keeps every materialized view populated; DROP MATERIALIZED VIEW removes one.")
	}
	if err := s.engine.runtime.Flush(ctx); err != nil {
		return nil, err
	}
	s.notice("materialized view %q is always up to date; REFRESH waited for earlier changes, as FLUSH does", rel.Name)
	return tagOnly("REFRESH MATERIALIZED VIEW"), nil
}
