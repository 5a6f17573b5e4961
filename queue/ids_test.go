package queue_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

// TestValidateIdentifiers: every identifier a job carries into GitHub API
// paths is checked. Issue 8, defect 9.
func TestValidateIdentifiers(t *testing.T) {
	t.Parallel()
	sha256 := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		edit func(*queue.Job)
		ok   bool
	}{
		{"valid", func(*queue.Job) {}, true},
		{"sha-256 head", func(j *queue.Job) { j.HeadSHA, j.Commits = sha256, []string{sha256} }, true},
		{"bot sender", func(j *queue.Job) { j.Sender = "dependabot[bot]" }, true},
		{"button identifier", func(j *queue.Job) { j.Kind, j.Action = queue.KindAction, "lgtm|26764" }, true},
		{"fork", func(j *queue.Job) { j.HeadRepo = "fork-owner/hello.go" }, true},
		{"head sha path", func(j *queue.Job) { j.HeadSHA = "../../../app/x" }, false},
		{"short head sha", func(j *queue.Job) { j.HeadSHA = "abc123" }, false},
		{"before not hex", func(j *queue.Job) { j.Before = strings.Repeat("z", 40) }, false},
		{"base sha", func(j *queue.Job) { j.BaseSHA = "HEAD" }, false},
		{"commit", func(j *queue.Job) { j.Commits = append(j.Commits, "x/y") }, false},
		{"ref traversal", func(j *queue.Job) { j.Ref = "refs/heads/../x" }, false},
		{"ref unqualified", func(j *queue.Job) { j.Ref = "main" }, false},
		{"ref with query", func(j *queue.Job) { j.Ref = "refs/heads/a?b" }, false},
		{"default branch", func(j *queue.Job) { j.DefaultBranch = "a..b" }, false},
		{"repo with slash", func(j *queue.Job) { j.Repo = "a/b" }, false},
		{"repo dot-dot", func(j *queue.Job) { j.Repo = ".." }, false},
		{"owner with slash", func(j *queue.Job) { j.Owner = "app/x" }, false},
		{"sender with slash", func(j *queue.Job) { j.Sender = "a/b" }, false},
		{"head repo traversal", func(j *queue.Job) { j.HeadRepo = "evil/../x" }, false},
		{"html url scheme", func(j *queue.Job) { j.HTMLURL = "javascript:alert(1)" }, false},
		{"action with slash", func(j *queue.Job) { j.Action = "../x" }, false},
		{"unknown kind", func(j *queue.Job) { j.Kind = "other" }, false},
		{"delivery id with slash", func(j *queue.Job) { j.DeliveryID = "a/b" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := testJob("d-ids")
			tt.edit(&j)
			if err := j.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestStoredJobIsValidatedAgain: a job written into Redis by someone else
// than Enqueue, with a path in its SHA, never reaches the handler: it is
// dead at once.
func TestStoredJobIsValidatedAgain(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	bad := testJob("d-tampered")
	bad.HeadSHA = "../../../app/x"
	b, _ := json.Marshal(bad)
	client := asynq.NewClientFromRedisClient(q.rdb)
	if _, err := client.Enqueue(asynq.NewTask(string(bad.Kind), b), asynq.Queue(q.opts.Name), asynq.TaskID("d-tampered")); err != nil {
		t.Fatal(err)
	}
	var r recorder
	startWorkers(t, q, r.handler(), r.options())
	poll.Until(t, 10*time.Second, func() bool { _, _, dead := r.snapshot(); return len(dead) == 1 }, "the tampered job to be dead")
	calls, _, dead := r.snapshot()
	if len(calls) != 0 {
		t.Errorf("handler ran on a tampered job: %+v", calls)
	}
	if !errors.Is(dead[0], queue.ErrInvalidJob) {
		t.Errorf("dead with %v, want ErrInvalidJob", dead[0])
	}
}
