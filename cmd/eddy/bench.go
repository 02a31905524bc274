package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eddy-db/eddy/pgwire"
	"github.com/eddy-db/eddy/session"
)

// eddy bench runs a server in this process on a fresh data directory and
// drives it over the PostgreSQL protocol with pgx, as a client would, so
// that what it measures is the whole path: COPY into a table, the
// dataflow of a view over it, the epoch's commit. Each scenario is one view
// over ev (id bigint PRIMARY KEY, k int, v int):
//
//	filter  SELECT id, k, v * 2 FROM ev WHERE v % 3 <> 0
//	agg     SELECT k, count(*), sum(v), min(v), max(v), avg(v) FROM ev GROUP BY k
//	join    SELECT ev.id, ev.v, dim.name FROM ev JOIN dim USING (k)
//	topn    the 3 largest v of each k (row_number() OVER … <= 3)
//	load    agg's view, with the rows loaded while it is kept current
//
// The view scenarios load --rows rows first and time the view's build
// (which reads the table in key order across epochs, as a build of a view
// over a source would), then load --rows/10 more rows into the table with
// the view current. Every scenario then times single-row INSERTs until
// the view shows them. CPU is the process's (server and client together),
// from getrusage; peak RSS is VmHWM, reset before each scenario.

var benchScenarios = map[string]benchScenario{
	"filter": {view: `SELECT id, k, v * 2 AS v2 FROM ev WHERE v % 3 <> 0`, build: true},
	"agg":    {view: `SELECT k, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, avg(v) AS mean FROM ev GROUP BY k`, build: true},
	"join":   {view: `SELECT ev.id, ev.v, dim.name FROM ev JOIN dim USING (k)`, build: true, dim: true},
	"topn": {view: `SELECT k, v, id FROM (SELECT k, v, id, row_number() OVER (PARTITION BY k ORDER BY v DESC, id) AS r FROM ev) AS ranked WHERE r <= 3`,
		build: true},
	"load": {view: `SELECT k, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, avg(v) AS mean FROM ev GROUP BY k`},
}

var benchOrder = []string{"filter", "agg", "join", "topn", "load"}

type benchScenario struct {
	view string
	// build: the table is loaded first and the view's build is timed;
	// otherwise the view exists before the load.
	build bool
	// dim: the scenario reads dim (k int PRIMARY KEY, name text) too.
	dim bool
}

type benchConfig struct {
	rows, groups, keys, batch, inserts int
	parallelism                        int
	memoryLimit                        memoryLimit
	json                               bool
	cpuProfile                         string
}

// benchPhase is one measured part of a scenario.
type benchPhase struct {
	Name         string  `json:"name"`
	Rows         int64   `json:"rows"`
	Seconds      float64 `json:"seconds"`
	RowsPerSec   float64 `json:"rows_per_sec"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	RowsPerCPU   float64 `json:"rows_per_cpu_sec"`
	P50Millis    float64 `json:"p50_ms,omitempty"`
	P99Millis    float64 `json:"p99_ms,omitempty"`
	LatencyCount int     `json:"latency_samples,omitempty"`
}

type benchResult struct {
	Scenario    string       `json:"scenario"`
	Rows        int          `json:"rows"`
	Groups      int          `json:"groups"`
	Parallelism int          `json:"parallelism,omitempty"`
	Phases      []benchPhase `json:"phases"`
	PeakRSS     int64        `json:"peak_rss_bytes"`
	StateBytes  int64        `json:"data_dir_bytes"`
	Cores       int          `json:"cores"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("eddy bench", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: eddy bench [flags] [scenario ...]\n\nscenarios: %s (default: all)\n\nflags:\n", strings.Join(benchOrder, ", "))
		fset.PrintDefaults()
	}
	var c benchConfig
	fset.IntVar(&c.rows, "rows", 1_000_000, "rows loaded into ev")
	fset.IntVar(&c.groups, "groups", 1000, "distinct values of k (the groups of agg and topn)")
	fset.IntVar(&c.keys, "keys", 10_000, "rows of dim, the join's other side (k in 0..keys-1)")
	fset.IntVar(&c.batch, "batch", 10_000, "rows per COPY")
	fset.IntVar(&c.inserts, "inserts", 200, "single-row INSERTs timed until the view shows them")
	fset.IntVar(&c.parallelism, "parallelism", 0, "SET streaming_parallelism before CREATE MATERIALIZED VIEW (0: the server's default)")
	c.memoryLimit = memoryLimit(defaultMemoryLimit())
	fset.Var(&c.memoryLimit, "memory-limit", "the server's --memory-limit")
	fset.BoolVar(&c.json, "json", false, "print one JSON object per scenario instead of a table")
	fset.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if c.rows < 1 || c.groups < 1 || c.keys < 1 || c.batch < 1 || c.inserts < 0 || c.parallelism < 0 {
		fmt.Fprintln(stderr, "eddy bench: --rows, --groups, --keys and --batch must be positive, --inserts and --parallelism not negative")
		return errUsage
	}
	names := fset.Args()
	if len(names) == 0 {
		names = benchOrder
	}
	for _, n := range names {
		if _, ok := benchScenarios[n]; !ok {
			fmt.Fprintf(stderr, "eddy bench: unknown scenario %q (want %s)\n", n, strings.Join(benchOrder, ", "))
			return errUsage
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if !c.json {
		fmt.Fprintf(stdout, "eddy bench: %d rows, %d groups, %d join keys, COPY batches of %d, %d cores, GOMAXPROCS %d\n",
			c.rows, c.groups, c.keys, c.batch, runtime.NumCPU(), runtime.GOMAXPROCS(0))
		fmt.Fprintf(stdout, "%-7s %-8s %10s %9s %12s %14s %9s %9s\n", "", "phase", "rows", "seconds", "rows/s", "rows/cpu-s", "p50 ms", "p99 ms")
	}
	for _, name := range names {
		res, err := benchRun(ctx, name, benchScenarios[name], c, stderr)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", name, err)
		}
		if c.json {
			if err := json.NewEncoder(stdout).Encode(res); err != nil {
				return err
			}
			continue
		}
		for _, p := range res.Phases {
			fmt.Fprintf(stdout, "%-7s %-8s %10d %9.2f %12.0f %14.0f %9s %9s\n", name, p.Name, p.Rows, p.Seconds, p.RowsPerSec, p.RowsPerCPU, millis(p.P50Millis), millis(p.P99Millis))
		}
		fmt.Fprintf(stdout, "%-7s peak RSS %.1f MiB, data directory %.1f MiB\n", name, mib(res.PeakRSS), mib(res.StateBytes))
	}
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func millis(ms float64) string {
	if ms == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", ms)
}

// benchRun runs one scenario on a server of its own.
func benchRun(ctx context.Context, name string, sc benchScenario, c benchConfig, stderr io.Writer) (*benchResult, error) {
	dir, err := os.MkdirTemp("", "eddy-bench-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := session.Open(ctx, session.Options{DataDir: dir, BarrierInterval: time.Second, MemoryLimit: int64(c.memoryLimit), Logger: log})
	if err != nil {
		return nil, err
	}
	defer engine.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := pgwire.NewServer(pgwire.Config{Listen: ln.Addr().String(), Logger: log, ServerVersion: session.ServerVersion}, backend{engine})
	engine.SetClients(clients{srv})
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	dsn := fmt.Sprintf("postgres://eddy@%s/eddy?sslmode=disable", ln.Addr())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	exec := func(sql string) error {
		_, err := conn.Exec(ctx, sql)
		if err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		return nil
	}
	resetPeakRSS()
	res := &benchResult{Scenario: name, Rows: c.rows, Groups: c.groups, Parallelism: c.parallelism, Cores: runtime.NumCPU()}
	if err := exec(`CREATE TABLE ev (id bigint PRIMARY KEY, k int, v int)`); err != nil {
		return nil, err
	}
	if sc.dim {
		if err := exec(`CREATE TABLE dim (k int PRIMARY KEY, name text)`); err != nil {
			return nil, err
		}
		if err := exec(fmt.Sprintf(`INSERT INTO dim SELECT g, 'name-' || g FROM generate_series(0, %d) AS g`, c.keys-1)); err != nil {
			return nil, err
		}
	}
	if c.parallelism > 0 {
		if err := exec(fmt.Sprintf(`SET streaming_parallelism = %d`, c.parallelism)); err != nil {
			return nil, err
		}
	}
	createView := func() error { return exec(`CREATE MATERIALIZED VIEW bench_view AS ` + sc.view) }

	keyOf := func(id int64) int64 {
		if sc.dim {
			return id % int64(c.keys)
		}
		return id % int64(c.groups)
	}
	var next int64
	load := func(phase string, rows int) (benchPhase, error) {
		p := benchPhase{Name: phase}
		var done atomic.Int64
		stopProgress := progress(stderr, name+" "+phase, int64(rows), &done)
		defer stopProgress()
		var lat []time.Duration
		cpu0, t0 := cpuTime(), time.Now()
		for sent := 0; sent < rows; {
			n := min(c.batch, rows-sent)
			first := next
			started := time.Now()
			copied, err := conn.CopyFrom(ctx, pgx.Identifier{"ev"}, []string{"id", "k", "v"}, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
				id := first + int64(i)
				return []any{id, keyOf(id), (id * 7919) % 100_003}, nil
			}))
			if err != nil {
				return p, fmt.Errorf("COPY: %w", err)
			}
			lat = append(lat, time.Since(started))
			next += copied
			sent += int(copied)
			done.Store(int64(sent))
		}
		p.finish(int64(rows), time.Since(t0), cpuTime()-cpu0)
		if phase != "load" || len(lat) > 1 {
			p.latencies(lat)
		}
		return p, nil
	}

	if sc.build {
		first, err := load("load", c.rows)
		if err != nil {
			return nil, err
		}
		first.P50Millis, first.P99Millis, first.LatencyCount = 0, 0, 0 // no view yet: not change-to-visible
		res.Phases = append(res.Phases, first)
		var built atomic.Int64
		stopProgress := progressQuery(ctx, stderr, name+" build", int64(c.rows), dsn, &built)
		cpu0, t0 := cpuTime(), time.Now()
		err = createView()
		stopProgress()
		if err != nil {
			return nil, err
		}
		p := benchPhase{Name: "build"}
		p.finish(int64(c.rows), time.Since(t0), cpuTime()-cpu0)
		res.Phases = append(res.Phases, p)
		more, err := load("stream", max(c.rows/10, c.batch))
		if err != nil {
			return nil, err
		}
		res.Phases = append(res.Phases, more)
	} else {
		if err := createView(); err != nil {
			return nil, err
		}
		p, err := load("load", c.rows)
		if err != nil {
			return nil, err
		}
		res.Phases = append(res.Phases, p)
	}

	if c.inserts > 0 {
		p := benchPhase{Name: "insert"}
		lat := make([]time.Duration, 0, c.inserts)
		cpu0, t0 := cpuTime(), time.Now()
		for i := 0; i < c.inserts; i++ {
			id := next
			next++
			started := time.Now()
			if _, err := conn.Exec(ctx, `INSERT INTO ev VALUES ($1, $2, $3)`, id, keyOf(id), id%1000); err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(started))
		}
		p.finish(int64(c.inserts), time.Since(t0), cpuTime()-cpu0)
		p.latencies(lat)
		res.Phases = append(res.Phases, p)
	}
	res.PeakRSS = peakRSS()
	res.StateBytes = dirBytes(dir)
	return res, nil
}

func (p *benchPhase) finish(rows int64, took, cpu time.Duration) {
	p.Rows, p.Seconds, p.CPUSeconds = rows, took.Seconds(), cpu.Seconds()
	if took > 0 {
		p.RowsPerSec = float64(rows) / took.Seconds()
	}
	if cpu > 0 {
		p.RowsPerCPU = float64(rows) / cpu.Seconds()
	}
}

// latencies records the p50 and p99 of change-to-visible times: a COPY
// or an INSERT returns once its epoch committed with the view.
func (p *benchPhase) latencies(lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
	}
	p.P50Millis, p.P99Millis, p.LatencyCount = at(0.50), at(0.99), len(lat)
}

// progress prints what is done on stderr every half second until stopped.
func progress(w io.Writer, what string, total int64, done *atomic.Int64) func() {
	stop := make(chan struct{})
	finished := make(chan struct{})
	started := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprintf(w, "\r\033[K")
				return
			case <-tick.C:
				d := done.Load()
				fmt.Fprintf(w, "\r\033[K%s: %d/%d rows (%.0f rows/s)", what, d, total, float64(d)/time.Since(started).Seconds())
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// progressQuery shows a build's progress as eddy_catalog.backfill_progress
// has it, read over a connection of its own.
func progressQuery(ctx context.Context, w io.Writer, what string, total int64, dsn string, done *atomic.Int64) func() {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		for ctx.Err() == nil {
			var rows int64
			if err := conn.QueryRow(ctx, `SELECT coalesce(sum(rows_done), 0)::bigint FROM eddy_catalog.backfill_progress`).Scan(&rows); err == nil && rows > 0 {
				done.Store(rows)
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	stop := progress(w, what, total, done)
	return func() { cancel(); stop() }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux's
// clear_refs 5), so each scenario's peak is its own.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM from /proc/self/status, or getrusage's maxrss where
// there is no /proc.
func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				var kb int64
				if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
					return kb << 10
				}
			}
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10
}

// dirBytes is the size of the files under dir: the state the scenario
// left in Pebble, with its WAL.
func dirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
