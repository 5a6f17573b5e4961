package fakegithub

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestBothURLStyles(t *testing.T) {
	t.Parallel()
	for _, enterprise := range []bool{false, true} {
		t.Run(map[bool]string{false: "dotcom", true: "enterprise"}[enterprise], func(t *testing.T) {
			s := New(t, Options{Enterprise: enterprise})
			wantSuffix := map[bool]string{false: "/", true: "/api/v3/"}[enterprise]
			if u := s.URL(); !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, wantSuffix) || strings.Count(u, "/api/v3") > 1 {
				t.Fatalf("URL() = %q, want suffix %q", u, wantSuffix)
			}
			r := s.AddRepo("octo", "hello", 7)
			sha := r.Commit("first", map[string]string{"a.txt": "a\n"})
			c, _ := installationClient(t, s, 7)
			if _, _, err := c.Repositories.GetCommit(ctx(t), "octo", "hello", sha, nil); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{Name: "pushguard", HeadSHA: sha}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := appClient(t, s).Apps.Get(ctx(t), ""); err != nil {
				t.Fatal(err)
			}
			for _, rr := range s.Requests() {
				if strings.HasPrefix(rr.Path, "/api/") || rr.OperationID == "" {
					t.Errorf("request %+v: want a prefix-free path with an operation", rr)
				}
			}
		})
	}
}

func TestWrongPrefixIsAViolation(t *testing.T) {
	t.Parallel()
	s, ftb := newObserved(t, Options{Enterprise: true})
	resp, err := http.Get(strings.TrimSuffix(s.URL(), "api/v3/") + "app")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	if errs := ftb.finish(); len(errs) != 1 || !strings.Contains(errs[0], "outside the API base") {
		t.Errorf("violations %q", errs)
	}
}
