package checks

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pushguard/pushguard/scanner"
)

func TestActionsOfaRunWithGitHubTokens(t *testing.T) {
	t.Parallel()
	token := Item{Finding: scanner.Finding{RuleID: "github-pat", Provider: "GitHub"}}
	other := Item{Finding: scanner.Finding{RuleID: "acme-api-key", Provider: "Acme Cloud"}}
	dismissed := token
	dismissed.Dismissed = &Dismissal{Reason: "revoked", By: "alice"}
	tests := []struct {
		name  string
		items []Item
		want  []string
	}{
		{"no findings", nil, []string{ActionRescan}},
		{"another provider only", []Item{other}, []string{ActionRescan, ActionDismissRevoked, ActionDismissTestData}},
		{"an active GitHub token", []Item{other, token}, []string{ActionRescan, ActionRevokeTokens, ActionDismissRevoked}},
		{"the GitHub token revoked", []Item{other, dismissed}, []string{ActionRescan, ActionDismissRevoked, ActionDismissTestData}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ids []string
			for _, a := range actions(Report{Items: tt.items}) {
				ids = append(ids, a.Identifier)
				if utf8.RuneCountInString(a.Label) > 20 || utf8.RuneCountInString(a.Description) > 40 || len(a.Identifier) > 20 {
					t.Errorf("action %+v is over GitHub's limits", a)
				}
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("actions %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestNoticesShownInSummaryAndComment(t *testing.T) {
	t.Parallel()
	const notice = "Revoked: 1 GitHub token (`ghp_ab…(40)`)."
	r := Report{Notices: []string{notice}, Commits: 1}
	rules := newTestRuleset(t)
	if got := Render(r, rules).Summary; !strings.Contains(got, "> **pushguard:** "+notice) {
		t.Errorf("summary lacks the notice:\n%s", got)
	}
	if got := RenderComment(r, rules, ""); !strings.Contains(got, "> **pushguard:** "+notice) {
		t.Errorf("comment lacks the notice:\n%s", got)
	}
}

func TestPlaybookOffersRevocationForGitHubTokens(t *testing.T) {
	t.Parallel()
	rules, err := scanner.Default()
	if err != nil {
		t.Fatal(err)
	}
	for rule, want := range map[string]bool{"github-pat": true, "github-fine-grained-pat": true, "github-installation-token": false, "aws-access-key-id": false} {
		r, ok := rules.Rule(rule)
		if !ok {
			t.Fatalf("no rule %s", rule)
		}
		g := providerGroup{provider: r.Provider, items: []Item{{Finding: scanner.Finding{RuleID: rule, Provider: r.Provider}}}}
		if got := strings.Contains(playbookContent(g, rules, nil), "`/pushguard revoke all`"); got != want {
			t.Errorf("%s: playbook offers /pushguard revoke: %v, want %v", rule, got, want)
		}
	}
}
