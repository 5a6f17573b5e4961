package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pushguard/pushguard/queue"
)

const testSecret = "It's a Secret to Everybody"

// fakeQueue records jobs; err, when set, is returned by Enqueue.
type fakeQueue struct {
	mu   sync.Mutex
	jobs []queue.Job
	seen map[string]bool
	err  error
}

func (q *fakeQueue) Enqueue(_ context.Context, j queue.Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	if q.seen[j.DeliveryID] {
		return queue.ErrDuplicate
	}
	if q.seen == nil {
		q.seen = map[string]bool{}
	}
	q.seen[j.DeliveryID] = true
	q.jobs = append(q.jobs, j)
	return nil
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func payload(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "github", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func delivery(event, id string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-GitHub-Event", event)
	r.Header.Set("X-GitHub-Delivery", id)
	r.Header.Set("X-Hub-Signature-256", sign(body))
	return r
}

func newHandler(t testing.TB, q Enqueuer) *Handler {
	t.Helper()
	h, err := New([]byte(testSecret), q, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(h http.Handler, r *http.Request) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// TestRealPayloads sends every real GitHub payload through the handler.
func TestRealPayloads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		status int
		check  func(t *testing.T, j queue.Job)
	}{
		{"push/with-new-branch.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindPush || !j.Created || j.HeadSHA == "" || j.Ref == "" || j.Owner == "" || j.InstallationID == 0 || !j.Public {
				t.Errorf("job %+v", j)
			}
		}},
		{"push/with-no-username-committer.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindPush || len(j.Commits) == 0 || j.Before == "" {
				t.Errorf("job %+v", j)
			}
		}},
		{"push/with-installation.payload.json", 202, nil}, // deleted ref: ignored
		{"push/payload.json", 202, nil},                   // no installation: ignored
		{"pull_request/opened.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindPullRequest || j.PR == 0 || j.HeadSHA == "" || j.BaseSHA == "" || !j.Public {
				t.Errorf("job %+v", j)
			}
		}},
		{"pull_request/opened.with-null-body.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindPullRequest {
				t.Errorf("job %+v", j)
			}
		}},
		{"pull_request/synchronize.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Action != "synchronize" || j.HeadSHA == "" {
				t.Errorf("job %+v", j)
			}
		}},
		{"pull_request/reopened.with-organization.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindPullRequest {
				t.Errorf("job %+v", j)
			}
		}},
		{"pull_request/closed.payload.json", 202, nil},
		{"check_suite/requested.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindRescan || j.Action != "requested" || j.HeadSHA == "" {
				t.Errorf("job %+v", j)
			}
		}},
		{"check_suite/rerequested.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindRescan || j.Action != "rerequested" {
				t.Errorf("job %+v", j)
			}
		}},
		{"check_suite/completed.payload.json", 202, nil},
		{"check_run/rerequested.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindRescan || j.CheckRunID == 0 {
				t.Errorf("job %+v", j)
			}
		}},
		{"check_run/requested_action.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindAction || j.Action == "" || j.Sender == "" || j.CheckRunID == 0 {
				t.Errorf("job %+v", j)
			}
		}},
		{"check_run/created.payload.json", 202, nil},
		{"issue_comment/created.with-installation.payload.json", 202, nil}, // on an issue, not a PR
		{"installation/created.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Kind != queue.KindInstallation || j.Action != "created" {
				t.Errorf("job %+v", j)
			}
		}},
		{"installation/deleted.payload.json", 202, nil},
		{"installation_repositories/added.payload.json", 202, func(t *testing.T, j queue.Job) {
			if j.Event != "installation_repositories" {
				t.Errorf("job %+v", j)
			}
		}},
		{"ping/payload.json", 200, nil},
		{"ping/with-app_id.payload.json", 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			q := &fakeQueue{}
			event := strings.SplitN(tt.file, "/", 2)[0]
			if got := serve(newHandler(t, q), delivery(event, "d-1", payload(t, tt.file))); got != tt.status {
				t.Fatalf("status %d, want %d", got, tt.status)
			}
			switch {
			case tt.check == nil && len(q.jobs) > 0 && event != "installation":
				t.Errorf("ignored delivery enqueued %+v", q.jobs)
			case tt.check != nil && len(q.jobs) != 1:
				t.Fatalf("%d jobs, want 1", len(q.jobs))
			case tt.check != nil:
				if q.jobs[0].DeliveryID != "d-1" || q.jobs[0].Event != event {
					t.Errorf("delivery/event not kept: %+v", q.jobs[0])
				}
				tt.check(t, q.jobs[0])
			}
		})
	}
}

// TestPullRequestComment uses a real issue_comment payload turned into a
// comment on a pull request, as GitHub sends for PR conversations.
func TestPullRequestComment(t *testing.T) {
	t.Parallel()
	body := bytes.Replace(payload(t, "issue_comment/created.with-installation.payload.json"),
		[]byte(`"issue": {`), []byte(`"issue": {"pull_request": {"url": "https://api.github.com/repos/o/r/pulls/1"},`), 1)
	q := &fakeQueue{}
	if got := serve(newHandler(t, q), delivery("issue_comment", "d-2", body)); got != 202 {
		t.Fatalf("status %d", got)
	}
	if len(q.jobs) != 1 || q.jobs[0].Kind != queue.KindComment || q.jobs[0].CommentID == 0 || q.jobs[0].Sender == "" {
		t.Fatalf("jobs %+v", q.jobs)
	}
}

func TestBadDeliveries(t *testing.T) {
	t.Parallel()
	good := payload(t, "push/with-new-branch.payload.json")
	tests := []struct {
		name   string
		req    func() *http.Request
		queue  *fakeQueue
		status int
	}{
		{"bad signature", func() *http.Request {
			r := delivery("push", "d", good)
			r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
			return r
		}, nil, 401},
		{"no signature", func() *http.Request {
			r := delivery("push", "d", good)
			r.Header.Del("X-Hub-Signature-256")
			return r
		}, nil, 401},
		{"sha1 signature only", func() *http.Request {
			r := delivery("push", "d", good)
			r.Header.Del("X-Hub-Signature-256")
			m := hmac.New(sha1.New, []byte(testSecret))
			m.Write(good)
			r.Header.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(m.Sum(nil)))
			return r
		}, nil, 401},
		{"malformed json", func() *http.Request { return delivery("push", "d", []byte(`{"ref": `)) }, nil, 400},
		{"wrong content type", func() *http.Request {
			r := delivery("push", "d", good)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, nil, 400},
		{"no delivery id", func() *http.Request {
			r := delivery("push", "", good)
			return r
		}, nil, 400},
		{"too large", func() *http.Request {
			return delivery("push", "d", bytes.Repeat([]byte(" "), MaxBodyBytes+1))
		}, nil, 413},
		{"unknown event", func() *http.Request { return delivery("star", "d", []byte(`{}`)) }, nil, 202},
		{"queue unavailable", func() *http.Request { return delivery("push", "d", good) },
			&fakeQueue{err: errors.Join(queue.ErrUnavailable, errors.New("dial tcp: refused"))}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.queue
			if q == nil {
				q = &fakeQueue{}
			}
			if got := serve(newHandler(t, q), tt.req()); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			if tt.status != 202 && len(q.jobs) > 0 {
				t.Errorf("refused delivery enqueued %+v", q.jobs)
			}
		})
	}
}

func TestDuplicateDelivery(t *testing.T) {
	t.Parallel()
	q := &fakeQueue{}
	h := newHandler(t, q)
	body := payload(t, "push/with-new-branch.payload.json")
	for i := 0; i < 3; i++ {
		if got := serve(h, delivery("push", "same", body)); got != 202 {
			t.Fatalf("status %d", got)
		}
	}
	if len(q.jobs) != 1 {
		t.Errorf("%d jobs for one delivery, want 1", len(q.jobs))
	}
}

func TestEmptySecretRefused(t *testing.T) {
	t.Parallel()
	if _, err := New(nil, &fakeQueue{}, nil, nil); err == nil {
		t.Fatal("empty secret accepted")
	}
}
