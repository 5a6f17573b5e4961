package checks

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

const (
	testOwner        = "octo"
	testRepo         = "hello"
	testInstallation = 7
)

// fakeRepo starts a fake GitHub with one repository holding one commit, and
// returns a Client for it authenticated as the installation, built the way
// the App builds it.
func fakeRepo(t *testing.T) (*fakegithub.Server, *fakegithub.Repo, *Client) {
	t.Helper()
	fake := fakegithub.New(t, fakegithub.Options{})
	repo := fake.AddRepo(testOwner, testRepo, testInstallation)
	repo.Commit("first", map[string]string{"README.md": "hello\n"})
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, fake.AppID(), fake.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	atr.BaseURL = strings.TrimSuffix(fake.URL(), "/")
	itr := ghinstallation.NewFromAppsTransport(atr, testInstallation)
	gh := github.NewClient(&http.Client{Transport: itr, Timeout: 10 * time.Second})
	u, err := gh.BaseURL.Parse(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL, gh.UploadURL = u, u
	return fake, repo, NewClient(gh, testOwner, testRepo)
}

// onlyRun returns the repository's single check run.
func onlyRun(t *testing.T, fake *fakegithub.Server) fakegithub.CheckRun {
	t.Helper()
	runs := fake.CheckRuns(testOwner, testRepo)
	if len(runs) != 1 {
		t.Fatalf("%d check runs, want 1", len(runs))
	}
	return runs[0]
}

// activeReport has n active findings, all at the head.
func activeReport(t *testing.T, n int) Report {
	t.Helper()
	rs := newTestRuleset(t)
	plants := make([]plant, n)
	for i := range plants {
		plants[i] = plant{rule: providerRules[i%3].rule, seed: "client" + strconv.Itoa(i),
			path: "src/file" + strconv.Itoa(i) + ".env", commit: sha(i % 4), line: 1 + i%5}
	}
	r := Report{Commits: 4, RulesVersion: testRulesVersion}
	for _, f := range scanFindings(t, rs, plants) {
		r.Items = append(r.Items, atHead(f))
	}
	return r
}

func TestClientStart(t *testing.T) {
	fake, repo, c := fakeRepo(t)
	run, err := c.Start(testCtx(t), repo.Head(), "delivery-1")
	if err != nil {
		t.Fatal(err)
	}
	cr := onlyRun(t, fake)
	if cr.Name != Name || cr.HeadSHA != repo.Head() || cr.Status != "in_progress" || cr.ExternalID != "delivery-1" || cr.Conclusion != "" {
		t.Errorf("created run %+v", cr)
	}
	if run.ID != cr.ID || run.HeadSHA != repo.Head() || run.Status != "in_progress" {
		t.Errorf("Start returned %+v, want the run with ID %d", run, cr.ID)
	}
	if len(cr.Updates) != 1 || cr.Updates[0].Method != http.MethodPost {
		t.Errorf("updates %+v, want one POST", cr.Updates)
	}
}

// patchBody is the part of a PATCH body the tests look at.
type patchBody struct {
	Name       *string `json:"name"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	Output     *struct {
		Title       string            `json:"title"`
		Summary     string            `json:"summary"`
		Annotations []json.RawMessage `json:"annotations"`
	} `json:"output"`
	Actions []fakegithub.Action `json:"actions"`
}

func TestClientCompleteBatches(t *testing.T) {
	for _, n := range []int{0, 50, 51, 120} {
		t.Run(strconv.Itoa(n)+" annotations", func(t *testing.T) {
			fake, repo, c := fakeRepo(t)
			r := activeReport(t, n)
			out := Render(r, newTestRuleset(t))
			if len(out.Annotations) != n {
				t.Fatalf("%d annotations rendered, want %d", len(out.Annotations), n)
			}
			run, err := c.Start(testCtx(t), repo.Head(), "")
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Complete(testCtx(t), run, out); err != nil {
				t.Fatal(err)
			}
			cr := onlyRun(t, fake)
			patches := cr.Updates[1:]
			if want := max(1, (n+49)/50); len(patches) != want {
				t.Fatalf("%d PATCHes, want %d", len(patches), want)
			}
			for i, u := range patches {
				var body patchBody
				if err := json.Unmarshal(u.Body, &body); err != nil {
					t.Fatal(err)
				}
				last := i == len(patches)-1
				if u.Method != http.MethodPatch || body.Name == nil || *body.Name != Name {
					t.Errorf("update %d: %s with name %v, want PATCH named %q", i, u.Method, body.Name, Name)
				}
				if got := body.Conclusion != nil; got != last {
					t.Errorf("PATCH %d of %d carries a conclusion: %v", i+1, len(patches), got)
				}
				if got := body.Status != nil && *body.Status == "completed"; got != last {
					t.Errorf("PATCH %d of %d completes the run: %v", i+1, len(patches), got)
				}
				if got := len(body.Actions) > 0; got != last {
					t.Errorf("PATCH %d of %d sets actions: %v", i+1, len(patches), got)
				}
				if body.Output == nil || len(body.Output.Annotations) > MaxAnnotationsPerCall ||
					(!last && len(body.Output.Annotations) != MaxAnnotationsPerCall) {
					t.Errorf("PATCH %d of %d: output %v", i+1, len(patches), body.Output != nil)
				}
			}
			if len(cr.Annotations) != n {
				t.Fatalf("%d annotations recorded, want %d", len(cr.Annotations), n)
			}
			for i, a := range cr.Annotations {
				w := out.Annotations[i]
				if a.Path != w.GetPath() || a.StartLine != w.GetStartLine() || a.Message != w.GetMessage() || a.AnnotationLevel != "failure" {
					t.Errorf("annotation %d is %s:%d, want %s:%d (in order)", i, a.Path, a.StartLine, w.GetPath(), w.GetStartLine())
				}
			}
			want := ConclusionFailure
			if n == 0 {
				want = ConclusionSuccess
			}
			if cr.Status != "completed" || cr.Conclusion != want || cr.Output.Title != out.Title || cr.Output.Summary != out.Summary {
				t.Errorf("run %s/%s, title %q; want completed/%s with the rendered output", cr.Status, cr.Conclusion, cr.Output.Title, want)
			}
			if !hasRescan(cr.Actions) {
				t.Errorf("actions %+v lack Re-scan", cr.Actions)
			}
		})
	}
}

func hasRescan(actions []fakegithub.Action) bool {
	for _, a := range actions {
		if a.Identifier == ActionRescan && a.Label == "Re-scan" {
			return true
		}
	}
	return false
}

func TestClientFind(t *testing.T) {
	fake, repo, c := fakeRepo(t)
	first := repo.Head()
	second := repo.Commit("second", map[string]string{"b.txt": "b\n"})
	ctx := testCtx(t)
	if _, err := c.Start(ctx, first, "d1"); err != nil {
		t.Fatal(err)
	}
	newest, err := c.Start(ctx, first, "d2")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		sha       string
		appID     int64
		wantFound bool
	}{
		{"newest by this app", first, fake.AppID(), true},
		{"any app", first, 0, true},
		{"another app's", first, fake.AppID() + 1, false},
		{"another SHA", second, fake.AppID(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, found, err := c.Find(ctx, tt.sha, tt.appID)
			if err != nil {
				t.Fatal(err)
			}
			if found != tt.wantFound {
				t.Fatalf("found %v, want %v", found, tt.wantFound)
			}
			if found && (run.ID != newest.ID || run.HeadSHA != tt.sha || run.Status != "in_progress") {
				t.Errorf("found %+v, want the newest run %d", run, newest.ID)
			}
		})
	}
}

func TestClientIncomplete(t *testing.T) {
	fake, repo, c := fakeRepo(t)
	run, err := c.Start(testCtx(t), repo.Head(), "")
	if err != nil {
		t.Fatal(err)
	}
	const reason = "fetch commit 1234: 502 Bad Gateway after 5 attempts"
	if err := c.Incomplete(testCtx(t), run, reason); err != nil {
		t.Fatal(err)
	}
	cr := onlyRun(t, fake)
	if cr.Status != "completed" || cr.Conclusion != ConclusionActionRequired {
		t.Errorf("run %s/%s, want completed/action_required", cr.Status, cr.Conclusion)
	}
	if !strings.Contains(cr.Output.Summary, reason) || cr.Output.Title == "" {
		t.Errorf("output %+v does not give the reason", cr.Output)
	}
	if !hasRescan(cr.Actions) {
		t.Errorf("actions %+v lack Re-scan", cr.Actions)
	}
}

func TestClientAPIErrorsAreWrapped(t *testing.T) {
	checkRuns := `^/repos/octo/hello/(commits/[0-9a-f]+/)?check-runs`
	tests := []struct {
		name   string
		method string
		call   func(ctx context.Context, c *Client, run Run) error
		prefix string
	}{
		{"start", http.MethodPost, func(ctx context.Context, c *Client, run Run) error {
			_, err := c.Start(ctx, run.HeadSHA, "")
			return err
		}, "create check run on "},
		{"find", http.MethodGet, func(ctx context.Context, c *Client, run Run) error {
			_, _, err := c.Find(ctx, run.HeadSHA, 0)
			return err
		}, "list check runs on "},
		{"complete", http.MethodPatch, func(ctx context.Context, c *Client, run Run) error {
			return c.Complete(ctx, run, Output{Title: "t", Summary: "s", Conclusion: ConclusionSuccess})
		}, "update check run "},
		{"incomplete", http.MethodPatch, func(ctx context.Context, c *Client, run Run) error {
			return c.Incomplete(ctx, run, "boom")
		}, "conclude check run "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, repo, c := fakeRepo(t)
			run, err := c.Start(testCtx(t), repo.Head(), "")
			if err != nil {
				t.Fatal(err)
			}
			fake.Inject(fakegithub.Fault{Method: tt.method, PathRegexp: checkRuns, Status: http.StatusInternalServerError})
			err = tt.call(testCtx(t), c, run)
			var ge *github.ErrorResponse
			if !errors.As(err, &ge) || ge.Response.StatusCode != http.StatusInternalServerError {
				t.Fatalf("err %v, want a wrapped *github.ErrorResponse with status 500", err)
			}
			if !strings.HasPrefix(err.Error(), tt.prefix) {
				t.Errorf("err %q does not start with %q", err, tt.prefix)
			}
		})
	}
}

func TestClientCompleteFailsMidway(t *testing.T) {
	fake, repo, c := fakeRepo(t)
	out := Render(activeReport(t, 120), newTestRuleset(t))
	run, err := c.Start(testCtx(t), repo.Head(), "")
	if err != nil {
		t.Fatal(err)
	}
	fake.Inject(fakegithub.Fault{Method: http.MethodPatch, PathRegexp: `/check-runs/`, Times: 1}) // the first passes
	fake.Inject(fakegithub.Fault{Method: http.MethodPatch, PathRegexp: `/check-runs/`, Status: http.StatusInternalServerError})
	err = c.Complete(testCtx(t), run, out)
	if err == nil || !strings.Contains(err.Error(), "batch 2 of 3") {
		t.Fatalf("err %v, want the second of three batches to fail", err)
	}
	if cr := onlyRun(t, fake); cr.Status == "completed" || cr.Conclusion != "" || len(cr.Annotations) != 50 {
		t.Errorf("run %s/%q with %d annotations: it must not look complete", cr.Status, cr.Conclusion, len(cr.Annotations))
	}
}
