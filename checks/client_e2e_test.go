package checks

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// End-to-end tests of Client on internal/fakegithub: a fake GitHub backed by
// real git, which answers like GitHub and fails the test on any request that
// does not match GitHub's REST description (the OpenAPI subset in
// internal/fakegithub/testdata). They run each endpoint Client calls once,
// in the sequence the worker does, with the client the App builds
// (ghinstallation). Every branch of the calls is unit tested, faster, on an
// httptest mux in client_test.go and client_comment_test.go.

// The repository of the end-to-end tests, and the pull request the comment
// tests write on.
const (
	testOwner        = "octo"
	testRepo         = "hello"
	testInstallation = 7
	testPR           = 3
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

func TestE2ECheckRunLifecycle(t *testing.T) {
	t.Parallel()
	fake, repo, c := fakeRepo(t)
	ctx := testCtx(t)
	head := repo.Head()
	if _, err := c.Start(ctx, head, "delivery-1"); err != nil {
		t.Fatal(err)
	}
	run, err := c.Start(ctx, head, "delivery-2") // a redelivery racing the first
	if err != nil {
		t.Fatal(err)
	}
	found, ok, err := c.Find(ctx, head, fake.AppID())
	if err != nil || !ok || found != run {
		t.Fatalf("Find = %+v, %v, %v; want the newest run %+v", found, ok, err, run)
	}
	if _, ok, err := c.Find(ctx, head, fake.AppID()+1); err != nil || ok {
		t.Fatalf("Find by another app = %v, %v; want none", ok, err)
	}

	out := Render(activeReport(t, 120), newTestRuleset(t))
	if err := c.Complete(ctx, run, out); err != nil {
		t.Fatal(err)
	}
	cr := runByID(t, fake, run.ID)
	if got := methods(cr.Updates); !slices.Equal(got, []string{"POST", "PATCH", "PATCH", "PATCH"}) {
		t.Errorf("requests %v, want the POST and 3 PATCHes of 50, 50 and 20 annotations", got)
	}
	if len(cr.Annotations) != len(out.Annotations) {
		t.Fatalf("%d annotations recorded, want %d", len(cr.Annotations), len(out.Annotations))
	}
	for i, a := range cr.Annotations {
		if w := out.Annotations[i]; a.Path != w.GetPath() || a.StartLine != w.GetStartLine() || a.Message != w.GetMessage() {
			t.Errorf("annotation %d is %s:%d, want %s:%d (in order)", i, a.Path, a.StartLine, w.GetPath(), w.GetStartLine())
		}
	}
	if cr.Status != "completed" || cr.Conclusion != ConclusionFailure || cr.Output.Title != out.Title ||
		cr.Output.Summary != out.Summary || cr.ExternalID != "delivery-2" || !hasRescan(cr.Actions) {
		t.Errorf("run %s/%s, title %q, external ID %q, actions %+v; want completed/failure with the rendered output and Re-scan",
			cr.Status, cr.Conclusion, cr.Output.Title, cr.ExternalID, cr.Actions)
	}
}

func TestE2EIncomplete(t *testing.T) {
	t.Parallel()
	fake, repo, c := fakeRepo(t)
	run, err := c.Start(testCtx(t), repo.Head(), "")
	if err != nil {
		t.Fatal(err)
	}
	const reason = "fetch commit 1234: 502 Bad Gateway after 5 attempts"
	if err := c.Incomplete(testCtx(t), run, reason); err != nil {
		t.Fatal(err)
	}
	cr := runByID(t, fake, run.ID)
	if cr.Status != "completed" || cr.Conclusion != ConclusionActionRequired ||
		!strings.Contains(cr.Output.Summary, reason) || !hasRescan(cr.Actions) {
		t.Errorf("run %s/%s, summary %q, actions %+v; want completed/action_required with the reason and Re-scan",
			cr.Status, cr.Conclusion, cr.Output.Summary, cr.Actions)
	}
}

func TestE2ECommentLifecycle(t *testing.T) {
	t.Parallel()
	const pr = 3
	fake, repo, c := fakeRepo(t)
	repo.Branch("feature")
	fake.AddPullRequest(repo, pr, repo, "feature", "main")
	fake.AddComment(repo, pr, "octocat", "Please look at this.")
	ctx := testCtx(t)

	id, created, err := c.UpsertComment(ctx, pr, "1 leaked secret")
	if err != nil || !created {
		t.Fatalf("first UpsertComment: created %v, err %v", created, err)
	}
	again, created, err := c.UpsertComment(ctx, pr, "no leaked secret")
	if err != nil || created || again != id {
		t.Fatalf("second UpsertComment = %d, created %v, err %v; want %d edited", again, created, err, id)
	}
	if found, ok, err := c.FindComment(ctx, pr); err != nil || !ok || found != id {
		t.Fatalf("FindComment = %d, %v, %v; want %d", found, ok, err, id)
	}
	reply, err := c.ReplyComment(ctx, pr, "Only maintainers can dismiss findings.")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.React(ctx, reply, ReactionRefused); err != nil {
		t.Fatal(err)
	}
	byID := map[int64]fakegithub.Comment{}
	for _, cm := range fake.Comments(testOwner, testRepo, pr) {
		byID[cm.ID] = cm
	}
	if got := byID[id].Bodies; len(got) != 2 || got[1] != CommentMarker+"\nno leaked secret" {
		t.Errorf("pushguard comment bodies %q, want two, the last with the marker", got)
	}
	if got := byID[reply]; got.Body == "" || len(got.Reactions) != 1 || got.Reactions[0].Content != ReactionRefused {
		t.Errorf("reply %+v, want it with a %q reaction", got, ReactionRefused)
	}
}

// runByID returns the check run id of the repository.
func runByID(t *testing.T, fake *fakegithub.Server, id int64) fakegithub.CheckRun {
	t.Helper()
	for _, cr := range fake.CheckRuns(testOwner, testRepo) {
		if cr.ID == id {
			return cr
		}
	}
	t.Fatalf("no check run %d", id)
	return fakegithub.CheckRun{}
}

// methods are the HTTP methods of a run's create and update requests.
func methods(us []fakegithub.CheckRunUpdate) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Method)
	}
	return out
}

func hasRescan(actions []fakegithub.Action) bool {
	for _, a := range actions {
		if a.Identifier == ActionRescan && a.Label == "Re-scan" {
			return true
		}
	}
	return false
}

// fakePR starts a fake GitHub with a repository and an open pull request
// testPR, and returns a Client for it.
func fakePR(t *testing.T) (*fakegithub.Server, *fakegithub.Repo, *Client) {
	t.Helper()
	fake, repo, c := fakeRepo(t)
	repo.Branch("feature")
	fake.AddPullRequest(repo, testPR, repo, "feature", "main")
	return fake, repo, c
}

// restartedClient is a new Client for the same fake GitHub, with a new
// installation transport and no memory of earlier calls, as after a
// restart of the App.
func restartedClient(t *testing.T, fake *fakegithub.Server) *Client {
	t.Helper()
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, fake.AppID(), fake.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	atr.BaseURL = strings.TrimSuffix(fake.URL(), "/")
	gh := github.NewClient(&http.Client{Transport: ghinstallation.NewFromAppsTransport(atr, testInstallation), Timeout: 10 * time.Second})
	u, err := gh.BaseURL.Parse(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL, gh.UploadURL = u, u
	return NewClient(gh, testOwner, testRepo)
}

// botComments are the comments the App's bot wrote on testPR.
func botComments(fake *fakegithub.Server) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, cm := range fake.Comments(testOwner, testRepo, testPR) {
		if strings.HasSuffix(cm.User, "[bot]") {
			out = append(out, cm)
		}
	}
	return out
}

// TestFindCommentAfterRestart is the list endpoint's end-to-end test: the
// comment is found on the fake's second page (its Link headers) by a new
// client, and edited in place.
func TestFindCommentAfterRestart(t *testing.T) {
	t.Parallel()
	fake, repo, c := fakePR(t)
	ctx := testCtx(t)
	// More than a page of conversation before pushguard's comment, and some
	// after it, so finding it takes the second page.
	for i := range 120 {
		fake.AddComment(repo, testPR, "octocat", "comment "+strconv.Itoa(i))
	}
	id, _, err := c.UpsertComment(ctx, testPR, CommentMarker+"\nfirst scan")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReplyComment(ctx, testPR, "Dismissed."); err != nil {
		t.Fatal(err)
	}
	fake.AddComment(repo, testPR, "octocat", "thanks")

	restarted := restartedClient(t, fake)
	got, found, err := restarted.FindComment(ctx, testPR)
	if err != nil || !found || got != id {
		t.Fatalf("FindComment: %d, %v, %v; want comment %d", got, found, err, id)
	}
	if again, created, err := restarted.UpsertComment(ctx, testPR, CommentMarker+"\nsecond scan"); err != nil || created || again != id {
		t.Fatalf("upsert after restart: id %d, created %v, err %v; want %d edited", again, created, err, id)
	}
	if n := len(botComments(fake)); n != 2 { // the comment and the reply
		t.Errorf("%d bot comments, want 2", n)
	}
}
