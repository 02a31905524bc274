package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand"
	"time"

	"github.com/eddy-db/eddy/session"
	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/types"
)

// demoSetup creates the playground's table and views once; IF NOT EXISTS
// makes a restart on the same data directory keep what is there.
var demoSetup = []string{
	`CREATE TABLE IF NOT EXISTS orders (
		id bigint PRIMARY KEY,
		customer text NOT NULL,
		product text NOT NULL,
		amount numeric(10,2) NOT NULL,
		placed_at timestamptz NOT NULL)`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS revenue_by_customer AS
		SELECT customer, count(*) AS orders, sum(amount) AS revenue, max(amount) AS largest
		FROM orders GROUP BY customer`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS big_orders AS
		SELECT id, customer, product, amount FROM orders WHERE amount > 400`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS product_totals AS
		SELECT product, count(*) AS orders, avg(amount) AS average FROM orders GROUP BY product`,
}

var (
	demoCustomers = []string{"alice", "bob", "carol", "dave", "erin", "frank"}
	demoProducts  = []string{"keyboard", "monitor", "mouse", "laptop", "headset"}
)

// runDemo feeds the playground: a few orders a second, and now and then a
// cancelled order (a delete) so the views show retractions too.
func runDemo(ctx context.Context, engine *session.Engine, log *slog.Logger) error {
	s, err := engine.NewSession(ctx, map[string]string{"user": "eddy", "database": "eddy", "application_name": "playground"})
	if err != nil {
		return err
	}
	defer s.Close()
	exec := func(sql string, params ...types.Datum) error {
		st, err := s.Prepare(ctx, sql, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		res, err := st.Execute(ctx, params)
		if err == nil {
			for err == nil {
				var c *chunk.Chunk
				if c, err = res.Next(ctx); c == nil {
					break
				}
			}
			res.Close()
		}
		// Sync ends the statement's implicit transaction, as a client's
		// Sync message does: it commits the writes (or rolls them back).
		if syncErr := s.Sync(ctx); err == nil {
			err = syncErr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		return nil
	}
	for _, sql := range demoSetup {
		if err := exec(sql); err != nil {
			return err
		}
	}
	log.Info("playground demo running", "table", "orders", "views", "revenue_by_customer, big_orders, product_totals")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	id := time.Now().UnixMilli()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		id++
		amount := fmt.Sprintf("%d.%02d", 5+rng.Intn(500), rng.Intn(100))
		err := exec(fmt.Sprintf(`INSERT INTO orders VALUES (%d, '%s', '%s', %s, now())`,
			id, demoCustomers[rng.Intn(len(demoCustomers))], demoProducts[rng.Intn(len(demoProducts))], amount))
		if err == nil && rng.Intn(10) == 0 {
			err = exec(fmt.Sprintf(`DELETE FROM orders WHERE id = %d`, id-int64(rng.Intn(5))))
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Warn("demo write failed", "err", err)
		}
	}
}
