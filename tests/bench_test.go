package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eddy-db/eddy/tests/harness"
)

// These benchmarks go through the doors users use: pgx over TCP to an eddy
// process. Run them with `make bench` or
//
//	go test ./tests -run '^$' -bench . -benchtime 20x
//
// and record results in docs/benchmarks.md.

// BenchmarkInsertThroughGroupByView measures rows/s from multi-row INSERTs
// until they are reflected in a GROUP BY materialized view (each INSERT is
// synchronous: it returns once its epoch, view included, has committed).
func BenchmarkInsertThroughGroupByView(b *testing.B) {
	for _, rowsPerStatement := range []int{100, 1000} {
		b.Run(fmt.Sprintf("rows=%d", rowsPerStatement), func(b *testing.B) {
			ctx := context.Background()
			srv := harness.StartEddy(b, harness.Options{BarrierInterval: time.Second})
			conn := srv.Conn(b)
			mustExec(b, conn, `CREATE TABLE events (id bigint PRIMARY KEY, user_id int, amount double precision)`)
			mustExec(b, conn, `CREATE MATERIALIZED VIEW per_user AS SELECT user_id, count(*) AS n, sum(amount) AS total, max(amount) AS top FROM events GROUP BY user_id`)
			next := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var sb strings.Builder
				sb.WriteString("INSERT INTO events VALUES ")
				for r := 0; r < rowsPerStatement; r++ {
					if r > 0 {
						sb.WriteByte(',')
					}
					fmt.Fprintf(&sb, "(%d,%d,%d.5)", next, next%1000, next%97)
					next++
				}
				if _, err := conn.Exec(ctx, sb.String()); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "rows/s")
			var n int64
			if err := conn.QueryRow(ctx, `SELECT sum(n) FROM per_user`).Scan(&n); err != nil || n != int64(next) {
				b.Fatalf("view holds %d rows (err %v), want %d", n, err, next)
			}
		})
	}
}

// BenchmarkChangeToVisible measures the latency from a single-row UPDATE to
// the moment a query of the view sees its effect, at two barrier intervals:
// a synchronous statement asks for an immediate barrier, so the interval
// bounds only how long unrelated changes wait.
func BenchmarkChangeToVisible(b *testing.B) {
	for _, interval := range []time.Duration{10 * time.Millisecond, time.Second} {
		b.Run("barrier="+interval.String(), func(b *testing.B) {
			ctx := context.Background()
			srv := harness.StartEddy(b, harness.Options{BarrierInterval: interval})
			conn := srv.Conn(b)
			mustExec(b, conn, `CREATE TABLE counters (id int PRIMARY KEY, v bigint)`)
			mustExec(b, conn, `INSERT INTO counters VALUES (1, 0)`)
			mustExec(b, conn, `CREATE MATERIALIZED VIEW total AS SELECT sum(v) AS s FROM counters`)
			b.ResetTimer()
			for i := 1; i <= b.N; i++ {
				if _, err := conn.Exec(ctx, `UPDATE counters SET v = $1 WHERE id = 1`, i); err != nil {
					b.Fatal(err)
				}
				var s int64
				if err := conn.QueryRow(ctx, `SELECT s FROM total`).Scan(&s); err != nil {
					b.Fatal(err)
				}
				if s != int64(i) {
					b.Fatalf("view shows %d after the UPDATE to %d returned", s, i)
				}
			}
		})
	}
}

func mustExec(b testing.TB, conn *pgx.Conn, sql string) {
	b.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		b.Fatalf("%s: %v", sql, err)
	}
}
