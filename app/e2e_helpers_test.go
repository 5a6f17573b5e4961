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
}

func startE2E(t *testing.T, c e2eConfig) *e2e { return startE2EWith(t, c) }

func startE2EWith(t testing.TB, c e2eConfig) *e2e {
	t.Helper()
	gh := fakegithub.New(t, fakegithub.Options{Enterprise: c.enterprise})
	repo := gh.AddRepo(e2eOwner, e2eRepo, e2eInstallation)
	repo.Commit("initial commit", map[string]string{"README.md": "# payments\n", "app/main.go": "package main\n\nfunc main() {}\n"})
	rdb := c.rdb
	if rdb == nil {
		rdb = queuetest.Redis(t)
	}
	qname := queuetest.Name(t, rdb)
	e := &e2e{t: t, gh: gh, repo: repo, logs: &syncBuffer{}, rdb: rdb, prefix: qname + ":", qname: qname}
	cfg := Config{
		AppID: gh.AppID(), PrivateKey: gh.PrivateKeyPEM(), WebhookSecret: []byte(e2eWebhookKey),
		APIURL: gh.URL(), RedisURL: "redis://unused", Workers: 4, FingerprintKey: []byte("e2e fingerprint key 0123456789"),
		MaxCommits: c.maxCommits, LogFormat: "json", LogLevel: slog.LevelInfo, AdminToken: []byte(c.adminToken),
		ScanBudget: c.scanBudget, Loop: c.loop,
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
	opts := serviceOptions{transport: c.transport, rdb: rdb, queue: queue.Options{Name: qname, KeyPrefix: e.prefix, Backoff: func(int) time.Duration { return 100 * time.Millisecond }, MaxRetry: 3}, pollInterval: 20 * time.Millisecond, loop: c.loopOpts}
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
	req, _ := http.NewRequest(http.MethodPost, e.url+"/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	m := hmac.New(sha256.New, []byte(e2eWebhookKey))
	m.Write(body)
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
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
	p["installation"] = map[string]any{"id": e2eInstallation}
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
	p["installation"] = map[string]any{"id": e2eInstallation}
	b, _ := json.Marshal(p)
	return b
}

// waitRun waits for the completed pushguard check run on sha.
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
	if !poll.Wait(60*time.Second, completed) {
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
		keys, err := rdb.Keys(ctx, p+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
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
			}
			b.WriteString("\n")
		}
	}
	return b.String()
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
