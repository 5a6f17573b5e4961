package repoconfig

import (
	"errors"
	"fmt"

	"github.com/pushguard/pushguard/scanner"
)

// Ruleset returns the rules a scan of this repository runs: the built-in
// rules minus rules.disable, plus the enabled custom rules, compiled, with
// allowlist.regexes and allowlist.stopwords applied (so its Version changes
// with them). With nothing disabled, no custom rules and no allowlist it
// returns builtin itself.
func (c *Config) Ruleset(builtin *scanner.Ruleset) (*scanner.Ruleset, error) {
	if builtin == nil {
		return nil, errors.New("repoconfig: no built-in ruleset")
	}
	custom := c.CustomRules()
	if len(c.DisabledRules()) == 0 && len(custom) == 0 {
		return c.withAllowlist(builtin)
	}
	var rules []scanner.Rule
	for _, r := range builtin.Rules() {
		if c.RuleEnabled(r.ID) {
			rules = append(rules, r)
		}
	}
	rs, err := scanner.NewRuleset(append(rules, custom...))
	if err != nil {
		return nil, fmt.Errorf("repoconfig: build ruleset: %w", err)
	}
	return c.withAllowlist(rs)
}

// withAllowlist applies allowlist.regexes and allowlist.stopwords to rs.
func (c *Config) withAllowlist(rs *scanner.Ruleset) (*scanner.Ruleset, error) {
	out, err := rs.WithAllowlist(c.Allowlist())
	if err != nil {
		return nil, fmt.Errorf("repoconfig: allowlist: %w", err)
	}
	return out, nil
}
