package app

import (
	"sort"
	"strings"
	"testing"
)

// TestE2EDismissBuildsReportOnce: a dismiss comment builds the pull
// request's report once (the pull request, the configuration files and the
// commits are read once), then re-renders the check run and the comment
// from it.
func TestE2EDismissBuildsReportOnce(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 44)
	pr, head := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	before := len(e.gh.Requests())
	e.say(pr, "maintainer", "/pushguard dismiss "+fp+" test-data it is a fixture")
	if run := e.latestRun(head); run.Conclusion != "success" {
		t.Fatalf("after dismissal: conclusion %q, want success", run.Conclusion)
	}
	counts := map[string]int{}
	reqs := e.gh.Requests()[before:]
	for _, r := range reqs {
		counts[r.Method+" "+r.Path]++
	}
	var lines []string
	for k, n := range counts {
		lines = append(lines, k+" ×"+string(rune('0'+min(n, 9))))
	}
	sort.Strings(lines)
	t.Logf("%d GitHub requests for one dismiss comment:\n%s", len(reqs), strings.Join(lines, "\n"))
	repo := "/repos/" + e2eOwner + "/" + e2eRepo
	for _, once := range []string{
		"GET " + repo + "/pulls/9",
		"GET " + repo + "/pulls/9/commits",
		"GET " + repo + "/contents/.github/pushguard.yml",
		"GET /repos/" + e2eOwner + "/.github/contents/.github/pushguard.yml",
	} {
		if counts[once] > 1 {
			t.Errorf("%s requested %d times for one dismiss comment, want once", once, counts[once])
		}
	}
}
