package repoconfig

import (
	"slices"

	"github.com/pushguard/pushguard/scanner"
)

// Defaults of the settings a file leaves out.
const (
	// DefaultComments: pushguard comments on pull requests with findings.
	DefaultComments = true
	// DefaultFailOn: every finding fails the check, whatever its confidence.
	DefaultFailOn = scanner.Low
	// DefaultValidity: a repository's keys are checked for validity when
	// its installation turns validity checks on.
	DefaultValidity = true
)

// The fail_on values besides the confidences.
const (
	// FailOnAny: every finding fails the check (the same as low).
	FailOnAny = "any"
	// FailOnLive: only keys a validity check found live fail the check.
	FailOnLive = "live"
)

// Config is the effective configuration of one repository. The zero value
// and a nil *Config are the defaults: nothing ignored, every built-in rule
// on, comments on, every finding fails the check, anyone with write
// permission may bypass. A Config is immutable once built and safe for
// concurrent use.
type Config struct {
	ignore   []string       // normalised doublestar globs
	disabled []string       // rule ids
	custom   []scanner.Rule // validated custom rules
	comments *bool          // nil: unset
	failOn   scanner.Confidence
	bypass   bypassPolicy
	failLive *bool // nil: fail_on unset
	validity *bool // nil: unset
	allow    allowlist
}

// Ignored reports whether a file path (slash-separated, relative to the
// repository root, as git prints it) matches one of paths.ignore.
func (c *Config) Ignored(path string) bool {
	if c == nil {
		return false
	}
	path = normalizePath(path)
	for _, g := range c.ignore {
		if globMatch(g, path) {
			return true
		}
	}
	return false
}

// RuleEnabled reports whether the rule with this id is not in rules.disable.
func (c *Config) RuleEnabled(id string) bool {
	return c == nil || !slices.Contains(c.disabled, id)
}

// Fails reports whether a finding of this confidence fails the check
// (fail_on is the least confidence that does).
func (c *Config) Fails(conf scanner.Confidence) bool {
	return conf >= c.FailOn()
}

// FailOn is the least confidence that fails the check.
func (c *Config) FailOn() scanner.Confidence {
	if c == nil || c.failOn == 0 {
		return DefaultFailOn
	}
	return c.failOn
}

// FailOnLive reports whether fail_on is "live": only keys a validity check
// found live fail the check (the worker falls back to every finding when
// validity checks are off, and says so).
func (c *Config) FailOnLive() bool {
	return c != nil && c.failLive != nil && *c.failLive
}

// ValidityEnabled reports whether the repository's keys may be checked for
// validity (validity: false turns it off; the installation must turn it on).
func (c *Config) ValidityEnabled() bool {
	if c == nil || c.validity == nil {
		return DefaultValidity
	}
	return *c.validity
}

// CommentsEnabled reports whether pushguard may comment on pull requests.
func (c *Config) CommentsEnabled() bool {
	if c == nil || c.comments == nil {
		return DefaultComments
	}
	return *c.comments
}

// CustomRules returns copies of the enabled custom rules, ready for
// scanner.NewRuleset: ids prefixed "custom-", keywords lower-case,
// Remediation filled.
func (c *Config) CustomRules() []scanner.Rule {
	if c == nil {
		return nil
	}
	var out []scanner.Rule
	for _, r := range c.custom {
		if c.RuleEnabled(r.ID) {
			r.Keywords = slices.Clone(r.Keywords)
			out = append(out, r)
		}
	}
	return out
}

// IgnorePatterns returns paths.ignore, normalised, for display.
func (c *Config) IgnorePatterns() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.ignore)
}

// DisabledRules returns rules.disable, for display.
func (c *Config) DisabledRules() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.disabled)
}
