package session

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/eddy-db/eddy/executor"
	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// DML runs in three steps under the table writer's lock: compute the
// changed rows with a batch plan over the table's latest rows merged with
// other sessions' in-flight writes, check constraints against the same
// view, and hand one change chunk to the table's dataflow. The lock is then
// released and the statement waits for the epoch that carries its chunk to
// commit, so concurrent writers share epochs (group commit).

// tableKey is the storage key of a table row.
func tableKey(rel *catalog.Relation, keyTypes []types.T, row []types.Datum) []byte {
	key := storage.TablePrefix(rel.ID)
	keyRow := make([]types.Datum, len(rel.Key))
	for i, k := range rel.Key {
		keyRow[i] = row[k]
	}
	return encoding.EncodeKey(key, keyTypes, keyRow)
}

func keyTypes(rel *catalog.Relation) []types.T {
	ts := make([]types.T, len(rel.Key))
	for i, k := range rel.Key {
		ts[i] = rel.Columns[k].Type
	}
	return ts
}

// collect runs a plan to completion and returns its rows.
func collect(ctx context.Context, plan planner.Plan, r storage.Reader, ectx *expr.Context) ([][]types.Datum, error) {
	rows, err := executor.Run(ctx, plan, r, ectx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]types.Datum
	for {
		c, err := rows.Next(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return out, nil
		}
		for i := 0; i < c.Len(); i++ {
			out = append(out, c.Row(i))
		}
	}
}

// checkNotNull enforces NOT NULL columns of a new row (the hidden row id is
// filled by the writer).
func checkNotNull(rel *catalog.Relation, row []types.Datum) error {
	for i, c := range rel.Columns {
		if c.NotNull && !c.Hidden && row[i] == nil {
			return pgerror.New(pgerror.NotNullViolation, "null value in column %q of relation %q violates not-null constraint", c.Name, rel.Name).
				WithDetail("Failing row contains %s.", formatRow(rel, row))
		}
	}
	return nil
}

func formatRow(rel *catalog.Relation, row []types.Datum) string {
	var parts []string
	for i, c := range rel.Columns {
		if c.Hidden {
			continue
		}
		if row[i] == nil {
			parts = append(parts, "null")
		} else {
			parts = append(parts, types.FormatText(c.Type, row[i]))
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func duplicateKey(rel *catalog.Relation, row []types.Datum) error {
	var names, vals []string
	for _, k := range rel.Key {
		names = append(names, rel.Columns[k].Name)
		if row[k] == nil {
			vals = append(vals, "null")
		} else {
			vals = append(vals, types.FormatText(rel.Columns[k].Type, row[k]))
		}
	}
	return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint %q", rel.Name+"_pkey").
		WithDetail("Key (%s)=(%s) already exists.", strings.Join(names, ", "), strings.Join(vals, ", "))
}

// applyDML runs compute over the rows the statement must see — the table's
// latest rows, other sessions' acknowledged writes and this transaction's
// own — under the transaction's hold of the table's write lock, and stages
// the change chunk it returns in the transaction. Outside BEGIN … COMMIT
// that is the implicit transaction the next Sync commits.
func (s *Session) applyDML(ctx context.Context, rel *catalog.Relation, compute func(r storage.Reader, u *uniqueChecks) (*chunk.Builder, error)) error {
	t := s.writeTxn()
	tt, err := t.table(ctx, s.engine.runtime, rel)
	if err != nil {
		return err
	}
	u, err := s.uniqueChecks(ctx, t, rel)
	if err != nil {
		return err
	}
	latest := tt.writer.Reader()
	b, err := compute(s.engine.builtViewsOnly(t.overlay.Over(latest), latest), u)
	if err != nil || b.Len() == 0 {
		return err
	}
	c := b.Build()
	if !rel.UserPrimaryKey {
		c = tt.writer.AssignRowIDs(c)
	}
	t.stage(tt, c)
	u.stage(t, c)
	return nil
}

func (s *Session) runInsert(ctx context.Context, p *planner.InsertPlan, ectx *expr.Context) (Result, error) {
	rel := p.Table
	var inserted [][]types.Datum
	err := s.applyDML(ctx, rel, func(r storage.Reader, u *uniqueChecks) (*chunk.Builder, error) {
		rows, err := collect(ctx, p.Source, r, ectx)
		if err != nil {
			return nil, err
		}
		b, ins, _, err := insertRows(r, u, rel, rows, p.OnConflict, ectx)
		inserted = ins
		return b, err
	})
	if err != nil {
		return nil, err
	}
	tag := fmt.Sprintf("INSERT 0 %d", len(inserted))
	return s.returning(rel, p.Returning, inserted, tag, ectx)
}

// insertRows checks new rows of rel (NOT NULL, keys not in r nor repeated,
// unique constraints) and builds the change chunk that inserts them. With
// ON CONFLICT DO NOTHING, rows that conflict on its arbiter are skipped;
// DO UPDATE goes to upsertRows. On an error, failed is the index of the
// offending row.
func insertRows(r storage.Reader, u *uniqueChecks, rel *catalog.Relation, rows [][]types.Datum, oc *planner.OnConflictPlan, ectx *expr.Context) (b *chunk.Builder, inserted [][]types.Datum, failed int, err error) {
	if oc != nil && oc.DoUpdate {
		b, inserted, err = upsertRows(r, u, rel, rows, oc, ectx)
		return b, inserted, -1, err
	}
	skips := func(arbiter planner.Arbiter) bool {
		return oc != nil && (oc.Arbiter == planner.ArbiterAny || oc.Arbiter == arbiter)
	}
	kts := keyTypes(rel)
	b = chunk.NewBuilder(rel.ColumnTypes())
	seen := map[string]bool{}
	var keys [][]byte
	var exist []bool
	if rel.UserPrimaryKey {
		keys = make([][]byte, len(rows))
		for i, row := range rows {
			keys[i] = tableKey(rel, kts, row)
		}
		if exist, err = existingKeys(r, keys); err != nil {
			return nil, nil, -1, err
		}
	}
	if err := u.load(rows); err != nil {
		return nil, nil, -1, err
	}
	for i, row := range rows {
		if err := checkNotNull(rel, row); err != nil {
			return nil, nil, i, err
		}
		if rel.UserPrimaryKey {
			key := keys[i]
			if exist[i] || seen[string(key)] {
				if skips(planner.ArbiterPrimaryKey) {
					continue
				}
				return nil, nil, i, duplicateKey(rel, row)
			}
		}
		if ix, err := u.conflict(row); err != nil {
			return nil, nil, i, err
		} else if ix >= 0 {
			if skips(planner.Arbiter(ix)) {
				continue
			}
			return nil, nil, i, u.violation(u.indexes[ix], row)
		}
		if rel.UserPrimaryKey {
			seen[string(keys[i])] = true
		}
		u.claim(row)
		b.Append(chunk.Insert, row)
		inserted = append(inserted, row)
	}
	return b, inserted, -1, nil
}

// existingKeys reports which of keys are stored in r. It reads them in key
// order in one pass, which for a multi-row INSERT costs much less than a Get
// per row.
func existingKeys(r storage.Reader, keys [][]byte) ([]bool, error) {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
	sorted := make([][]byte, len(keys))
	for i, k := range order {
		sorted[i] = keys[k]
	}
	exist := make([]bool, len(keys))
	err := storage.GetSorted(r, sorted, func(i int, _ []byte, ok bool) error {
		exist[order[i]] = ok
		return nil
	})
	return exist, err
}

func (s *Session) runUpdate(ctx context.Context, p *planner.UpdatePlan, ectx *expr.Context) (Result, error) {
	rel := p.Table
	var updated [][]types.Datum
	err := s.applyDML(ctx, rel, func(r storage.Reader, u *uniqueChecks) (*chunk.Builder, error) {
		rows, err := collect(ctx, p.Source, r, ectx)
		if err != nil {
			return nil, err
		}
		n := len(rel.Columns)
		kts := keyTypes(rel)
		b := chunk.NewBuilder(rel.ColumnTypes())
		// Rows whose key changes are deleted and re-inserted; the new keys
		// must not collide with rows that stay.
		removed := map[string]bool{}
		type moved struct {
			key []byte
			row []types.Datum
		}
		var moves []moved
		seenOld := map[string]bool{}
		for _, row := range rows {
			oldRow, newRow := row[:n], row[n:]
			oldKey := tableKey(rel, kts, oldRow)
			if seenOld[string(oldKey)] {
				continue // a row matched twice through UPDATE … FROM updates once
			}
			seenOld[string(oldKey)] = true
			if !rel.UserPrimaryKey {
				newRow[rel.Key[0]] = oldRow[rel.Key[0]]
			}
			if err := checkNotNull(rel, newRow); err != nil {
				return nil, err
			}
			u.free(oldRow)
			if err := u.check(newRow); err != nil {
				return nil, err
			}
			u.claim(newRow)
			newKey := tableKey(rel, kts, newRow)
			updated = append(updated, newRow)
			if bytes.Equal(oldKey, newKey) {
				b.Append(chunk.UpdateBefore, oldRow)
				b.Append(chunk.UpdateAfter, newRow)
				continue
			}
			b.Append(chunk.Delete, oldRow)
			removed[string(oldKey)] = true
			moves = append(moves, moved{newKey, newRow})
		}
		inserted := map[string]bool{}
		for _, m := range moves {
			if inserted[string(m.key)] {
				return nil, duplicateKey(rel, m.row)
			}
			if !removed[string(m.key)] {
				_, exists, err := r.Get(m.key)
				if err != nil {
					return nil, err
				}
				if exists {
					return nil, duplicateKey(rel, m.row)
				}
			}
			inserted[string(m.key)] = true
			b.Append(chunk.Insert, m.row)
		}
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	return s.returning(rel, p.Returning, updated, fmt.Sprintf("UPDATE %d", len(updated)), ectx)
}

func (s *Session) runDelete(ctx context.Context, p *planner.DeletePlan, ectx *expr.Context) (Result, error) {
	rel := p.Table
	var deleted [][]types.Datum
	err := s.applyDML(ctx, rel, func(r storage.Reader, _ *uniqueChecks) (*chunk.Builder, error) {
		rows, err := collect(ctx, p.Source, r, ectx)
		if err != nil {
			return nil, err
		}
		kts := keyTypes(rel)
		b := chunk.NewBuilder(rel.ColumnTypes())
		seen := map[string]bool{}
		for _, row := range rows {
			key := tableKey(rel, kts, row)
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			b.Append(chunk.Delete, row)
			deleted = append(deleted, row)
		}
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	return s.returning(rel, p.Returning, deleted, fmt.Sprintf("DELETE %d", len(deleted)), ectx)
}

// returning evaluates RETURNING expressions over the affected rows.
func (s *Session) returning(rel *catalog.Relation, exprs []expr.Expr, rows [][]types.Datum, tag string, ectx *expr.Context) (Result, error) {
	if len(exprs) == 0 {
		return tagOnly(tag), nil
	}
	res := &rowsResult{tag: tag}
	if len(rows) == 0 {
		return res, nil
	}
	in := chunk.FromRows(rel.ColumnTypes(), rows)
	outTypes := make([]types.T, len(exprs))
	cols := make([][]types.Datum, len(exprs))
	for j, e := range exprs {
		outTypes[j] = e.Type()
		arr, err := e.Eval(ectx, in)
		if err != nil {
			return nil, err
		}
		cols[j] = make([]types.Datum, len(rows))
		for i := range rows {
			cols[j][i] = chunk.Datum(arr, e.Type(), i)
		}
	}
	b := chunk.NewBuilder(outTypes)
	for i := range rows {
		row := make([]types.Datum, len(exprs))
		for j := range exprs {
			row[j] = cols[j][i]
		}
		b.Append(chunk.Insert, row)
	}
	res.chunks = []*chunk.Chunk{b.Build()}
	return res, nil
}
