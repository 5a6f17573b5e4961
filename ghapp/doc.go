// Package ghapp owns GitHub App authentication: the App's JWT client and
// one cached client per installation (ghinstallation renews their tokens),
// against api.github.com or a GitHub Enterprise Server, and the reading of
// GitHub's rate-limit answers.
//
// It imports nothing of ours but internal/logkey: callers pass a transport
// (metrics' counting one) and a rate-limit observer.
package ghapp
