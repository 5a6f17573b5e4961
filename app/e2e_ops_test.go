package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/store"
)

// TestE2ERedisRestart restarts Redis while one job is in flight and another
// waits in the queue: both complete, and the webhook works again after.
func TestE2ERedisRestart(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	e := startE2E(t, e2eConfig{rdb: rdb, workers: 1})
	s := plant(t, 20)
	e.gh.Inject(fakegithub.Fault{Method: "POST", PathRegexp: `/check-runs$`, Times: 1, Delay: 500 * time.Millisecond})
	before := e.repo.Head()
	c1 := e.repo.Commit("one", map[string]string{"one.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, c1, false, false, c1))
	c2 := e.repo.Commit("two", map[string]string{"two.txt": "clean\n"})
	e.send("push", e.push("refs/heads/main", c1, c2, false, false, c2))
	mr.Restart()
	if got := e.waitRun(c1).Conclusion; got != "failure" {
		t.Errorf("in-flight job: conclusion %q", got)
	}
	if got := e.waitRun(c2).Conclusion; got != "success" {
		t.Errorf("queued job: conclusion %q", got)
	}
	c3 := e.repo.Commit("three", map[string]string{"three.txt": "clean\n"})
	if got := e.send("push", e.push("refs/heads/main", c2, c3, false, false, c3)); got != 202 {
		t.Errorf("webhook after the restart: status %d", got)
	}
	e.waitRun(c3)
}

// TestE2EEnterpriseServer runs against a GitHub Enterprise Server URL
// (https://HOST/api/v3/), unchanged.
func TestE2EEnterpriseServer(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{enterprise: true})
	if !strings.HasSuffix(e.gh.URL(), "/api/v3/") {
		t.Fatalf("fake URL %s is not an Enterprise Server URL", e.gh.URL())
	}
	s := plant(t, 21)
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	if run := e.waitRun(c); run.Conclusion != "failure" || len(annotationsAt(run)) != 1 {
		t.Errorf("conclusion %q, annotations %v", run.Conclusion, annotationsAt(run))
	}
}

// TestE2ETokenCached: many jobs of one installation share one token.
func TestE2ETokenCached(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	prev := e.repo.Head()
	for i := 0; i < 3; i++ {
		c := e.repo.Commit("c", map[string]string{"f.txt": strings.Repeat("x", i+1) + "\n"})
		e.send("push", e.push("refs/heads/main", prev, c, false, false, c))
		e.waitRun(c)
		prev = c
	}
	if n := e.gh.TokenIssues(); n != 1 {
		t.Errorf("%d installation tokens issued for 3 jobs, want 1 (cached)", n)
	}
}

// TestE2EDeadLetter: a job that fails every try ends in the dead-letter
// store with its error, and its check run fails closed (action_required).
func TestE2EDeadLetter(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	before := e.repo.Head()
	c := e.repo.Commit("c", map[string]string{"f.txt": "x\n"})
	e.gh.Inject(fakegithub.Fault{Method: "GET", PathRegexp: `^/repos/[^/]+/[^/]+/commits/[0-9a-f]{40}$`, Status: 500})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if run.Conclusion != "action_required" || !strings.Contains(run.Output.Summary, "could not finish") {
		t.Errorf("conclusion %q; summary:\n%s", run.Conclusion, run.Output.Summary)
	}
	// OnDead completes the check run before asynq archives the job: the job
	// reaches the dead-letter store a moment after the run completes.
	q := queue.New(e.rdb, queue.Options{Name: e.qname, KeyPrefix: e.prefix})
	var dead []queue.JobInfo
	poll.Until(t, 30*time.Second, func() bool {
		var err error
		if dead, err = q.List(context.Background(), queue.StateDead, 10); err != nil {
			t.Fatal(err)
		}
		return len(dead) > 0
	}, "the job in the dead-letter store")
	if len(dead) != 1 || !strings.Contains(dead[0].LastError, "500") || dead[0].Job.HeadSHA != c {
		t.Errorf("dead jobs %+v, want the push with its 500", dead)
	}
	if !strings.Contains(e.logs.String(), "dead-letter") {
		t.Errorf("the dead job was not logged")
	}
	m := e.metricsText()
	for _, want := range []string{`pushguard_jobs_total{kind="push",outcome="dead"} 1`, `pushguard_queue_jobs{state="dead"} 1`,
		`pushguard_github_requests_total{endpoint="/repos/{owner}/{repo}/commits/{sha}",method="GET",status="500"}`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestE2EMissingPatch: a file GitHub sends without a patch is fetched and
// scanned whole; a binary one is listed as not scanned.
func TestE2EMissingPatch(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 22)
	e.gh.DropPatch("generated/big.env")
	e.gh.DropPatch("assets/logo.png")
	before := e.repo.Head()
	c := e.repo.Commit("big", map[string]string{
		"generated/big.env": strings.Repeat("X=1\n", 50) + "GITHUB_TOKEN=" + s.github + "\n",
		"assets/logo.png":   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if got := strings.Join(annotationsAt(run), " "); got != "generated/big.env:51" {
		t.Errorf("annotations %q, want generated/big.env:51", got)
	}
	if !strings.Contains(run.Output.Summary, "Not scanned") || !strings.Contains(run.Output.Summary, "assets/logo.png") {
		t.Errorf("the binary file is not listed as not scanned:\n%s", run.Output.Summary)
	}
	e.assertNoSecret(s.github)
}

// TestE2EGracefulShutdown stops the server while a job is in flight: the
// job finishes before serve returns.
func TestE2EGracefulShutdown(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 23)
	e.gh.Inject(fakegithub.Fault{Method: "GET", PathRegexp: `^/repos/[^/]+/[^/]+/commits/[0-9a-f]{40}$`, Times: 1, Delay: 700 * time.Millisecond})
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	deadline := time.Now().Add(10 * time.Second)
	for len(e.runsOn(c)) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // wait until the job is in flight
	}
	stop := e.stop
	e.stop = nil
	stop()
	runs := e.runsOn(c)
	if len(runs) != 1 || runs[0].Status != "completed" || runs[0].Conclusion != "failure" {
		t.Errorf("after shutdown: runs %+v, want the in-flight scan completed", runs)
	}
}

// TestE2ERescanButton presses Re-scan (GitHub's own requested_action
// payload): a new check run is made on the same SHA, as GitHub expects.
func TestE2ERescanButton(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 24)
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	first := e.waitRun(c)

	p := realPayload(t, "check_run/requested_action.payload.json")
	run := p["check_run"].(map[string]any)
	run["id"], run["head_sha"] = first.ID, c
	p["requested_action"] = map[string]any{"identifier": "rescan"}
	p["repository"] = e.repository(e.repo)
	p["installation"] = map[string]any{"id": e2eInstallation}
	body, _ := json.Marshal(p)
	if got := e.send("check_run", body); got != 202 {
		t.Fatalf("status %d", got)
	}
	e.waitQuiet()
	runs := e.runsOn(c)
	if len(runs) != 2 || runs[1].Status != "completed" || runs[1].Conclusion != "failure" || len(annotationsAt(runs[1])) != 1 {
		t.Errorf("after Re-scan: %d runs, last %+v; logs:\n%s", len(runs), runs[len(runs)-1].Conclusion, e.logs.String())
	}
}

// TestServeStopsWhenWorkersCannotRun: with Redis unreachable at start the
// workers cannot run, and serve stops with their error instead of accepting
// webhooks nobody would process.
func TestServeStopsWhenWorkersCannotRun(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	cfg := Config{AppID: gh.AppID(), PrivateKey: gh.PrivateKeyPEM(), WebhookSecret: []byte("s"), APIURL: gh.URL(),
		Redis: store.Redis{URL: "redis://unused"}, Workers: 1, FingerprintKey: []byte("0123456789abcdef0123"), MaxCommits: 10, LogFormat: "json"}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- serve(context.Background(), cfg, newLogger(cfg, io.Discard), ln, serviceOptions{rdb: queuetest.Unreachable(t)})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, queue.ErrUnavailable) {
			t.Errorf("serve returned %v, want the queue's ErrUnavailable", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve kept running without workers")
	}
}
