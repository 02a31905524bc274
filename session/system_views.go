package session

import "github.com/eddy-db/eddy/sql/catalog"

// Catalog lets catalog functions and system views (pg_catalog,
// information_schema) read the catalog the session's statements run
// against (expr.CatalogSession).
func (i sessionInfo) Catalog() *catalog.Catalog { return i.s.engine.catalog }

// SettingNames lists the session's variables for pg_settings
// (catalog.SettingLister).
func (i sessionInfo) SettingNames() []string { return i.s.vars.names() }
