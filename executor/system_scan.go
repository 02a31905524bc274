package executor

import (
	"bytes"
	"encoding/binary"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
)

// systemReader serves the rows of a system view (pg_catalog,
// information_schema, eddy_catalog) as if they were stored: computed once
// from the catalog when the scan starts, encoded under the view's table
// prefix in generation order. Scan reads it like storage, so filters,
// chunking and resumption work unchanged.
type systemReader struct {
	keys, values [][]byte
}

var _ storage.Reader = (*systemReader)(nil)

// newSystemReader computes the rows of system view rel for the session of
// ectx.
func newSystemReader(rel *catalog.Relation, ectx *expr.Context) (*systemReader, error) {
	var session catalog.SessionInfo
	if ectx.Session != nil {
		session = ectx.Session
	}
	rows, err := catalog.SystemRows(rel, expr.CatalogOf(ectx), session)
	if err != nil {
		return nil, pgerror.Internal("executor: %v", err)
	}
	ts := rel.ColumnTypes()
	r := &systemReader{}
	prefix := storage.TablePrefix(rel.ID)
	for i, row := range rows {
		key := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), uint64(i))
		r.keys = append(r.keys, key)
		r.values = append(r.values, encoding.EncodeRow(nil, ts, row))
	}
	return r, nil
}

func (r *systemReader) Get(key []byte) ([]byte, bool, error) {
	for i, k := range r.keys {
		if bytes.Equal(k, key) {
			return r.values[i], true, nil
		}
	}
	return nil, false, nil
}

func (r *systemReader) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	for i, k := range r.keys {
		if len(lower) > 0 && bytes.Compare(k, lower) < 0 || len(upper) > 0 && bytes.Compare(k, upper) >= 0 {
			continue
		}
		if more, err := fn(k, r.values[i]); err != nil || !more {
			return err
		}
	}
	return nil
}

func (r *systemReader) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	for i := len(r.keys) - 1; i >= 0; i-- {
		k := r.keys[i]
		if len(lower) > 0 && bytes.Compare(k, lower) < 0 || len(upper) > 0 && bytes.Compare(k, upper) >= 0 {
			continue
		}
		if more, err := fn(k, r.values[i]); err != nil || !more {
			return err
		}
	}
	return nil
}
