package repoconfig

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// Limits on the allowlist section.
const (
	maxAllowRegexes  = 100
	maxStopwords     = 100
	minStopwordLen   = 3 // shorter stopwords would allow most secrets
	maxStopwordLen   = 64
	maxAllowCommits  = 500
	allowlistSection = "allowlist"
)

// commitRe is a full commit id: SHA-1 or SHA-256, hexadecimal.
var commitRe = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// allowlist is the allowlist section of a Config.
type allowlist struct {
	regexes   []scanner.AllowRegex
	stopwords []string // lower-case
	commits   []string // full ids, lower-case
}

// Allowlist returns allowlist.regexes and allowlist.stopwords, ready for
// scanner.Ruleset.WithAllowlist (Ruleset applies them already).
func (c *Config) Allowlist() scanner.Allowlist {
	if c == nil {
		return scanner.Allowlist{}
	}
	return scanner.Allowlist{Regexes: slices.Clone(c.allow.regexes), Stopwords: slices.Clone(c.allow.stopwords)}
}

// AllowlistCommits returns allowlist.commits: full commit ids whose
// findings are dropped (and counted).
func (c *Config) AllowlistCommits() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.allow.commits)
}

// CommitAllowed reports whether findings of the commit are allowed by
// allowlist.commits. An empty sha (a working-tree file) is never allowed.
func (c *Config) CommitAllowed(sha string) bool {
	return c != nil && sha != "" && slices.Contains(c.allow.commits, strings.ToLower(sha))
}

// DropAllowedCommits removes the findings of allowlist.commits from fs, in
// place, and returns the rest and how many were dropped.
func (c *Config) DropAllowedCommits(fs []scanner.Finding) ([]scanner.Finding, int) {
	n := len(fs)
	fs = slices.DeleteFunc(fs, func(f scanner.Finding) bool { return c.CommitAllowed(f.Commit) })
	return fs, n - len(fs)
}

// AllowedSummary is the line a report shows for n allowed findings, or ""
// when n is 0. It never names a secret.
func AllowedSummary(n int, path string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("1 finding allowed by %s allowlist", path)
	}
	return fmt.Sprintf("%d findings allowed by %s allowlist", n, path)
}

// allowlistSec validates the allowlist section.
func (p *parser) allowlistSec(raw *rawAllowlist) allowlist {
	var a allowlist
	target := scanner.AllowSecret
	if t := raw.Target; t.set() {
		switch v := strings.ToLower(strings.TrimSpace(t.Value)); v {
		case scanner.AllowSecret, scanner.AllowLine:
			target = v
		default:
			p.add(t.Line, t.Column, fmt.Sprintf("allowlist.target: want secret or line, found %q", excerpt(t.Value)))
		}
	}
	a.regexes = allowItems(p, raw.Regexes, "regexes", "expressions", maxAllowRegexes, func(v string) (scanner.AllowRegex, string) {
		if msg := checkAllowRegex(v); msg != "" {
			return scanner.AllowRegex{}, msg
		}
		return scanner.AllowRegex{Pattern: v, Target: target}, ""
	})
	a.stopwords = allowItems(p, raw.Stopwords, "stopwords", "entries", maxStopwords, checkStopword)
	a.commits = allowItems(p, raw.Commits, "commits", "entries", maxAllowCommits, checkCommit)
	return a
}

// allowItems validates the list of allowlist.<key> with check, which
// returns the normalised item or what is wrong, and drops repeats. Past
// limit items it reports "more than limit <noun>" and stops.
func allowItems[T comparable](p *parser, raw []located[string], key, noun string, limit int, check func(string) (T, string)) []T {
	var out []T
	for i, s := range raw {
		if i == limit {
			p.add(s.Line, s.Column, fmt.Sprintf("allowlist.%s: more than %d %s", key, limit, noun))
			break
		}
		if !s.set() {
			continue // the decoder has reported it
		}
		v, msg := check(s.Value)
		if msg != "" {
			p.add(s.Line, s.Column, fmt.Sprintf("allowlist.%s: %s", key, msg))
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// checkAllowRegex returns what is wrong with an allowlist expression.
func checkAllowRegex(pattern string) string {
	_, fault, err := checkRegex(pattern)
	switch fault {
	case regexTooLong:
		return fmt.Sprintf("expression is %d bytes; the limit is %d", len(pattern), maxPatternLen)
	case regexInvalid:
		return fmt.Sprintf("%q does not compile (Go RE2 syntax: no lookaround, no backreferences): %v", excerpt(pattern), err)
	case regexMatchesEmpty:
		return fmt.Sprintf("%q matches the empty string, so it would allow every finding", excerpt(pattern))
	}
	return ""
}

// checkStopword lower-cases a stopword and returns what is wrong with it.
func checkStopword(w string) (string, string) {
	w = strings.ToLower(strings.TrimSpace(w))
	switch {
	case len(w) < minStopwordLen:
		return "", fmt.Sprintf("%q is shorter than %d characters, so it would allow most secrets", w, minStopwordLen)
	case len(w) > maxStopwordLen:
		return "", fmt.Sprintf("stopword is longer than %d characters", maxStopwordLen)
	}
	return w, ""
}

// checkCommit lower-cases a commit id and returns what is wrong with it.
func checkCommit(sha string) (string, string) {
	sha = strings.ToLower(strings.TrimSpace(sha))
	if !commitRe.MatchString(sha) {
		return "", fmt.Sprintf("%q is not a full commit id (40 hexadecimal digits; abbreviated ids are refused)", excerpt(sha))
	}
	return sha, ""
}

// mergeAllowlists returns the union of org's and repo's allowlists, org's first.
func mergeAllowlists(org, repo allowlist) allowlist {
	return allowlist{
		regexes:   union(org.regexes, repo.regexes),
		stopwords: union(org.stopwords, repo.stopwords),
		commits:   union(org.commits, repo.commits),
	}
}
