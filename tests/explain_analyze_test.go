package tests

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/tests/harness"
)

// TestExplainAnalyze runs EXPLAIN ANALYZE over pgx: the query runs, and each
// operator's line carries the rows and chunks it returned and its time,
// followed by the whole run's time.
func TestExplainAnalyze(t *testing.T) {
	eddyOnlyTest(t)
	srv := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := srv.Conn(t)
	for _, sql := range []string{
		`CREATE TABLE ea (id int PRIMARY KEY, k int)`,
		`INSERT INTO ea SELECT g, g % 10 FROM generate_series(1, 5000) g`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	rows, err := conn.Query(ctx, `EXPLAIN ANALYZE SELECT k, count(*) FROM ea WHERE id > 100 GROUP BY k`)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(lines, "\n")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\s*HashAgg group=\[k\] aggs=\[count\(\*\)\] \(actual rows=10 chunks=1 time=[0-9.]+ ms\)$`),
		regexp.MustCompile(`(?m)^\s*Scan ea \[id, k\] filter=\(id > 100\) \(actual rows=4900 chunks=5 time=[0-9.]+ ms\)$`),
		regexp.MustCompile(`(?m)^Execution Time: [0-9.]+ ms$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("EXPLAIN ANALYZE output has no line matching %s:\n%s", want, text)
		}
	}
	if _, err := conn.Exec(ctx, `EXPLAIN ANALYZE CREATE MATERIALIZED VIEW ea_v AS SELECT k FROM ea`); harness.SQLState(err) != string(pgerror.FeatureNotSupported) {
		t.Errorf("EXPLAIN ANALYZE of a view = %v, want 0A000", err)
	}
}
