package executor

import (
	"context"
	"slices"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// Sort reads its whole input, orders the rows by the sort keys and emits
// them in chunks. Values compare with types.Compare (PostgreSQL's btree
// order: C collation for text, NaN above every number). NULLs go first or
// last exactly as each key's NullsFirst says; the planner sets it to
// PostgreSQL's default (NULLS LAST for ASC, NULLS FIRST for DESC) when the
// query does not say. The sort is stable: rows equal on every key keep
// their input order.
type Sort struct {
	plan  *planner.Sort
	input Operator
	types []types.T

	sorted bool
	rows   *chunk.Chunk
	perm   []int32
	pos    int
}

var _ Operator = (*Sort)(nil)

// NewSort returns a Sort of p over input.
func NewSort(p *planner.Sort, input Operator) *Sort {
	return &Sort{plan: p, input: input, types: planner.Types(p.Input)}
}

func (s *Sort) sort(ctx context.Context) error {
	rows, err := drain(ctx, s.input, s.types)
	if err != nil || rows.Len() == 0 {
		return err
	}
	s.rows = rows
	n := rows.Len()
	// Read each key column into datums once rather than at every comparison.
	keys := make([][]types.Datum, len(s.plan.Keys))
	for k, key := range s.plan.Keys {
		col, t := rows.Column(key.Column), s.types[key.Column]
		keys[k] = make([]types.Datum, n)
		for i := range keys[k] {
			keys[k][i] = chunk.Datum(col, t, i)
		}
	}
	s.perm = make([]int32, n)
	for i := range s.perm {
		s.perm[i] = int32(i)
	}
	slices.SortStableFunc(s.perm, func(a, b int32) int {
		for k, key := range s.plan.Keys {
			da, db := keys[k][a], keys[k][b]
			switch {
			case da == nil && db == nil:
				continue
			case da == nil:
				if key.NullsFirst {
					return -1
				}
				return 1
			case db == nil:
				if key.NullsFirst {
					return 1
				}
				return -1
			}
			c := types.Compare(s.types[key.Column], da, db)
			if key.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
}

func (s *Sort) Next(ctx context.Context) (*chunk.Chunk, error) {
	if !s.sorted {
		s.sorted = true
		if err := s.sort(ctx); err != nil {
			return nil, err
		}
	}
	if s.pos >= len(s.perm) {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	end := min(s.pos+chunkSize, len(s.perm))
	c := selectRows(s.rows, s.perm[s.pos:end])
	s.pos = end
	return c, nil
}

func (s *Sort) Close() {
	s.input.Close()
	s.rows, s.perm = nil, nil
}
