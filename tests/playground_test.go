package tests

import (
	"context"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestPlayground starts `eddy playground`, what `make run` starts, and
// checks that its demo views fill up live and agree with their table.
func TestPlayground(t *testing.T) {
	if harness.Engine(*harness.Target) != harness.EngineEddy {
		t.Skip("the playground is Eddy's own")
	}
	srv := harness.StartEddy(t, harness.Options{Command: "playground"})
	conn := srv.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var orders int64
	for deadline := time.Now().Add(30 * time.Second); orders < 5; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the demo view counts %d orders after 30s; the generator is not feeding it", orders)
		}
		// Before the demo has created its view the query fails; keep polling.
		_ = conn.QueryRow(ctx, `SELECT coalesce(sum(orders), 0) FROM revenue_by_customer`).Scan(&orders)
	}
	// One query reads one snapshot: the view and its table agree in it.
	var inView, inTable int64
	if err := conn.QueryRow(ctx, `SELECT (SELECT sum(orders) FROM revenue_by_customer), (SELECT count(*) FROM orders)`).Scan(&inView, &inTable); err != nil {
		t.Fatal(err)
	}
	if inView != inTable {
		t.Errorf("revenue_by_customer counts %d orders, the orders table has %d", inView, inTable)
	}
}
