package checks

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/golden"
	"github.com/pushguard/pushguard/scanner"
)

// testCommands stands in for the commands help the caller supplies.
const testCommands = "Reply with a command (maintainers only):\n\n" +
	"- `/pushguard dismiss <fingerprint-prefix|all> <false-positive|test-data|revoked|accepted-risk> [why]`\n" +
	"- `/pushguard undo <fingerprint-prefix>`\n" +
	"- `/pushguard rescan`\n" +
	"- `/pushguard help`\n"

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
	t.Parallel()
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
		{"comment_validity", withValidity(with(checked(atHead(f[0]), ValidityNotLive), checked(atHead(f[2]), ValidityLive), atHead(f[3]))),
			[]string{"**1 key is live — revoke now:**", "| **live — revoke now** |", "| not checked |"}},
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
	t.Parallel()
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
	t.Parallel()
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
// in a row of one. It looks each 12-character window of the comment up in a
// map of the secrets' windows: one pass, however many findings.
func checkNoSecret(t *testing.T, got string, r Report) {
	t.Helper()
	type at struct{ item, offset int }
	windows := map[string]at{}
	for k, it := range r.Items {
		s := it.Secret()
		if s == "" {
			t.Fatalf("finding %s has no secret: the test proves nothing", it.Finding)
		}
		for i := 0; i+12 <= len(s); i++ {
			windows[s[i:i+12]] = at{k, i}
		}
	}
	for i := 0; i+12 <= len(got); i++ {
		if w, ok := windows[got[i:i+12]]; ok {
			t.Fatalf("the comment shows 12 characters of the secret of %s, from its offset %d", r.Items[w.item].Finding, w.offset)
		}
	}
}

// checkTable checks that every row of the findings table has exactly the
// header's cells (five, six with validity): user-controlled text cannot add or close one.
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
		want := 6
		if strings.Contains(got, "| Validity |") {
			want = 7
		}
		if n := cellSeparators(line); n != want {
			t.Errorf("table row has %d separators, want %d: %s", n, want, line)
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
