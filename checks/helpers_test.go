package checks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/scanner"
)

// testKey keys the fingerprints of the test findings.
const testKey = "checks-test-fingerprint-key"

// testRulesVersion stands in for the ruleset's version, so golden files do
// not change when the scanner's engine does.
const testRulesVersion = "test-rules-1"

// testRules are three providers' rules with full remediation, plus one whose
// provider name is hostile markup (for the injection tests).
func testRules() []scanner.Rule {
	return []scanner.Rule{
		{
			ID: "acme-api-key", Provider: "Acme Cloud", Description: "Acme Cloud API key (docs.acme.test/keys).",
			Keywords: []string{"acme_"}, Pattern: `\b(acme_[A-Za-z0-9]{32})\b`, Group: 1, Confidence: scanner.High,
			Remediation: scanner.Remediation{
				What:          "An Acme Cloud API key grants full access to the account's buckets.",
				RevokeURL:     "https://console.acme.test/keys",
				Revoke:        "Delete the key on the API keys page.",
				RevokeCommand: "acme keys delete <KEY_ID>",
				Rotate:        "Create a new key with the least scope and store it in your secret manager.",
				Misuse:        "Check the account's audit log for calls from unknown addresses.",
				DocsURL:       "https://docs.acme.test/keys",
			},
		},
		{
			ID: "zenith-token", Provider: "Zenith", Description: "Zenith personal access token.",
			Keywords: []string{"znt-"}, Pattern: `\b(znt-[A-Za-z0-9]{36})\b`, Group: 1, Confidence: scanner.High,
			Remediation: scanner.Remediation{
				What:      "A Zenith token acts as the user who made it.",
				RevokeURL: "https://zenith.test/settings/tokens",
				Revoke:    "Revoke the token under Settings → Tokens.",
				Rotate:    "Issue a new token with an expiry date.",
				Misuse:    "Review the security log of the token's owner.",
				DocsURL:   "https://zenith.test/docs/tokens",
			},
		},
		{
			ID: "orbit-secret", Provider: "Orbit Pay", Description: "Orbit Pay secret key",
			Keywords: []string{"orb_sk_"}, Pattern: `\b(orb_sk_[A-Za-z0-9]{40})\b`, Group: 1, Confidence: scanner.Medium,
			Remediation: scanner.Remediation{
				What:          "An Orbit Pay secret key can move money.",
				RevokeURL:     "https://dashboard.orbit.test/apikeys",
				Revoke:        "Roll the key in the dashboard with an immediate expiry.",
				RevokeCommand: "curl -X POST https://api.orbit.test/v1/keys/<KEY_ID>/roll \\\n  -u <NEW_ADMIN_KEY>:",
				Rotate:        "Use the rolled key from the secret store.",
				Misuse:        "Look for unknown charges and payouts.",
				DocsURL:       "https://docs.orbit.test/keys",
			},
		},
		{
			ID: "evil-token", Provider: "Evil</summary><script>alert(1)</script> | `co` &amp;", Description: "Hostile provider name",
			Keywords: []string{"evil_"}, Pattern: `\b(evil_[A-Za-z0-9]{30})\b`, Group: 1, Confidence: scanner.High,
			Remediation: scanner.Remediation{
				What: "A token.", Revoke: "Revoke it.", Rotate: "Rotate it.", Misuse: "Look at logs.",
			},
		},
	}
}

// newTestRuleset compiles testRules.
func newTestRuleset(tb testing.TB) *scanner.Ruleset {
	tb.Helper()
	rs, err := scanner.NewRuleset(testRules())
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

// token derives a deterministic, random-looking base62 string of n
// characters from seed, so planted secrets pass the decoy filter and golden
// files stay stable.
func token(seed string, n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", seed, i)))
		for _, c := range sum {
			if b.Len() == n {
				break
			}
			b.WriteByte(alphabet[int(c)%len(alphabet)])
		}
	}
	return b.String()
}

// secretFor returns a secret of the given rule's format, derived from seed.
func secretFor(ruleID, seed string) string {
	switch ruleID {
	case "acme-api-key":
		return "acme_" + token(seed, 32)
	case "zenith-token":
		return "znt-" + token(seed, 36)
	case "orbit-secret":
		return "orb_sk_" + token(seed, 40)
	case "evil-token":
		return "evil_" + token(seed, 30)
	}
	panic("unknown rule " + ruleID)
}

// plant is one secret to write into a scanned file.
type plant struct {
	rule   string
	seed   string
	path   string
	commit string
	line   int // 1-based line of the file the secret is on
}

// scanFindings writes each plant into a file of its own and scans it with
// the real scanner, so every finding carries a real secret. It fails the test
// unless each plant yields exactly one finding.
func scanFindings(tb testing.TB, rs *scanner.Ruleset, plants []plant) []scanner.Finding {
	tb.Helper()
	s := scanner.New(rs, []byte(testKey))
	var out []scanner.Finding
	for _, p := range plants {
		var text strings.Builder
		for i := 1; i < p.line; i++ {
			fmt.Fprintf(&text, "line %d\n", i)
		}
		fmt.Fprintf(&text, "key = \"%s\"\n", secretFor(p.rule, p.seed))
		res, err := s.ScanFile(context.Background(), p.path, p.commit, strings.NewReader(text.String()))
		if err != nil {
			tb.Fatal(err)
		}
		if len(res.Findings) != 1 {
			tb.Fatalf("plant %+v: %d findings, want 1", p, len(res.Findings))
		}
		out = append(out, res.Findings[0])
	}
	return out
}

// atHead is an item still present at the head, where it was added.
func atHead(f scanner.Finding) Item {
	return Item{Finding: f, AtHead: &Location{Path: f.Path, Line: f.Line, EndLine: f.EndLine,
		StartColumn: f.StartColumn, EndColumn: f.EndColumn}}
}

// checked is it with a validity result.
func checked(it Item, validity string) Item { it.Validity = validity; return it }

// advisory is it set aside by fail_on.
func advisory(it Item) Item { it.Advisory = true; return it }

// withValidity is r with validity checks on.
func withValidity(r Report) Report { r.ValidityChecked = true; return r }

// removed is an item a later commit deleted.
func removed(f scanner.Finding) Item { return Item{Finding: f} }

// dismissed is an item at the head that a maintainer dismissed.
func dismissed(f scanner.Finding, reason string) Item {
	it := atHead(f)
	it.Dismissed = &Dismissal{Reason: reason, By: "octocat", At: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	return it
}

// sha is a fake, full-length commit SHA.
func sha(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("commit %d", n)))
	return hex.EncodeToString(sum[:20])
}
