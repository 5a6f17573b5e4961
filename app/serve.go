package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"log/slog"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/store"
	"github.com/pushguard/pushguard/sweeper"
	"github.com/pushguard/pushguard/webhook"
)

// httpShutdownTimeout bounds how long in-flight webhook requests may take
// once the server stops accepting new ones.
const httpShutdownTimeout = 10 * time.Second

const serveUsage = `Usage:
  pushguard serve     the webhook server and in-process workers
  pushguard worker    workers only, for scaling out against a shared Redis

Both read their configuration from the environment (see the README):
GITHUB_APP_ID, GITHUB_PRIVATE_KEY[_FILE], GITHUB_WEBHOOK_SECRET[_FILE] (serve),
GITHUB_API_URL, REDIS_URL, PUSHGUARD_ADDR, PUSHGUARD_WORKERS,
PUSHGUARD_FINGERPRINT_KEY[_FILE], PUSHGUARD_MAX_COMMITS, PUSHGUARD_SWEEP_INTERVAL,
PUSHGUARD_CREDENTIALS_FILE, PUSHGUARD_VALIDITY_CHECKS, PUSHGUARD_SLACK_WEBHOOK_URL[_FILE],
PUSHGUARD_ALERT_WEBHOOK_URL, PUSHGUARD_ALERT_WEBHOOK_SECRET[_FILE], PUSHGUARD_ALERT_LEVEL,
LOG_LEVEL, LOG_FORMAT.
Without App credentials (no App ID, key or webhook secret variable, and no
credentials file), serve shows a setup page at /setup that creates the App.
They stop gracefully on SIGINT or SIGTERM.
`

// runServe is the serve command.
func runServe(ctx context.Context, e cli.Env, args []string) error {
	if _, err := cli.ParseFlags(e, flag.NewFlagSet("serve", flag.ContinueOnError), serveUsage, args); err != nil {
		return err
	}
	cfg, err := loadConfig(e.Getenv, true)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log := newLogger(cfg, e.Stderr)
	store.RouteRedisLogs(log)
	if cfg.Setup { // no App credentials yet: create the App first
		return serveSetup(ctx, e.Getenv, cfg, log, ln, serviceOptions{})
	}
	return serve(ctx, cfg, log, ln, serviceOptions{})
}

// runWorkerCmd is the worker command.
func runWorkerCmd(ctx context.Context, e cli.Env, args []string) error {
	if _, err := cli.ParseFlags(e, flag.NewFlagSet("worker", flag.ContinueOnError), serveUsage, args); err != nil {
		return err
	}
	cfg, err := loadConfig(e.Getenv, false)
	if err != nil {
		return err
	}
	if cfg.Embedded() {
		return errors.New("the worker command needs REDIS_URL: an embedded Redis cannot be shared with a server")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log := newLogger(cfg, e.Stderr)
	store.RouteRedisLogs(log)
	return serve(ctx, cfg, log, ln, serviceOptions{workerOnly: true})
}

// serve runs the HTTP server on ln (the webhook, unless workerOnly, plus
// health and metrics) and the workers until ctx ends, then shuts down in
// order: stop accepting requests and finish those in flight,
// then stop the workers (in-flight jobs finish or go back to the queue),
// then close Redis.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ln net.Listener, opts serviceOptions) error {
	s, err := newService(cfg, log, opts)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	if err := s.checkStart(ctx); err != nil {
		ln.Close()
		return err
	}
	var hook http.Handler
	if !opts.workerOnly {
		if hook, err = webhook.New(cfg.WebhookSecret, s.queue, log, s.metrics.Webhook); err != nil {
			ln.Close()
			return err
		}
	}
	srv := &http.Server{Handler: s.routes(hook), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	workerCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	var workerErr error
	workersDone := make(chan struct{})
	wg.Go(func() {
		defer close(workersDone)
		workerErr = s.runWorkers(workerCtx)
	})
	// alerts and the open-incidents gauge
	wg.Go(func() { s.runLoop(workerCtx) })
	if s.creds.Err() != nil { // GitHub was unreachable at start
		wg.Go(func() { s.creds.Retry(workerCtx) })
	}
	if cfg.SweepInterval > 0 {
		// redelivers webhook deliveries that failed
		wg.Go(func() {
			sweeper.New(s.gh.App(), s.store, s.log, cfg.SweepInterval, s.metrics.Redelivered).Run(workerCtx)
		})
	}
	httpErr := make(chan error, 1)
	go func() { httpErr <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "workers", cfg.Workers, "github_api_url", cfg.APIURL)

	select {
	case <-ctx.Done():
	case err = <-httpErr:
	case <-workersDone:
		// The workers could not run (Redis unreachable at start): a server
		// that accepts webhooks nobody processes must not look healthy.
		log.Error("workers stopped; shutting down")
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), httpShutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = serr
	}
	stopWorkers()
	wg.Wait()
	if errors.Is(workerErr, context.Canceled) {
		workerErr = nil // stopped before the workers had started
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, workerErr)
}

// routes is the HTTP surface: the webhook (POST /webhook, and POST / for
// apps registered with the root URL; absent on workers), liveness,
// readiness and Prometheus metrics.
func (s *service) routes(hook http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	if hook != nil {
		r.Post("/webhook", hook.ServeHTTP)
		r.Post("/", hook.ServeHTTP)
	}
	r.Method(http.MethodGet, "/metrics", s.metrics.Handler())
	r.Method(http.MethodGet, "/api/v1/installations/{id}/audit", adminapi.AuditHandler(s.decisions, s.cfg.AdminToken, s.log))
	r.Method(http.MethodGet, "/api/incidents", adminapi.IncidentsHandler(s.loop.incidents, s.cfg.AdminToken, s.log))
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	return r
}
