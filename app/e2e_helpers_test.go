package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/store"
	"github.com/pushguard/pushguard/worker"
)

const (
	e2eInstallation = int64(4242)
	e2eOwner        = "octo-org"
	e2eRepo         = "payments"
	e2eWebhookKey   = "e2e webhook secret"
)

// e2e is one end-to-end run: the real server on :0, real Redis (REDIS_URL,
// or miniredis), and the fake GitHub serving a real git repository.
type e2e struct {
	t        testing.TB
	gh       *fakegithub.Server
	repo     *fakegithub.Repo
	url      string
	logs     *syncBuffer
	rdb      redis.UniversalClient
	prefix   string
	qname    string
	delivery atomic.Int64
	stop     func()
	cfg      Config         // the server's configuration
	opts     serviceOptions // and options, for a second process
	// installation is the payloads' installation; 0: e2eInstallation.
	installation int64
}

// installationID is the installation e's payloads name.
func (e *e2e) installationID() int64 {
	if e.installation != 0 {
		return e.installation
	}
	return e2eInstallation
}

// e2eConfig changes a run's configuration.
type e2eConfig struct {
	workers    int
	maxCommits int
	rdb        redis.UniversalClient
	enterprise bool
	transport  http.RoundTripper
	adminToken string
	scanBudget time.Duration // 0: the default
	loop       LoopConfig    // validity checks and alerts
	loopOpts   loopOptions   // where verifiers and alert receivers are reached
	// redis is a topology to run on (Sentinel, Cluster): serve connects to
	// it from its configuration, the test through store.Connect too; zero:
	// rdb, or the test Redis.
	redis   store.Redis
	webOnly bool // serve --no-workers
	// perInstallation caps each installation's running jobs (0: default).
	perInstallation int
	// latency is added to every call of the fake GitHub.
	latency    time.Duration
	autoRevoke bool // PUSHGUARD_AUTO_REVOKE_PUBLIC
}

func startE2E(t *testing.T, c e2eConfig) *e2e { return startE2EWith(t, c) }

func startE2EWith(t testing.TB, c e2eConfig) *e2e {
	t.Helper()
	gh := fakegithub.New(t, fakegithub.Options{Enterprise: c.enterprise, MinLatency: c.latency, MaxLatency: c.latency})
	repo := gh.AddRepo(e2eOwner, e2eRepo, e2eInstallation)
	repo.Commit("initial commit", map[string]string{"README.md": "# payments\n", "app/main.go": "package main\n\nfunc main() {}\n"})
	rdb := c.rdb
	if !c.redis.Embedded() {
		rdb = connectTopology(t, c.redis)
	}
	if rdb == nil {
		rdb = queuetest.Redis(t)
	}
	qname := queuetest.Name(t, rdb)
	e := &e2e{t: t, gh: gh, repo: repo, logs: &syncBuffer{}, rdb: rdb, prefix: qname + ":", qname: qname}
	cfg := Config{
		AppID: gh.AppID(), PrivateKey: gh.PrivateKeyPEM(), WebhookSecret: []byte(e2eWebhookKey),
		APIURL: gh.URL(), Redis: store.Redis{URL: "redis://unused"}, Workers: 4, FingerprintKey: []byte("e2e fingerprint key 0123456789"),
		MaxCommits: c.maxCommits, LogFormat: "json", LogLevel: slog.LevelInfo, AdminToken: []byte(c.adminToken),
		ScanBudget: c.scanBudget, Loop: c.loop, InstallationConcurrency: c.perInstallation,
		AutoRevokePublic: c.autoRevoke,
	}
	if !c.redis.Embedded() {
		cfg.Redis = c.redis
	}
	if cfg.MaxCommits == 0 {
		cfg.MaxCommits = worker.DefaultMaxCommits
	}
	if c.workers > 0 {
		cfg.Workers = c.workers
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	opts := serviceOptions{transport: c.transport, rdb: rdb, queue: queue.Options{Name: qname, KeyPrefix: e.prefix, Backoff: func(int) time.Duration { return 100 * time.Millisecond }, MaxRetry: 3}, pollInterval: 20 * time.Millisecond, loop: c.loopOpts, webOnly: c.webOnly}
	if !c.redis.Embedded() {
		opts.rdb = nil // serve connects to the topology itself, as in production
	}
	e.cfg, e.opts = cfg, opts
	go func() { done <- serve(ctx, cfg, newLogger(cfg, e.logs), ln, opts) }()
	e.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
	t.Cleanup(func() {
		if e.stop != nil {
			e.stop()
		}
	})
	e.waitReady()
	return e
}

// connectTopology connects to r as serve would, until the test ends.
func connectTopology(t testing.TB, r store.Redis) redis.UniversalClient {
	t.Helper()
	rdb, closeFn, err := store.Connect(context.Background(), r, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return rdb
}

func (e *e2e) waitReady() {
	e.t.Helper()
	poll.Until(e.t, 10*time.Second, func() bool {
		resp, err := http.Get(e.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "the server to be ready")
}

// send delivers a signed webhook and returns the status.
func (e *e2e) send(event string, body []byte) int {
	e.t.Helper()
	return e.sendAs(event, fmt.Sprintf("delivery-%d", e.delivery.Add(1)), body)
}

func (e *e2e) sendAs(event, delivery string, body []byte) int {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(signedDelivery(e.url, event, delivery, body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// signedDelivery is a webhook delivery to the server at url, signed with
// e2eWebhookKey as GitHub signs it.
func signedDelivery(url, event, delivery string, body []byte) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, url+"/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	m := hmac.New(sha256.New, []byte(e2eWebhookKey))
	m.Write(body)
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	return req
}

// realPayload loads one of GitHub's own payloads (kept by the webhook
// package) as a map to fill in.
func realPayload(t testing.TB, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "webhook", "testdata", "github", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *e2e) repository(r *fakegithub.Repo) map[string]any {
	return map[string]any{
		"id": r.ID(), "name": r.Name(), "full_name": r.FullName(), "default_branch": "main",
		"html_url": "https://github.com/" + r.FullName(),
		"owner":    map[string]any{"login": r.Owner(), "name": r.Owner(), "id": 1, "type": "Organization"},
	}
}

// push builds a push payload from GitHub's own example.
func (e *e2e) push(ref, before, after string, created, forced bool, commits ...string) []byte {
	p := realPayload(e.t, "push/with-new-branch.payload.json")
	p["ref"], p["before"], p["after"], p["created"], p["forced"], p["deleted"] = ref, before, after, created, forced, false
	template := p["head_commit"].(map[string]any)
	var list []any
	for _, sha := range commits {
		c := map[string]any{}
		for k, v := range template {
			c[k] = v
		}
		c["id"] = sha
		list = append(list, c)
	}
	p["commits"] = list
	p["repository"] = e.repository(e.repo)
	p["installation"] = map[string]any{"id": e.installationID()}
	b, _ := json.Marshal(p)
	return b
}

// pullRequest builds a pull_request payload from GitHub's own example.
func (e *e2e) pullRequest(action string, pr *fakegithub.PullRequest) []byte {
	p := realPayload(e.t, "pull_request/opened.payload.json")
	p["action"], p["number"] = action, pr.Number
	body := p["pull_request"].(map[string]any)
	body["number"] = pr.Number
	body["head"] = map[string]any{"sha": pr.HeadRepo.SHA(pr.HeadBranch), "ref": pr.HeadBranch, "repo": e.repository(pr.HeadRepo)}
	body["base"] = map[string]any{"sha": pr.Repo.SHA(pr.BaseBranch), "ref": pr.BaseBranch, "repo": e.repository(pr.Repo)}
	p["repository"] = e.repository(pr.Repo)
	p["installation"] = map[string]any{"id": e.installationID()}
	b, _ := json.Marshal(p)
	return b
}

// waitRun waits for the completed pushguard check run on sha.
// waitRunBound is how long waitRun waits for a check run: a bound for a
// stuck job, not a measure of speed (the 3000-file commit takes over a
// minute under -race on a busy 2-core machine).
const waitRunBound = 3 * time.Minute

func (e *e2e) waitRun(sha string) fakegithub.CheckRun {
	e.t.Helper()
	var run fakegithub.CheckRun
	completed := func() bool {
		for _, r := range e.gh.CheckRuns(e2eOwner, e2eRepo) {
			if r.HeadSHA == sha && r.Status == "completed" {
				run = r
				return true
			}
		}
		return false
	}
	if !poll.Wait(waitRunBound, completed) {
		e.t.Fatalf("no completed check run on %s; logs:\n%s", sha, e.logs.String())
	}
	return run
}

// runsOn lists the pushguard check runs on sha.
func (e *e2e) runsOn(sha string) []fakegithub.CheckRun {
	var out []fakegithub.CheckRun
	for _, r := range e.gh.CheckRuns(e2eOwner, e2eRepo) {
		if r.HeadSHA == sha && r.Name == "pushguard" {
			out = append(out, r)
		}
	}
	return out
}

// assertNoSecret searches the logs, every Redis key and value of this run,
// and every check run for the planted secrets.
func (e *e2e) assertNoSecret(secrets ...string) {
	e.t.Helper()
	var hay strings.Builder
	hay.WriteString(e.logs.String())
	hay.WriteString(e.metricsText())
	hay.WriteString(dumpRedis(e.t, e.rdb, e.prefix, "asynq:{"+e.qname+"}"))
	for _, r := range e.gh.CheckRuns(e2eOwner, e2eRepo) {
		b, _ := json.Marshal(r)
		hay.Write(b)
	}
	for _, s := range secrets {
		if strings.Contains(hay.String(), s) {
			e.t.Errorf("a planted secret (%s…) leaked into logs, Redis or a check run", s[:4])
		}
	}
}

// dumpRedis renders every key under the prefixes with its value.
func dumpRedis(t testing.TB, rdb redis.UniversalClient, prefixes ...string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, p := range prefixes {
		for _, k := range allKeys(t, rdb, p+"*") {
			b.WriteString(k + "=")
			switch typ := rdb.Type(ctx, k).Val(); typ {
			case "string":
				b.WriteString(rdb.Get(ctx, k).Val())
			case "hash":
				fmt.Fprint(&b, rdb.HGetAll(ctx, k).Val())
			case "list":
				fmt.Fprint(&b, rdb.LRange(ctx, k, 0, -1).Val())
			case "set":
				fmt.Fprint(&b, rdb.SMembers(ctx, k).Val())
			case "zset":
				fmt.Fprint(&b, rdb.ZRange(ctx, k, 0, -1).Val())
			case "stream":
				fmt.Fprint(&b, rdb.XRange(ctx, k, "-", "+").Val())
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// allKeys lists the keys matching pattern: on every master of a Redis
// Cluster, where KEYS answers for one node only.
func allKeys(t testing.TB, rdb redis.UniversalClient, pattern string) []string {
	t.Helper()
	ctx := context.Background()
	c, ok := rdb.(*redis.ClusterClient)
	if !ok {
		keys, err := rdb.Keys(ctx, pattern).Result()
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	var mu sync.Mutex
	var keys []string
	err := c.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		k, err := node.Keys(ctx, pattern).Result()
		mu.Lock()
		keys = append(keys, k...)
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitQuiet waits until the run's queue has nothing left to do.
func (e *e2e) waitQuiet() {
	e.t.Helper()
	q := queue.New(e.rdb, queue.Options{Name: e.qname, KeyPrefix: e.prefix})
	poll.Until(e.t, 60*time.Second, func() bool {
		st, err := q.Stats(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		return st.Pending+st.Active+st.Scheduled+st.Retry == 0
	}, "the queue to go quiet")
}

// metricsText scrapes the server's /metrics.
func (e *e2e) metricsText() string {
	e.t.Helper()
	resp, err := http.Get(e.url + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
