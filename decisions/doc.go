// Package decisions owns maintainers' decisions about findings and the PR
// comment commands that make them: parsing `/pushguard ...` commands
// (Parse, HelpText), matching a fingerprint prefix to a finding (Resolve),
// and storing dismissals with their audit trail in Redis (Store). It imports
// none of pushguard's other packages; the app checks permissions, resolves
// "all", applies delegated bypass (RequiresBypass) and replies.
//
// # Commands
//
//	/pushguard dismiss <fingerprint-prefix|all> <reason> [note]
//	/pushguard undo <fingerprint-prefix>
//	/pushguard revoke <fingerprint-prefix|all>
//	/pushguard resolve <fingerprint-prefix|all> revoked|rotated
//	/pushguard rescan
//	/pushguard help
//
// One command per line, starting the line; case and extra whitespace do not
// matter. Lines in quoted replies, fenced code blocks and indented code
// blocks are ignored, so quoting or showing a command never runs it. A
// prefix has at least MinPrefixLen hex digits. A malformed command comes
// back with Err set to a *ParseError whose message can be shown to the user
// as is: it never repeats what the user typed, which might be a secret.
//
// # What is stored
//
// A Decision holds the repository, the fingerprint (a keyed hash that reveals
// nothing), the reason, a free-text note, who, when, the PR, the rule and the
// redacted form of the secret — never the secret itself. The note is free
// text a user typed, so the Store redacts it before storing it (WithRedactor;
// without a redactor it keeps no note at all). Keys, under the caller's
// prefix:
//
//	{prefix}decisions:repo:{owner/name}   hash: fingerprint → Decision JSON
//	{prefix}decisions:audit:{installation} stream: one entry per dismiss or undo
//
// Decisions are keyed by repository and fingerprint, so one applies to the
// same secret anywhere in the repository and survives rebases and squashes.
// Revocations (pushguard revoked a GitHub token, or could not send it) and
// resolutions (a maintainer revoked or rotated a key themselves) are audited
// too: a revoked or resolved key is stored as a dismissal for the reason
// revoked, so it stops failing the check, under its own audit action.
//
// The audit trail is append-only and never trimmed; Audit pages through it
// newest first.
package decisions
