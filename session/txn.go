package session

import (
	"bytes"
	"context"
	"sort"

	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// txn is an explicit transaction's pending writes. Its statements compute
// their changes against the tables' latest rows with the transaction's own
// writes on top, and keep the changes here; COMMIT checks that no row the
// transaction changed was changed by someone else meanwhile, then hands
// every table's changes to the runtime in one epoch, so they become visible
// (and durable) together or not at all.
type txn struct {
	overlay *storage.Overlay
	tables  map[uint32]*txnTable
}

// txnTable is one table's part of a transaction.
type txnTable struct {
	rel     *catalog.Relation
	changes *chunk.Builder
	// base holds, for every key the transaction changed, the stored value
	// it saw before its first change (nil: no row), to detect conflicting
	// writers at COMMIT.
	base map[string][]byte
}

func newTxn() *txn {
	return &txn{overlay: storage.NewOverlay(), tables: map[uint32]*txnTable{}}
}

func (t *txn) table(rel *catalog.Relation) *txnTable {
	tt, ok := t.tables[rel.ID]
	if !ok {
		tt = &txnTable{rel: rel, changes: chunk.NewBuilder(rel.ColumnTypes()), base: map[string][]byte{}}
		t.tables[rel.ID] = tt
	}
	return tt
}

// stage records a statement's change chunk in the transaction. committed
// reads the table's rows without the transaction's writes, for the
// conflict check's base values.
func (t *txn) stage(rel *catalog.Relation, c *chunk.Chunk, committed storage.Reader) error {
	tt := t.table(rel)
	ts := rel.ColumnTypes()
	kts := keyTypes(rel)
	for i := 0; i < c.Len(); i++ {
		row := c.Row(i)
		op := c.Op(i)
		key := tableKey(rel, kts, row)
		if _, seen := tt.base[string(key)]; !seen {
			v, ok, err := committed.Get(key)
			if err != nil {
				return err
			}
			if !ok {
				v = nil
			}
			tt.base[string(key)] = v
		}
		if op.IsRetraction() {
			t.overlay.Delete(key)
		} else {
			t.overlay.Set(key, encoding.EncodeRow(nil, ts, row))
		}
		tt.changes.Append(op, row)
	}
	return nil
}

// commit validates and writes every table's changes in one epoch, then
// waits for that epoch to commit.
func (t *txn) commit(ctx context.Context, rt *mview.Runtime) error {
	ids := make([]uint32, 0, len(t.tables))
	for id, tt := range t.tables {
		if tt.changes.Len() > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// Lock in id order so two committing transactions cannot deadlock.
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	writers := make([]*mview.TableWriter, len(ids))
	for i, id := range ids {
		w, err := rt.TableWriter(id)
		if err != nil {
			for _, l := range writers[:i] {
				l.Unlock()
			}
			return err
		}
		w.Lock()
		writers[i] = w
	}
	unlock := func() {
		for _, w := range writers {
			w.Unlock()
		}
	}
	for i, id := range ids {
		tt := t.tables[id]
		for key, was := range tt.base {
			now, ok, err := writers[i].Reader().Get([]byte(key))
			if err != nil {
				unlock()
				return err
			}
			if !ok {
				now = nil
			}
			if (now == nil) != (was == nil) || !bytes.Equal(now, was) {
				unlock()
				return pgerror.New("40001", "could not serialize access due to concurrent update").
					WithDetail("Another session changed a row of table %q that this transaction changed.", tt.rel.Name).
					WithHint("Retry the transaction.")
			}
		}
	}
	err := rt.WriteAtomically(ctx, func() error {
		for i, id := range ids {
			if err := writers[i].Write(ctx, t.tables[id].changes.Build()); err != nil {
				return err
			}
		}
		return nil
	})
	unlock()
	if err != nil {
		return err
	}
	return rt.Flush(ctx)
}
