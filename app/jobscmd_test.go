package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/internal/redistest"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/store"
)

// jobsSecret stands for a secret that reached a stored payload by some
// bug: the jobs command must never print a payload.
const jobsSecret = "ghp_jobsCommandMustNotPrint0123456789ab"

// deadJobs starts workers on the App's queue (default name) in rdb whose
// handler fails for good while fail is set, enqueues a valid push job and
// a task whose payload is not a job, and waits until both are dead.
func deadJobs(t *testing.T, rdb redis.UniversalClient, fail *atomic.Bool) (q *queue.Queue, done *atomic.Int32) {
	t.Helper()
	q = queue.New(rdb, queue.Options{})
	done = &atomic.Int32{}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		q.Run(ctx, func(ctx context.Context, job queue.Job) error {
			if fail.Load() {
				return queue.Permanent(errors.New("GitHub answered 422 on POST /repos/octo/hello/check-runs"))
			}
			done.Add(1)
			return nil
		}, queue.WorkerOptions{Concurrency: 2, PollInterval: 20 * time.Millisecond})
	}()
	t.Cleanup(func() { cancel(); <-stopped })
	job := queue.Job{Kind: queue.KindPush, DeliveryID: "dead-delivery-1", Event: "push", InstallationID: 42, Owner: "octo",
		Repo: "hello", Ref: "refs/heads/main", HeadSHA: strings.Repeat("ab", 20), Commits: []string{strings.Repeat("ab", 20)}}
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatal(err)
	}
	raw := asynq.NewClientFromRedisClient(rdb)
	bad := asynq.NewTask("push", []byte(`{"kind":"push","token":"`+jobsSecret+`"}`))
	if _, err := raw.Enqueue(bad, asynq.Queue(queue.DefaultName), asynq.TaskID("bad-payload-1")); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 20*time.Second, func() bool {
		st, err := q.Stats(ctx)
		return err == nil && st.Dead == 2
	}, "both jobs to be dead")
	return q, done
}

// TestJobsCommand lists, retries and deletes dead jobs through the binary's
// entry point, on the Redis named by REDIS_URL.
func TestJobsCommand(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	var fail atomic.Bool
	fail.Store(true)
	_, done := deadJobs(t, rdb, &fail)
	t.Setenv("REDIS_URL", "redis://"+mr.Addr())

	r := run(t, "", "jobs")
	if r.code != 0 || !strings.Contains(r.stdout, "dead       2") || !strings.Contains(r.stdout, "pending    0") {
		t.Errorf("jobs: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "jobs", "dead")
	for _, want := range []string{"dead-delivery-1", "push", "scan_push", "42", "octo/hello", strings.Repeat("ab", 6), "1/9",
		"GitHub answered 422", "bad-payload-1", "could not be read"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("jobs dead lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, "", "jobs", "dead", "--format", "json")
	var page struct {
		State string `json:"state"`
		Jobs  []struct {
			ID, Repo, HeadSHA, LastError string
			Attempts                     int
		} `json:"jobs"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || page.State != "dead" || len(page.Jobs) != 2 || page.Total != 2 {
		t.Fatalf("json: %v, %+v from:\n%s", err, page, r.stdout)
	}
	for _, out := range []string{run(t, "", "jobs", "dead").stdout, r.stdout} {
		if strings.Contains(out, jobsSecret[:12]) {
			t.Errorf("a stored payload's content reached the output:\n%s", out)
		}
	}

	r = run(t, "", "jobs", "dead", "--limit", "1")
	if !strings.Contains(r.stdout, "1 of 2 dead jobs shown") || !strings.Contains(r.stdout, time.Now().UTC().Format("2006-01-02T")) {
		t.Errorf("jobs dead --limit 1 does not say what it left out, or when the job died:\n%s", r.stdout)
	}
	if r := run(t, "", "jobs", "delete", "no-such-job"); r.code != cli.ExitError || !strings.Contains(r.stderr, "not found") {
		t.Errorf("delete of an unknown job: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, "", "jobs", "delete", "bad-payload-1"); r.code != 0 {
		t.Errorf("delete: exit %d, stderr %q", r.code, r.stderr)
	}
	fail.Store(false)
	if r := run(t, "", "jobs", "retry", "dead-delivery-1"); r.code != 0 || !strings.Contains(r.stdout, "will run again") {
		t.Errorf("retry: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	poll.Until(t, 20*time.Second, func() bool { return done.Load() == 1 }, "the retried job to succeed")
	if r := run(t, "", "jobs", "dead"); !strings.Contains(r.stdout, "no dead jobs") {
		t.Errorf("after retry and delete: %s", r.stdout)
	}
}

// TestJobsRetryAllDead requeues every dead job at once.
func TestJobsRetryAllDead(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	var fail atomic.Bool
	fail.Store(true)
	q, _ := deadJobs(t, rdb, &fail)
	t.Setenv("REDIS_URL", "redis://"+mr.Addr())
	fail.Store(false)
	r := run(t, "", "jobs", "retry", "--all-dead")
	if r.code != 0 || !strings.Contains(r.stdout, "requeued 2 dead jobs") {
		t.Fatalf("retry --all-dead: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// The valid job succeeds; the unreadable one dies again, for good.
	poll.Until(t, 20*time.Second, func() bool {
		st, err := q.Stats(context.Background())
		return err == nil && st.Dead == 1 && st.Pending+st.Active+st.Retry == 0
	}, "the requeued jobs to run")
}

// TestJobsUsage: arguments the command does not understand are usage
// errors, before Redis is touched.
func TestJobsUsage(t *testing.T) {
	t.Setenv("REDIS_URL", "redis://127.0.0.1:1")
	for _, args := range [][]string{
		{"jobs", "completed"}, {"jobs", "dead", "extra"}, {"jobs", "retry"}, {"jobs", "retry", "id", "--all-dead"},
		{"jobs", "delete"}, {"jobs", "dead", "--format", "xml"}, {"jobs", "dead", "--all-dead"}, {"jobs", "dead", "--limit", "0"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if r := run(t, "", args...); r.code != cli.ExitError || !strings.Contains(r.stderr, "--help") {
				t.Errorf("exit %d, stderr %q; want a usage error", r.code, r.stderr)
			}
		})
	}
	t.Setenv("REDIS_URL", "")
	if r := run(t, "", "jobs"); r.code != cli.ExitError || !strings.Contains(r.stderr, "REDIS_URL is required") {
		t.Errorf("without Redis: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestJobsCommandOnCluster lists and requeues dead jobs on a real
// three-master Redis Cluster named by REDIS_CLUSTER_ADDRS: asynq's
// Inspector works through the cluster client.
func TestJobsCommandOnCluster(t *testing.T) {
	addrs := redistest.Cluster(t, 3)
	rdb := connectTopology(t, store.Redis{ClusterAddrs: addrs})
	var fail atomic.Bool
	fail.Store(true)
	q, _ := deadJobs(t, rdb, &fail)
	t.Setenv("REDIS_URL", "")
	t.Setenv("REDIS_CLUSTER_ADDRS", strings.Join(addrs, ","))
	if r := run(t, "", "jobs", "dead"); r.code != 0 || !strings.Contains(r.stdout, "dead-delivery-1") || !strings.Contains(r.stdout, "bad-payload-1") {
		t.Fatalf("jobs dead: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "jobs", "delete", "bad-payload-1"); r.code != 0 {
		t.Errorf("delete: exit %d, stderr %q", r.code, r.stderr)
	}
	fail.Store(false)
	if r := run(t, "", "jobs", "retry", "--all-dead"); r.code != 0 || !strings.Contains(r.stdout, "requeued 1 dead job\n") {
		t.Errorf("retry --all-dead: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	poll.Until(t, 20*time.Second, func() bool {
		st, err := q.Stats(context.Background())
		return err == nil && st == (queue.Stats{})
	}, "the requeued job to succeed")
}
