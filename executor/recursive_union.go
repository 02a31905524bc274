package executor

import (
	"context"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/expr"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// maxRecursion bounds the iterations of one recursive query: PostgreSQL
// has no limit and runs until it is cancelled or out of space; Eddy stops
// a runaway query with an error instead.
const maxRecursion = 1_000_000

// RecursiveUnion evaluates WITH RECURSIVE with PostgreSQL's working-table
// algorithm: it streams the seed's rows, which become the working table;
// then, while the working table is not empty, it builds the recursive
// term's operators afresh (their WorkTableScan reads the working table
// through expr.Context.WorkTables), streams their rows and makes them the
// next working table. UNION (not ALL) drops every row equal (as GROUP BY
// compares, NULLs equal) to one already emitted, so only new rows reach
// the working table and a cycle ends.
//
// Memory: the working table and the next one (references to the chunks
// returned, which operators never modify), and for UNION the keys seen.
type RecursiveUnion struct {
	plan   *planner.RecursiveUnion
	reader storage.Reader
	ectx   *expr.Context
	types  []types.T

	seed      Operator // nil once drained
	recursive Operator // the current iteration's, nil between iterations
	work      []*chunk.Chunk
	next      []*chunk.Chunk
	rounds    int
	seen      map[string]bool
	keyBuf    []byte
}

var _ Operator = (*RecursiveUnion)(nil)

// NewRecursiveUnion returns a RecursiveUnion of p reading r; it builds the
// seed now and the recursive term per iteration.
func NewRecursiveUnion(p *planner.RecursiveUnion, r storage.Reader, ectx *expr.Context) (*RecursiveUnion, error) {
	seed, err := build(p.Seed, r, ectx)
	if err != nil {
		return nil, err
	}
	u := &RecursiveUnion{plan: p, reader: r, ectx: ectx, types: planner.Types(p), seed: seed}
	if !p.All {
		u.seen = map[string]bool{}
	}
	return u, nil
}

func (u *RecursiveUnion) Next(ctx context.Context) (*chunk.Chunk, error) {
	for {
		in := u.seed
		if in == nil {
			if u.recursive == nil {
				if len(u.work) == 0 {
					return nil, nil
				}
				if err := u.startIteration(); err != nil {
					return nil, err
				}
			}
			in = u.recursive
		}
		c, err := in.Next(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			in.Close()
			u.seed, u.recursive = nil, nil
			u.work, u.next = u.next, nil
			continue
		}
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		if c = u.distinct(c); c != nil {
			u.next = append(u.next, c)
			return c, nil
		}
	}
}

// startIteration builds the recursive term over the current working table.
func (u *RecursiveUnion) startIteration() error {
	u.rounds++
	if u.rounds > maxRecursion {
		return pgerror.New(pgerror.ProgramLimitExceeded, "recursive query %q exceeded %d iterations", u.plan.Name, maxRecursion).
			WithHint("Make sure the recursive term stops producing rows, for example with a WHERE condition.")
	}
	if u.ectx.WorkTables == nil {
		u.ectx.WorkTables = map[int][]*chunk.Chunk{}
	}
	u.ectx.WorkTables[u.plan.WorkTable] = u.work
	op, err := build(u.plan.Recursive, u.reader, u.ectx)
	if err != nil {
		return err
	}
	u.recursive = op
	return nil
}

// distinct keeps the rows of c not emitted before (UNION); nil if none.
func (u *RecursiveUnion) distinct(c *chunk.Chunk) *chunk.Chunk {
	if u.seen == nil {
		return c
	}
	var sel []int32
	for i := 0; i < c.Len(); i++ {
		u.keyBuf = u.keyBuf[:0]
		for j, t := range u.types {
			u.keyBuf = appendHashKey(u.keyBuf, t, c.Column(j), i)
		}
		if k := string(u.keyBuf); !u.seen[k] {
			u.seen[k] = true
			sel = append(sel, int32(i))
		}
	}
	switch len(sel) {
	case 0:
		return nil
	case c.Len():
		return c
	}
	return selectRows(c, sel)
}

func (u *RecursiveUnion) Close() {
	if u.seed != nil {
		u.seed.Close()
		u.seed = nil
	}
	if u.recursive != nil {
		u.recursive.Close()
		u.recursive = nil
	}
	u.work, u.next = nil, nil
}

// WorkTableScan produces the chunks of a recursive union's working table,
// as they were when the recursive term's operators were built.
type WorkTableScan struct {
	chunks []*chunk.Chunk
}

var _ Operator = (*WorkTableScan)(nil)

// NewWorkTableScan returns the scan of p's working table in ectx.
func NewWorkTableScan(p *planner.WorkTableScan, ectx *expr.Context) *WorkTableScan {
	return &WorkTableScan{chunks: ectx.WorkTables[p.WorkTable]}
}

func (w *WorkTableScan) Next(ctx context.Context) (*chunk.Chunk, error) {
	if len(w.chunks) == 0 {
		return nil, nil
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	c := w.chunks[0]
	w.chunks = w.chunks[1:]
	return c, nil
}

func (w *WorkTableScan) Close() { w.chunks = nil }
