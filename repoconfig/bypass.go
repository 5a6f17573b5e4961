package repoconfig

import (
	"regexp"
	"slices"
	"strings"
)

// bypassPolicy is bypass.allowed: who may dismiss a finding as accepted-risk
// or false-positive.
type bypassPolicy struct {
	// set: the file said something about bypass that Merge must honour.
	set bool
	// restricted: only allowed may bypass. When false, anyone with write
	// permission may (the caller checks that permission).
	restricted bool
	// allowed holds user logins ("octocat") and team slugs
	// ("octo-org/security"), lower-case, without "@".
	allowed []string
}

var (
	// loginRe is a GitHub login, optionally written as a mention.
	loginRe = regexp.MustCompile(`^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)
	// teamRe is an org/team slug, optionally written as a mention.
	teamRe = regexp.MustCompile(`^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)
)

// normalizeBypassEntry returns an entry of bypass.allowed in its stored form,
// or ok false when it is neither a login nor an org/team slug.
func normalizeBypassEntry(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !loginRe.MatchString(s) && !teamRe.MatchString(s) {
		return "", false
	}
	return strings.ToLower(strings.TrimPrefix(s, "@")), true
}

// MayBypass reports whether a user may dismiss a finding as accepted-risk or
// false-positive. login is the user's login; teams are the slugs of the
// teams the user belongs to, as "org/team" (a leading "@" is accepted).
// Comparison ignores case. When bypass.allowed is empty or unset, everyone
// may: the caller has already required write permission.
func (c *Config) MayBypass(login string, teams []string) bool {
	if c == nil || !c.bypass.restricted {
		return true
	}
	login = strings.ToLower(strings.TrimPrefix(login, "@"))
	if login != "" && !strings.Contains(login, "/") && slices.Contains(c.bypass.allowed, login) {
		return true
	}
	for _, t := range teams {
		t = strings.ToLower(strings.TrimPrefix(t, "@"))
		if strings.Contains(t, "/") && slices.Contains(c.bypass.allowed, t) {
			return true
		}
	}
	return false
}

// BypassAllowed returns bypass.allowed (logins and "org/team" slugs, lower
// case) and whether bypass is restricted to them. restricted with an empty
// list means nobody may bypass: the bypass section of the file is broken.
func (c *Config) BypassAllowed() (allowed []string, restricted bool) {
	if c == nil {
		return nil, false
	}
	return slices.Clone(c.bypass.allowed), c.bypass.restricted
}
