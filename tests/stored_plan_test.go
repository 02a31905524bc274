package tests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/storage"
	"github.com/eddy-db/eddy/tests/harness"
)

// storedPlanViews are views of every streaming operator kind: scan with a
// pushed filter, filter, project, invertible and non-invertible aggregates
// (with DISTINCT), inner, left and full joins, top-n with and without
// partitions, and a view over a view.
var storedPlanViews = []struct{ name, query string }{
	{"v_filter", `SELECT k, v * 2 AS w, upper(s) AS u FROM t WHERE v % 3 <> 0 AND s LIKE 'a%'`},
	{"v_agg", `SELECT k % 5 AS g, count(*) AS n, sum(v) AS total, avg(v) AS mean FROM t GROUP BY 1`},
	{"v_minmax", `SELECT s, min(v) AS lo, max(v) AS hi, count(DISTINCT v % 4) AS d, string_agg(DISTINCT s, ',') AS ss FROM t GROUP BY s`},
	{"v_inner", `SELECT t.k, t.v, u.name FROM t JOIN u ON t.v = u.id`},
	{"v_left", `SELECT u.id, u.name, t.k FROM u LEFT JOIN t ON t.v = u.id AND t.k > 3`},
	{"v_full", `SELECT t.k, u.id FROM t FULL JOIN u ON t.k = u.id`},
	{"v_top", `SELECT k, v FROM t ORDER BY v DESC, k LIMIT 4`},
	{"v_ranked", `SELECT s, k, v FROM (SELECT s, k, v, row_number() OVER (PARTITION BY s ORDER BY v, k) AS r FROM t) x WHERE r <= 2`},
	{"v_case", `SELECT k, CASE WHEN v > 10 THEN 'big' WHEN v IS NULL THEN 'none' ELSE 'small' END AS size, coalesce(s, '?') || '!' AS t2, v BETWEEN 2 AND 8 AS mid, k IN (1, 2, 3) AS low FROM t`},
	{"v_over", `SELECT g, n * 10 AS n10 FROM v_agg WHERE n > 0`},
}

// TestRestartFromStoredPlans restarts a server (after a SIGKILL, and after
// a clean stop) whose views cover every operator kind: each view keeps its
// rows and then follows new changes, equal to its query run ad hoc. The
// views are created with streaming_parallelism 3 on a server whose
// default is 2, and are rebuilt with their stored 3.
func TestRestartFromStoredPlans(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{ExtraArgs: []string{"--streaming-parallelism", "2"}})
	ctx := context.Background()
	conn := s.Conn(t)
	execAll(t, conn,
		`SET streaming_parallelism = 3`,
		`CREATE TABLE t (k int PRIMARY KEY, v int, s text)`,
		`CREATE TABLE u (id int PRIMARY KEY, name text)`,
		`INSERT INTO t SELECT i, i % 13, CASE WHEN i % 4 = 0 THEN NULL ELSE chr(97 + i % 3) END FROM generate_series(1, 60) i`,
		`INSERT INTO u SELECT i, 'u' || i FROM generate_series(0, 9) i`)
	for _, v := range storedPlanViews {
		execAll(t, conn, "CREATE MATERIALIZED VIEW "+v.name+" AS "+v.query)
	}
	before := map[string][]string{}
	for _, v := range storedPlanViews {
		before[v.name] = queryLines(t, conn, "SELECT * FROM "+v.name)
		if len(before[v.name]) == 0 {
			t.Fatalf("%s is empty: the test would prove nothing", v.name)
		}
	}
	conn.Close(ctx)

	for round, restart := range []func(){func() { s.Kill(); s.Restart(t) }, func() { s.Restart(t) }} {
		restart()
		conn = s.Conn(t)
		for _, v := range storedPlanViews {
			if got := queryLines(t, conn, "SELECT * FROM "+v.name); strings.Join(got, "\n") != strings.Join(before[v.name], "\n") {
				t.Fatalf("round %d: %s after restart:\n  %s\nbefore:\n  %s", round, v.name, strings.Join(got, "\n  "), strings.Join(before[v.name], "\n  "))
			}
		}
		execAll(t, conn,
			fmt.Sprintf(`INSERT INTO t SELECT i, i %% 11, chr(97 + i %% 4) FROM generate_series(%d, %d) i`, 61+10*round, 70+10*round),
			`UPDATE t SET v = v + 5 WHERE k % 6 = 1`,
			`DELETE FROM t WHERE k % 9 = 0`,
			`UPDATE u SET name = name || 'x' WHERE id % 2 = 0`,
			`FLUSH`)
		for _, v := range storedPlanViews {
			got := queryLines(t, conn, "SELECT * FROM "+v.name)
			want := queryLines(t, conn, v.query)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("round %d: %s after restart and changes:\n  %s\nits query gives:\n  %s", round, v.name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			before[v.name] = got
		}
		conn.Close(ctx)
	}
	s.Stop()
	for _, v := range storedPlanViews {
		if n := storedPlanParallelism(t, s.DataDir(), v.name); n != 3 {
			t.Errorf("%s: stored plan's parallelism is %d after two restarts, want 3", v.name, n)
		}
	}
}

// storedPlanParallelism reads the parallelism in the plan a stopped
// server stored for view.
func storedPlanParallelism(t *testing.T, dataDir, view string) int {
	t.Helper()
	rel := storedRelation(t, dataDir, view)
	var plan struct {
		Root struct {
			Parallelism int `json:"parallelism"`
		} `json:"root"`
	}
	if err := json.Unmarshal(rel.Plan, &plan); err != nil {
		t.Fatalf("view %s: stored plan: %v", view, err)
	}
	return plan.Root.Parallelism
}

// findStored returns the stored descriptor of the relation named name.
func findStored(t *testing.T, store *storage.Store, name string) *catalog.Relation {
	t.Helper()
	var rel *catalog.Relation
	err := storage.ScanCatalog(store, func(id uint32, blob []byte) error {
		r, err := catalog.Unmarshal(blob)
		if err == nil && r.Name == name {
			rel = r
		}
		return err
	})
	if err != nil || rel == nil {
		t.Fatalf("relation %s not in the stored catalog (%v)", name, err)
	}
	return rel
}

// storedRelation reads the descriptor of the relation named name from a
// stopped server's store.
func storedRelation(t *testing.T, dataDir, name string) *catalog.Relation {
	t.Helper()
	store, err := storage.Open(dataDir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rel := findStored(t, store, name)
	return rel
}

// TestStoredPlanOfAnotherVersionIsRefused simulates a planner change: the
// plan stored for one view is rewritten to another format version while
// the server is down. The server starts, names the view in its log,
// answers queries on it (and on the view reading it) with an error that
// says to recreate it, serves everything else, and drops it on request.
func TestStoredPlanOfAnotherVersionIsRefused(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	ctx := context.Background()
	conn := s.Conn(t)
	execAll(t, conn,
		`CREATE TABLE t (k int PRIMARY KEY, v int)`,
		`INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)`,
		`CREATE MATERIALIZED VIEW old_plan AS SELECT k % 2 AS g, sum(v) AS total FROM t GROUP BY 1`,
		`CREATE MATERIALIZED VIEW reads_old AS SELECT g, total + 1 AS t1 FROM old_plan`,
		`CREATE MATERIALIZED VIEW fine AS SELECT k, v FROM t WHERE v > 10`)
	conn.Close(ctx)
	s.Stop()

	rewriteStoredPlanVersion(t, s.DataDir(), "old_plan", 0)
	s.Restart(t)
	conn = s.Conn(t)
	defer conn.Close(ctx)

	for _, view := range []string{"old_plan", "reads_old"} {
		_, err := conn.Exec(ctx, "SELECT * FROM "+view)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != string(pgerror.ObjectNotInPrerequisiteState) {
			t.Fatalf("SELECT from %s: %v, want SQLSTATE 55000", view, err)
		}
		if !strings.Contains(pgErr.Message, `"`+view+`"`) {
			t.Errorf("the error on %s does not name it: %s", view, pgErr.Message)
		}
		if view == "old_plan" && (!strings.Contains(pgErr.Message, "another version") || !strings.Contains(pgErr.Detail, "format version 0")) {
			t.Errorf("the error on old_plan does not say its plan is of another version: %s (%s)", pgErr.Message, pgErr.Detail)
		}
	}
	log, err := os.ReadFile(s.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "public.old_plan") {
		t.Errorf("the server log does not name the refused view:\n%s", log)
	}

	execAll(t, conn, `INSERT INTO t VALUES (4, 40)`, `FLUSH`)
	if got := queryLines(t, conn, "SELECT * FROM fine"); strings.Join(got, " ") != "2 20 3 30 4 40" {
		t.Fatalf("fine after restart: %v", got)
	}
	execAll(t, conn,
		`DROP MATERIALIZED VIEW reads_old`,
		`DROP MATERIALIZED VIEW old_plan`,
		`CREATE MATERIALIZED VIEW old_plan AS SELECT k % 2 AS g, sum(v) AS total FROM t GROUP BY 1`)
	if got := queryLines(t, conn, "SELECT * FROM old_plan"); strings.Join(got, " ") != "0 60 1 40" {
		t.Fatalf("old_plan recreated: %v", got)
	}
	s.Restart(t)
	conn2 := s.Conn(t)
	defer conn2.Close(ctx)
	if got := queryLines(t, conn2, "SELECT * FROM old_plan"); strings.Join(got, " ") != "0 60 1 40" {
		t.Fatalf("old_plan recreated, after a restart: %v", got)
	}
}

// rewriteStoredPlanVersion opens a stopped server's store and rewrites the
// format version of the plan stored for the view named view, in a commit
// of its own.
func rewriteStoredPlanVersion(t *testing.T, dataDir, view string, version int) {
	t.Helper()
	store, err := storage.Open(dataDir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rel := findStored(t, store, view)
	var plan map[string]json.RawMessage
	if err := json.Unmarshal(rel.Plan, &plan); err != nil || plan["version"] == nil {
		t.Fatalf("view %s has no stored plan with a version: %v", view, err)
	}
	plan["version"], _ = json.Marshal(version)
	if rel.Plan, err = json.Marshal(plan); err != nil {
		t.Fatal(err)
	}
	blob, err := catalog.Marshal(rel)
	if err != nil {
		t.Fatal(err)
	}
	b := store.NewEpochBatch(store.CommittedEpoch() + 1)
	storage.PutCatalog(b, rel.ID, blob)
	if err := store.Commit(b); err != nil {
		t.Fatal(err)
	}
}

func execAll(t *testing.T, conn *pgx.Conn, stmts ...string) {
	t.Helper()
	for _, stmt := range stmts {
		if _, err := conn.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// TestRenameWithDependentsSurvivesRestart renames a table and a view that
// materialized views read, restarts, and checks the views follow changes
// made under the new names.
func TestRenameWithDependentsSurvivesRestart(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	ctx := context.Background()
	conn := s.Conn(t)
	execAll(t, conn,
		`CREATE TABLE t (k int PRIMARY KEY, v int)`,
		`INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)`,
		`CREATE MATERIALIZED VIEW sums AS SELECT k % 2 AS g, sum(v) AS total FROM t GROUP BY 1`,
		`CREATE MATERIALIZED VIEW doubled AS SELECT g, total * 2 AS d FROM sums`,
		`ALTER TABLE t RENAME TO t2`,
		`ALTER MATERIALIZED VIEW sums RENAME TO sums2`)
	conn.Close(ctx)
	s.Kill()
	s.Restart(t)
	conn = s.Conn(t)
	defer conn.Close(ctx)
	execAll(t, conn, `INSERT INTO t2 VALUES (4, 40)`, `FLUSH`)
	if got := strings.Join(queryLines(t, conn, "SELECT * FROM doubled"), " "); got != "0 84 1 8" {
		t.Fatalf("doubled after renames and a restart: %s", got)
	}
	if got := strings.Join(queryLines(t, conn, "SELECT * FROM sums2"), " "); got != "0 42 1 4" {
		t.Fatalf("sums2 after renames and a restart: %s", got)
	}
}
