// Package alert tells the security team, at once, that a scan found a leaked
// secret: a Slack incoming webhook and a generic JSON webhook signed with
// HMAC-SHA256 the way GitHub signs its own (X-Pushguard-Signature-256).
//
// An Alert holds only what identifies a leak (repository, ref or pull
// request, commit, pusher, provider, rule, the redacted value and the
// fingerprint, whether the key is live, a link to the check run): no field
// can hold the secret, and Enqueue refuses a Redacted value that is not in
// the scanner's redacted form.
//
// A Dispatcher sends each alert once per incident (installation and
// fingerprint, remembered in Redis with SET NX and a TTL) and never delays
// the caller: Enqueue writes the alert to a Redis stream and returns; Run
// delivers it in the background with retries and exponential backoff, and
// an alert read by a process that died is taken over by another. Outcomes
// go to an Observer so the app can count them; a delivery that fails for
// good is logged as an error and reported, never dropped in silence.
//
// It imports only internal/logkey of ours.
package alert
