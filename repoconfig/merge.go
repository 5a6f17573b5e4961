package repoconfig

import (
	"slices"

	"github.com/pushguard/pushguard/scanner"
)

// Merge lays a repository's file over the org default (from the org's
// .github repository) and returns the effective Config. Either may be nil.
//
//   - paths.ignore and rules.disable: the union, org's first. A repository
//     can add to the org's list but not remove from it.
//   - rules.custom: the union; a repository rule with the same id as an org
//     rule replaces it.
//   - allowlist.regexes, stopwords and commits: the union, org's first.
//   - comments, fail_on, validity, bypass.allowed: the repository's value when its
//     file sets the key, else the org's. (An explicit empty bypass list in
//     the repository reopens bypass to everyone with write permission.)
//
// A broken file leaves its loosening keys unset (see Parse), so the other
// file's values, or the defaults, apply.
func Merge(org, repo *Config) *Config {
	if org == nil {
		org = &Config{}
	}
	if repo == nil {
		repo = &Config{}
	}
	m := &Config{
		ignore:   union(org.ignore, repo.ignore),
		disabled: union(org.disabled, repo.disabled),
		custom:   mergeRules(org.custom, repo.custom),
		comments: org.comments,
		failOn:   org.failOn,
		bypass:   org.bypass,
		allow:    mergeAllowlists(org.allow, repo.allow),
	}
	if repo.comments != nil {
		m.comments = repo.comments
	}
	m.failLive, m.validity = org.failLive, org.validity
	if repo.failOn != 0 || repo.failLive != nil {
		m.failOn, m.failLive = repo.failOn, repo.failLive
	}
	if repo.validity != nil {
		m.validity = repo.validity
	}
	if repo.bypass.set {
		m.bypass = repo.bypass
	}
	m.bypass.allowed = slices.Clone(m.bypass.allowed)
	return m
}

// union returns a's items then b's that a lacks, in a new slice.
func union[T comparable](a, b []T) []T {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// mergeRules returns org's rules, each replaced by repo's rule of the same
// id, then repo's other rules.
func mergeRules(org, repo []scanner.Rule) []scanner.Rule {
	var out []scanner.Rule
	for _, r := range org {
		if i := slices.IndexFunc(repo, func(x scanner.Rule) bool { return x.ID == r.ID }); i >= 0 {
			r = repo[i]
		}
		out = append(out, r)
	}
	for _, r := range repo {
		if !slices.ContainsFunc(out, func(x scanner.Rule) bool { return x.ID == r.ID }) {
			out = append(out, r)
		}
	}
	return out
}
