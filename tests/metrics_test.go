package tests

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestMetrics checks that the server's Prometheus endpoint reports epochs,
// sessions and statement errors as they happen.
func TestMetrics(t *testing.T) {
	if harness.Engine(*harness.Target) != harness.EngineEddy {
		t.Skip("metrics are Eddy's own")
	}
	srv := harness.StartEddy(t, harness.Options{})
	conn := srv.Conn(t)
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE TABLE m (id int PRIMARY KEY, v int)`,
		`INSERT INTO m VALUES (1, 1), (2, 2)`,
		`CREATE MATERIALIZED VIEW mv AS SELECT sum(v) FROM m`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := conn.Exec(ctx, `SELECT * FROM no_such_table`); err == nil {
		t.Fatal("query of a missing table succeeded")
	}
	body := scrape(t, srv.MetricsURL())
	for _, want := range []struct {
		pattern string
		atLeast float64
	}{
		{`eddy_epochs_committed_total (\S+)`, 3},
		{`eddy_committed_epoch (\S+)`, 3},
		{`eddy_sessions (\S+)`, 1},
		{`eddy_statements_total\{kind="insert"\} (\S+)`, 1},
		{`eddy_statement_errors_total\{sqlstate="42P01"\} (\S+)`, 1},
		{`eddy_epoch_commit_duration_seconds_count (\S+)`, 3},
	} {
		m := regexp.MustCompile(`(?m)^` + want.pattern + `$`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("metrics lack %s", want.pattern)
			continue
		}
		if v, _ := strconv.ParseFloat(m[1], 64); v < want.atLeast {
			t.Errorf("%s = %v, want at least %v", want.pattern, v, want.atLeast)
		}
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
