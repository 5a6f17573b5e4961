// Package webhook receives GitHub's webhook deliveries. For each one it caps
// the body, verifies the X-Hub-Signature-256 HMAC, decodes only what a job
// needs, enqueues the job and answers, all without calling GitHub's API, so
// that it answers in milliseconds.
//
// Status codes: 202 accepted (or ignored, or a duplicate delivery), 200 for
// ping, 400 malformed (a body cut short, an identifier that is not one), 401
// bad or missing signature, 408 body too slow, 413 body too large, 503 queue
// unavailable within EnqueueTimeout, or too many bytes of unverified bodies
// in flight (DefaultBodyBudget; with Retry-After). GitHub marks a 503
// delivery failed; the redelivery sweeper asks for it again later.
package webhook
