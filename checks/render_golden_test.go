package checks

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/golden"
	"github.com/pushguard/pushguard/scanner"
)

// goldenOutput is the JSON golden form of everything Render returns except
// the summary, which has its own markdown golden file.
type goldenOutput struct {
	Title       string                       `json:"title"`
	Conclusion  string                       `json:"conclusion"`
	Annotations []*github.CheckRunAnnotation `json:"annotations"`
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{
		{rule: "acme-api-key", seed: "a1", path: "config/prod.env", commit: sha(1), line: 3},
		{rule: "zenith-token", seed: "z1", path: "scripts/deploy.sh", commit: sha(2), line: 12},
		{rule: "orbit-secret", seed: "o1", path: "billing/client.go", commit: sha(2), line: 40},
		{rule: "acme-api-key", seed: "a2", path: "test/fixtures/keys.txt", commit: sha(3), line: 1},
	})
	times := map[string]time.Time{
		sha(1): time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC),
		sha(2): time.Date(2026, 2, 11, 17, 5, 0, 0, time.UTC),
		sha(3): time.Date(2026, 2, 12, 8, 0, 0, 0, time.UTC),
	}
	blob := func(path string, line int) string {
		return "https://github.test/octo/hello/blob/" + sha(9) + "/" + path + "#L" + strconv.Itoa(line)
	}
	tests := []struct {
		name   string
		report Report
	}{
		{"no_findings", Report{Commits: 3, RulesVersion: testRulesVersion}},
		{"one_active_at_head", Report{Items: []Item{atHead(f[0])}, Commits: 1, RulesVersion: testRulesVersion,
			CommitTimes: times, BlobURL: blob}},
		{"three_providers_removed_dismissed", Report{
			Items:   []Item{atHead(f[0]), removed(f[1]), atHead(f[2]), dismissed(f[3], "test-data")},
			Commits: 3, RulesVersion: testRulesVersion, CommitTimes: times, BlobURL: blob,
		}},
		{"all_dismissed", Report{Items: []Item{dismissed(f[3], "false-positive")}, Commits: 1, RulesVersion: testRulesVersion}},
		{"skipped_files", Report{
			Skipped: []scanner.Skipped{
				{Path: "assets/logo.png", Commit: sha(1), Reason: scanner.SkipBinary},
				{Path: "data/dump.sql", Commit: sha(2), Reason: scanner.SkipTooLarge},
				{Path: "vendor/blob.bin", Reason: scanner.SkipBinary},
			},
			Commits: 2, RulesVersion: testRulesVersion,
		}},
		{"unscanned", Report{
			UnscannedCommits: []CommitGap{{Count: 2, SHAs: []string{sha(4), sha(5)},
				Reason: "A first push lists its commits in the payload: only the newest 3 of 5 were scanned one by one (PUSHGUARD_MAX_COMMITS)."}},
			Skipped: []scanner.Skipped{
				{Path: "assets/logo.png", Commit: sha(1), Reason: scanner.SkipBinary},
				{Path: "data/dump.sql", Commit: sha(2), Reason: "too large (12582912 bytes, cap 10485760)"},
				{Path: "src/late.go", Commit: sha(3), Reason: SkipTimeBudget},
				{Path: "(files past the first 3000)", Commit: sha(3), Reason: SkipNotListed},
			},
			Commits: 3, RulesVersion: testRulesVersion,
		}},
		{"unscanned_with_finding", Report{Items: []Item{atHead(f[0])}, Commits: 1, RulesVersion: testRulesVersion, CommitTimes: times,
			Skipped: []scanner.Skipped{{Path: "src/late.go", Commit: sha(1), Reason: SkipTimeBudget}}}},
		{"validity_live_first", Report{
			Items:   []Item{checked(atHead(f[0]), ValidityNotLive), checked(atHead(f[1]), ValidityLive), checked(atHead(f[2]), ValidityUnknown), atHead(f[3])},
			Commits: 3, RulesVersion: testRulesVersion, CommitTimes: times, ValidityChecked: true,
		}},
		{"validity_fail_on_live", Report{
			Items:   []Item{advisory(checked(atHead(f[0]), ValidityNotLive)), checked(atHead(f[1]), ValidityLive), advisory(checked(atHead(f[2]), ValidityUnknown))},
			Commits: 3, RulesVersion: testRulesVersion, CommitTimes: times, ValidityChecked: true, FailOnLive: true,
		}},
		{"validity_fail_on_live_none_live", Report{
			Items:   []Item{advisory(checked(atHead(f[0]), ValidityNotLive))},
			Commits: 1, RulesVersion: testRulesVersion, ValidityChecked: true, FailOnLive: true,
		}},
		{"net_diff", Report{Items: []Item{atHead(f[1])}, Commits: 0, RulesVersion: testRulesVersion,
			NetDiff: "This push has 1,204 commits, more than the limit of 250: pushguard scanned the net diff of the push instead of each commit."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(tt.report, rs)
			js, err := json.MarshalIndent(goldenOutput{Title: out.Title, Conclusion: out.Conclusion, Annotations: out.Annotations}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".golden.md"), []byte(out.Summary))
			golden.Check(t, filepath.Join("testdata", tt.name+".golden.json"), append(js, '\n'))
		})
	}
}
