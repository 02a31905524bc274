package tests

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5"
)

// TestCrashRecovery writes to a table with a materialized view while the
// server is SIGKILLed and restarted on the same data dir several times, then
// checks that DML acknowledged to the client survived, nothing was applied
// twice or half, and the view equals the aggregate recomputed from the table
// and from the client's own model.
//
// It runs with the view's aggregate as 1 and 4 instances
// (--streaming-parallelism): a kill between the instances' flushes must
// lose nothing either.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	seed := *harness.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	for _, n := range []int{1, 4} {
		t.Run(fmt.Sprintf("parallelism=%d", n), func(t *testing.T) { runCrashRecovery(t, seed, n) })
	}
}

func runCrashRecovery(t *testing.T, seed int64, parallelism int) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("reproduce with: go test ./tests -run 'TestCrashRecovery/parallelism=%d' -seed %d", parallelism, seed)
		}
	})
	rng := rand.New(rand.NewSource(seed))

	s := harness.StartEddy(t, harness.Options{ExtraArgs: []string{"--streaming-parallelism", strconv.Itoa(parallelism)}})
	setup := s.Conn(t)
	ctx := context.Background()
	stmts := []string{
		`CREATE TABLE t (k int PRIMARY KEY, v int)`,
		`CREATE MATERIALIZED VIEW mv AS SELECT k % 10 AS g, count(*) AS n, sum(v) AS s FROM t GROUP BY 1`,
	}
	for _, v := range crashJoinViews {
		stmts = append(stmts, "CREATE MATERIALIZED VIEW "+v.name+" AS "+v.query)
	}
	for _, stmt := range stmts {
		if _, err := setup.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	setup.Close(ctx)

	model := newCrashModel()
	writerCtx, stopWriter := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runCrashWriter(writerCtx, s, model, rand.New(rand.NewSource(seed+1)))
	}()

	const crashes = 4
	for i := 0; i < crashes; i++ {
		time.Sleep(time.Duration(300+rng.Intn(700)) * time.Millisecond)
		s.Kill()
		s.Restart(t)
	}
	time.Sleep(500 * time.Millisecond)
	stopWriter()
	wg.Wait()

	acked, uncertain := model.counts()
	t.Logf("seed %d: %d acknowledged statements, %d unacknowledged ones, %d crashes", seed, acked, uncertain, crashes)
	if acked < 20 {
		t.Fatalf("only %d statements were acknowledged: the server made too little progress across restarts", acked)
	}

	conn := s.Conn(t)
	// A statement cut off by the writer's stop may already be queued for the
	// next epoch; flush first so the table and the view are read at one
	// settled epoch.
	views := []string{"mv"}
	for _, v := range crashJoinViews {
		views = append(views, v.name)
	}
	for _, stmt := range s.FlushStatements(views...) {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	table := map[int]int{}
	rows, err := conn.Query(ctx, "SELECT k, v FROM t", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v int
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		if _, dup := table[k]; dup {
			t.Errorf("key %d appears twice in t", k)
		}
		table[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	model.check(t, table)

	view := queryLines(t, conn, "SELECT g, n, s FROM mv")
	adhoc := queryLines(t, conn, "SELECT k % 10, count(*), sum(v) FROM t GROUP BY 1")
	fromModel := aggregateModel(table)
	if strings.Join(view, "\n") != strings.Join(adhoc, "\n") {
		t.Errorf("view mv differs from the ad-hoc aggregate\nview:\n  %s\nad-hoc:\n  %s", strings.Join(view, "\n  "), strings.Join(adhoc, "\n  "))
	}
	if strings.Join(view, "\n") != strings.Join(fromModel, "\n") {
		t.Errorf("view mv differs from the client's model\nview:\n  %s\nmodel:\n  %s", strings.Join(view, "\n  "), strings.Join(fromModel, "\n  "))
	}
	for _, v := range crashJoinViews {
		view, adhoc := queryLines(t, conn, "SELECT * FROM "+v.name), queryLines(t, conn, v.query)
		if strings.Join(view, "\n") != strings.Join(adhoc, "\n") {
			t.Errorf("view %s differs from its query run ad hoc\nview:\n  %s\nad-hoc:\n  %s", v.name, strings.Join(view, "\n  "), strings.Join(adhoc, "\n  "))
		}
	}
}

// crashJoinViews are views whose rows move between join keys and top-N
// groups, so between instances, as the writer updates v.
var crashJoinViews = []struct{ name, query string }{
	{"mj", `SELECT a.k, a.v, b.v AS v2 FROM t a LEFT JOIN t b ON a.v = b.k`},
	{"mtop", `SELECT k, v FROM (SELECT k, v, row_number() OVER (PARTITION BY p ORDER BY k DESC) AS r FROM (SELECT k, v, v % 7 AS p FROM t) y) x WHERE r <= 2`},
}

func queryLines(t *testing.T, conn *pgx.Conn, sql string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := harness.SimpleExec(ctx, conn.PgConn(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return harness.SortedRows(res.Rows)
}

func aggregateModel(table map[int]int) []string {
	type agg struct{ n, s int }
	groups := map[int]*agg{}
	for k, v := range table {
		a := groups[k%10]
		if a == nil {
			a = &agg{}
			groups[k%10] = a
		}
		a.n++
		a.s += v
	}
	var lines []string
	for g, a := range groups {
		lines = append(lines, fmt.Sprintf("%d %d %d", g, a.n, a.s))
	}
	sort.Strings(lines)
	return lines
}

// crashModel is what the client knows about t. A statement that returned OK
// is certain; one cut off by a crash may or may not have been applied, and
// a multi-row INSERT must then be applied completely or not at all.
type crashModel struct {
	mu        sync.Mutex
	values    map[int][]int // k -> the values it may have (one when certain)
	mayAbsent map[int]int   // k -> id of the unacknowledged INSERT that created it
	nextKey   int
	nextGroup int
	acked     int
	unacked   int
	errors    []string // statements that failed with a SQL error
}

func newCrashModel() *crashModel {
	return &crashModel{values: map[int][]int{}, mayAbsent: map[int]int{}}
}

func (m *crashModel) counts() (acked, unacked int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.acked, m.unacked
}

// certainKeys are keys whose presence and value are known.
func (m *crashModel) certainKeys() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []int
	for k, vals := range m.values {
		if _, maybe := m.mayAbsent[k]; !maybe && len(vals) == 1 {
			keys = append(keys, k)
		}
	}
	sort.Ints(keys)
	return keys
}

func (m *crashModel) check(t *testing.T, table map[int]int) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.errors {
		t.Errorf("unexpected statement error: %s", e)
	}
	groupPresent := map[int]map[bool][]int{}
	for k, vals := range m.values {
		v, present := table[k]
		if group, maybe := m.mayAbsent[k]; maybe {
			if groupPresent[group] == nil {
				groupPresent[group] = map[bool][]int{}
			}
			groupPresent[group][present] = append(groupPresent[group][present], k)
			if !present {
				continue
			}
		} else if !present {
			t.Errorf("acknowledged INSERT of key %d is lost", k)
			continue
		}
		ok := false
		for _, want := range vals {
			ok = ok || v == want
		}
		if !ok {
			t.Errorf("key %d has v=%d, want one of %v", k, v, vals)
		}
	}
	for group, byPresence := range groupPresent {
		if len(byPresence[true]) > 0 && len(byPresence[false]) > 0 {
			t.Errorf("unacknowledged INSERT #%d was applied in part: keys %v present, %v absent", group, byPresence[true], byPresence[false])
		}
	}
	for k := range table {
		if _, known := m.values[k]; !known {
			t.Errorf("key %d is in t but was never inserted", k)
		}
	}
}

// runCrashWriter inserts new keys (one or several per statement) and
// updates keys it knows, reconnecting whenever the server goes away.
func runCrashWriter(ctx context.Context, s *harness.Server, m *crashModel, rng *rand.Rand) {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for ctx.Err() == nil {
		if conn == nil || conn.IsClosed() {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			c, err := pgx.Connect(cctx, s.DSN())
			cancel()
			if err != nil {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			conn = c
		}
		var sql string
		var apply func(acked bool)
		keys := m.certainKeys()
		if len(keys) > 0 && rng.Intn(3) == 0 {
			k := keys[rng.Intn(len(keys))]
			v := rng.Intn(1000)
			sql = fmt.Sprintf("UPDATE t SET v = %d WHERE k = %d", v, k)
			apply = func(acked bool) {
				if acked {
					m.values[k] = []int{v}
				} else {
					m.values[k] = append(m.values[k], v)
				}
			}
		} else {
			m.mu.Lock()
			n := 1 + rng.Intn(3)
			rows := make([]string, n)
			newKeys := make([]int, n)
			newVals := make([]int, n)
			for i := range rows {
				m.nextKey++
				newKeys[i], newVals[i] = m.nextKey, rng.Intn(1000)
				rows[i] = fmt.Sprintf("(%d, %d)", newKeys[i], newVals[i])
			}
			m.nextGroup++
			group := m.nextGroup
			m.mu.Unlock()
			sql = "INSERT INTO t VALUES " + strings.Join(rows, ", ")
			apply = func(acked bool) {
				for i, k := range newKeys {
					m.values[k] = []int{newVals[i]}
					if !acked {
						m.mayAbsent[k] = group
					}
				}
			}
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := conn.Exec(sctx, sql, pgx.QueryExecModeSimpleProtocol)
		cancel()
		code := harness.SQLState(err)
		m.mu.Lock()
		switch {
		case err == nil:
			m.acked++
			apply(true)
		case code != "" && !strings.HasPrefix(code, "57") && !strings.HasPrefix(code, "08") && !strings.HasPrefix(code, "XX"):
			// A statement error: nothing was applied, but none is expected.
			m.acked++
			m.errors = append(m.errors, fmt.Sprintf("%s: %v", sql, err))
		default:
			// The connection went away (or the server is shutting down):
			// the statement may or may not have been applied.
			m.unacked++
			apply(false)
			conn.Close(context.Background())
			conn = nil
		}
		m.mu.Unlock()
	}
}
