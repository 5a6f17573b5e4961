package worker

import (
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/checks"
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
