package session

import (
	"time"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// A materialized view being built (its CREATE returned early with
// background_ddl, or is still waiting, or a restart resumed its build)
// is in the catalog but holds only part of its rows. A query that reads
// it fails with 55000 (object_not_in_prerequisite_state), saying how far
// the build is, rather than answer from half a view: PostgreSQL-speaking
// tools then never see a half-built view as if it were whole. A
// materialized view created over one being built waits, inside its own
// build, until that build committed (see mview.StreamScan).

// builtViewsOnly is a Reader that refuses to read the rows of a
// materialized view being built in snap, the snapshot the query reads.
type builtViewsOnly struct {
	storage.Reader
	snap    storage.Reader
	catalog *catalog.Catalog
	// checked holds the answer for each relation read so far.
	checked map[uint32]error
}

func (e *Engine) builtViewsOnly(r, snap storage.Reader) storage.Reader {
	return &builtViewsOnly{Reader: r, snap: snap, catalog: e.catalog, checked: map[uint32]error{}}
}

func (g *builtViewsOnly) check(key []byte) error {
	id, ok := storage.TableOf(key)
	if !ok {
		return nil
	}
	if err, seen := g.checked[id]; seen {
		return err
	}
	var err error
	if rel, ok := g.catalog.ByID(id); ok && rel.Kind == catalog.KindMaterializedView {
		err = unbuiltViewError(g.snap, rel)
	}
	g.checked[id] = err
	return err
}

// unbuiltViewError returns the error of a read of rel when rel is being
// built in r, nil when it is built.
func unbuiltViewError(r storage.Reader, rel *catalog.Relation) error {
	done, building := int64(0), false
	err := storage.ScanBackfillProgress(r, rel.ID, func(_ uint32, _ int, p storage.BackfillProgress) error {
		building = true
		done += int64(p.Rows)
		return nil
	})
	if err != nil || !building {
		return err
	}
	return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view %q is still being built", rel.Name).
		WithDetail("Its build has read %d rows of its input so far.", done).
		WithHint("Read it once its build is done; eddy_catalog.backfill_progress shows how far it is.")
}

func (g *builtViewsOnly) Get(key []byte) ([]byte, bool, error) {
	if err := g.check(key); err != nil {
		return nil, false, err
	}
	return g.Reader.Get(key)
}

func (g *builtViewsOnly) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	if err := g.check(lower); err != nil {
		return err
	}
	return g.Reader.Scan(lower, upper, fn)
}

func (g *builtViewsOnly) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	if err := g.check(lower); err != nil {
		return err
	}
	return g.Reader.ScanReverse(lower, upper, fn)
}

// Backfills lists the materialized views being built as of the last
// committed epoch, for eddy_catalog.backfill_progress. The rows each build
// will read are estimated from the sizes of its inputs' key spans: the
// rows done times the size of the whole input over the size of the part
// done.
func (i sessionInfo) Backfills() []catalog.Backfill {
	e := i.s.engine
	snap := e.store.Snapshot()
	defer snap.Close()
	var out []catalog.Backfill
	byView := map[uint32]int{}
	err := storage.ScanBackfillProgress(snap, 0, func(viewID uint32, _ int, p storage.BackfillProgress) error {
		rel, ok := e.catalog.ByID(viewID)
		if !ok {
			return nil // created by a statement still waiting for its first epoch
		}
		n, seen := byView[viewID]
		if !seen {
			n = len(out)
			byView[viewID] = n
			out = append(out, catalog.Backfill{View: rel, StartedAt: time.UnixMicro(p.StartedAt)})
		}
		b := &out[n]
		b.RowsDone += int64(p.Rows)
		if b.RowsEstimated < 0 {
			return nil
		}
		estimate, err := e.estimateInputRows(p)
		if err != nil {
			return err
		}
		if estimate < 0 {
			b.RowsEstimated = -1
		} else {
			b.RowsEstimated += estimate
		}
		return nil
	})
	if err != nil {
		e.log.Error("listing the builds of materialized views", "err", err)
	}
	return out
}

// estimateInputRows estimates the rows a scan of a build reads in all:
// -1 when it has read none yet of an input that is not empty.
func (e *Engine) estimateInputRows(p storage.BackfillProgress) (int64, error) {
	if p.Done {
		return int64(p.Rows), nil
	}
	prefix := storage.TablePrefix(p.Input)
	total, err := e.store.EstimateSize(prefix, storage.PrefixEnd(prefix))
	if err != nil || total == 0 {
		return int64(p.Rows), err
	}
	if p.Rows == 0 {
		return -1, nil
	}
	done, err := e.store.EstimateSize(prefix, storage.KeyAfter(append(append([]byte(nil), prefix...), p.LastKey...)))
	if err != nil {
		return 0, err
	}
	if done <= 0 {
		return -1, nil
	}
	return max(int64(p.Rows), int64(float64(p.Rows)*float64(total)/float64(done))), nil
}
