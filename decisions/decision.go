package decisions

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushguard/pushguard/internal/logkey"
)

// ErrInvalidDecision means Dismiss or Undo was given a decision it cannot
// store; the wrapped message says which field is wrong.
var ErrInvalidDecision = errors.New("invalid decision")

// Decision is a maintainer's dismissal of one secret in one repository. It
// never holds the secret: the fingerprint is a keyed hash and Redacted is the
// scanner's redacted form.
type Decision struct {
	InstallationID int64     `json:"installation_id"`
	Repo           string    `json:"repo"`        // owner/name
	Fingerprint    string    `json:"fingerprint"` // the whole fingerprint, lower-case hex
	Reason         Reason    `json:"reason"`
	Note           string    `json:"note,omitempty"`
	By             string    `json:"by"` // GitHub login
	At             time.Time `json:"at"`
	PR             int       `json:"pr,omitempty"` // 0 when not made on a pull request
	RuleID         string    `json:"rule_id,omitempty"`
	Redacted       string    `json:"redacted,omitempty"`
}

// Validate returns an ErrInvalidDecision when d cannot be stored.
func (d Decision) Validate() error { return d.validate(true) }

// validate is Validate; without needReason, an empty reason is allowed (an
// audit entry that decides nothing, such as a token not revoked).
func (d Decision) validate(needReason bool) error {
	var problems []string
	if d.InstallationID <= 0 {
		problems = append(problems, "installation ID not positive")
	}
	if !validRepo(d.Repo) {
		problems = append(problems, "repo not owner/name")
	}
	if len(d.Fingerprint) != FingerprintLen || !ValidPrefix(d.Fingerprint) {
		problems = append(problems, "fingerprint not 64 lower-case hex digits")
	}
	if !d.Reason.Valid() && (needReason || d.Reason != "") {
		problems = append(problems, "unknown reason")
	}
	if utf8.RuneCountInString(d.Note) > MaxNoteLen {
		problems = append(problems, fmt.Sprintf("note over %d characters", MaxNoteLen))
	}
	if d.By == "" {
		problems = append(problems, "no user")
	}
	if d.PR < 0 {
		problems = append(problems, "negative PR number")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidDecision, strings.Join(problems, "; "))
	}
	return nil
}

// LogValue renders d for log/slog, note included, as a group.
func (d Decision) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64(logkey.Installation, d.InstallationID),
		slog.String(logkey.Repo, d.Repo),
		slog.String(logkey.Fingerprint, d.Fingerprint),
		slog.String(logkey.Reason, string(d.Reason)),
		slog.String(logkey.Note, d.Note),
		slog.String(logkey.By, d.By),
		slog.Time(logkey.At, d.At),
		slog.Int(logkey.PR, d.PR),
		slog.String(logkey.RuleID, d.RuleID),
	)
}

// same reports whether d and e make the same decision, whenever made.
func (d Decision) same(e Decision) bool {
	d.At, e.At = time.Time{}, time.Time{}
	return d == e
}

// validRepo reports whether repo looks like owner/name.
func validRepo(repo string) bool {
	owner, name, ok := strings.Cut(repo, "/")
	return ok && owner != "" && name != "" && !strings.Contains(name, "/") &&
		!strings.ContainsFunc(repo, func(r rune) bool { return r <= ' ' || r == 0x7f })
}
