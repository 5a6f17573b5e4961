package app

import (
	"encoding/json"
	"net/http"
	"path"
	"strconv"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
)

// TestInstallationCapAcrossJobs: with a cap of one job per installation,
// installation A's second push starts its check run only after the first
// completed, while installation B's push runs at once, beside A's first.
// It reads the order from the fake's request log, not a clock.
func TestInstallationCapAcrossJobs(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{perInstallation: 1, latency: 100 * time.Millisecond})
	repoB := e.gh.AddRepo("other-org", "billing", 7777)
	repoB.Commit("initial commit", map[string]string{"README.md": "# billing\n"})
	b := &e2e{t: t, gh: e.gh, repo: repoB, installation: 7777} // builds B's payloads

	a0 := e.repo.Head()
	a1 := e.repo.Commit("a1", map[string]string{"a1.go": "package a\n"})
	a2 := e.repo.Commit("a2", map[string]string{"a2.go": "package a\n"})
	b0 := repoB.Head()
	b1 := repoB.Commit("b1", map[string]string{"b1.go": "package b\n"})
	for i, body := range [][]byte{
		e.push("refs/heads/main", a0, a1, false, false, a1),
		e.push("refs/heads/main", a1, a2, false, false, a2),
		b.push("refs/heads/main", b0, b1, false, false, b1),
	} {
		if got := e.sendAs("push", "cap-"+strconv.Itoa(i), body); got != http.StatusAccepted {
			t.Fatalf("push %d: status %d", i, got)
		}
	}
	for _, w := range []struct {
		repo *fakegithub.Repo
		sha  string
	}{{e.repo, a1}, {e.repo, a2}, {repoB, b1}} {
		poll.Until(t, time.Minute, func() bool {
			for _, r := range e.gh.CheckRuns(w.repo.Owner(), w.repo.Name()) {
				if r.HeadSHA == w.sha && r.Status == "completed" {
					return true
				}
			}
			return false
		}, "a completed check run on "+w.sha+"; logs:\n"+e.logs.String())
	}
	spans := checkRunSpans(t, e.gh, e.repo, repoB)
	first, second := spans[a1], spans[a2]
	if first.start.After(second.start) {
		first, second = second, first
	}
	if second.start.Before(first.end) {
		t.Errorf("installation A ran two jobs at once with a cap of one: check runs %v and %v overlap", first, second)
	}
	if !spans[b1].start.Before(first.end) {
		t.Errorf("installation B's push waited for A's: it started at %v, after A's first ended at %v", spans[b1].start, first.end)
	}
}

// span is when a check run was first and last written.
type span struct{ start, end time.Time }

func (s span) String() string {
	return s.start.Format("15:04:05.000") + "–" + s.end.Format("15:04:05.000")
}

// checkRunSpans reads, from the fake's request log, when each head SHA's
// check run was created and last updated.
func checkRunSpans(t *testing.T, gh *fakegithub.Server, repos ...*fakegithub.Repo) map[string]span {
	t.Helper()
	shaOf := map[string]string{} // check run ID: head SHA
	for _, r := range repos {
		for _, run := range gh.CheckRuns(r.Owner(), r.Name()) {
			shaOf[strconv.FormatInt(run.ID, 10)] = run.HeadSHA
		}
	}
	spans := map[string]span{}
	for _, req := range gh.Requests() {
		var sha string
		switch req.OperationID {
		case "checks/create":
			var body struct {
				HeadSHA string `json:"head_sha"`
			}
			if err := json.Unmarshal(req.Body, &body); err != nil {
				t.Fatal(err)
			}
			sha = body.HeadSHA
		case "checks/update":
			sha = shaOf[path.Base(req.Path)]
		default:
			continue
		}
		s, ok := spans[sha]
		if !ok {
			s.start = req.Time
		}
		s.end = req.Time
		spans[sha] = s
	}
	return spans
}
