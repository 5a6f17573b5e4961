// Package ghapp owns GitHub App authentication: the App's JWT client and
// one cached client per installation (ghinstallation renews their tokens),
// against api.github.com or a GitHub Enterprise Server (ParseAPIURL), the
// reading of GitHub's rate-limit answers, and the check that GitHub accepts
// the App's credentials, retried with backoff while GitHub is out of reach
// (CredentialCheck, which /readyz asks).
//
// It imports nothing of ours but internal/logkey: callers pass a transport
// (metrics' counting one) and a rate-limit observer.
package ghapp
