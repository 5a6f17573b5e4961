package checks

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/golden"
	"github.com/pushguard/pushguard/scanner"
)

// testPR is the pull request the comment tests write on.
const testPR = 3

// testCommands stands in for the commands help the caller supplies.
const testCommands = "Reply with a command (maintainers only):\n\n" +
	"- `/pushguard dismiss <fingerprint-prefix|all> <false-positive|test-data|revoked|accepted-risk> [why]`\n" +
	"- `/pushguard undo <fingerprint-prefix>`\n" +
	"- `/pushguard rescan`\n" +
	"- `/pushguard help`\n"

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

// writes are the requests since the first n that were not reads.
func writes(fake *fakegithub.Server, n int) []fakegithub.RecordedRequest {
	var out []fakegithub.RecordedRequest
	for _, rr := range fake.Requests()[n:] {
		if rr.Method != http.MethodGet && !strings.HasPrefix(rr.Path, "/app/") { // token requests are not ours
			out = append(out, rr)
		}
	}
	return out
}

func TestUpsertCommentEditsInPlace(t *testing.T) {
	fake, _, c := fakePR(t)
	ctx := testCtx(t)
	body := func(i int) string { return CommentMarker + "\nscan " + strconv.Itoa(i) }
	id, created, err := c.UpsertComment(ctx, testPR, body(0))
	if err != nil || !created || id == 0 {
		t.Fatalf("first upsert: id %d, created %v, err %v; want a new comment", id, created, err)
	}
	for i := 1; i <= 5; i++ {
		got, created, err := c.UpsertComment(ctx, testPR, body(i))
		if err != nil || created || got != id {
			t.Fatalf("upsert %d: id %d, created %v, err %v; want comment %d edited", i, got, created, err, id)
		}
	}
	cms := botComments(fake)
	if len(cms) != 1 {
		t.Fatalf("%d pushguard comments, want exactly 1", len(cms))
	}
	if cm := cms[0]; cm.ID != id || cm.Body != body(5) || len(cm.Bodies) != 6 {
		t.Errorf("comment %d has body %q after %d edits; want %d with %q after 5", cm.ID, cm.Body, len(cm.Bodies)-1, id, body(5))
	}
}

func TestUpsertCommentUnchangedSendsNothing(t *testing.T) {
	fake, _, c := fakePR(t)
	ctx := testCtx(t)
	const body = CommentMarker + "\nsame"
	id, _, err := c.UpsertComment(ctx, testPR, body)
	if err != nil {
		t.Fatal(err)
	}
	before := len(fake.Requests())
	got, created, err := c.UpsertComment(ctx, testPR, body)
	if err != nil || created || got != id {
		t.Fatalf("upsert: id %d, created %v, err %v; want %d unchanged", got, created, err, id)
	}
	if w := writes(fake, before); len(w) != 0 {
		t.Errorf("an unchanged body sent %d writes, first %s %s", len(w), w[0].Method, w[0].Path)
	}
	if cm := botComments(fake)[0]; len(cm.Bodies) != 1 {
		t.Errorf("comment edited %d times, want 0", len(cm.Bodies)-1)
	}
}

func TestUpsertCommentAddsMissingMarker(t *testing.T) {
	fake, _, c := fakePR(t)
	ctx := testCtx(t)
	id, _, err := c.UpsertComment(ctx, testPR, "no marker")
	if err != nil {
		t.Fatal(err)
	}
	if again, created, err := c.UpsertComment(ctx, testPR, "no marker, edited"); err != nil || created || again != id {
		t.Fatalf("second upsert: id %d, created %v, err %v; want %d edited", again, created, err, id)
	}
	if cm := botComments(fake); len(cm) != 1 || cm[0].Body != CommentMarker+"\nno marker, edited" {
		t.Errorf("comments %+v, want one starting with the marker", cm)
	}
}

func TestUpsertCommentIgnoresPeopleQuotingTheMarker(t *testing.T) {
	fake, repo, c := fakePR(t)
	ctx := testCtx(t)
	human := []fakegithub.Comment{
		fake.AddComment(repo, testPR, "mallory", CommentMarker+"\nAll clear, nothing to see."),
		fake.AddComment(repo, testPR, "octocat", "> "+CommentMarker+"\n> 🚨 1 active secret\n\nWhat is this?"),
	}
	if _, found, err := c.FindComment(ctx, testPR); err != nil || found {
		t.Fatalf("FindComment: found %v, err %v; want nothing", found, err)
	}
	id, created, err := c.UpsertComment(ctx, testPR, CommentMarker+"\nscan")
	if err != nil || !created {
		t.Fatalf("upsert: created %v, err %v; want a new comment", created, err)
	}
	for _, h := range human {
		if id == h.ID {
			t.Fatalf("upsert took %s's comment %d", h.User, h.ID)
		}
	}
	for _, cm := range fake.Comments(testOwner, testRepo, testPR) {
		if !strings.HasSuffix(cm.User, "[bot]") && len(cm.Bodies) != 1 {
			t.Errorf("%s's comment was edited: %q", cm.User, cm.Bodies)
		}
	}
}

func TestFindCommentAfterRestart(t *testing.T) {
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

func TestFindCommentNone(t *testing.T) {
	_, _, c := fakePR(t)
	if id, found, err := c.FindComment(testCtx(t), testPR); err != nil || found || id != 0 {
		t.Errorf("FindComment on a PR without comments: %d, %v, %v", id, found, err)
	}
	if _, _, err := c.FindComment(testCtx(t), 0); err == nil {
		t.Error("FindComment(0) succeeded; it would list the whole repository's comments")
	}
}

func TestReplyComment(t *testing.T) {
	fake, _, c := fakePR(t)
	ctx := testCtx(t)
	const text = "Only users with write, maintain or admin permission can dismiss findings."
	id, err := c.ReplyComment(ctx, testPR, CommentMarker+"\n"+text)
	if err != nil {
		t.Fatal(err)
	}
	cms := botComments(fake)
	if len(cms) != 1 || cms[0].ID != id || cms[0].Body != "\n"+text {
		t.Fatalf("comments %+v, want the reply %d without the marker", cms, id)
	}
	if _, found, err := c.FindComment(ctx, testPR); err != nil || found {
		t.Errorf("FindComment took the reply for the findings comment (found %v, err %v)", found, err)
	}
	nested := "<!-- pushguard" + CommentMarker + ":comment -->"
	if _, err := c.ReplyComment(ctx, testPR, nested); err != nil {
		t.Fatal(err)
	}
	if cms := botComments(fake); strings.Contains(cms[1].Body, CommentMarker) {
		t.Errorf("reply %q contains the marker", cms[1].Body)
	}
}

func TestReact(t *testing.T) {
	fake, repo, c := fakePR(t)
	cmd := fake.AddComment(repo, testPR, "maintainer", "/pushguard dismiss a6fea0f9 revoked")
	contents := []string{ReactionReceived, ReactionDone, ReactionRefused}
	for _, content := range contents {
		if err := c.React(testCtx(t), cmd.ID, content); err != nil {
			t.Fatalf("React %q: %v", content, err)
		}
	}
	if err := c.React(testCtx(t), cmd.ID, ReactionDone); err != nil { // again: GitHub answers 200
		t.Fatalf("React twice: %v", err)
	}
	got := fake.Comments(testOwner, testRepo, testPR)[0].Reactions
	if len(got) != len(contents) {
		t.Fatalf("reactions %+v, want %v", got, contents)
	}
	for i, re := range got {
		if re.Content != contents[i] || !strings.HasSuffix(re.User, "[bot]") {
			t.Errorf("reaction %d: %s by %s, want %s by the bot", i, re.Content, re.User, contents[i])
		}
	}
}

func TestCommentAPIErrorsAreWrapped(t *testing.T) {
	tests := []struct {
		name, method, path string
		call               func(ctx context.Context, c *Client) error
		prefix             string
	}{
		{"list", http.MethodGet, `/issues/3/comments$`, func(ctx context.Context, c *Client) error {
			_, _, err := c.FindComment(ctx, testPR)
			return err
		}, "list comments on #3 (page 1): "},
		{"create", http.MethodPost, `/issues/3/comments$`, func(ctx context.Context, c *Client) error {
			_, _, err := c.UpsertComment(ctx, testPR, "x")
			return err
		}, "create comment on #3: "},
		{"reply", http.MethodPost, `/issues/3/comments$`, func(ctx context.Context, c *Client) error {
			_, err := c.ReplyComment(ctx, testPR, "x")
			return err
		}, "reply on #3: "},
		{"edit", http.MethodPatch, `/issues/comments/`, func(ctx context.Context, c *Client) error {
			_, _, err := c.UpsertComment(ctx, testPR, "changed")
			return err
		}, "edit comment "},
		{"react", http.MethodPost, `/reactions$`, func(ctx context.Context, c *Client) error {
			cms, _, err := c.gh.Issues.ListComments(ctx, testOwner, testRepo, testPR, nil)
			if err != nil {
				return err
			}
			return c.React(ctx, cms[0].GetID(), ReactionDone)
		}, "react \"+1\" to comment "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, _, c := fakePR(t)
			if tt.name == "edit" || tt.name == "react" {
				if _, _, err := c.UpsertComment(testCtx(t), testPR, "first"); err != nil {
					t.Fatal(err)
				}
			}
			fake.Inject(fakegithub.Fault{Method: tt.method, PathRegexp: tt.path, Status: http.StatusInternalServerError})
			err := tt.call(testCtx(t), c)
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

// commentFindings are the findings of the rendering tests, with the times
// and links of their report.
func commentFindings(t *testing.T, rs *scanner.Ruleset) ([]scanner.Finding, Report) {
	t.Helper()
	f := scanFindings(t, rs, []plant{
		{rule: "acme-api-key", seed: "a1", path: "config/prod.env", commit: sha(1), line: 3},
		{rule: "zenith-token", seed: "z1", path: "scripts/deploy.sh", commit: sha(2), line: 12},
		{rule: "orbit-secret", seed: "o1", path: "billing/client.go", commit: sha(2), line: 40},
		{rule: "acme-api-key", seed: "a2", path: "test/fixtures/keys.txt", commit: sha(3), line: 1},
	})
	base := Report{
		Commits: 3, RulesVersion: testRulesVersion,
		CommitTimes: map[string]time.Time{
			sha(1): time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC),
			sha(2): time.Date(2026, 2, 11, 17, 5, 0, 0, time.UTC),
			sha(3): time.Date(2026, 2, 12, 8, 0, 0, 0, time.UTC),
		},
		BlobURL: func(path string, line int) string {
			return "https://github.test/octo/hello/blob/" + sha(9) + "/" + path + "#L" + strconv.Itoa(line)
		},
	}
	return f, base
}

// withGaps adds commits and a file left unscanned to r.
func withGaps(r Report) Report {
	r.UnscannedCommits = []CommitGap{{Count: 2, SHAs: []string{sha(7), sha(8)}, Reason: "Trimmed to the per-commit limit."}}
	r.Skipped = []scanner.Skipped{{Path: "src/late.go", Commit: sha(8), Reason: SkipTimeBudget}}
	return r
}

func TestRenderCommentGolden(t *testing.T) {
	rs := newTestRuleset(t)
	f, base := commentFindings(t, rs)
	with := func(items ...Item) Report { r := base; r.Items = items; return r }
	hostile := scanFindings(t, rs, []plant{
		{rule: "evil-token", seed: "e1", path: "a|b`c`/</details><!-- x -->\n| d | e |\\|.env", commit: sha(4), line: 2},
		{rule: "acme-api-key", seed: "a3", path: "docs/**bold** [link](http://evil.test) <img src=x>.md", commit: sha(4), line: 7},
	})
	injected := dismissed(hostile[1], "false-positive | `x` <b>")
	injected.Dismissed.By = "mallory</summary>|"
	tests := []struct {
		name   string
		report Report
		want   []string // text the comment must contain
	}{
		{"comment_active", with(atHead(f[0]), removed(f[1]), atHead(f[2]), dismissed(f[3], "test-data")),
			[]string{"🚨 3 active secrets", "| 🔴 active |", "⚪ dismissed: test-data by octocat on 2026-03-01", "<details><summary><b>Zenith</b>"}},
		{"comment_resolved", with(dismissed(f[0], "revoked"), dismissed(f[3], "test-data")),
			[]string{"✅ All findings resolved", "⚪ dismissed: revoked", "2 findings were dismissed"}},
		{"comment_removed_since", with(removed(f[1])),
			[]string{"🚨 1 active secret in", "`scripts/deploy.sh:12` (removed since)", "remains in the git history"}},
		{"comment_injection", with(atHead(hostile[0]), injected),
			[]string{"🚨 1 active secret in"}},
		{"comment_no_findings", with(), []string{"✅ All findings resolved"}},
		{"comment_unscanned", withGaps(with(atHead(f[0]))),
			[]string{"🚨 1 active secret", "**2 commits not scanned.**", "**1 file not scanned (time budget)**"}},
		{"comment_unscanned_resolved", withGaps(with(dismissed(f[0], "revoked"))),
			[]string{"not everything was scanned", "**2 commits not scanned.**"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenderComment(tt.report, rs, testCommands)
			golden.Check(t, filepath.Join("testdata", tt.name+".golden.md"), []byte(got))
			checkCommentShape(t, got, tt.report)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("comment lacks %q", w)
				}
			}
		})
	}
}

func TestRenderCommentTruncates(t *testing.T) {
	rs := newTestRuleset(t)
	r := activeReport(t, 3000)
	for i := range r.Items {
		if i%2 == 1 { // dismissed ones are left out first
			r.Items[i].Dismissed = &Dismissal{Reason: "test-data", By: "octocat"}
		}
	}
	got := RenderComment(r, rs, testCommands)
	golden.Check(t, filepath.Join("testdata", "comment_truncated.golden.md"), []byte(got))
	checkCommentShape(t, got, r)
	if len(got) > MaxComment {
		t.Fatalf("comment is %d bytes, over GitHub's %d", len(got), MaxComment)
	}
	m := regexp.MustCompile(`…and (\d+) more findings not shown`).FindStringSubmatch(got)
	if m == nil {
		t.Fatal("the comment does not count the rows it left out")
	}
	left, _ := strconv.Atoi(m[1])
	rows := strings.Count(got, "| 🔴 active |") + strings.Count(got, "| ⚪ dismissed")
	if rows+left != len(r.Items) || rows < 100 {
		t.Errorf("%d rows shown and %d counted as left out, want %d in all", rows, left, len(r.Items))
	}
	if strings.Contains(got, "⚪ dismissed") && rows <= r.Active() {
		t.Error("a dismissed row is shown while active ones were left out")
	}
	for _, w := range []string{"🚨 1500 active secrets", "<details><summary><b>Orbit Pay</b>", "/pushguard rescan", "rules " + testRulesVersion} {
		if !strings.Contains(got, w) {
			t.Errorf("truncated comment lacks %q", w)
		}
	}
}

func TestRenderCommentHugeCommandsStayWithinLimit(t *testing.T) {
	r := activeReport(t, 10)
	got := RenderComment(r, newTestRuleset(t), strings.Repeat("help ", 20000))
	if len(got) > MaxComment || !strings.HasPrefix(got, CommentMarker+"\n") {
		t.Errorf("comment of %d bytes (marker first: %v)", len(got), strings.HasPrefix(got, CommentMarker))
	}
	checkNoSecret(t, got, r)
}

// checkCommentShape checks what every rendered comment must be: marker
// first, within the limit, no secret, an intact table and balanced
// <details> blocks.
func checkCommentShape(t *testing.T, got string, r Report) {
	t.Helper()
	if !strings.HasPrefix(got, CommentMarker+"\n") {
		t.Errorf("comment does not start with the marker: %.60q", got)
	}
	if strings.Count(got, CommentMarker) != 1 {
		t.Errorf("the marker appears %d times", strings.Count(got, CommentMarker))
	}
	if len(got) > MaxComment {
		t.Errorf("comment is %d bytes, over %d", len(got), MaxComment)
	}
	checkNoSecret(t, got, r)
	checkTable(t, got)
	markup := codeSpan.ReplaceAllString(got, "") // literal text there, even "</details>"
	if open, closed := strings.Count(markup, "<details>"), strings.Count(markup, "</details>"); open != closed {
		t.Errorf("%d <details> opened, %d closed", open, closed)
	}
}

// codeSpan is an inline code span on one line.
var codeSpan = regexp.MustCompile("`[^`\n]*`")

// checkNoSecret fails when the comment shows any secret, or 12 characters
// in a row of one.
func checkNoSecret(t *testing.T, got string, r Report) {
	t.Helper()
	for _, it := range r.Items {
		s := it.Secret()
		if s == "" {
			t.Fatalf("finding %s has no secret: the test proves nothing", it.Finding)
		}
		for i := 0; i+12 <= len(s); i++ {
			if strings.Contains(got, s[i:i+12]) {
				t.Fatalf("the comment shows %q of the secret of %s", s[i:i+12], it.Finding)
			}
		}
	}
}

// checkTable checks that every row of the findings table has exactly the
// header's five cells: user-controlled text cannot add or close one.
func checkTable(t *testing.T, got string) {
	t.Helper()
	in := false
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "| Where |") {
			in = true
		}
		if !in {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		if n := cellSeparators(line); n != 6 {
			t.Errorf("table row has %d separators, want 6: %s", n, line)
		}
	}
}

// cellSeparators counts the unescaped pipes of a table row.
func cellSeparators(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}
