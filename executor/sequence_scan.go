package executor

import (
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// newSequenceReader serves SELECT … FROM a sequence: its one row
// (last_value, log_cnt, is_called) as the session reads it now, under the
// sequence's table prefix, the way systemReader serves a system view.
func newSequenceReader(rel *catalog.Relation, ectx *expr.Context) (*systemReader, error) {
	reader, ok := ectx.Session.(catalog.SequenceReader)
	if !ok {
		return nil, pgerror.Unsupported("cannot read sequence %q here", rel.Name)
	}
	v, ok := reader.SequenceValue(rel.ID)
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", rel.Name)
	}
	row := []types.Datum{v.LastValue, v.LogCount, v.IsCalled}
	key := append(storage.TablePrefix(rel.ID), 0)
	return &systemReader{keys: [][]byte{key}, values: [][]byte{encoding.EncodeRow(nil, rel.ColumnTypes(), row)}}, nil
}
