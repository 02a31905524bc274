package session

import (
	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/storage"
)

// sessionInfo is what a statement's expressions and the system views it
// scans read of its session and engine: settings, names, the catalog,
// sizes (expr.SessionInfo and the optional interfaces beside it).
type sessionInfo struct{ s *Session }

var (
	_ expr.SessionInfo        = sessionInfo{}
	_ expr.CatalogSession     = sessionInfo{}
	_ expr.SizeSession        = sessionInfo{}
	_ expr.BackendSignaller   = sessionInfo{}
	_ catalog.SettingLister   = sessionInfo{}
	_ catalog.ActivityLister  = sessionInfo{}
	_ catalog.ViewErrorLister = sessionInfo{}
)

func (i sessionInfo) Setting(name string) (string, bool) {
	v, err := i.s.vars.get(name)
	return v, err == nil
}

// CurrentSchema is the first schema of the search path that exists, as
// PostgreSQL's current_schema() ("$user" names no schema for user eddy, so
// SQLAlchemy's default schema is public).
func (i sessionInfo) CurrentSchema() string {
	path := i.s.searchPath()
	for _, schema := range path {
		if _, ok := i.s.engine.catalog.SchemaExists(schema); ok {
			return schema
		}
	}
	return path[0]
}

func (i sessionInfo) CurrentDatabase() string { return i.s.database }
func (i sessionInfo) CurrentUser() string     { return i.s.user }
func (i sessionInfo) BackendPID() int32       { return i.s.pid }

// Catalog is the catalog the session's statements run against.
func (i sessionInfo) Catalog() *catalog.Catalog { return i.s.engine.catalog }

// SettingNames lists the session's variables for pg_settings.
func (i sessionInfo) SettingNames() []string { return i.s.vars.names() }

// RelationSize estimates the bytes of a relation's rows, or with state of
// its rows and its dataflow's state tables. Views, sources and system
// views store nothing and take 0 bytes.
func (i sessionInfo) RelationSize(id uint32, state bool) (int64, bool, error) {
	r, ok := i.s.engine.catalog.ByID(id)
	if !ok || r.Kind == catalog.KindSchema {
		return 0, false, nil
	}
	if r.Kind != catalog.KindTable && r.Kind != catalog.KindMaterializedView {
		return 0, true, nil
	}
	spans := []uint32{r.ID}
	if state {
		spans = append(spans, r.StateTables...)
	}
	var total int64
	for _, table := range spans {
		prefix := storage.TablePrefix(table)
		n, err := i.s.engine.store.EstimateSize(prefix, storage.PrefixEnd(prefix))
		if err != nil {
			return 0, false, err
		}
		total += n
	}
	return total, true, nil
}

// DatabaseSize estimates the bytes of the whole store.
func (i sessionInfo) DatabaseSize() (int64, error) {
	return i.s.engine.store.EstimateSize(nil, nil)
}

// ViewErrors reads the row errors of the views of the catalog from the last
// committed epoch.
func (i sessionInfo) ViewErrors() ([]catalog.ViewError, error) {
	return mview.ReadViewErrors(i.s.engine.store, func(id uint32) bool {
		_, ok := i.s.engine.catalog.ByID(id)
		return ok
	})
}
