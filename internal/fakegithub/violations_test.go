package fakegithub

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestInvalidRequestIsReportedAtCleanup(t *testing.T) {
	t.Parallel()
	s, ftb := newObserved(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	sha := r.Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	_, resp, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{
		Name: "pushguard", HeadSHA: sha, Status: github.String("completed"), Conclusion: github.String("bogus")})
	if err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("err %v, want 422", err)
	}
	if len(s.CheckRuns("octo", "hello")) != 0 {
		t.Error("an invalid request created a check run")
	}
	errs := ftb.finish()
	if len(errs) != 1 || !strings.Contains(errs[0], "checks/create") || !strings.Contains(errs[0], "bogus") {
		t.Errorf("reported %q, want one violation naming checks/create and the bad value", errs)
	}
}

func TestUnknownOperationIsAViolation(t *testing.T) {
	t.Parallel()
	s, ftb := newObserved(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	// Not in the description: listing branches.
	if _, _, err := c.Repositories.ListBranches(ctx(t), "octo", "hello", nil); err == nil {
		t.Error("unknown operation answered without error")
	}
	// In the description as GET only.
	req, _ := c.NewRequest(http.MethodDelete, "app", nil)
	if _, err := c.Do(ctx(t), req, nil); err == nil {
		t.Error("unknown method answered without error")
	}
	errs := ftb.finish()
	if len(errs) != 2 || !strings.Contains(errs[0], "/repos/octo/hello/branches") || !strings.Contains(errs[1], "not this method") {
		t.Errorf("reported %q, want the unknown path and the unknown method", errs)
	}
}

func TestValidAppPassesWithoutViolations(t *testing.T) {
	t.Parallel()
	s, ftb := newObserved(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	sha := r.Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	if _, _, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{Name: "pushguard", HeadSHA: sha}); err != nil {
		t.Fatal(err)
	}
	if errs := ftb.finish(); len(errs) != 0 {
		t.Errorf("violations %q, want none", errs)
	}
}
