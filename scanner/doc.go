// Package scanner finds leaked credentials in text.
//
// It is pure: text in, findings out. It knows nothing of GitHub, Redis or
// HTTP and performs no I/O beyond reading the io.Reader it is handed.
//
// The pieces, in the order text flows through them:
//
//   - diff.go parses unified diffs (git diff, git log -p, git show and the
//     hunk-only patch field of GitHub's API) into added lines with their
//     new-file line numbers, streaming, so memory does not grow with the
//     size of the diff.
//   - engine.go runs the rules over those lines: an Aho-Corasick keyword
//     prefilter over the lower-cased line picks the few rules whose regular
//     expression is worth running.
//   - rule.go describes a rule as data: keywords, pattern, validators,
//     confidence, remediation and its own true- and false-positive cases.
//   - encoded.go decodes base64, hex and percent-encoded runs of a line
//     (two layers at most) and runs the rules over the decoded text.
//   - decoy.go is the one false-positive filter shared by every rule.
//   - allowlist.go drops (and counts in Result.Allowed) the findings a
//     repository accepts, by expression or stopword (Ruleset.WithAllowlist).
//   - finding.go is what comes out: a located, redacted, fingerprinted
//     finding whose raw secret never leaves the process by accident.
//
// The built-in rules live in the rules_*.go files, one file per family of
// providers. Builtin returns them all.
package scanner
