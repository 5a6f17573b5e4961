// Package repoconfig owns a repository's pushguard configuration: the
// .github/pushguard.yml file read from the default branch, and the org-wide
// default read from the organisation's .github repository.
//
// Parse reads one file strictly (unknown keys, wrong types and unsafe custom
// patterns are Problems, each with its line and column); Merge lays a
// repository's file over the org default; the methods of Config answer the
// worker's questions (is this path ignored, which rules run, does this
// finding fail the check, may this user bypass, is this finding allowed).
//
// The allowlist (regexes, stopwords, commits) is applied in two places:
// regexes and stopwords by the Ruleset Config.Ruleset builds (so they see
// the secret, and the ruleset's version changes with them), commits by the
// caller with DropAllowedCommits. Both count what they drop.
//
// A broken file never weakens scanning. Parse then keeps only what adds
// scrutiny (valid custom rules and a non-empty bypass list) and leaves every
// other setting (the allowlist among them) unset, so the org default or the built-in default applies;
// see Parse.
//
// The package imports scanner only. It performs no I/O and knows nothing of
// GitHub: the caller fetches the files and renders the problems.
package repoconfig
