package worker

import (
	"strings"
	"testing"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/scanner"
)

func item(rule, provider, fp string) checks.Item {
	return checks.Item{Finding: scanner.Finding{RuleID: rule, Provider: provider, Fingerprint: fp}}
}

func TestGitHubTokensAmongFindings(t *testing.T) {
	t.Parallel()
	pat, pat2 := item("github-pat", "GitHub", "aa"), item("github-pat", "GitHub", "aa") // one token at two places
	oauth, aws := item("github-oauth-token", "GitHub", "bb"), item("aws-access-key-id", "Amazon Web Services", "cc")
	dismissed := item("github-pat", "GitHub", "dd")
	dismissed.Dismissed = &checks.Dismissal{Reason: "revoked"}
	tokens, others := gitHubTokens([]checks.Item{pat, aws, oauth})
	if len(tokens) != 2 || len(others) != 1 || others[0].RuleID != "aws-access-key-id" {
		t.Errorf("gitHubTokens: %d tokens, others %v; want 2 and the AWS key", len(tokens), others)
	}
	active := activeGitHubTokens(&checks.Report{Items: []checks.Item{pat, pat2, aws, oauth, dismissed}})
	if len(active) != 2 || active[0].Fingerprint != "aa" || active[1].Fingerprint != "bb" {
		t.Errorf("activeGitHubTokens: %v; want aa and bb once each, not the dismissed one or the AWS key", active)
	}
}

func TestOthersAdvice(t *testing.T) {
	t.Parallel()
	got := othersAdvice([]checks.Item{item("aws-access-key-id", "Amazon Web Services", "a"), item("aws-secret", "Amazon Web Services", "b"),
		item("stripe-secret", "Stripe", "c"), item("stripe-secret", "Stripe", "c")})
	for _, want := range []string{"3 other findings", "Amazon Web Services, Stripe", "`/pushguard resolve <fingerprint|all> revoked`"} {
		if !strings.Contains(got, want) {
			t.Errorf("advice lacks %q:\n%s", want, got)
		}
	}
}
