package mview

import (
	"context"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// BenchmarkGroupByView measures rows/s through table → filter → hash agg
// (count, sum, min, max over 1000 groups) → materialize, with a barrier
// every rowsPerEpoch rows.
func BenchmarkGroupByView(b *testing.B) {
	const rowsPerEpoch = 64 * 1024
	ctx := context.Background()
	store := openMemStore(b)
	defer store.Close()
	rt := NewRuntime(store, Options{BarrierInterval: time.Hour, Logger: discardLogger()})
	defer rt.Close()
	if err := rt.AddTable(factsRelation()); err != nil {
		b.Fatal(err)
	}
	rt.Start(ctx)
	rel, plan := byGroupView(b)
	if err := createBuilt(rt, ctx, rel, plan, nil); err != nil {
		b.Fatal(err)
	}
	w, _ := rt.TableWriter(factsID)
	ts := factsRelation().ColumnTypes()
	b.ResetTimer()
	k := int64(0)
	for written := 0; written < b.N; {
		w.Lock()
		for epochRows := 0; epochRows < rowsPerEpoch && written < b.N; {
			cb := chunk.NewBuilder(ts)
			for i := 0; i < maxChunkRows && written < b.N; i++ {
				cb.Append(chunk.Insert, []types.Datum{k, k % 1000, k % 97})
				k++
				written++
				epochRows++
			}
			if err := w.Write(ctx, cb.Build()); err != nil {
				b.Fatal(err)
			}
		}
		w.Unlock()
		if err := rt.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkChangeToVisible measures the latency from TableWriter.Write of
// one row to the return of the Flush that makes it visible in the view.
func BenchmarkChangeToVisible(b *testing.B) {
	ctx := context.Background()
	store := openMemStore(b)
	defer store.Close()
	rt := NewRuntime(store, Options{BarrierInterval: time.Second, Logger: discardLogger()})
	defer rt.Close()
	if err := rt.AddTable(factsRelation()); err != nil {
		b.Fatal(err)
	}
	rt.Start(ctx)
	rel, plan := byGroupView(b)
	if err := createBuilt(rt, ctx, rel, plan, nil); err != nil {
		b.Fatal(err)
	}
	w, _ := rt.TableWriter(factsID)
	ts := factsRelation().ColumnTypes()
	b.ResetTimer()
	for i := range b.N {
		k := int64(i)
		w.Lock()
		if err := w.Write(ctx, chunk.FromRows(ts, [][]types.Datum{{k, k % 10, int64(50)}})); err != nil {
			b.Fatal(err)
		}
		w.Unlock()
		if err := rt.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
