package incident

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// State is where an incident is in its life.
type State string

// The states: an incident opens on its first sighting and closes when a
// maintainer or pushguard revokes, resolves or dismisses it.
const (
	Open      State = "open"
	Revoked   State = "revoked"
	Resolved  State = "resolved"
	Dismissed State = "dismissed"
)

// States lists every state in the order of its life.
var States = []State{Open, Revoked, Resolved, Dismissed}

// ParseState returns the state named s, or an error naming the valid ones.
func ParseState(s string) (State, error) {
	for _, st := range States {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("%w: state %q is not one of open, revoked, resolved, dismissed", ErrInvalid, s)
}

// Closed reports whether s ends the incident (anything but Open).
func (s State) Closed() bool { return s != Open }

// Validity values of a ValidityCheck, the same words as the alert package's.
const (
	ValidityLive      = "live"
	ValidityNotLive   = "not_live"
	ValidityUnknown   = "unknown"
	ValidityUnchecked = "unchecked"
)

// ActorPushguard is the actor of the transitions pushguard makes itself
// (reopening on a new sighting).
const ActorPushguard = "pushguard"

// Bounds of the lists an incident keeps (older entries are dropped).
const (
	MaxSightings = 50
	MaxValidity  = 20
	MaxHistory   = 100
)

// Sentinel errors; callers branch with errors.Is.
var (
	// ErrNotFound: no incident for that installation and fingerprint.
	ErrNotFound = errors.New("incident not found")
	// ErrInvalid: a sighting, state or validity value that cannot be kept.
	ErrInvalid = errors.New("invalid incident data")
)

// Place is where and when a secret was seen.
type Place struct {
	Repository string    `json:"repository"`
	Commit     string    `json:"commit"`
	Path       string    `json:"path"`
	Line       int       `json:"line"`
	Ref        string    `json:"ref,omitempty"`
	PR         int       `json:"pull_request,omitempty"`
	Pusher     string    `json:"pusher,omitempty"`
	At         time.Time `json:"at"`
}

// Sighting is one finding of a secret, as Store.Sight records it. No field
// holds the secret: Redacted is scanner.Redact's form and Fingerprint the
// keyed hash.
type Sighting struct {
	Installation int64  `json:"installation"`
	Fingerprint  string `json:"fingerprint"`
	RuleID       string `json:"rule_id"`
	Provider     string `json:"provider"`
	Redacted     string `json:"redacted"`
	Place
	// KeepClosed records the sighting without reopening a closed incident:
	// the finding is dismissed where it was seen (a maintainer's decision
	// follows the secret across rebases, so a new commit is no news).
	KeepClosed bool `json:"-"`
}

// ValidityCheck is one validity result: a Validity value and its time.
type ValidityCheck struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Transition is one change of state: who made it, when, from what to what
// and why (a maintainer's note, already redacted by its caller).
type Transition struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	From   State     `json:"from"`
	To     State     `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// Incident is one leaked value in one installation.
type Incident struct {
	// ID is "<installation>-<first 16 hex of the fingerprint>", stable.
	ID           string `json:"id"`
	Installation int64  `json:"installation"`
	Fingerprint  string `json:"fingerprint"`
	RuleID       string `json:"rule_id"`
	Provider     string `json:"provider"`
	Redacted     string `json:"redacted"`
	State        State  `json:"state"`
	// FirstSeen is the first sighting; Sightings the later ones (the last
	// MaxSightings) and SightingCount all of them, the first included.
	FirstSeen     Place   `json:"first_seen"`
	Sightings     []Place `json:"sightings,omitempty"`
	SightingCount int     `json:"sighting_count"`
	// Validity holds the last MaxValidity results, oldest first.
	Validity []ValidityCheck `json:"validity,omitempty"`
	// History holds the last MaxHistory transitions, oldest first.
	History []Transition `json:"history,omitempty"`
	// ClosedAt is when the incident last closed; zero while it is open.
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CurrentValidity is the latest validity result's status, or
// ValidityUnchecked when there is none.
func (inc Incident) CurrentValidity() string {
	if len(inc.Validity) == 0 {
		return ValidityUnchecked
	}
	return inc.Validity[len(inc.Validity)-1].Status
}

// LastSeen is the latest sighting (the first when there is no other).
func (inc Incident) LastSeen() Place {
	if len(inc.Sightings) == 0 {
		return inc.FirstSeen
	}
	return inc.Sightings[len(inc.Sightings)-1]
}

// redactedForm is the scanner's redacted form: at most six characters of
// the secret, an ellipsis and the length (scanner.Redact).
var redactedForm = regexp.MustCompile(`^.{0,6}… \(\d+ chars\)$`)

// fingerprintForm is a hex keyed hash: it names a secret and reveals none.
var fingerprintForm = regexp.MustCompile(`^[0-9a-f]{16,128}$`)

// validate reports whether s can be recorded. Its error never quotes
// Redacted: a value that fails the check may be a secret.
func (s Sighting) validate() error {
	switch {
	case s.Installation <= 0:
		return fmt.Errorf("%w: no installation", ErrInvalid)
	case !fingerprintForm.MatchString(s.Fingerprint):
		return fmt.Errorf("%w: fingerprint is not a hex hash", ErrInvalid)
	case !redactedForm.MatchString(s.Redacted):
		return fmt.Errorf("%w: redacted value (%d bytes) is not in redacted form", ErrInvalid, len(s.Redacted))
	case s.Repository == "" || s.Commit == "" || s.RuleID == "":
		return fmt.Errorf("%w: a sighting needs a repository, a commit and a rule", ErrInvalid)
	}
	return nil
}

// checkValidity reports whether status is one of the Validity values.
func checkValidity(status string) error {
	switch status {
	case ValidityLive, ValidityNotLive, ValidityUnknown, ValidityUnchecked:
		return nil
	}
	return fmt.Errorf("%w: validity %q", ErrInvalid, status)
}

// incidentID is the stable ID of an installation's incident.
func incidentID(inst int64, fp string) string {
	return fmt.Sprintf("%d-%s", inst, fp[:min(16, len(fp))])
}

// keep drops the oldest entries of s beyond n.
func keep[T any](s []T, n int) []T {
	if len(s) > n {
		return append([]T(nil), s[len(s)-n:]...)
	}
	return s
}
