package session

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// upsertRows runs INSERT … ON CONFLICT (arbiter) DO UPDATE. A proposed row
// that conflicts on the arbiter updates the row it conflicts with to oc.Set,
// computed over that row and the proposed one, when oc.Where holds (else
// it does nothing); the other rows are inserted and checked as any insert.
// As in PostgreSQL, two proposed rows with one arbiter key are an error
// (21000), and a conflict on any other constraint raises. It returns the
// change chunk and the rows inserted or updated, in the order proposed.
func upsertRows(r storage.Reader, u *uniqueChecks, rel *catalog.Relation, rows [][]types.Datum, oc *planner.OnConflictPlan, ectx *expr.Context) (*chunk.Builder, [][]types.Datum, error) {
	kts := keyTypes(rel)
	if err := u.load(rows); err != nil {
		return nil, nil, err
	}
	arbiterKey := func(row []types.Datum) ([]byte, bool) {
		if oc.Arbiter == planner.ArbiterPrimaryKey {
			return tableKey(rel, kts, row), true
		}
		return u.indexes[oc.Arbiter].key(row)
	}

	// Which proposed rows conflict, and with which stored row.
	existing := make([][]types.Datum, len(rows))
	var pairs [][]types.Datum // existing row ++ proposed row, per conflict
	proposedKeys := map[string]bool{}
	for i, row := range rows {
		if err := checkNotNull(rel, row); err != nil {
			return nil, nil, err
		}
		k, ok := arbiterKey(row)
		if !ok {
			continue // a NULL in the arbiter's columns conflicts with nothing
		}
		if proposedKeys[string(k)] {
			return nil, nil, pgerror.New(pgerror.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
				WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
		}
		proposedKeys[string(k)] = true
		old, err := conflictingRow(r, u, rel, kts, oc.Arbiter, k)
		if err != nil {
			return nil, nil, err
		}
		if old != nil {
			existing[i] = old
			pairs = append(pairs, append(append(make([]types.Datum, 0, 2*len(row)), old...), row...))
		}
	}
	updates, keep, err := evalUpsert(rel, oc, pairs, ectx)
	if err != nil {
		return nil, nil, err
	}

	b := chunk.NewBuilder(rel.ColumnTypes())
	var written [][]types.Datum
	// Keys the statement took and gave up, over what r holds.
	taken, given := map[string]bool{}, map[string]bool{}
	keyFree := func(key []byte) (bool, error) {
		if taken[string(key)] {
			return false, nil
		}
		if given[string(key)] {
			return true, nil
		}
		_, exists, err := r.Get(key)
		return !exists, err
	}
	next := 0
	for i, row := range rows {
		old := existing[i]
		if old == nil {
			if rel.UserPrimaryKey {
				key := tableKey(rel, kts, row)
				if free, err := keyFree(key); err != nil {
					return nil, nil, err
				} else if !free {
					return nil, nil, duplicateKey(rel, row)
				}
				taken[string(key)] = true
			}
			if err := u.check(row); err != nil {
				return nil, nil, err
			}
			u.claim(row)
			b.Append(chunk.Insert, row)
			written = append(written, row)
			continue
		}
		updated, ok := updates[next], keep[next]
		next++
		if !ok {
			continue
		}
		if !rel.UserPrimaryKey {
			updated[rel.Key[0]] = old[rel.Key[0]]
		}
		if err := checkNotNull(rel, updated); err != nil {
			return nil, nil, err
		}
		u.free(old)
		if err := u.check(updated); err != nil {
			return nil, nil, err
		}
		u.claim(updated)
		oldKey, newKey := tableKey(rel, kts, old), tableKey(rel, kts, updated)
		written = append(written, updated)
		if bytes.Equal(oldKey, newKey) {
			b.Append(chunk.UpdateBefore, old)
			b.Append(chunk.UpdateAfter, updated)
			continue
		}
		b.Append(chunk.Delete, old)
		delete(taken, string(oldKey))
		given[string(oldKey)] = true
		if free, err := keyFree(newKey); err != nil {
			return nil, nil, err
		} else if !free {
			return nil, nil, duplicateKey(rel, updated)
		}
		taken[string(newKey)] = true
		b.Append(chunk.Insert, updated)
	}
	return b, written, nil
}

// conflictingRow returns the stored row whose arbiter key is key, nil if
// none.
func conflictingRow(r storage.Reader, u *uniqueChecks, rel *catalog.Relation, kts []types.T, arbiter planner.Arbiter, key []byte) ([]types.Datum, error) {
	if arbiter != planner.ArbiterPrimaryKey {
		// The index row holds the constrained columns and then the
		// table's key, which leads to the row.
		ix := u.indexes[arbiter]
		v, ok, err := ix.reader.Get(key)
		if err != nil || !ok {
			return nil, err
		}
		irow, err := encoding.DecodeRow(ix.rel.ColumnTypes(), v)
		if err != nil {
			return nil, pgerror.Internal("corrupt row in the index of %s: %v", ix.c.Name, err)
		}
		full := make([]types.Datum, len(rel.Columns))
		for j, k := range rel.Key {
			full[k] = irow[len(ix.c.Columns)+j]
		}
		key = tableKey(rel, kts, full)
	}
	v, ok, err := r.Get(key)
	if err != nil || !ok {
		if err == nil && arbiter != planner.ArbiterPrimaryKey {
			err = pgerror.Internal("the index of %s names a row %s does not hold", u.indexes[arbiter].c.Name, rel.Name)
		}
		return nil, err
	}
	row, err := encoding.DecodeRow(rel.ColumnTypes(), v)
	if err != nil {
		return nil, pgerror.Internal("corrupt row in %s: %v", rel.QualifiedName(), err)
	}
	return row, nil
}

// evalUpsert computes DO UPDATE's new rows and WHERE for every conflict
// at once, over chunks of the existing row followed by the proposed one.
func evalUpsert(rel *catalog.Relation, oc *planner.OnConflictPlan, pairs [][]types.Datum, ectx *expr.Context) ([][]types.Datum, []bool, error) {
	if len(pairs) == 0 {
		return nil, nil, nil
	}
	ts := append(rel.ColumnTypes(), rel.ColumnTypes()...)
	in := chunk.FromRows(ts, pairs)
	updates := make([][]types.Datum, len(pairs))
	for i := range updates {
		updates[i] = make([]types.Datum, len(rel.Columns))
	}
	for j, e := range oc.Set {
		arr, err := e.Eval(ectx, in)
		if err != nil {
			return nil, nil, err
		}
		for i := range pairs {
			updates[i][j] = chunk.Datum(arr, rel.Columns[j].Type, i)
		}
	}
	keep := make([]bool, len(pairs))
	if oc.Where == nil {
		for i := range keep {
			keep[i] = true
		}
		return updates, keep, nil
	}
	arr, err := oc.Where.Eval(ectx, in)
	if err != nil {
		return nil, nil, err
	}
	cond, ok := arr.(*array.Boolean)
	if !ok {
		return nil, nil, pgerror.Internal("ON CONFLICT DO UPDATE … WHERE evaluated to %s", arr.DataType())
	}
	for i := range keep {
		keep[i] = cond.IsValid(i) && cond.Value(i)
	}
	return updates, keep, nil
}
