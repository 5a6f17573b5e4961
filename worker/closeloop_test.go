package worker

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/validity"
)

// scanItems scans files (path → content) of one commit with the built-in
// rules and returns the findings as report items.
func scanItems(t *testing.T, commit string, files map[string]string) []checks.Item {
	t.Helper()
	rules, err := scanner.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := scanner.New(rules, []byte("closeloop test key 0123456789"))
	var items []checks.Item
	for path, content := range files {
		res, err := sc.ScanFile(context.Background(), path, commit, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			items = append(items, checks.Item{Finding: f})
		}
	}
	return items
}

// randomFrom is n characters of alphabet from a seeded source.
func randomFrom(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return string(b)
}

func TestCompanionsComeFromTheSameFileOnly(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	id := "AKIA" + randomFrom(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	secret := randomFrom(r, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/", 40)
	pair := "AWS_ACCESS_KEY_ID = \"" + id + "\"\nAWS_SECRET_ACCESS_KEY = \"" + secret + "\"\n"
	items := scanItems(t, strings.Repeat("a", 40), map[string]string{
		"billing/keys.py": pair,
		"other/id.py":     "AWS_ACCESS_KEY_ID = \"" + id + "\"\n",
	})
	var checkedPair, checkedLone bool
	for _, it := range items {
		extra := companions(items, it)
		switch {
		case it.Path == "billing/keys.py" && strings.HasPrefix(it.RuleID, "aws-access-key-id"):
			checkedPair = true
			if extra[validity.ExtraAWSSecretAccessKey] != secret {
				t.Errorf("%s: the secret access key of the same file is not its companion (%d extras)", it.RuleID, len(extra))
			}
			if _, self := extra[validity.ExtraAWSAccessKeyID]; self {
				t.Errorf("%s is its own companion", it.RuleID)
			}
		case it.Path == "other/id.py":
			checkedLone = true
			if len(extra) != 0 {
				t.Errorf("a key ID alone in its file got companions from another file")
			}
		}
	}
	if !checkedPair || !checkedLone {
		t.Fatalf("findings %v: want an AWS key ID in both files", items)
	}
}

func TestAlertable(t *testing.T) {
	dismissed := checks.Item{Validity: checks.ValidityLive, Dismissed: &checks.Dismissal{Reason: "revoked"}}
	tests := []struct {
		level string
		it    checks.Item
		want  bool
	}{
		{AlertLevelLive, checks.Item{Validity: checks.ValidityLive}, true},
		{AlertLevelLive, checks.Item{Validity: checks.ValidityUnknown}, false},
		{AlertLevelLive, checks.Item{}, false},
		{AlertLevelAny, checks.Item{}, true},
		{AlertLevelAny, checks.Item{Advisory: true, Validity: checks.ValidityNotLive}, true},
		{AlertLevelAny, dismissed, false},
		{AlertLevelLive, dismissed, false},
	}
	for _, tc := range tests {
		w := &Worker{alertLevel: tc.level}
		if got := w.alertable(tc.it); got != tc.want {
			t.Errorf("level %s, validity %q, dismissed %v: %v, want %v", tc.level, tc.it.Validity, tc.it.Dismissed != nil, got, tc.want)
		}
	}
}

func TestNotLiveUnderFailOnLive(t *testing.T) {
	c, err := validity.New(validity.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{validity: c}
	tests := []struct {
		rule, validity string
		want           bool
	}{
		{"github-pat", checks.ValidityLive, false},
		{"github-pat", checks.ValidityNotLive, true},
		{"github-pat", checks.ValidityUnknown, true},
		{"github-pat", "", false},                // could be checked, was not: keeps failing
		{"generic-api-key-assignment", "", true}, // no verifier for the rule
	}
	for _, tc := range tests {
		it := checks.Item{Validity: tc.validity}
		it.RuleID = tc.rule
		if got := w.notLive(it); got != tc.want {
			t.Errorf("%s %q: notLive %v, want %v", tc.rule, tc.validity, got, tc.want)
		}
	}
}

// TestValidityBudgetEndsSlowChecks: keys of a provider that never answers
// are marked unknown once the job's validity budget is spent, however long
// one check may wait, so the check run still completes. Without the budget
// this test waits on the hour-long check timeout.
func TestValidityBudgetEndsSlowChecks(t *testing.T) {
	hang := make(chan struct{})
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(api.Close)
	t.Cleanup(func() { close(hang) })
	checker, err := validity.New(validity.Options{
		HTTPClient: api.Client(), GitHubAPIURL: api.URL, Timeout: time.Hour, CacheTTL: -1,
		PerProviderRate: rate.Inf,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(11))
	var content strings.Builder
	for i := range 3 * validityConcurrency {
		fmt.Fprintf(&content, "TOKEN_%d = %q\n", i, scanner.CRC32Token("ghp_", randomFrom(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 30)))
	}
	report := &checks.Report{Items: scanItems(t, strings.Repeat("b", 40), map[string]string{"ci/tokens.env": content.String()})}
	if len(report.Items) != 3*validityConcurrency {
		t.Fatalf("%d findings, want %d", len(report.Items), 3*validityConcurrency)
	}
	w := New(Options{Validity: checker, ValidityBudget: 50 * time.Millisecond})
	if err := w.checkValidity(context.Background(), queue.Job{InstallationID: 1}, report, nil); err != nil {
		t.Fatal(err)
	}
	for _, it := range report.Items {
		if it.Validity != checks.ValidityUnknown {
			t.Errorf("%s at line %d: validity %q, want %q", it.RuleID, it.Line, it.Validity, checks.ValidityUnknown)
		}
	}
}

// TestOneValidityCheckPerKey: a key found in several commits and files is
// one key. It is checked once (one provider call), every finding shows the
// answer, and its incident records one result, so the bounded validity
// history keeps its older results.
func TestOneValidityCheckPerKey(t *testing.T) {
	var calls atomic.Int32
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"login":"octocat"}`)
	}))
	t.Cleanup(api.Close)
	checker, err := validity.New(validity.Options{
		HTTPClient: api.Client(), GitHubAPIURL: api.URL, CacheTTL: -1, PerProviderRate: rate.Inf,
	})
	if err != nil {
		t.Fatal(err)
	}
	rdb := queuetest.Redis(t)
	incs, err := incident.New(incident.Config{Redis: rdb, Prefix: queuetest.Name(t, rdb) + ":"})
	if err != nil {
		t.Fatal(err)
	}
	token := scanner.CRC32Token("ghp_", randomFrom(rand.New(rand.NewSource(13)), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 30))
	var items []checks.Item
	for i, path := range []string{"ci/a.env", "ci/b.env", "deploy/c.env"} {
		items = append(items, scanItems(t, strings.Repeat(strconv.Itoa(i+1), 40), map[string]string{path: "TOKEN = \"" + token + "\"\n"})...)
	}
	if len(items) != 3 {
		t.Fatalf("%d findings, want 3", len(items))
	}
	report := &checks.Report{Items: items}
	job := queue.Job{InstallationID: 1, Owner: "octo-org", Repo: "payments", Ref: "refs/heads/main"}
	w := New(Options{Validity: checker, Incidents: incs})
	seen, err := w.sightAll(context.Background(), job, report)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.checkValidity(context.Background(), job, report, seen); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d provider calls for one key, want 1", n)
	}
	for _, it := range report.Items {
		if it.Validity != checks.ValidityLive {
			t.Errorf("%s in %s: validity %q, want %q", it.RuleID, it.Path, it.Validity, checks.ValidityLive)
		}
	}
	inc, err := incs.Get(context.Background(), job.InstallationID, items[0].Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Validity) != 1 {
		t.Errorf("incident holds %d validity results after one check, want 1", len(inc.Validity))
	}
}
