// Command eddy is the Eddy streaming SQL database server and the tools
// around it.
//
//	eddy server      serve a database over the PostgreSQL protocol
//	eddy playground  the same, plus live demo data and views
//	eddy bench       measure scenarios on a server of its own
//	eddy version     print the version
//
// Everything the server says goes through log/slog, set as the default
// logger once in runServer, so every package's slog.Default() logs in the
// one format chosen by --log-format.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/pgwire"
	"github.com/eddy-db/eddy/session"
)

const usage = `usage: eddy <command> [flags]

commands:
  server      serve a database over the PostgreSQL protocol
  playground  serve with demo tables and live materialized views
  bench       measure views' throughput and latency (filter, agg, join, topn, load)
  version     print the version (also: eddy --version)

Run 'eddy <command> -h' for the command's flags.
`

// errUsage marks a command line that is wrong; the usage was printed.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs one command line and returns the exit status: 0, 1 when the
// command failed, 2 when the command line is wrong.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "server":
		err = runServer(args[1:], false, stderr)
	case "playground":
		err = runServer(args[1:], true, stderr)
	case "bench":
		err = runBench(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "eddy version: unexpected argument %q\n\n%s", args[1], usage)
			return 2
		}
		fmt.Fprintf(stdout, "eddy %s\n", buildVersion())
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	slog.Error("eddy stopped", "err", err)
	return 1
}

func runServer(args []string, playground bool, stderr io.Writer) error {
	name := "server"
	defaultDir := "eddy-data"
	if playground {
		name = "playground"
		defaultDir = "eddy-playground-data"
	}
	fs := flag.NewFlagSet("eddy "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:6566", "address to serve the PostgreSQL protocol on")
	dataDir := fs.String("data-dir", defaultDir, "directory of the database")
	barrier := fs.Duration("barrier-interval", time.Second, "time between epochs (from 10ms)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "text (key=value) or json")
	metricsListen := fs.String("metrics-listen", "127.0.0.1:6580", "address to serve Prometheus metrics on (/metrics); empty to disable")
	barrierTimeout := fs.Duration("barrier-timeout", time.Minute, "time an epoch's barrier may take to pass every dataflow; a slower epoch is aborted and the dataflows recover from the last committed one")
	parallelism := fs.Int("streaming-parallelism", 0, fmt.Sprintf("instances of each stateful operator of a materialized view created without SET streaming_parallelism (1 to %d; 0: the number of cores)", mview.VnodeCount))
	memLimit := memoryLimit(defaultMemoryLimit())
	fs.Var(&memLimit, "memory-limit", "memory the dataflows may hold: state caches, Pebble's block cache, an epoch's dirty state (512MB, 2GB or bytes; default a quarter of the machine's or the cgroup's memory)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage // the flag package printed the error and the flags
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "eddy %s: unexpected argument %q\n", name, fs.Arg(0))
		fs.Usage()
		return errUsage
	}

	log, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "eddy %s: %v\n", name, err)
		fs.Usage()
		return errUsage
	}
	slog.SetDefault(log)
	if *barrier < 10*time.Millisecond {
		return fmt.Errorf("--barrier-interval must be at least 10ms")
	}
	if *barrierTimeout <= 0 {
		return fmt.Errorf("--barrier-timeout must be positive")
	}
	if *parallelism < 0 || *parallelism > mview.VnodeCount {
		return fmt.Errorf("--streaming-parallelism must be from 0 (the number of cores) to %d", mview.VnodeCount)
	}
	// EDDY_FAILPOINTS makes dataflows fail on purpose, for the tests of
	// in-process recovery (mview.ParseFailpoints lists the kinds).
	failpoints, err := mview.ParseFailpoints(os.Getenv("EDDY_FAILPOINTS"))
	if err != nil {
		return fmt.Errorf("EDDY_FAILPOINTS: %w", err)
	}
	if failpoints != nil {
		log.Warn("failpoints are set: dataflows will fail on purpose", "EDDY_FAILPOINTS", os.Getenv("EDDY_FAILPOINTS"))
	}
	log.Info("eddy starting", "version", buildVersion(), "command", name, "data_dir", *dataDir, "memory_limit", memLimit.String())
	if os.Getenv("GOMEMLIMIT") == "" {
		// The Go heap holds the state caches and the epoch's dirty state;
		// a soft limit makes the collector work harder rather than let
		// garbage double them. Pebble's caches are allocated outside it.
		debug.SetMemoryLimit(int64(memLimit))
	}

	// Both ports are taken before anything is announced, so a server that
	// cannot serve says why and exits instead of claiming to listen.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", *listen, err)
	}
	defer ln.Close()
	var metricsLn net.Listener
	if *metricsListen != "" {
		if metricsLn, err = net.Listen("tcp", *metricsListen); err != nil {
			return fmt.Errorf("--metrics-listen %s: %w", *metricsListen, err)
		}
		defer metricsLn.Close()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	engine, err := session.Open(ctx, session.Options{DataDir: *dataDir, BarrierInterval: *barrier, MemoryLimit: int64(memLimit),
		BarrierTimeout: *barrierTimeout, Failpoints: failpoints, StreamingParallelism: *parallelism, Logger: log})
	if err != nil {
		return err
	}
	defer engine.Close()

	srv := pgwire.NewServer(pgwire.Config{Listen: *listen, Logger: log, ServerVersion: session.ServerVersion}, backend{engine})
	engine.SetClients(clients{srv})
	if metricsLn != nil {
		serveMetrics(metricsLn, log)
	}
	log.Info("listening", "addr", ln.Addr().String(), "data_dir", *dataDir,
		"connect", fmt.Sprintf("psql -h %s -p %d -U eddy eddy", hostOf(ln.Addr()), portOf(ln.Addr())))
	if playground {
		go func() {
			if err := runDemo(ctx, engine, log); err != nil && !errors.Is(err, context.Canceled) {
				log.Error("demo generator stopped", "err", err)
			}
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		log.Info("shutting down")
		srv.Close()
		return nil
	case err := <-errc:
		return err
	}
}

// newLogger builds the server's one logger from --log-format and
// --log-level.
func newLogger(w io.Writer, format, levelName string) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(levelName)); err != nil {
		return nil, fmt.Errorf("bad --log-level %q: want debug, info, warn or error", levelName)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("bad --log-format %q: want text or json", format)
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	return "127.0.0.1"
}

func portOf(a net.Addr) int {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.Port
	}
	return 6566
}
