package tests

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestQueriesSeeOneEpoch writes continuously while another session reads
// two views and their table in one query: every read must see all three
// at the same committed epoch, so they always agree.
func TestQueriesSeeOneEpoch(t *testing.T) {
	if harness.Engine(*harness.Target) != harness.EngineEddy {
		t.Skip("PostgreSQL's materialized views refresh only on demand")
	}
	srv := harness.StartEddy(t, harness.Options{BarrierInterval: 20 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	setup := srv.Conn(t)
	for _, sql := range []string{
		`CREATE TABLE ev (id bigint PRIMARY KEY, kind int)`,
		`CREATE MATERIALIZED VIEW by_kind AS SELECT kind, count(*) AS n FROM ev GROUP BY kind`,
		`CREATE MATERIALIZED VIEW odd AS SELECT id FROM ev WHERE id % 2 = 1`,
	} {
		if _, err := setup.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	writer := srv.Conn(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := 0; ; id++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := writer.Exec(ctx, `INSERT INTO ev VALUES ($1, $2)`, id, id%7); err != nil {
				t.Errorf("insert: %v", err)
				return
			}
		}
	}()
	reader := srv.Conn(t)
	for i := 0; i < 150; i++ {
		var inView, oddInView, inTable, oddInTable int64
		err := reader.QueryRow(ctx, `SELECT
			(SELECT coalesce(sum(n), 0) FROM by_kind),
			(SELECT count(*) FROM odd),
			(SELECT count(*) FROM ev),
			(SELECT count(*) FROM ev WHERE id % 2 = 1)`).Scan(&inView, &oddInView, &inTable, &oddInTable)
		if err != nil {
			t.Fatal(err)
		}
		if inView != inTable || oddInView != oddInTable {
			t.Fatalf("one query saw different epochs: by_kind counts %d rows and odd %d, the table %d and %d",
				inView, oddInView, inTable, oddInTable)
		}
	}
	close(stop)
	wg.Wait()
}
