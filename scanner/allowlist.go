package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// Allowlist drops findings a repository has accepted, while the secret is
// still known: a finding whose secret (or line) matches one of Regexes, or
// whose secret contains one of Stopwords, is counted in Result.Allowed and
// not reported. It mirrors gitleaks' [allowlist] regexes and stopwords.
type Allowlist struct {
	// Regexes are RE2 expressions, matched anywhere in their target.
	Regexes []AllowRegex
	// Stopwords are matched case-insensitively anywhere in the secret.
	Stopwords []string
}

// AllowRegex is one allowlist expression and what it is matched against.
type AllowRegex struct {
	Pattern string
	// Target is AllowSecret (the default when empty) or AllowLine.
	Target string
}

// The targets of an AllowRegex.
const (
	// AllowSecret matches the expression against the secret value.
	AllowSecret = "secret"
	// AllowLine matches it against the line the secret was found on (for a
	// very long line, the bytes around the secret).
	AllowLine = "line"
)

// compiledAllowlist is an Allowlist ready to match.
type compiledAllowlist struct {
	secret, line []*regexp.Regexp
	stopwords    []string // lower-case
	hash         string
}

// Empty reports whether the allowlist allows nothing.
func (a Allowlist) Empty() bool { return len(a.Regexes) == 0 && len(a.Stopwords) == 0 }

// compile checks and compiles the allowlist.
func (a Allowlist) compile() (*compiledAllowlist, error) {
	c := &compiledAllowlist{}
	h := sha256.New()
	for _, r := range a.Regexes {
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("allowlist regex %q: %w", r.Pattern, err)
		}
		switch r.Target {
		case "", AllowSecret:
			c.secret = append(c.secret, re)
			h.Write([]byte("s\x00" + r.Pattern + "\xff"))
		case AllowLine:
			c.line = append(c.line, re)
			h.Write([]byte("l\x00" + r.Pattern + "\xff"))
		default:
			return nil, fmt.Errorf("allowlist regex %q: target %q is neither %q nor %q", r.Pattern, r.Target, AllowSecret, AllowLine)
		}
	}
	for _, w := range a.Stopwords {
		if w == "" {
			return nil, fmt.Errorf("allowlist: empty stopword")
		}
		w = strings.ToLower(w)
		c.stopwords = append(c.stopwords, w)
		h.Write([]byte("w\x00" + w + "\xff"))
	}
	c.hash = hex.EncodeToString(h.Sum(nil))
	return c, nil
}

// allows reports whether a finding of secret on line is allowed.
func (c *compiledAllowlist) allows(secret string, line []byte) bool {
	if c == nil {
		return false
	}
	for _, re := range c.secret {
		if re.MatchString(secret) {
			return true
		}
	}
	for _, re := range c.line {
		if re.Match(line) {
			return true
		}
	}
	if len(c.stopwords) > 0 {
		low := strings.ToLower(secret)
		for _, w := range c.stopwords {
			if strings.Contains(low, w) {
				return true
			}
		}
	}
	return false
}

// WithAllowlist returns a Ruleset with the same rules that drops the
// findings a allows (see Allowlist). Its Version differs from rs's, so scan
// results cached under rs's version are not reused. An empty allowlist
// returns rs itself.
func (rs *Ruleset) WithAllowlist(a Allowlist) (*Ruleset, error) {
	if a.Empty() {
		return rs, nil
	}
	c, err := a.compile()
	if err != nil {
		return nil, err
	}
	out := *rs
	out.allow = c
	sum := sha256.Sum256([]byte(rs.version + "\x00allowlist\x00" + c.hash))
	out.version = hex.EncodeToString(sum[:])[:16]
	return &out, nil
}
