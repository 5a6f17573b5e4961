package validity_test

import (
	"testing"

	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/validity"
)

// TestRuleIDsExist: every rule a verifier claims is one of the scanner's
// (the package itself imports none of ours; only this test does).
func TestRuleIDsExist(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range scanner.Builtin() {
		ids[r.ID] = true
	}
	for _, v := range validity.Verifiers() {
		for _, id := range v.RuleIDs {
			if !ids[id] {
				t.Errorf("%s: rule %q is not a scanner rule", v.Provider, id)
			}
		}
	}
}
