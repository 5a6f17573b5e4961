package checks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestUnscannedConclusion: whatever was left out is named in the title and
// summary, and only binary files (read, and found binary) or a net diff
// let a scan with no active finding pass.
func TestUnscannedConclusion(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{{rule: "acme-api-key", seed: "a1", path: "a.env", commit: sha(1), line: 1}})
	gap := []CommitGap{{Count: 3, SHAs: []string{sha(2), sha(3), sha(4)}, Reason: "trimmed"}}
	capped := []CommitGap{{Count: 1, AtLeast: true, Reason: "payload cut at 2048"}}
	skip := func(reason string) []scanner.Skipped {
		return []scanner.Skipped{{Path: "x/y.bin", Commit: sha(5), Reason: reason}}
	}
	tests := []struct {
		name           string
		report         Report
		wantConclusion string
		wantTitle      string
		wantSummary    []string
	}{
		{"binary only passes", Report{Skipped: skip(scanner.SkipBinary)}, ConclusionSuccess, "No secrets found",
			[]string{"[!NOTE]", "**1 file not scanned (binary)**", "`x/y.bin` (binary)"}},
		{"net diff passes", Report{NetDiff: "past the limit"}, ConclusionSuccess, "No secrets found",
			[]string{"[!NOTE]", "Net diff scanned instead of each commit.** past the limit"}},
		{"trimmed commits", Report{UnscannedCommits: gap}, ConclusionActionRequired, "No secrets found, but 3 commits not scanned: check them",
			[]string{"[!WARNING]", "**3 commits not scanned.** trimmed `" + sha(2)[:12] + "`, `" + sha(3)[:12] + "`, `" + sha(4)[:12] + "`"}},
		{"payload at its cap", Report{UnscannedCommits: capped}, ConclusionActionRequired, "No secrets found, but at least 1 commit not scanned: check them",
			[]string{"**at least 1 commit not scanned.** payload cut at 2048"}},
		{"too large", Report{Skipped: skip("too large (11 bytes, cap 10)")}, ConclusionActionRequired, "No secrets found, but 1 file not scanned: check them",
			[]string{"**1 file not scanned (too large)**"}},
		{"time budget", Report{Skipped: skip(SkipTimeBudget)}, ConclusionActionRequired, "No secrets found, but 1 file not scanned: check them",
			[]string{"**1 file not scanned (time budget)**", "`x/y.bin` (time budget)"}},
		{"not listed", Report{Skipped: []scanner.Skipped{{Path: "(files past the first 300)", Commit: sha(6), Reason: SkipNotListed}}},
			ConclusionActionRequired, "No secrets found, but files past GitHub's list not scanned: check them",
			[]string{"**An unknown number of files not scanned (not listed by GitHub):** (files past the first 300) of " + sha(6)[:12]}},
		{"not listed and named", Report{Skipped: append(skip(SkipTimeBudget), scanner.Skipped{Path: "(files past the first 300)", Reason: SkipNotListed})},
			ConclusionActionRequired, "No secrets found, but at least 1 file not scanned: check them", nil},
		{"a finding still fails", Report{Items: []Item{atHead(f[0])}, UnscannedCommits: gap}, ConclusionFailure, "1 leaked secret: revoke it now",
			[]string{"**3 commits not scanned.**"}},
		{"dismissed finding and a gap", Report{Items: []Item{dismissed(f[0], "revoked")}, Skipped: skip(SkipTimeBudget)}, ConclusionActionRequired,
			"No secrets found, but 1 file not scanned: check them", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(tt.report, rs)
			if out.Conclusion != tt.wantConclusion || out.Title != tt.wantTitle {
				t.Errorf("got %q, %q; want %q, %q", out.Conclusion, out.Title, tt.wantConclusion, tt.wantTitle)
			}
			for _, w := range tt.wantSummary {
				if !strings.Contains(out.Summary, w) {
					t.Errorf("summary lacks %q:\n%s", w, out.Summary)
				}
			}
		})
	}
}

// TestUnscannedIsBounded: a gap of thousands of commits, and thousands of
// files left out, keep the summary and the comment within GitHub's limits
// while still counting them all.
func TestUnscannedIsBounded(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	var shas []string
	for i := 0; i < 5000; i++ {
		shas = append(shas, fmt.Sprintf("%040x", i))
	}
	var skipped []scanner.Skipped
	for i := 0; i < 5000; i++ {
		skipped = append(skipped, scanner.Skipped{Path: fmt.Sprintf("dir/%s/%05d.go", strings.Repeat("p", 200), i), Commit: sha(1), Reason: SkipTimeBudget})
		skipped = append(skipped, scanner.Skipped{Path: "(files past the first 3000)", Commit: fmt.Sprintf("%040x", i), Reason: SkipNotListed})
	}
	r := Report{UnscannedCommits: []CommitGap{{Count: len(shas), SHAs: shas, Reason: "trimmed"}}, Skipped: skipped, Commits: 250}
	summary := Render(r, rs).Summary
	comment := RenderComment(r, rs, testCommands)
	if len(summary) > MaxSummary || len(comment) > MaxComment {
		t.Fatalf("summary %d bytes, comment %d bytes: over the limit", len(summary), len(comment))
	}
	for _, want := range []string{"**5000 commits not scanned.**", "…and 4990 more", "**5000 files not scanned (time budget)**", "…and 4990 more lists of files cut short"} {
		for name, s := range map[string]string{"summary": summary, "comment": comment} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	if strings.Contains(summary, "(truncated to GitHub's limit)") {
		t.Error("the summary was cut by the last-resort truncation: the budgeted sections should fit")
	}
}
