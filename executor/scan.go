package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// Scan reads the rows of a stored relation (table or materialized view) from
// a storage reader, in key order. A system view's rows come from its
// generator instead (system_scan.go), read through the same loop.
//
// Rows live under storage.TablePrefix(relation id) + EncodeKey(key columns)
// with EncodeRow(all columns) as the value, the layout mview's Materialize
// writes. With a KeyPrefix the scan covers only the key range whose leading
// key columns equal the prefix values (evaluated once); a NULL in the
// prefix matches nothing. Each chunk keeps only the plan's Columns and then
// the rows passing the pushed-down Filter.
//
// The reader's Scan is a callback, so Scan reads chunkSize rows per call and
// resumes after the last key it saw: nothing is held open between Next calls
// and a query that stops early reads no more than it returned.
type Scan struct {
	plan   *planner.Scan
	reader storage.Reader
	ectx   *expr.Context

	rowTypes []types.T // every stored column
	outTypes []types.T

	started bool
	done    bool
	lower   []byte // where the next read starts
	upper   []byte

	row     []types.Datum
	out     []types.Datum
	builder *chunk.Builder
	sel     []int32
}

var _ Operator = (*Scan)(nil)

// NewScan returns a Scan of p over r.
func NewScan(p *planner.Scan, r storage.Reader, ectx *expr.Context) (*Scan, error) {
	if p.Relation == nil {
		return nil, pgerror.Internal("executor: scan without a relation")
	}
	rowTypes := p.Relation.ColumnTypes()
	outTypes := make([]types.T, len(p.Columns))
	for i, c := range p.Columns {
		if c < 0 || c >= len(rowTypes) {
			return nil, pgerror.Internal("executor: scan of %s reads column %d of %d", p.Relation.QualifiedName(), c, len(rowTypes))
		}
		outTypes[i] = rowTypes[c]
	}
	if len(p.KeyPrefix) > len(p.Relation.Key) {
		return nil, pgerror.Internal("executor: key prefix longer than the key of %s", p.Relation.QualifiedName())
	}
	return &Scan{
		plan:     p,
		reader:   r,
		ectx:     ectx,
		rowTypes: rowTypes,
		outTypes: outTypes,
		row:      make([]types.Datum, len(rowTypes)),
		out:      make([]types.Datum, len(outTypes)),
		builder:  chunk.NewBuilder(outTypes),
	}, nil
}

// start computes the key range to read.
func (s *Scan) start() error {
	s.started = true
	switch s.plan.Relation.Kind {
	case catalog.KindSystemView:
		r, err := newSystemReader(s.plan.Relation, s.ectx)
		if err != nil {
			return err
		}
		s.reader = r
	case catalog.KindSequence:
		r, err := newSequenceReader(s.plan.Relation, s.ectx)
		if err != nil {
			return err
		}
		s.reader = r
	}
	prefix := storage.TablePrefix(s.plan.Relation.ID)
	if n := len(s.plan.KeyPrefix); n > 0 {
		values, err := evalConstants(s.ectx, s.plan.KeyPrefix)
		if err != nil {
			return err
		}
		keyTypes := make([]types.T, n)
		for i := range keyTypes {
			keyTypes[i] = s.rowTypes[s.plan.Relation.Key[i]]
			if values[i] == nil {
				s.done = true
				return nil
			}
		}
		prefix = encoding.EncodeKey(prefix, keyTypes, values)
	}
	s.lower = prefix
	s.upper = storage.PrefixEnd(prefix)
	return nil
}

func (s *Scan) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for !s.done {
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		n := 0
		var last []byte
		err := s.reader.Scan(s.lower, s.upper, func(key, value []byte) (bool, error) {
			if err := encoding.DecodeRowInto(s.row, s.rowTypes, value); err != nil {
				return false, pgerror.Internal("executor: corrupt row in %s: %v", s.plan.Relation.QualifiedName(), err)
			}
			for i, c := range s.plan.Columns {
				s.out[i] = s.row[c]
			}
			s.builder.Append(chunk.Insert, s.out)
			n++
			if n == chunkSize {
				last = append(last, key...)
				return false, nil
			}
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		if n < chunkSize {
			s.done = true
		} else {
			s.lower = append(last, 0) // the smallest key after last
		}
		c := s.builder.Build()
		if n == 0 {
			continue
		}
		if s.plan.Filter != nil {
			mask, err := s.plan.Filter.Eval(s.ectx, c)
			if err != nil {
				return nil, err
			}
			s.sel, err = selectTrue(mask, s.sel[:0])
			mask.Release()
			if err != nil {
				return nil, err
			}
			if len(s.sel) == 0 {
				continue
			}
			c = selectRows(c, s.sel)
		}
		return c, nil
	}
	return nil, nil
}

func (s *Scan) Close() { s.done = true }
