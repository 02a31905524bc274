package mview

import (
	"context"
	"io"
	"log/slog"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func decodeRow(ts []types.T, b []byte) ([]types.Datum, error) { return encoding.DecodeRow(ts, b) }

// createBuilt creates a view and waits for its build, as a foreground
// CREATE MATERIALIZED VIEW does.
func createBuilt(rt *Runtime, ctx context.Context, rel *catalog.Relation, plan *planner.Materialize, commit func(*storage.EpochBatch)) error {
	b, err := rt.CreateMaterializedView(ctx, rel, plan, commit)
	if err != nil {
		return err
	}
	return b.Wait(ctx)
}
