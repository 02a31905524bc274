package expr

import (
	"github.com/eddy-db/eddy/sql/types"
)

// The size functions (pg_relation_size and its kin, pg_database_size)
// answer from the session's store (SizeSession): Pebble's estimate of the
// bytes a relation's key span takes. Eddy has no forks and no separate
// indexes (a table is stored in its primary key's order), so a relation's
// one "main fork" is its rows, pg_indexes_size is 0, and a materialized
// view's operator state counts in its table size as TOAST does in
// PostgreSQL.

// SizeSession is implemented by a SessionInfo that can estimate sizes.
type SizeSession interface {
	// RelationSize is the estimated bytes of relation id's rows and, with
	// state, of its operator state tables; ok is false if id is no relation.
	RelationSize(id uint32, state bool) (bytes int64, ok bool, err error)
	// DatabaseSize is the estimated bytes of the whole database.
	DatabaseSize() (int64, error)
}

// relationSizeFunc is one of the relation size functions: rows tells
// whether it counts the relation's rows, state its operator state.
func relationSizeFunc(rows, state bool) rowFunc {
	return func(ctx *Context, a []types.Datum) (types.Datum, error) {
		ss, ok := sizeSession(ctx)
		if !ok {
			return nil, nil
		}
		if len(a) > 1 && a[1].(string) != "main" {
			return int64(0), nil // no other forks
		}
		n, ok, err := ss.RelationSize(uint32(a[0].(int64)), state)
		if err != nil || !ok {
			return nil, err
		}
		if !rows {
			return int64(0), nil
		}
		return n, nil
	}
}

func sizeSession(ctx *Context) (SizeSession, bool) {
	if ctx == nil {
		return nil, false
	}
	ss, ok := ctx.Session.(SizeSession)
	return ss, ok
}

func init() {
	regclass := types.T{Kind: types.KindRegclass}
	register(catalogOverloads("pg_relation_size", types.Int64, true, relationSizeFunc(true, false),
		[]types.T{regclass}, []types.T{regclass, types.Text}), "pg_relation_size")
	register(catalogOverloads("pg_table_size", types.Int64, true, relationSizeFunc(true, true),
		[]types.T{regclass}), "pg_table_size")
	register(catalogOverloads("pg_total_relation_size", types.Int64, true, relationSizeFunc(true, true),
		[]types.T{regclass}), "pg_total_relation_size")
	register(catalogOverloads("pg_indexes_size", types.Int64, true, relationSizeFunc(false, false),
		[]types.T{regclass}), "pg_indexes_size")
	register(anyArgs("pg_database_size", 1, 1, types.Int64, true, func(ctx *Context, _ []types.Datum) (types.Datum, error) {
		ss, ok := sizeSession(ctx)
		if !ok {
			return nil, nil
		}
		return ss.DatabaseSize()
	}), "pg_database_size")
}
