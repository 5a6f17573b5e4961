//go:build faults

package queue_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// Environment of the crash worker, a copy of the test binary that
// TestCrashRecovery starts and kills.
const (
	envCrashAddr     = "PUSHGUARD_QUEUE_CRASH_ADDR"
	envCrashDB       = "PUSHGUARD_QUEUE_CRASH_DB"
	envCrashPassword = "PUSHGUARD_QUEUE_CRASH_PASSWORD"
	envCrashName     = "PUSHGUARD_QUEUE_CRASH_NAME"
	crashStarted     = "CRASH-WORKER-STARTED "
)

// TestCrashWorker is not a test: it is the worker process that
// TestCrashRecovery kills. It takes a job, says so on stdout, and blocks.
func TestCrashWorker(t *testing.T) {
	addr := os.Getenv(envCrashAddr)
	if addr == "" {
		t.Skip("the crash worker runs only as TestCrashRecovery's child process")
	}
	db, _ := strconv.Atoi(os.Getenv(envCrashDB))
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: db, Password: os.Getenv(envCrashPassword)})
	name := os.Getenv(envCrashName)
	q := queue.New(rdb, queue.Options{Name: name, KeyPrefix: name + ":"})
	err := q.Run(context.Background(), func(ctx context.Context, job queue.Job) error {
		fmt.Println(crashStarted + job.DeliveryID)
		<-ctx.Done()
		return ctx.Err()
	}, queue.WorkerOptions{PollInterval: pollInterval})
	t.Fatalf("Run returned %v; the crash worker should have been killed", err)
}

// TestCrashRecovery kills a worker in the middle of a job and checks that
// another worker runs the job. asynq's recoverer takes it back once the dead
// worker's lease is 30 s past expiry, checking every minute: about a minute,
// so it runs only with -tags faults (.ci/run runs it).
func TestCrashRecovery(t *testing.T) {
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	job := testJob("d-crash")
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}

	killed := runCrashWorker(t, q)
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{Active: 1}) {
		t.Fatalf("Stats after the kill = %+v, %v; want the job active (orphaned)", got, err)
	}

	var r recorder
	startWorkers(t, q, r.handler(), r.options())
	poll.Until(t, 3*time.Minute, func() bool { _, done, _ := r.snapshot(); return len(done) == 1 }, "another worker to run the job")
	t.Logf("recovered %s after the kill", time.Since(killed).Round(time.Second))

	calls, done, _ := r.snapshot()
	if done[0] != nil || calls[0].job.DeliveryID != job.DeliveryID {
		t.Errorf("ran %s with %v, want %s to succeed", calls[0].job.DeliveryID, done[0], job.DeliveryID)
	}
	if calls[0].retried != 1 {
		t.Errorf("retried = %d, want 1: a crash uses a retry", calls[0].retried)
	}
}

// runCrashWorker starts the crash worker on q's queue, waits until it has
// taken a job, SIGKILLs it and returns when.
func runCrashWorker(t *testing.T, q testQueue) time.Time {
	t.Helper()
	opts := q.rdb.(*redis.Client).Options()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWorker$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envCrashAddr+"="+opts.Addr,
		envCrashDB+"="+strconv.Itoa(opts.DB),
		envCrashPassword+"="+opts.Password,
		envCrashName+"="+q.opts.Name,
	)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("crash worker stdout: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start crash worker: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	started := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), crashStarted); ok {
				select {
				case started <- id:
				default:
				}
			}
		}
	}()
	select {
	case id := <-started:
		t.Logf("crash worker took job %s; killing it", id)
	case <-time.After(30 * time.Second):
		t.Fatal("crash worker did not take the job")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs
		t.Fatalf("kill crash worker: %v", err)
	}
	_ = cmd.Wait()
	t.Cleanup(func() { queuetest.ForgetServer(t, q.rdb, cmd.Process.Pid) })
	return time.Now()
}
