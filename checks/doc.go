// Package checks turns scan findings into GitHub output: the pushguard check
// run (title, summary with the findings table and each provider's revocation
// playbook, one annotation per leaked line, buttons) and the calls to the
// Checks API that create and complete it within GitHub's limits.
//
// It knows scanner findings and go-github types; it knows nothing of
// webhooks, Redis or how a scan was run.
package checks
