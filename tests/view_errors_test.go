package tests

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestViewErrorsSurviveKill: the case, a view SELECT id, 100 / v
// over 200 rows of which 5 have v = 0. The view holds all 200 rows (195
// with a value), view_errors the 5 bad ones; both survive a SIGKILL and a
// restart unchanged, with no record doubled by the restart; fixing the rows
// afterwards updates the view and empties view_errors; the metric counted
// the errors.
func TestViewErrorsSurviveKill(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	if s.Engine != harness.EngineEddy {
		t.Skip("view_errors is Eddy's")
	}
	query := func(sql string) []string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := harness.SimpleExec(ctx, s.Conn(t).PgConn(), sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return harness.SortedRows(res.Rows)
	}
	expect := func(sql string, want ...string) {
		t.Helper()
		if got := query(sql); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s:\n got %q\nwant %q", sql, got, want)
		}
	}
	query("CREATE TABLE q (id int PRIMARY KEY, v int)")
	query("CREATE MATERIALIZED VIEW r AS SELECT id, 100 / v AS r FROM q")
	query("INSERT INTO q SELECT g, CASE WHEN g % 40 = 0 THEN 0 ELSE g END FROM generate_series(1, 200) g")
	const badKeys = "(id)=(120)|(id)=(160)|(id)=(200)|(id)=(40)|(id)=(80)"
	check := func() {
		t.Helper()
		expect("SELECT count(*), count(r) FROM r", "200 195")
		expect("SELECT string_agg(row_key, '|' ORDER BY row_key), count(*), min(sqlstate), max(operator) FROM eddy_catalog.view_errors WHERE view_name = 'r'",
			badKeys+" 5 22012 project")
	}
	check()
	s.Kill()
	s.Restart(t)
	check()
	// A new bad row after the restart is added to the others.
	query("INSERT INTO q VALUES (201, 0)")
	expect("SELECT count(*) FROM eddy_catalog.view_errors", "6")

	body := scrape(t, s.MetricsURL())
	if !regexp.MustCompile(`(?m)^eddy_view_row_errors_total\{operator="project",view="r"\} 1$`).MatchString(body) {
		t.Errorf("metrics after the restart lack eddy_view_row_errors_total for the new bad row:\n%s", grepLines(body, "row_errors"))
	}

	query("UPDATE q SET v = 4 WHERE v = 0")
	expect("SELECT count(*), count(r), sum(r) FILTER (WHERE id % 40 = 0 OR id = 201) FROM r", "201 201 150")
	expect("SELECT count(*) FROM eddy_catalog.view_errors", "0")
}

func grepLines(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
