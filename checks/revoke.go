package checks

import (
	"strings"

	"github.com/google/go-github/v60/github"
)

// ActionRevokeTokens is the identifier of the Revoke GitHub tokens button.
const ActionRevokeTokens = "revoke-tokens"

// gitHubTokenRules are the built-in rules whose findings are GitHub tokens:
// what /pushguard revoke and the Revoke GitHub tokens button act on.
// Installation tokens (ghs_) are among them although GitHub's revocation API
// does not accept them: the answer then names them as not sent, rather than
// the command saying nothing of them.
func gitHubTokenRules() []string {
	return []string{"github-pat", "github-fine-grained-pat", "github-oauth-token", "github-user-token",
		"github-refresh-token", "github-installation-token", "github-installation-token-jwt"}
}

// IsGitHubToken reports whether a finding of rule ruleID is a GitHub token.
func IsGitHubToken(ruleID string) bool {
	for _, id := range gitHubTokenRules() {
		if ruleID == id {
			return true
		}
	}
	return false
}

// ActiveGitHubTokens lists the active findings that are GitHub tokens, in
// report order (a token found twice is listed twice).
func (r Report) ActiveGitHubTokens() []Item {
	var out []Item
	for _, it := range r.Items {
		if it.Active() && IsGitHubToken(it.RuleID) {
			out = append(out, it)
		}
	}
	return out
}

// actions are the check run's buttons for r. GitHub allows three: while a
// GitHub token is active, Revoke GitHub tokens takes the place of Mark test
// data (still available as `/pushguard dismiss all test-data`).
func actions(r Report) []*github.CheckRunAction {
	b := buttons(r.Active() > 0)
	if len(r.ActiveGitHubTokens()) == 0 {
		return b
	}
	revoke := &github.CheckRunAction{Label: "Revoke GitHub tokens", Description: "Revoke them through GitHub's API", Identifier: ActionRevokeTokens}
	return []*github.CheckRunAction{b[0], revoke, b[1]}
}

// noticesSection renders what pushguard did at this run's request (a
// revocation's outcome), as a quote under the headline.
func noticesSection(r Report) string {
	var b strings.Builder
	for _, n := range r.Notices {
		b.WriteString("> **pushguard:** " + strings.ReplaceAll(n, "\n", "\n> ") + "\n\n")
	}
	return b.String()
}

// revokeHint tells, under a GitHub token's "Revoke it now" step, that
// pushguard can revoke it (installation tokens excepted: GitHub's API does
// not take them, and they expire within the hour).
func revokeHint(ruleID string) string {
	if !IsGitHubToken(ruleID) || strings.HasPrefix(ruleID, "github-installation-token") {
		return ""
	}
	return "   Or let pushguard revoke it through GitHub's API: press **Revoke GitHub tokens** on the pushguard check run, " +
		"or comment `/pushguard revoke all` on the pull request.\n"
}
