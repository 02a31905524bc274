// Command eddy is the Eddy streaming SQL database server and the tools
// around it.
//
//	eddy server      serve a database over the PostgreSQL protocol
//	eddy playground  the same, plus live demo data and views
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/eddy-db/eddy/pgwire"
	"github.com/eddy-db/eddy/session"
)

const usage = `usage: eddy <command> [flags]

commands:
  server      serve a database over the PostgreSQL protocol
  playground  serve with demo tables and live materialized views

Run 'eddy <command> -h' for the command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = runServer(os.Args[2:], false)
	case "playground":
		err = runServer(os.Args[2:], true)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "eddy: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "eddy: %v\n", err)
		os.Exit(1)
	}
}

func runServer(args []string, playground bool) error {
	name := "server"
	defaultDir := "eddy-data"
	if playground {
		name = "playground"
		defaultDir = "eddy-playground-data"
	}
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:6566", "address to serve the PostgreSQL protocol on")
	dataDir := fs.String("data-dir", defaultDir, "directory of the database")
	barrier := fs.Duration("barrier-interval", time.Second, "time between epochs (from 10ms)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	metricsListen := fs.String("metrics-listen", "127.0.0.1:6580", "address to serve Prometheus metrics on (/metrics); empty to disable")
	fs.Parse(args)

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("bad --log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if *barrier < 10*time.Millisecond {
		return fmt.Errorf("--barrier-interval must be at least 10ms")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	engine, err := session.Open(ctx, session.Options{DataDir: *dataDir, BarrierInterval: *barrier, Logger: log})
	if err != nil {
		return err
	}
	defer engine.Close()

	srv := pgwire.NewServer(pgwire.Config{Listen: *listen, Logger: log, ServerVersion: session.ServerVersion}, backend{engine})
	engine.SetClients(clients{srv})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "eddy: listening on %s (data in %s)\n", ln.Addr(), *dataDir)
	fmt.Fprintf(os.Stderr, "eddy: connect with: psql -h %s -p %d -U eddy eddy\n", hostOf(ln.Addr()), portOf(ln.Addr()))

	if *metricsListen != "" {
		if err := serveMetrics(*metricsListen, log); err != nil {
			return err
		}
	}
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
