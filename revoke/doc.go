// Package revoke owns the revocation of leaked GitHub tokens through
// GitHub's "revoke a list of credentials" API (POST /credentials/revoke).
//
// It is a package of its own, not part of ghapp, because everything about
// it differs from the App's API calls: the request must go out without
// authentication (github.com answers an authenticated one with 403), so it
// must never pass through ghapp's installation transports; it has its own
// budget (60 requests an hour per caller, kept in Redis so every replica
// shares it); and it carries raw secrets, which this package holds only in
// memory for the length of one call and never logs, stores or puts in an
// error.
//
// A Client sends only the token prefixes the server accepts (Prefixes):
// on github.com ghp_, github_pat_, gho_, ghu_ and ghr_; on GitHub
// Enterprise Server, whose documentation (3.19) lists only ghp_ and
// github_pat_, those two unless the operator configures another list.
// Tokens are sent in batches of at most MaxBatch. Every token not sent, or
// refused, comes back in Outcome.NotSent with the reason, so nothing is
// dropped silently.
//
// It imports none of pushguard's packages.
package revoke
