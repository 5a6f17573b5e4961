package queue_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

func TestEnqueueIsHandledOnce(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	job := testJob("d-once")
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var r recorder
	startWorkers(t, q, r.handler(), r.options())
	poll.Until(t, 10*time.Second, func() bool { _, done, _ := r.snapshot(); return len(done) == 1 }, "the job's result")
	settle(t, q, queue.Stats{}) // nothing left that could run a second time

	calls, done, _ := r.snapshot()
	if len(calls) != 1 || done[0] != nil {
		t.Fatalf("handled %d times with %v, want once with nil", len(calls), done)
	}
	if got := calls[0].job; !reflect.DeepEqual(got, job) {
		t.Errorf("handler got %+v, want %+v", got, job)
	}
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{}) {
		t.Errorf("Stats = %+v, %v; want all zero", got, err)
	}
}

func TestEnqueueDuplicateDelivery(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	if err := q.Enqueue(ctx, testJob("d-dup")); err != nil {
		t.Fatalf("first Enqueue: %v", err)
	}
	if err := q.Enqueue(ctx, testJob("d-dup")); !errors.Is(err, queue.ErrDuplicate) {
		t.Fatalf("second Enqueue = %v, want ErrDuplicate", err)
	}
	var r recorder
	startWorkers(t, q, r.handler(), r.options())
	poll.Until(t, 10*time.Second, func() bool { _, done, _ := r.snapshot(); return len(done) == 1 }, "the job's result")
	settle(t, q, queue.Stats{})
	if calls, _, _ := r.snapshot(); len(calls) != 1 {
		t.Errorf("handled %d times, want 1", len(calls))
	}
	// Still a duplicate after the job is done: GitHub redelivers for days.
	if err := q.Enqueue(ctx, testJob("d-dup")); !errors.Is(err, queue.ErrDuplicate) {
		t.Errorf("Enqueue after the job ran = %v, want ErrDuplicate", err)
	}
}

func TestEnqueueInvalidJob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*queue.Job)
	}{
		{"no kind", func(j *queue.Job) { j.Kind = "" }},
		{"no delivery id", func(j *queue.Job) { j.DeliveryID = "" }},
		{"no repository", func(j *queue.Job) { j.Repo = "" }},
		{"no head sha", func(j *queue.Job) { j.HeadSHA = "" }},
	}
	q := newQueue(t, queue.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			job := testJob("d-invalid")
			tt.edit(&job)
			if err := q.Enqueue(context.Background(), job); !errors.Is(err, queue.ErrInvalidJob) {
				t.Errorf("Enqueue = %v, want ErrInvalidJob", err)
			}
		})
	}
	if got, err := q.Stats(context.Background()); err != nil || got != (queue.Stats{}) {
		t.Errorf("Stats = %+v, %v; want nothing stored", got, err)
	}
}

// failScripts makes every Lua script call fail, as asynq's enqueue is one.
type failScripts struct{}

func (failScripts) DialHook(next redis.DialHook) redis.DialHook { return next }

func (failScripts) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if name := cmd.Name(); name == "evalsha" || name == "eval" {
			return errors.New("injected failure")
		}
		return next(ctx, cmd)
	}
}

func (failScripts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestEnqueueFailureForgetsDelivery(t *testing.T) {
	t.Parallel()
	ok := newQueue(t, queue.Options{})
	// A second client to the same server, on which asynq's enqueue script fails.
	broken := redis.NewClient(ok.rdb.(*redis.Client).Options())
	t.Cleanup(func() { _ = broken.Close() })
	broken.AddHook(failScripts{})
	ctx := context.Background()

	err := queue.New(broken, ok.opts).Enqueue(ctx, testJob("d-fail"))
	if !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("Enqueue with failing scripts = %v, want ErrUnavailable", err)
	}
	if err := ok.Enqueue(ctx, testJob("d-fail")); err != nil {
		t.Fatalf("Enqueue of the redelivery = %v, want nil", err)
	}
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	closed := redis.NewClient(queuetest.Options(t))
	_ = closed.Close()
	tests := []struct {
		name string
		rdb  redis.UniversalClient
	}{
		{"closed client", closed},
		{"server gone", queuetest.Unreachable(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := queue.New(tt.rdb, queue.Options{Name: "pgtest-unavailable"})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			calls := map[string]func() error{
				"Enqueue": func() error { return q.Enqueue(ctx, testJob("d-down")) },
				"Ping":    func() error { return q.Ping(ctx) },
				"Stats":   func() error { _, err := q.Stats(ctx); return err },
				"List":    func() error { _, err := q.List(ctx, queue.StateDead, 10); return err },
				"Requeue": func() error { return q.Requeue(ctx, "x") },
				"Run": func() error {
					return q.Run(ctx, func(context.Context, queue.Job) error { return nil }, queue.WorkerOptions{})
				},
			}
			for op, call := range calls {
				if err := call(); !errors.Is(err, queue.ErrUnavailable) {
					t.Errorf("%s = %v, want ErrUnavailable", op, err)
				}
			}
		})
	}
}

func TestStoredPayloadIsJustTheJob(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	job := testJob("d-payload")
	job.PR = 7
	job.BaseSHA = "3333333333333333333333333333333333333333"
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	info, err := asynq.NewInspectorFromRedisClient(q.rdb).GetTaskInfo(q.opts.Name, job.DeliveryID)
	if err != nil {
		t.Fatalf("GetTaskInfo: %v", err)
	}
	want, _ := json.Marshal(job)
	if string(info.Payload) != string(want) {
		t.Errorf("payload = %s, want the job's JSON %s", info.Payload, want)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(info.Payload, &fields); err != nil {
		t.Fatalf("payload is not a JSON object: %v", err)
	}
	allowed := jobFields()
	for k := range fields {
		if !allowed[k] {
			t.Errorf("payload has field %q, which Job does not declare", k)
		}
		if strings.Contains(strings.ToLower(k), "diff") || strings.Contains(strings.ToLower(k), "patch") {
			t.Errorf("payload has field %q: jobs hold no diff text", k)
		}
	}
}

// jobFields returns the JSON names of Job's fields.
func jobFields() map[string]bool {
	names := map[string]bool{}
	typ := reflect.TypeFor[queue.Job]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		names[name] = true
	}
	return names
}

// TestDeliveryKeyWithoutJobIsNoDuplicate: a delivery remembered with no job
// behind it (the dedupe key of a timed-out enqueue that Redis ran late) must
// never make a redelivery a duplicate. Issue 8, defect 5.
func TestDeliveryKeyWithoutJobIsNoDuplicate(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	if err := q.rdb.Set(ctx, q.opts.KeyPrefix+"delivery:d-orphan", "push", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(ctx, testJob("d-orphan")); err != nil {
		t.Fatalf("Enqueue with an orphan dedupe key = %v, want nil", err)
	}
	if _, err := asynq.NewInspectorFromRedisClient(q.rdb).GetTaskInfo(q.opts.Name, "d-orphan"); err != nil {
		t.Errorf("no job for the delivery: %v", err)
	}
}

// TestDuplicateKeptForRetention: a delivery stays a duplicate after its job ran,
// for the dedupe window, because the finished job is kept that long.
func TestDuplicateKeptForRetention(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	if err := q.Enqueue(ctx, testJob("d-kept")); err != nil {
		t.Fatal(err)
	}
	info, err := asynq.NewInspectorFromRedisClient(q.rdb).GetTaskInfo(q.opts.Name, "d-kept")
	if err != nil {
		t.Fatal(err)
	}
	if info.Retention != queue.DefaultDedupeTTL {
		t.Errorf("retention %v, want the dedupe window %v", info.Retention, queue.DefaultDedupeTTL)
	}
}

// commandLog records the name of every command a client sends, and counts
// a pipeline as one round trip.
type commandLog struct {
	mu    sync.Mutex
	names []string
}

func (c *commandLog) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandLog) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.mu.Lock()
		c.names = append(c.names, cmd.Name())
		c.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (c *commandLog) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.mu.Lock()
		c.names = append(c.names, "pipeline")
		c.mu.Unlock()
		return next(ctx, cmds)
	}
}

// take returns the names recorded since the last take.
func (c *commandLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := c.names
	c.names = nil
	return names
}

// TestEnqueueIsOneRoundTrip: once the queue's name is registered (the
// first enqueue), deduplication and enqueue are one Redis round trip, the
// webhook's whole share of Redis: one script call, for a new delivery and
// for a duplicate alike.
func TestEnqueueIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	counted := redis.NewClient(q.rdb.(*redis.Client).Options())
	t.Cleanup(func() { _ = counted.Close() })
	cmds := &commandLog{}
	counted.AddHook(cmds)
	enq := queue.New(counted, q.opts)
	ctx := context.Background()
	if err := enq.Enqueue(ctx, testJob("d-first")); err != nil {
		t.Fatal(err)
	}
	cmds.take() // the first also registers the queue's name, once
	for _, tc := range []struct {
		name, delivery string
		want           error
	}{
		{"new delivery", "d-second", nil},
		{"duplicate", "d-second", queue.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := enq.Enqueue(ctx, testJob(tc.delivery)); !errors.Is(err, tc.want) {
				t.Fatalf("Enqueue = %v, want %v", err, tc.want)
			}
			if got := cmds.take(); len(got) != 1 || (got[0] != "evalsha" && got[0] != "eval") {
				t.Errorf("Redis commands = %v, want one script call", got)
			}
		})
	}
}
