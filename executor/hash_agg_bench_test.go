package executor

import (
	"context"
	"testing"

	"github.com/eddy-db/eddy/planner"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// chunkSource replays prepared chunks, so benchmarks measure the operator
// above it and not storage.
type chunkSource struct {
	chunks []*chunk.Chunk
	pos    int
}

func (s *chunkSource) Next(context.Context) (*chunk.Chunk, error) {
	if s.pos >= len(s.chunks) {
		return nil, nil
	}
	s.pos++
	return s.chunks[s.pos-1], nil
}

func (s *chunkSource) Close() {}

// BenchmarkHashAgg: SELECT g, count(*), sum(v) FROM 1M rows GROUP BY g with
// 1000 groups, over in-memory chunks.
func BenchmarkHashAgg(b *testing.B) {
	const rows, groups = 1 << 20, 1000
	ts := []types.T{types.Int64, types.Int32}
	var chunks []*chunk.Chunk
	builder := chunk.NewBuilder(ts)
	for i := 0; i < rows; i++ {
		builder.Append(chunk.Insert, []types.Datum{int64(i % groups), int64(i)})
		if builder.Len() == chunkSize {
			chunks = append(chunks, builder.Build())
		}
	}
	input := &planner.Values{Node: planner.Node{Out: outputs(ts...)}}
	t := &testing.T{}
	p := aggregate(input, []int{0}, aggCall(t, "count"), aggCall(t, "sum", col(1, types.Int32)))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		op, err := NewHashAgg(p, &chunkSource{chunks: chunks}, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			c, err := op.Next(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if c == nil {
				break
			}
			n += c.Len()
		}
		if n != groups {
			b.Fatalf("%d groups", n)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
