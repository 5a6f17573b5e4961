package alert

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Validity values of Alert.Validity.
const (
	// ValidityLive: the provider confirmed that the key works.
	ValidityLive = "live"
	// ValidityNotLive: the provider rejected the key (revoked or never valid).
	ValidityNotLive = "not_live"
	// ValidityUnknown: the check was made but could not tell.
	ValidityUnknown = "unknown"
	// ValidityUnchecked: validity checks are off or the provider has none.
	ValidityUnchecked = "unchecked"
)

// Alert is what the security team is told about one leaked secret. No field
// holds the secret: Redacted is the scanner's redacted form (a short prefix
// and the length, which Enqueue checks) and Fingerprint its keyed hash. The
// rest names where the secret was pushed and by whom.
type Alert struct {
	// ID identifies the incident to receivers (X-Pushguard-Delivery); the
	// Dispatcher sets it when it queues the alert, and it stays the same on
	// every retry. Callers leave it empty.
	ID string `json:"id"`
	// InstallationID is the GitHub App installation the repository is in.
	InstallationID int64 `json:"installation_id"`
	// Repository is "owner/name".
	Repository string `json:"repository"`
	// Ref is the pushed branch (refs/heads/… or its short name); empty for
	// a pull request without one.
	Ref string `json:"ref,omitempty"`
	// PR is the pull request's number, 0 for a push.
	PR int `json:"pull_request,omitempty"`
	// Commit is the SHA of the commit that added the secret.
	Commit string `json:"commit"`
	// Pusher is the GitHub login that pushed (or opened the pull request).
	Pusher string `json:"pusher,omitempty"`
	// Provider is the key's issuer, e.g. "AWS".
	Provider string `json:"provider"`
	// RuleID is the scanner rule that matched.
	RuleID string `json:"rule_id"`
	// Redacted is the secret's redacted form, e.g. "AKIA… (20 chars)".
	Redacted string `json:"redacted"`
	// Fingerprint is the secret's keyed hash (hex), stable across commits.
	Fingerprint string `json:"fingerprint"`
	// Validity is one of the Validity constants.
	Validity string `json:"validity"`
	// CheckRunURL links to the pushguard check run (https).
	CheckRunURL string `json:"check_run_url,omitempty"`
	// FirstSeen is when pushguard first found the secret.
	FirstSeen time.Time `json:"first_seen"`
}

// ErrInvalid is wrapped by the error of an Alert that cannot be sent: one
// that cannot be deduplicated, or whose Redacted value is not redacted.
var ErrInvalid = errors.New("invalid alert")

// redactedForm is the scanner's redacted form: at most six characters of
// the secret, an ellipsis and the length (scanner.Redact).
var redactedForm = regexp.MustCompile(`^.{0,6}… \(\d+ chars\)$`)

// fingerprintForm is a hex keyed hash: it names a secret and reveals none.
var fingerprintForm = regexp.MustCompile(`^[0-9a-f]{16,128}$`)

// Validate reports whether a can be queued. Its error never quotes Redacted:
// a value that fails the check may be a secret.
func (a Alert) Validate() error {
	switch {
	case a.InstallationID <= 0:
		return fmt.Errorf("%w: no installation", ErrInvalid)
	case a.Repository == "":
		return fmt.Errorf("%w: no repository", ErrInvalid)
	case !fingerprintForm.MatchString(a.Fingerprint):
		return fmt.Errorf("%w: fingerprint is not a hex hash", ErrInvalid)
	case !redactedForm.MatchString(a.Redacted):
		return fmt.Errorf("%w: redacted value (%d bytes) is not in redacted form", ErrInvalid, len(a.Redacted))
	}
	return nil
}
