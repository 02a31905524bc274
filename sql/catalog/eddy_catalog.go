package catalog

import (
	"sort"
	"time"

	"github.com/eddy-db/eddy/sql/types"
)

// ViewError is one row of eddy_catalog.view_errors: an expression that
// failed on one row of a view's input, so the view holds NULL for it (or,
// for a failed condition, leaves the row out).
type ViewError struct {
	ViewID   uint32
	Operator string
	SQLState string
	Message  string
	// Epoch is the epoch the row last failed in; Time is a timestamptz
	// datum of when.
	Epoch  int64
	Time   types.Datum
	RowKey string
}

// ViewErrorLister is implemented by a SessionInfo that can read the row
// errors recorded in the committed state (for eddy_catalog.view_errors).
type ViewErrorLister interface {
	ViewErrors() ([]ViewError, error)
}

// BackfillLister is implemented by a SessionInfo that can list the
// materialized views being built (for eddy_catalog.backfill_progress).
type BackfillLister interface {
	Backfills() []Backfill
}

// Backfill is one row of eddy_catalog.backfill_progress: a materialized
// view being built and how far it has read its inputs.
type Backfill struct {
	View     *Relation
	RowsDone int64
	// RowsEstimated is the rows of its inputs the build will read, as
	// estimated from their sizes; -1 while unknown.
	RowsEstimated int64
	StartedAt     time.Time
}

// eddy_catalog: Eddy's own system views, for what PostgreSQL's catalogs
// have no words for (the epoch that created an object, its state tables,
// its connector options).

const eddyCatalog = "eddy_catalog"

func init() {
	defineSystemView(13101, eddyCatalog, "relations", []string{
		"id oid", "schema_name name", "name name", "kind text", "created_epoch int8", "definition text",
		"depends_on text", "state_tables int4",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindTable, KindMaterializedView, KindView, KindSource, KindSink) {
			var def any
			if r.SQL != "" {
				def = r.SQL
			}
			deps := "{"
			for i, d := range r.DependsOn {
				if i > 0 {
					deps += ","
				}
				deps += itoa(int(d))
			}
			deps += "}"
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, r.Kind.String(), int64(r.CreatedEpoch), def,
				deps, len(r.StateTables)))
		}
		return rows
	})

	defineSystemView(13102, eddyCatalog, "materialized_views", []string{
		"id oid", "schema_name name", "name name", "created_epoch int8", "definition text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindMaterializedView) {
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, int64(r.CreatedEpoch), r.SQL))
		}
		return rows
	})

	defineSystemView(13103, eddyCatalog, "tables", []string{
		"id oid", "schema_name name", "name name", "created_epoch int8", "connector text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindTable) {
			var connector any
			if c, ok := r.Options["connector"]; ok {
				connector = c
			}
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, int64(r.CreatedEpoch), connector))
		}
		return rows
	})

	defineSystemView(13105, eddyCatalog, "backfill_progress", []string{
		"id oid", "schema_name name", "name name", "rows_done int8", "rows_estimated int8", "started_at timestamptz",
	}, func(v *systemContext) [][]types.Datum {
		lister, ok := v.session.(BackfillLister)
		if !ok {
			return nil
		}
		var rows [][]types.Datum
		for _, b := range lister.Backfills() {
			var estimated any
			if b.RowsEstimated >= 0 {
				estimated = b.RowsEstimated
			}
			rows = append(rows, rowOf(b.View.ID, b.View.Schema, b.View.Name, b.RowsDone, estimated, timestampOrNull(b.StartedAt)))
		}
		return rows
	})

	defineSystemView(13104, eddyCatalog, "sources", []string{
		"id oid", "schema_name name", "name name", "created_epoch int8", "connector text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.cat.Relations(KindSource) {
			var connector any
			if c, ok := r.Options["connector"]; ok {
				connector = c
			}
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, int64(r.CreatedEpoch), connector))
		}
		return rows
	})
}

func init() {
	defineSystemView(13110, eddyCatalog, "view_errors", []string{
		"view_id oid", "schema_name name", "view_name name", "operator text", "sqlstate text", "message text",
		"epoch int8", "time timestamptz", "row_key text",
	}, func(v *systemContext) [][]types.Datum {
		lister, ok := v.session.(ViewErrorLister)
		if !ok {
			return nil
		}
		errs, err := lister.ViewErrors()
		if err != nil {
			v.err = err
			return nil
		}
		var rows [][]types.Datum
		for _, e := range errs {
			r, ok := v.cat.ByID(e.ViewID)
			if !ok {
				continue
			}
			rows = append(rows, rowOf(r.ID, r.Schema, r.Name, e.Operator, e.SQLState, e.Message, e.Epoch, e.Time, e.RowKey))
		}
		return rows
	})
}

func sortStrings(s []string) { sort.Strings(s) }
