package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// SetOp runs UNION, INTERSECT and EXCEPT, with or without ALL. Rows are
// recognised by GROUP BY's equality (appendHashKey, NULLs equal); the row
// emitted for a set of equal rows is the first one read.
//
// UNION ALL streams the left input then the right. UNION streams both,
// dropping rows already seen. INTERSECT and EXCEPT first count the right
// input's rows by key, then stream the left, emitting left rows in their
// order: INTERSECT while the right count allows (ALL) or once per key;
// EXCEPT a row whose right count is used up (ALL) or once per key absent
// from the right. Memory holds the keys (and counts) seen.
type SetOp struct {
	plan        *planner.SetOp
	left, right Operator
	types       []types.T

	onRight   bool             // UNION: reading the right input
	counted   bool             // INTERSECT/EXCEPT: right input counted
	rightRows map[string]int64 // key → remaining right copies
	emitted   map[string]bool  // keys emitted (distinct forms, UNION)
	keyBuf    []byte
}

var _ Operator = (*SetOp)(nil)

// NewSetOp returns a SetOp of p over its inputs.
func NewSetOp(p *planner.SetOp, left, right Operator) *SetOp {
	return &SetOp{plan: p, left: left, right: right, types: planner.Types(p), emitted: map[string]bool{}}
}

func (s *SetOp) rowKey(c *chunk.Chunk, i int) string {
	s.keyBuf = s.keyBuf[:0]
	for j, t := range s.types {
		s.keyBuf = appendHashKey(s.keyBuf, t, c.Column(j), i)
	}
	return string(s.keyBuf)
}

func (s *SetOp) countRight(ctx context.Context) error {
	s.rightRows = map[string]int64{}
	for {
		c, err := s.right.Next(ctx)
		if err != nil {
			return err
		}
		if c == nil {
			return nil
		}
		if err := checkContext(ctx); err != nil {
			return err
		}
		for i := 0; i < c.Len(); i++ {
			s.rightRows[s.rowKey(c, i)]++
		}
	}
}

func (s *SetOp) Next(ctx context.Context) (*chunk.Chunk, error) {
	if s.plan.Kind != ast.Union && !s.counted {
		s.counted = true
		if err := s.countRight(ctx); err != nil {
			return nil, err
		}
	}
	for {
		in := s.left
		if s.onRight {
			in = s.right
		}
		c, err := in.Next(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			if s.plan.Kind == ast.Union && !s.onRight {
				s.onRight = true
				continue
			}
			return nil, nil
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		if s.plan.Kind == ast.Union && s.plan.All {
			return c, nil
		}
		var sel []int32
		for i := 0; i < c.Len(); i++ {
			if s.keep(s.rowKey(c, i)) {
				sel = append(sel, int32(i))
			}
		}
		if len(sel) > 0 {
			return selectRows(c, sel), nil
		}
	}
}

// keep decides whether the row with key k is emitted.
func (s *SetOp) keep(k string) bool {
	switch s.plan.Kind {
	case ast.Union:
		if s.emitted[k] {
			return false
		}
		s.emitted[k] = true
		return true
	case ast.Intersect:
		if s.rightRows[k] <= 0 {
			return false
		}
		if s.plan.All {
			s.rightRows[k]--
			return true
		}
		s.rightRows[k] = 0
		return true
	default: // Except
		if s.plan.All {
			if s.rightRows[k] > 0 {
				s.rightRows[k]--
				return false
			}
			return true
		}
		if s.rightRows[k] > 0 || s.emitted[k] {
			return false
		}
		s.emitted[k] = true
		return true
	}
}

func (s *SetOp) Close() {
	s.left.Close()
	s.right.Close()
	s.rightRows, s.emitted = nil, nil
}
