// Command tracker is the SCS Diffusion Tracker: one binary that serves the
// web app and API (serve), applies the schema (migrate) and loads the shipped
// data (ingest). Configuration comes from environment variables; run
// `tracker --help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/docs"
	"github.com/scs-diffusion/tracker/frontend"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runIO(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tracker:", err)
		os.Exit(1)
	}
}

const usage = `tracker: the SCS Diffusion Tracker

Usage:
  tracker serve   [--skip-migrate]   serve the web app and the API
  tracker migrate                    apply pending database migrations
  tracker ingest                     load the bundled boundaries, taxonomy and dataset (idempotent)
  tracker export DIR                 write the published dataset, with its history, as a data folder
  tracker admin SUBCOMMAND           organisations, people and API keys (tracker admin --help)
  tracker <command> --help           help for one command

Environment (default in brackets):
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, e := range envVars {
		fmt.Fprintf(w, "  %-18s %s [%s]\n", e.Name, e.Help, e.Default)
	}
}

// run is runIO with an empty standard input.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	return runIO(ctx, args, env, strings.NewReader(""), stdout, stderr)
}

// runIO parses the command line and runs one subcommand.
func runIO(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	if cmd == "admin" {
		return adminCommand(ctx, rest, env, stdin, stdout, stderr)
	}
	fset := flag.NewFlagSet("tracker "+cmd, flag.ContinueOnError)
	fset.SetOutput(stderr)
	skipMigrate := false
	switch cmd {
	case "serve":
		fset.BoolVar(&skipMigrate, "skip-migrate", false, "do not apply migrations at start")
		fset.Usage = func() {
			fmt.Fprintln(stderr, "tracker serve [--skip-migrate]: migrate, then serve HTTP on ADDR/PORT")
			fset.PrintDefaults()
		}
	case "migrate":
		fset.Usage = func() { fmt.Fprintln(stderr, "tracker migrate: apply pending migrations to DATABASE_URL") }
	case "ingest":
		fset.Usage = func() {
			fmt.Fprintln(stderr, "tracker ingest: load boundaries, taxonomy and dataset in one transaction (idempotent); DATA_DIR overrides the embedded data")
		}
	case "export":
		fset.Usage = func() {
			fmt.Fprintln(stderr, "tracker export DIR: write the published dataset (every dataset row with its recording history, sources, sites,\n"+
				"events, notes, taxonomy, VERSION) to the new or empty folder DIR in the data/ format; DATA_DIR=DIR tracker ingest loads it")
		}
	default:
		printUsage(stderr)
		return fmt.Errorf("unknown command %q", cmd)
	}
	if err := fset.Parse(rest); err != nil {
		return err
	}
	if cmd == "export" && fset.NArg() != 1 || cmd != "export" && fset.NArg() != 0 {
		fset.Usage()
		return fmt.Errorf("tracker %s: wrong number of arguments %q", cmd, fset.Args())
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	logOut := stderr
	if cmd == "serve" { // the access log: buffered, flushed every 200 ms and at exit
		lw := newLogWriter(stderr, 200*time.Millisecond)
		defer lw.Close()
		logOut = lw
	}
	log := newLogger(logOut, cfg.LogLevel)
	log.Info("config", "command", cmd, "config", cfg.masked())

	timeout := cfg.StatementTimeout
	if cmd != "serve" {
		timeout = max(timeout, 2*time.Minute) // loading computes neighbours and label points for every country
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, storeOptions(cfg, timeout))
	if err != nil {
		return err
	}
	defer st.Close()

	switch cmd {
	case "migrate":
		return migrate(ctx, st, log)
	case "ingest":
		if err := migrate(ctx, st, log); err != nil {
			return err
		}
		return ingest.All(ctx, st, dataFS(cfg), &ingest.Progress{W: stdout})
	case "export":
		return ingest.Export(ctx, st, dataFS(cfg), fset.Arg(0), &ingest.Progress{W: stdout})
	default:
		if !skipMigrate {
			if err := migrate(ctx, st, log); err != nil {
				return err
			}
		}
		return serve(ctx, cfg, st, log)
	}
}

func dataFS(cfg config) fs.FS {
	if cfg.DataDir != "" {
		return os.DirFS(cfg.DataDir)
	}
	return data.FS
}

func migrate(ctx context.Context, st *store.Store, log *slog.Logger) error {
	v, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	log.Info("schema migrated", "version", v)
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// serve runs the HTTP server (and the metrics listener, when configured)
// until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, cfg config, st *store.Store, log *slog.Logger) error {
	watchCtx, cancelWatch := context.WithCancel(context.Background())
	defer cancelWatch()
	ui, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return err
	}
	read := st
	if cfg.DatabaseReadURL != "" {
		if read, err = store.Open(ctx, cfg.DatabaseReadURL, storeOptions(cfg, cfg.StatementTimeout)); err != nil {
			return err
		}
		defer read.Close()
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit keeps the heap near what the caches need (the response cache
		// plus the snapshots, well under the limit) instead of doubling it between
		// collections; GOMEMLIMIT in the environment overrides it.
		debug.SetMemoryLimit(4 * cfg.CacheBytes)
	}
	reg := api.NewRegistry()
	metrics := api.NewMetrics(reg)
	revisions := st.WatchRevision(watchCtx, log)
	model := readmodel.New(readmodel.Config{Read: read, Revisions: revisions, Log: log,
		BuildTimeout: cfg.RequestTimeout, OnBuild: metrics.OnBuild})
	keyUses := api.NewKeyUses(st, log)
	go keyUses.Run(watchCtx)
	router := api.NewRouter(api.Deps{
		Model: model, Store: st, Log: log, Metrics: metrics, CacheBytes: cfg.CacheBytes,
		MaxBodyBytes: cfg.MaxBodyBytes, RequestTimeout: cfg.RequestTimeout, Frontend: ui, Methodology: docs.Methodology,
		RateLimit: cfg.RateLimit, Revisions: revisions, KeyUses: keyUses,
		Auth: api.AuthConfig{SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax, CookieSecure: cfg.CookieSecure, KeyRateLimit: cfg.KeyRateLimit},
	})
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           api.HeadAsGet(router),
		ReadHeaderTimeout: cfg.RequestTimeout / 3,
		ReadTimeout:       cfg.RequestTimeout,
		WriteTimeout:      cfg.RequestTimeout + cfg.RequestTimeout/2,
		IdleTimeout:       2 * cfg.RequestTimeout * 4,
		MaxHeaderBytes:    64 << 10,
	}
	go pruneIdempotencyKeys(watchCtx, st, log)
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", cfg.Addr)
	if cfg.MetricsAddr != "" {
		ms := &http.Server{Addr: cfg.MetricsAddr, Handler: operatorMux(reg), ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, ms)
		go func() { errc <- ms.ListenAndServe() }()
		log.Info("serving metrics", "addr", cfg.MetricsAddr)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownTimeout.String())
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutCtx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	if err := keyUses.Flush(shutCtx); err != nil {
		log.Error("API keys' last use not written at shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

// operatorMux serves /metrics (Prometheus text format) and the Go profiler
// under /debug/pprof/, on the operators' listener only, never the public port.
func operatorMux(reg *prometheus.Registry) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

func storeOptions(cfg config, statementTimeout time.Duration) store.Options {
	return store.Options{MaxConns: cfg.MaxConns, StatementTimeout: statementTimeout, ConnectTimeout: cfg.ConnectTimeout}
}

// pruneIdempotencyKeys deletes, hourly, the Idempotency-Keys older than
// store.IdempotencyRetention (every server does it; the deletes are idempotent).
func pruneIdempotencyKeys(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := st.PruneIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
			log.Warn("pruning idempotency keys", "err", err)
		} else if n > 0 {
			log.Info("pruned idempotency keys", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
