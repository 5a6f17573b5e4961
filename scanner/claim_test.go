package scanner

import (
	"regexp"
	"testing"
)

// Tokens of the GitHub and npm formats whose CRC-32 checksum is wrong: no
// provider issued them.
const (
	badGHP = "ghp_zpPYvXqu138jcupkANXwfunWrLlDqb0hLHaA"
	badGHO = "gho_CyEkKb2PiNGCkPgl5fPaKuQwyFFygO4EAhoA"
	badNPM = "npm_wewmKQQIgfDkgmBzGSf5m3vXzNuVr84PScRA"
)

// TestClaimedValuesNotReportedByBroaderRules: a value that a provider rule
// recognises by its shape and rejects (checksum, structure) is not reported
// by any other rule, with every built-in rule on.
func TestClaimedValuesNotReportedByBroaderRules(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	for _, text := range []string{
		`github_token = "` + badGHP + `"`,
		`GITHUB_TOKEN=` + badGHP,
		`  "password": "` + badGHO + `",`,
		`NPM_TOKEN=` + badNPM,
		`npm_token: '` + badNPM + `'`,
		`--auth-token ` + badNPM,
		`DATABASE_URL=postgres://ci:` + badGHP + `@db.internal.acme.io:5432/app`,
		`git clone https://x-access-token:` + badGHP + `@github.com/acme/infra.git`,
	} {
		t.Run(text, func(t *testing.T) {
			if fs := scanText(t, all, text); len(fs) != 0 {
				t.Errorf("got %v, want no finding", locs(fs))
			}
		})
	}
}

// TestClaimingRulesFalsePositivesStayQuiet runs, with every rule on, each
// false positive of a claiming rule that the rule's own pattern matches (a
// value of its shape that it rejects): no rule may report it.
func TestClaimingRulesFalsePositivesStayQuiet(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	for _, r := range Builtin() {
		if !claims(r) {
			continue
		}
		re := regexp.MustCompile(r.Pattern)
		for _, fp := range r.FalsePositives {
			if !re.MatchString(fp) {
				continue
			}
			t.Run(r.ID, func(t *testing.T) {
				if fs := scanText(t, all, fp); len(fs) != 0 {
					t.Errorf("false positive of %s reported by %v:\n%s", r.ID, locs(fs), fp)
				}
			})
		}
	}
}

// TestClaimKeepsOtherFindings: a claim covers only the rejected value, so
// another secret on the same line is still reported, and a valid token
// still is.
func TestClaimKeepsOtherFindings(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	text := `github_token = "` + badGHP + `"; db_password = "Xq7vR2mLp9sKt4Wz"`
	fs := scanText(t, all, text)
	if len(fs) != 1 || fs[0].RuleID != "generic-secret" || fs[0].Secret() != "Xq7vR2mLp9sKt4Wz" {
		t.Errorf("got %v, want the generic password only", locs(fs))
	}
	good := `github_token = "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"`
	if fs := scanText(t, all, good); len(fs) != 1 || fs[0].RuleID != "github-pat" {
		t.Errorf("got %v, want github-pat", locs(fs))
	}
}
