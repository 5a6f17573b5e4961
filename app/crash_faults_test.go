//go:build faults

package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// envCrashChild holds the JSON crashChild of a crash worker: a copy of the
// test binary that TestWorkerCrashFreesHeadSHAs starts and SIGKILLs.
const envCrashChild = "PUSHGUARD_APP_CRASH_CHILD"

// crashChild is what a crash worker needs to reach the parent's Redis and
// fake GitHub.
type crashChild struct {
	RedisAddr     string `json:"redis_addr"`
	RedisDB       int    `json:"redis_db"`
	RedisPassword string `json:"redis_password"`
	Queue         string `json:"queue"`
	GitHubURL     string `json:"github_url"`
	AppID         int64  `json:"app_id"`
	KeyFile       string `json:"key_file"`
	LogFile       string `json:"log_file"`
}

// crashQueueOptions are the queue options of the parent and its children.
func crashQueueOptions(name string) queue.Options {
	return queue.Options{Name: name, KeyPrefix: name + ":", MaxRetry: 3,
		Backoff: func(int) time.Duration { return 100 * time.Millisecond }}
}

// TestCrashChild is not a test: it is the worker process that
// TestWorkerCrashFreesHeadSHAs kills. It runs the App's workers until killed.
func TestCrashChild(t *testing.T) {
	raw := os.Getenv(envCrashChild)
	if raw == "" {
		t.Skip("runs only as TestWorkerCrashFreesHeadSHAs's child process")
	}
	var c crashChild
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(c.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.OpenFile(c.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{AppID: c.AppID, PrivateKey: key, APIURL: c.GitHubURL, Redis: store.Redis{URL: "redis://unused"}, Workers: 8,
		FingerprintKey: []byte("crash fingerprint key 0123456789"), MaxCommits: worker.DefaultMaxCommits,
		LogFormat: "json", LogLevel: slog.LevelInfo,
		// every job is of one installation: the per-installation cap must
		// let the worker hold all of them, as the test needs
		InstallationConcurrency: 16}
	rdb := redis.NewClient(&redis.Options{Addr: c.RedisAddr, DB: c.RedisDB, Password: c.RedisPassword})
	s, err := newService(cfg, newLogger(cfg, logs), serviceOptions{rdb: rdb, queue: crashQueueOptions(c.Queue), pollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("CRASH-CHILD-RUNNING")
	err = s.runWorkers(context.Background())
	t.Fatalf("runWorkers returned %v; the crash worker should have been killed", err)
}

// TestWorkerCrashFreesHeadSHAs SIGKILLs a worker process while it holds the
// head SHAs of several jobs, starts another, and checks that every job
// completes, with exactly one completed check run per head SHA, within a
// bounded wait: a dead worker's per-SHA locks must not outlive it. asynq
// hands the orphaned tasks back only after about a minute (its recoverer
// runs every minute for leases 30 s past expiry, neither configurable in
// v0.26), which is inside the budget.
func TestWorkerCrashFreesHeadSHAs(t *testing.T) {
	const nSHAs, budget = 6, 150 * time.Second
	gh := fakegithub.New(t, fakegithub.Options{})
	repo := gh.AddRepo(e2eOwner, e2eRepo, e2eInstallation)
	prev := repo.Commit("initial commit", map[string]string{"README.md": "# payments\n"})
	rdb := queuetest.Redis(t)
	name := queuetest.Name(t, rdb)
	q := queue.New(rdb, crashQueueOptions(name))
	// Every job that holds a head SHA stalls on its compare until the
	// worker dies; the retries after the crash are answered at once.
	gh.Inject(fakegithub.Fault{Method: "GET", PathRegexp: `^/repos/` + e2eOwner + `/` + e2eRepo + `/compare/`, Delay: 10 * time.Minute, Times: nSHAs})

	var shas []string
	for i := range nSHAs {
		sha := repo.Commit(fmt.Sprintf("change %d", i), map[string]string{fmt.Sprintf("f%d.txt", i): "hello\n"})
		for _, copy := range []string{"a", "b"} { // two deliveries per SHA (a push and its pull request, say)
			job := queue.Job{Kind: queue.KindPush, DeliveryID: fmt.Sprintf("crash-%d-%s", i, copy), Event: "push",
				InstallationID: e2eInstallation, Owner: e2eOwner, Repo: e2eRepo, DefaultBranch: "main",
				Ref: "refs/heads/main", Before: prev, Commits: []string{sha}, HeadSHA: sha}
			if err := q.Enqueue(context.Background(), job); err != nil && !errors.Is(err, queue.ErrDuplicate) {
				t.Fatalf("enqueue: %v", err)
			}
		}
		shas, prev = append(shas, sha), sha
	}

	child := newCrashChild(t, gh, rdb, name)
	first := child.start(t)
	poll.Until(t, 60*time.Second, func() bool { return len(crashRuns(gh, "in_progress")) == nSHAs },
		"the first worker to hold every head SHA (its check run in progress)")
	first.kill(t)
	restarted := time.Now()
	child.start(t)

	done := poll.Wait(budget, func() bool {
		st, err := q.Stats(context.Background())
		return err == nil && st.Pending+st.Active+st.Scheduled+st.Retry == 0 && len(crashRuns(gh, "completed")) >= nSHAs
	})
	took := time.Since(restarted)
	for _, sha := range shas {
		var runs []string
		for _, r := range gh.CheckRuns(e2eOwner, e2eRepo) {
			if r.HeadSHA == sha && r.Name == "pushguard" {
				runs = append(runs, r.Status+"/"+r.Conclusion)
			}
		}
		if len(runs) != 1 || runs[0] != "completed/success" {
			t.Errorf("check runs on %s = %v, want exactly one completed/success", sha[:7], runs)
		}
	}
	st, _ := q.Stats(context.Background())
	t.Logf("%s after the restart: queue %+v; %d busy reschedules; %d check runs (%d completed) for %d head SHAs",
		took.Round(time.Second), st, child.busyReschedules(t), len(gh.CheckRuns(e2eOwner, e2eRepo)), len(crashRuns(gh, "completed")), nSHAs)
	if !done {
		t.Fatalf("gave up after %s waiting for every job to complete after the restart", budget)
	}
}

// crashRuns lists the pushguard check runs with the given status.
func crashRuns(gh *fakegithub.Server, status string) []fakegithub.CheckRun {
	var out []fakegithub.CheckRun
	for _, r := range gh.CheckRuns(e2eOwner, e2eRepo) {
		if r.Name == "pushguard" && r.Status == status {
			out = append(out, r)
		}
	}
	return out
}

// crashChildren starts crash workers that share one configuration and log
// file.
type crashChildren struct {
	env  string
	logs string
	rdb  redis.UniversalClient
}

func newCrashChild(t *testing.T, gh *fakegithub.Server, rdb redis.UniversalClient, name string) *crashChildren {
	t.Helper()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "app.pem")
	if err := os.WriteFile(keyFile, gh.PrivateKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := rdb.(*redis.Client).Options()
	c := crashChild{RedisAddr: opts.Addr, RedisDB: opts.DB, RedisPassword: opts.Password, Queue: name,
		GitHubURL: gh.URL(), AppID: gh.AppID(), KeyFile: keyFile, LogFile: filepath.Join(dir, "workers.log")}
	b, _ := json.Marshal(c)
	return &crashChildren{env: envCrashChild + "=" + string(b), logs: c.LogFile, rdb: rdb}
}

// crashProcess is one running crash worker.
type crashProcess struct {
	cmd *exec.Cmd
	cc  *crashChildren
}

// start runs a crash worker and waits until its workers run.
func (cc *crashChildren) start(t *testing.T) *crashProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), cc.env)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start crash worker: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); queuetest.ForgetServer(t, cc.rdb, cmd.Process.Pid) })
	running := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "CRASH-CHILD-RUNNING" {
				close(running)
			}
		}
	}()
	select {
	case <-running:
	case <-time.After(30 * time.Second):
		t.Fatal("crash worker did not start")
	}
	return &crashProcess{cmd: cmd, cc: cc}
}

// kill SIGKILLs the worker: no clean-up of any kind runs.
func (p *crashProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill crash worker: %v", err)
	}
	_ = p.cmd.Wait()
}

// busyReschedules counts the jobs the workers rescheduled because another
// held their head SHA.
func (cc *crashChildren) busyReschedules(t *testing.T) int {
	b, err := os.ReadFile(cc.logs)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.Contains(line, "job rescheduled") && strings.Contains(line, worker.ErrBusy.Error()) {
			n++
		}
	}
	return n
}
