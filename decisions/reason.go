package decisions

import "strings"

// Reason says why a finding was dismissed.
type Reason string

// The reasons a finding may be dismissed for.
const (
	// ReasonFalsePositive: the match is not a secret at all.
	ReasonFalsePositive Reason = "false-positive"
	// ReasonTestData: a fake or test-only credential.
	ReasonTestData Reason = "test-data"
	// ReasonRevoked: the secret has been revoked or rotated.
	ReasonRevoked Reason = "revoked"
	// ReasonAcceptedRisk: a live secret that the maintainers choose to keep.
	ReasonAcceptedRisk Reason = "accepted-risk"
)

// Reasons returns every reason, in the order help text lists them.
func Reasons() []Reason {
	return []Reason{ReasonRevoked, ReasonTestData, ReasonFalsePositive, ReasonAcceptedRisk}
}

// ParseReason reads a reason case-insensitively; "_" may stand for "-"
// (false_positive).
func ParseReason(s string) (Reason, bool) {
	r := Reason(strings.ReplaceAll(strings.ToLower(s), "_", "-"))
	return r, r.Valid()
}

// Valid reports whether r is one of the four reasons.
func (r Reason) Valid() bool {
	switch r {
	case ReasonFalsePositive, ReasonTestData, ReasonRevoked, ReasonAcceptedRisk:
		return true
	}
	return false
}

// Description says in a few words what r means, for help text.
func (r Reason) Description() string {
	switch r {
	case ReasonFalsePositive:
		return "not a secret at all"
	case ReasonTestData:
		return "a fake or test-only credential"
	case ReasonRevoked:
		return "the secret has been revoked or rotated and no longer works"
	case ReasonAcceptedRisk:
		return "a real, live secret that you choose to keep"
	}
	return ""
}

// RequiresBypass reports whether dismissing for r keeps a possibly live
// secret on the strength of one person's word (accepted-risk,
// false-positive): the app then also checks that the user is allowed to
// bypass by the repository's config (bypass.allowed).
func RequiresBypass(r Reason) bool {
	return r == ReasonAcceptedRisk || r == ReasonFalsePositive
}

// Resolution is how a maintainer made a leaked key harmless themselves
// (`/pushguard resolve`).
type Resolution string

// The resolutions.
const (
	ResolutionRevoked Resolution = "revoked"
	ResolutionRotated Resolution = "rotated"
)

// ParseResolution reads a resolution case-insensitively.
func ParseResolution(s string) (Resolution, bool) {
	r := Resolution(strings.ToLower(s))
	return r, r == ResolutionRevoked || r == ResolutionRotated
}
