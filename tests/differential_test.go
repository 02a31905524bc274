package tests

import (
	"context"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5/pgconn"
)

// differentialSchema is fixed; the data and the changes are random.
var differentialSchema = []string{
	`CREATE TABLE t1 (id int PRIMARY KEY, a int, b text, c numeric(10,2), d boolean)`,
	`CREATE TABLE t2 (id int PRIMARY KEY, t1_id int, x bigint, y double precision, z text)`,
	`CREATE TABLE t3 (k text PRIMARY KEY, v int, ts timestamp)`,
}

// differentialViews are created in this order (a view over a view last) and
// refreshed in this order on PostgreSQL. A view whose expressions fail on
// some rows (division by zero, overflow) has oracle, the query PostgreSQL
// runs instead: the same with the failing value NULL and the failing
// condition false, which is what Eddy's view must hold for every row; and
// badRows, a PostgreSQL query counting the rows (or joined pairs) that
// fail, each of which eddy_catalog.view_errors must hold once.
var differentialViews = []struct{ name, query, oracle, badRows string }{
	{name: "v_filter", query: `SELECT id, a, b, c FROM t1 WHERE a > 10 AND d`},
	{name: "v_agg", query: `SELECT a % 5 AS g, count(*) AS n, count(b) AS nb, sum(a) AS s, sum(c) AS sc, min(c) AS lo, max(b) AS hi FROM t1 GROUP BY a % 5`},
	{name: "v_join", query: `SELECT t1.id, t1.a, t2.id AS id2, t2.x, t2.y FROM t1 JOIN t2 ON t1.id = t2.t1_id`},
	{name: "v_left", query: `SELECT t1.id, t1.a, t2.id AS id2, t2.x FROM t1 LEFT JOIN t2 ON t1.id = t2.t1_id AND t2.x > 0`},
	{name: "v_full", query: `SELECT t1.id, t1.b, t2.id AS id2, t2.z FROM t1 FULL JOIN t2 ON t1.a = t2.t1_id`},
	{name: "v_top", query: `SELECT id, a, b FROM t1 ORDER BY a DESC NULLS LAST, id LIMIT 5`},
	{name: "v_top_per", query: `SELECT id, a, d, rn FROM (SELECT id, a, d, row_number() OVER (PARTITION BY d ORDER BY a DESC NULLS LAST, id) AS rn FROM t1) s WHERE rn <= 3`},
	{name: "v_t3", query: `SELECT v % 3 AS g, count(*) AS n, sum(v) AS s, min(ts) AS first, max(ts) AS last FROM t3 GROUP BY v % 3`},
	{name: "v_join_agg", query: `SELECT a, count(*) AS n, sum(x) AS sx, min(id2) AS lo FROM v_join GROUP BY a`},
	{name: "v_on_v", query: `SELECT g, n * 2 AS n2, s FROM v_agg WHERE n > 1`},
	{name: "v_err_project",
		query:   `SELECT id, a, 100 / (a % 7) AS r, b FROM t1`,
		oracle:  `SELECT id, a, CASE WHEN a % 7 = 0 THEN NULL ELSE 100 / (a % 7) END AS r, b FROM t1`,
		badRows: `SELECT count(*) FROM t1 WHERE a % 7 = 0`},
	{name: "v_err_filter",
		query:   `SELECT id, a, c FROM t1 WHERE 60 / (a % 5) > 10`,
		oracle:  `SELECT id, a, c FROM t1 WHERE CASE WHEN a % 5 = 0 THEN false ELSE 60 / (a % 5) > 10 END`,
		badRows: `SELECT count(*) FROM t1 WHERE a % 5 = 0`},
	{name: "v_err_overflow",
		query:   `SELECT id, t1_id, x * 20000000 AS big FROM t2`,
		oracle:  `SELECT id, t1_id, CASE WHEN abs(x) > 461168601842 THEN NULL ELSE x * 20000000 END AS big FROM t2`,
		badRows: `SELECT count(*) FROM t2 WHERE abs(x) > 461168601842`},
	{name: "v_err_agg",
		query: `SELECT d, count(*) AS n, sum(1000 / (a % 4)) AS s, count(*) FILTER (WHERE 12 / (a % 3) > 2) AS f FROM t1 GROUP BY d`,
		oracle: `SELECT d, count(*) AS n, sum(CASE WHEN a % 4 = 0 THEN NULL ELSE 1000 / (a % 4) END) AS s,
			count(*) FILTER (WHERE CASE WHEN a % 3 = 0 THEN false ELSE 12 / (a % 3) > 2 END) AS f FROM t1 GROUP BY d`,
		badRows: `SELECT count(*) FROM t1 WHERE a % 4 = 0 OR a % 3 = 0`},
	{name: "v_err_join",
		query: `SELECT t1.id, t1.a, t2.id AS id2, t2.x FROM t1 JOIN t2 ON t1.id = t2.t1_id AND t2.x / (t1.a % 3) > 0`,
		oracle: `SELECT t1.id, t1.a, t2.id AS id2, t2.x FROM t1 JOIN t2 ON t1.id = t2.t1_id
			AND CASE WHEN t1.a % 3 = 0 THEN false ELSE t2.x / (t1.a % 3) > 0 END`,
		badRows: `SELECT count(*) FROM t1 JOIN t2 ON t1.id = t2.t1_id WHERE t1.a % 3 = 0 AND t2.x IS NOT NULL`},
	{name: "v_err_left",
		query: `SELECT t1.id, t1.a, t2.id AS id2, t2.x FROM t1 LEFT JOIN t2 ON t1.id = t2.t1_id AND t2.x / (t1.a % 3) > 0`,
		oracle: `SELECT t1.id, t1.a, t2.id AS id2, t2.x FROM t1 LEFT JOIN t2 ON t1.id = t2.t1_id
			AND CASE WHEN t1.a % 3 = 0 THEN false ELSE t2.x / (t1.a % 3) > 0 END`,
		badRows: `SELECT count(*) FROM t1 JOIN t2 ON t1.id = t2.t1_id WHERE t1.a % 3 = 0 AND t2.x IS NOT NULL`},
}

const differentialSteps = 400

// TestDifferential runs the same random DML on the server under test and on
// PostgreSQL and, every few statements, compares every table and view. It
// runs with the views' operators as 1, 2 and 4 instances
// (--streaming-parallelism), each the same random run: results never
// depend on N. Reproduce a failure with -seed N (printed on failure).
func TestDifferential(t *testing.T) {
	seed := *harness.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	for _, n := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("parallelism=%d", n), func(t *testing.T) { runDifferential(t, seed, n) })
	}
}

func runDifferential(t *testing.T, seed int64, parallelism int) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("reproduce with: go test ./tests -run 'TestDifferential/parallelism=%d' -seed %d", parallelism, seed)
		}
	})
	rng := rand.New(rand.NewSource(seed))

	sut := harness.StartEddy(t, harness.Options{ExtraArgs: []string{"--streaming-parallelism", strconv.Itoa(parallelism)}})
	pg := harness.StartPostgres(t)
	engines := []*diffSide{
		{name: string(sut.Engine), engine: sut.Engine, conn: sut.Conn(t).PgConn()},
		{name: "oracle", engine: harness.EnginePostgres, conn: pg.Conn(t, pg.NewDatabase(t)).PgConn()},
	}
	for _, stmt := range differentialSchema {
		for _, e := range engines {
			e.mustExec(t, stmt)
		}
	}
	var viewNames []string
	for _, v := range differentialViews {
		for _, e := range engines {
			query := v.query
			if v.oracle != "" && e.engine == harness.EnginePostgres {
				query = v.oracle
			}
			e.mustExec(t, "CREATE MATERIALIZED VIEW "+v.name+" AS "+query)
		}
		viewNames = append(viewNames, v.name)
	}

	gen := &dmlGenerator{rng: rng}
	const checkEvery = 40
	var history []string
	for step := 1; step <= differentialSteps; step++ {
		stmt := gen.next()
		history = append(history, stmt)
		var results [2]string
		for i, e := range engines {
			results[i] = e.outcome(stmt)
		}
		if results[0] != results[1] {
			t.Fatalf("step %d (seed %d): %s\n%s: %s\noracle: %s", step, seed, stmt, engines[0].name, results[0], results[1])
		}
		if step%checkEvery == 0 || step == differentialSteps {
			for _, e := range engines {
				for _, f := range harness.FlushStatements(e.engine, viewNames...) {
					e.mustExec(t, f)
				}
			}
			compareAll(t, engines, append([]string{"t1", "t2", "t3"}, viewNames...), step, seed, history)
			if engines[0].engine == harness.EngineEddy {
				compareViewErrors(t, engines, step, seed)
			}
		}
	}
}

type diffSide struct {
	name   string
	engine harness.Engine
	conn   *pgconn.PgConn
}

func (d *diffSide) mustExec(t *testing.T, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := harness.SimpleExec(ctx, d.conn, sql); err != nil {
		t.Fatalf("%s: %s: %v", d.name, sql, err)
	}
}

// outcome is a statement's observable result: its command tag or its
// SQLSTATE.
func (d *diffSide) outcome(sql string) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := harness.SimpleExec(ctx, d.conn, sql)
	if err != nil {
		if code := harness.SQLState(err); code != "" {
			return "error " + code
		}
		return "error " + err.Error()
	}
	return res.Tag
}

func compareAll(t *testing.T, engines []*diffSide, relations []string, step int, seed int64, history []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, rel := range relations {
		var got [2][]string
		for i, e := range engines {
			res, err := harness.SimpleExec(ctx, e.conn, "SELECT * FROM "+rel)
			if err != nil {
				t.Fatalf("%s: SELECT * FROM %s: %v", e.name, rel, err)
			}
			got[i] = harness.SortedRows(res.Rows)
		}
		if step == differentialSteps {
			t.Logf("%s: %d rows", rel, len(got[0]))
		}
		if strings.Join(got[0], "\n") != strings.Join(got[1], "\n") {
			last := history
			if len(last) > 20 {
				last = last[len(last)-20:]
			}
			t.Fatalf("after step %d (seed %d) %s differs\n%s (%d rows):\n  %s\noracle (%d rows):\n  %s\nlast statements:\n  %s",
				step, seed, rel, engines[0].name, len(got[0]), strings.Join(got[0], "\n  "),
				len(got[1]), strings.Join(got[1], "\n  "), strings.Join(last, ";\n  "))
		}
	}
}

// compareViewErrors checks that eddy_catalog.view_errors holds each failing
// row of each view once: as many records as PostgreSQL counts bad rows.
func compareViewErrors(t *testing.T, engines []*diffSide, step int, seed int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	count := func(e *diffSide, query string) string {
		res, err := harness.SimpleExec(ctx, e.conn, query)
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("%s: %s: %v", e.name, query, err)
		}
		return harness.SortedRows(res.Rows)[0]
	}
	total := 0
	for _, v := range differentialViews {
		if v.badRows == "" {
			continue
		}
		want := count(engines[1], v.badRows)
		got := count(engines[0], "SELECT count(*) FROM eddy_catalog.view_errors WHERE view_name = '"+v.name+"'")
		if got != want {
			t.Fatalf("after step %d (seed %d): view_errors holds %s rows of %s, PostgreSQL counts %s bad rows (%s)",
				step, seed, got, v.name, want, v.badRows)
		}
		n, _ := strconv.Atoi(want)
		total += n
	}
	if step == differentialSteps {
		t.Logf("view_errors: %d rows", total)
	}
}

// dmlGenerator produces random INSERT/UPDATE/DELETE statements over the
// differential schema. Keys come from small ranges so that statements hit
// existing rows and sometimes collide (a duplicate key must fail the same
// way on both sides).
type dmlGenerator struct{ rng *rand.Rand }

func (g *dmlGenerator) maybeNull(p float64, v string) string {
	if g.rng.Float64() < p {
		return "NULL"
	}
	return v
}

func (g *dmlGenerator) intLit(lo, hi int) string { return fmt.Sprint(lo + g.rng.Intn(hi-lo+1)) }

func (g *dmlGenerator) t1Row(id int) string {
	return fmt.Sprintf("(%d, %s, %s, %s, %s)", id,
		g.maybeNull(0.1, g.intLit(-20, 60)),
		g.maybeNull(0.15, fmt.Sprintf("'%s'", []string{"red", "green", "blue", "", "teal", "x y"}[g.rng.Intn(6)])),
		g.maybeNull(0.1, fmt.Sprintf("%d.%02d", g.rng.Intn(200)-50, g.rng.Intn(100))),
		g.maybeNull(0.2, []string{"true", "false"}[g.rng.Intn(2)]))
}

func (g *dmlGenerator) t2Row(id int) string {
	return fmt.Sprintf("(%d, %s, %s, %s, %s)", id,
		g.maybeNull(0.1, g.intLit(1, 60)),
		g.maybeNull(0.1, fmt.Sprint(g.rng.Int63n(1<<40)-(1<<39))),
		// Multiples of 0.25 are exact in binary, so sums and text forms
		// agree whatever the order of evaluation.
		g.maybeNull(0.1, fmt.Sprintf("%g", float64(g.rng.Intn(400)-200)*0.25)),
		g.maybeNull(0.1, fmt.Sprintf("'z%d'", g.rng.Intn(10))))
}

func (g *dmlGenerator) t3Row(k int) string {
	return fmt.Sprintf("('k%02d', %s, %s)", k,
		g.maybeNull(0.1, g.intLit(-50, 50)),
		g.maybeNull(0.1, fmt.Sprintf("'2024-%02d-%02d %02d:%02d:00'", 1+g.rng.Intn(12), 1+g.rng.Intn(28), g.rng.Intn(24), g.rng.Intn(60))))
}

func (g *dmlGenerator) next() string {
	r := g.rng.Intn(100)
	switch {
	case r < 20: // multi-row insert into t1, sometimes colliding
		n := 1 + g.rng.Intn(3)
		rows := make([]string, n)
		base := 1 + g.rng.Intn(60)
		for i := range rows {
			rows[i] = g.t1Row(base + i*7)
		}
		return "INSERT INTO t1 VALUES " + strings.Join(rows, ", ")
	case r < 32:
		return "INSERT INTO t2 VALUES " + g.t2Row(1+g.rng.Intn(80))
	case r < 42:
		return "INSERT INTO t3 VALUES " + g.t3Row(g.rng.Intn(40))
	case r < 52:
		return fmt.Sprintf("UPDATE t1 SET a = %s, c = c + 1 WHERE id = %d", g.maybeNull(0.1, g.intLit(-20, 60)), 1+g.rng.Intn(60))
	case r < 58:
		return fmt.Sprintf("UPDATE t1 SET d = NOT d, b = %s WHERE id %% %d = %d", g.maybeNull(0.2, "'upd'"), 3+g.rng.Intn(5), g.rng.Intn(3))
	case r < 64:
		return fmt.Sprintf("UPDATE t2 SET t1_id = %s, x = x + %d WHERE id = %d", g.maybeNull(0.1, g.intLit(1, 60)), g.rng.Intn(100), 1+g.rng.Intn(80))
	case r < 70:
		return fmt.Sprintf("UPDATE t3 SET v = v + %d, ts = ts + interval '%d hours' WHERE k = 'k%02d'", g.rng.Intn(7)-3, g.rng.Intn(48), g.rng.Intn(40))
	case r < 80:
		return fmt.Sprintf("DELETE FROM t1 WHERE id = %d", 1+g.rng.Intn(60))
	case r < 84:
		return fmt.Sprintf("DELETE FROM t1 WHERE a < %d", g.rng.Intn(20)-25)
	case r < 92:
		return fmt.Sprintf("DELETE FROM t2 WHERE id = %d OR t1_id = %d", 1+g.rng.Intn(80), 1+g.rng.Intn(60))
	case r < 97:
		return fmt.Sprintf("DELETE FROM t3 WHERE k = 'k%02d'", g.rng.Intn(40))
	default:
		// Overflow and division by zero must fail the same way.
		if g.rng.Intn(2) == 0 {
			return fmt.Sprintf("UPDATE t1 SET a = a / 0 WHERE id = %d", 1+g.rng.Intn(60))
		}
		return fmt.Sprintf("UPDATE t3 SET v = v * 2147483647 WHERE k = 'k%02d'", g.rng.Intn(40))
	}
}
