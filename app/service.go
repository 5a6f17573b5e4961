package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/metrics"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/store"
	"github.com/pushguard/pushguard/worker"
)

// redisStartTimeout bounds the ping of Redis at start.
const redisStartTimeout = 5 * time.Second

// service is the running App: Redis, the queue, the GitHub App's clients and
// the worker. The serve and worker commands build one; so do the end-to-end
// tests, with a fake GitHub behind transport.
type service struct {
	cfg    Config
	log    *slog.Logger
	rdb    redis.UniversalClient
	queue  *queue.Queue
	gh     *ghapp.App
	worker *worker.Worker
	store  *store.Store
	// decisions are maintainers' dismissals (the audit API reads them).
	decisions *decisions.Store
	metrics   *metrics.Metrics
	closer    []func()
	// pollInterval is how often idle workers look for jobs (tests shorten it).
	pollInterval time.Duration
	// creds is whether GitHub accepted the App's credentials.
	creds *ghapp.CredentialCheck
	// loop is validity checks, incidents and alerts (service_loop.go).
	loop loopParts
}

// serviceOptions are what tests change.
type serviceOptions struct {
	transport    http.RoundTripper     // GitHub API transport; http.DefaultTransport when nil
	rdb          redis.UniversalClient // a Redis client to use instead of REDIS_URL
	queue        queue.Options         // Name and KeyPrefix isolate a test
	pollInterval time.Duration         // how often idle workers look for jobs
	workerOnly   bool                  // the worker command: no webhook route
	// credentialRetry is the first wait before GET /app is tried again
	// when GitHub could not be reached at start (ghapp.DefaultCredentialRetry).
	credentialRetry time.Duration
	loop            loopOptions // where verifiers and alert receivers are reached
}

// newService connects to Redis (or starts the embedded one) and builds the
// queue, the GitHub App's clients and the worker.
func newService(cfg Config, log *slog.Logger, opts serviceOptions) (*service, error) {
	s := &service{cfg: cfg, log: log}
	rdb := opts.rdb
	if rdb == nil {
		var err error
		if rdb, err = s.connectRedis(context.Background()); err != nil {
			return nil, err
		}
	}
	s.rdb = rdb
	qopts := opts.queue
	qopts.Logger = log
	s.pollInterval = opts.pollInterval
	s.queue = queue.New(rdb, qopts)
	s.metrics = metrics.New(s.queue)
	gh, err := ghapp.New(cfg.AppID, cfg.PrivateKey, cfg.APIURL, s.metrics.Transport(opts.transport))
	if err != nil {
		s.Close()
		return nil, err
	}
	gh.ObserveRateLimit(s.metrics.RateRemaining)
	s.gh = gh
	s.creds = ghapp.NewCredentialCheck(gh.Verify, log, opts.credentialRetry)
	rules, err := scanner.Default()
	if err != nil {
		s.Close()
		return nil, err
	}
	sc := scanner.New(rules, cfg.FingerprintKey)
	s.store = store.New(rdb, qopts.KeyPrefix)
	s.decisions = decisions.NewStore(rdb, s.store.Prefix(), decisions.WithRedactor(sc.RedactText))
	if s.loop, err = s.newLoop(opts.loop); err != nil {
		s.Close()
		return nil, err
	}
	wo := worker.Options{
		GitHub: gh, AppID: cfg.AppID, Scanner: sc, Store: s.store, Decisions: s.decisions, Metrics: s.metrics, Log: log,
		MaxCommits: cfg.MaxCommits, ScanBudget: cfg.ScanBudget,
	}
	s.loop.workerLoop(&wo, cfg.Loop.AlertLevel)
	s.worker = worker.New(wo)
	return s, nil
}

// connectRedis opens REDIS_URL, or starts the embedded Redis (store.Connect
// warns that nothing survives a restart; so is a random fingerprint key).
func (s *service) connectRedis(ctx context.Context) (redis.UniversalClient, error) {
	rdb, closeFn, err := store.Connect(ctx, s.cfg.RedisURL, s.log) // embedded when empty
	if err != nil {
		return nil, err
	}
	s.closer = append(s.closer, closeFn)
	if s.cfg.Embedded() && s.cfg.FingerprintKeyGenerated {
		s.log.Warn("PUSHGUARD_FINGERPRINT_KEY is not set: using a random key for this run; fingerprints change at every restart")
	}
	return rdb, nil
}

// checkStart runs the start-up checks before serving: Redis must answer
// (store.StartError says why not), and GitHub must not reject the App's
// credentials. When GitHub cannot be reached, the service starts not
// ready and s.creds.Retry keeps asking.
func (s *service) checkStart(ctx context.Context) error {
	pingCtx, cancel := context.WithTimeout(ctx, redisStartTimeout)
	defer cancel()
	if err := s.queue.Ping(pingCtx); err != nil {
		return store.StartError(s.rdb, s.cfg.RedisURL, s.cfg.Embedded(), err)
	}
	return s.creds.Check(ctx)
}

// runWorkers runs the workers until ctx ends, then hands back what is
// unfinished.
func (s *service) runWorkers(ctx context.Context) error {
	return s.queue.Run(ctx, s.worker.Handle, queue.WorkerOptions{
		Concurrency: s.cfg.Workers,
		Logger:      s.log,
		OnDead: func(job queue.Job, err error) {
			s.metrics.JobDead(job)
			s.worker.OnDead(job, err)
		},
		OnDone:       s.metrics.JobDone,
		PollInterval: s.pollInterval,
	})
}

// ready reports why the service cannot take work, or nil.
func (s *service) ready(ctx context.Context) error {
	return errors.Join(s.queue.Ping(ctx), s.creds.Err())
}

// Close closes Redis (and stops the embedded one), last.
func (s *service) Close() {
	for i := len(s.closer) - 1; i >= 0; i-- {
		s.closer[i]()
	}
}

// newLogger builds the process's logger from LOG_LEVEL and LOG_FORMAT.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
