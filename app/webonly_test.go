package app

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

// TestServeNoWorkers: serve --no-workers accepts webhooks and runs no job
// (the push stays queued); a worker process on the same Redis then runs it.
func TestServeNoWorkers(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{webOnly: true})
	sha := e.repo.Commit("add a file", map[string]string{"a.go": "package a\n"})
	if got := e.send("push", e.push("refs/heads/main", e.repo.SHA("HEAD~1"), sha, false, false, sha)); got != http.StatusAccepted {
		t.Fatalf("push: status %d, want 202", got)
	}
	q := queue.New(e.rdb, e.opts.queue)
	stats := func() int {
		s, err := q.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s.Pending
	}
	poll.Until(t, 5*time.Second, func() bool { return stats() == 1 }, "the push to be queued")
	// Give a worker, if one ran in the server, many poll intervals to take it.
	time.Sleep(20 * e.opts.pollInterval)
	if got := e.runsOn(sha); len(got) != 0 || stats() != 1 {
		t.Fatalf("serve --no-workers ran the job: %d check runs, %d queued", len(got), stats())
	}
	startWorkerProcess(t, e)
	if run := e.waitRun(sha); run.Conclusion != "success" {
		t.Errorf("conclusion %q, want success", run.Conclusion)
	}
}

// startWorkerProcess runs the worker command's service against e's Redis
// and fake GitHub until the test ends.
func startWorkerProcess(t *testing.T, e *e2e) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := e.opts
	opts.webOnly, opts.workerOnly = false, true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, e.cfg, newLogger(e.cfg, e.logs), ln, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
}

// TestServeNoWorkersNeedsRedisURL: without REDIS_URL the web tier would
// run on an embedded Redis no worker process can reach, so serve refuses
// to start.
func TestServeNoWorkersNeedsRedisURL(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	env := map[string]string{
		"GITHUB_APP_ID": strconv.FormatInt(gh.AppID(), 10), "GITHUB_PRIVATE_KEY": string(gh.PrivateKeyPEM()),
		"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_API_URL": gh.URL(), "PUSHGUARD_ADDR": "127.0.0.1:0",
	}
	var out bytes.Buffer
	e := cli.Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] }}
	// Bounded, so that a serve that wrongly starts stops and fails the test.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := runServe(ctx, e, []string{"--no-workers"})
	if err == nil || !strings.Contains(err.Error(), "--no-workers needs REDIS_URL") {
		t.Errorf("serve --no-workers without REDIS_URL returned %v, want it refused", err)
	}
}
