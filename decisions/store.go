package decisions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store errors.
var (
	// ErrUnavailable means Redis could not be reached or refused a command.
	ErrUnavailable = errors.New("decision store unavailable")
	// ErrNotDismissed means Undo found no dismissal to undo.
	ErrNotDismissed = errors.New("finding is not dismissed")
	// ErrCorrupt means a stored value could not be decoded.
	ErrCorrupt = errors.New("corrupt stored decision")
)

// Store keeps decisions and their audit trail in Redis. It is safe for
// concurrent use; concurrent commands on the same fingerprint are
// last-writer-wins.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
	redact func(string) string // nil: notes are withheld
}

// NoteWithheld replaces a note a Store without a redactor was given: it
// cannot tell whether the note holds a secret, so it keeps none (fail closed).
const NoteWithheld = "(note not kept: pushguard could not check it for secrets)"

// StoreOption configures a Store.
type StoreOption func(*Store)

// WithRedactor makes the Store pass every note it stores through redact,
// which returns the text with each secret in it replaced by its redacted
// form (the app passes the scanner's RedactText). The package cannot
// import the scanner, so the function is injected; without it, notes are
// replaced by NoteWithheld.
func WithRedactor(redact func(string) string) StoreOption {
	return func(s *Store) { s.redact = redact }
}

// NewStore returns a Store whose keys all start with prefix, used verbatim:
// end it with a separator ("pushguard:").
func NewStore(rdb redis.UniversalClient, prefix string, opts ...StoreOption) *Store {
	s := &Store{rdb: rdb, prefix: prefix, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// redactNote is the only form in which a user's note is stored: with every
// secret redacted, or withheld when no redactor was given.
func (s *Store) redactNote(note string) string {
	switch {
	case note == "":
		return ""
	case s.redact == nil:
		return NoteWithheld
	}
	return s.redact(note)
}

// repoKey is the hash of a repository's active decisions. GitHub names are
// case-insensitive, so the key is lower-cased.
func (s *Store) repoKey(repo string) string {
	return s.prefix + "decisions:repo:" + strings.ToLower(repo)
}

// auditKey is the stream of an installation's audit entries.
func (s *Store) auditKey(installationID int64) string {
	return s.prefix + "decisions:audit:" + strconv.FormatInt(installationID, 10)
}

// Dismiss stores d, its note redacted (see WithRedactor), replacing any decision on the same repository and
// fingerprint, and appends it to the installation's audit trail. A zero At
// is now. Dismissing again with the same reason, note, user and PR changes
// nothing and adds no audit entry, so a retried job is harmless.
//
// The audit entry is written first: a failure between the two writes leaves
// an audited dismissal that did not take effect (and an error), never one
// that took effect unaudited. The two keys may live on different Redis
// Cluster nodes, so they cannot share a transaction.
func (s *Store) Dismiss(ctx context.Context, d Decision) error {
	return s.decide(ctx, ActionDismiss, d)
}

// Revoked records that pushguard revoked d's secret through GitHub's API:
// a dismissal for the reason revoked, audited as ActionRevoke.
func (s *Store) Revoked(ctx context.Context, d Decision) error {
	d.Reason = ReasonRevoked
	return s.decide(ctx, ActionRevoke, d)
}

// Resolved records that a maintainer revoked or rotated d's secret
// themselves: a dismissal for the reason revoked, audited as ActionResolve.
func (s *Store) Resolved(ctx context.Context, d Decision) error {
	d.Reason = ReasonRevoked
	return s.decide(ctx, ActionResolve, d)
}

// NotRevoked appends an ActionRevokeNotSent entry for d, whose note says
// why the secret was not revoked; it changes no decision. d.Reason may be
// empty.
func (s *Store) NotRevoked(ctx context.Context, d Decision) error {
	d, err := s.prepare(d, false)
	if err != nil {
		return err
	}
	return s.appendAudit(ctx, ActionRevokeNotSent, d)
}

// prepare readies d for storing: the fingerprint lower-cased, d validated
// (a reason required when needReason), the note redacted, a zero At now
// and At in UTC.
func (s *Store) prepare(d Decision, needReason bool) (Decision, error) {
	d.Fingerprint = strings.ToLower(d.Fingerprint)
	if err := d.validate(needReason); err != nil {
		return Decision{}, err
	}
	d.Note = s.redactNote(d.Note)
	if d.At.IsZero() {
		d.At = s.now()
	}
	d.At = d.At.UTC()
	return d, nil
}

// decide stores d as Dismiss describes, audited as action.
func (s *Store) decide(ctx context.Context, action Action, d Decision) error {
	d, err := s.prepare(d, true)
	if err != nil {
		return err
	}
	old, found, err := s.get(ctx, d.Repo, d.Fingerprint)
	if err != nil {
		return err
	}
	if found && old.same(d) {
		return nil
	}
	if err := s.appendAudit(ctx, action, d); err != nil {
		return err
	}
	v, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode decision: %w", err)
	}
	if err := s.rdb.HSet(ctx, s.repoKey(d.Repo), d.Fingerprint, v).Err(); err != nil {
		return unavailable("store decision", err)
	}
	return nil
}

// Undo removes the dismissal of fingerprint in repo, so that the secret is
// reported again, and appends an undo entry to the installation's audit
// trail. It returns ErrNotDismissed when there was nothing to undo. As with
// Dismiss, the audit entry is written first.
func (s *Store) Undo(ctx context.Context, installationID int64, repo, fingerprint, by string, pr int) error {
	fingerprint = strings.ToLower(fingerprint)
	d, found, err := s.get(ctx, repo, fingerprint)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("undo %s in %s: %w", fingerprint, repo, ErrNotDismissed)
	}
	// The entry keeps what was undone (reason, note, rule) and says who
	// undid it, when, where.
	d.InstallationID, d.Repo, d.By, d.PR, d.At = installationID, repo, by, pr, s.now().UTC()
	d.Note = s.redactNote(d.Note) // a note stored before notes were redacted
	if err := d.Validate(); err != nil {
		return err
	}
	if err := s.appendAudit(ctx, ActionUndo, d); err != nil {
		return err
	}
	if err := s.rdb.HDel(ctx, s.repoKey(repo), fingerprint).Err(); err != nil {
		return unavailable("delete decision", err)
	}
	return nil
}

// Active returns the decisions in force in repo for those of fingerprints
// that have one, keyed by fingerprint as given, in one round trip.
func (s *Store) Active(ctx context.Context, repo string, fingerprints []string) (map[string]Decision, error) {
	active := make(map[string]Decision)
	if len(fingerprints) == 0 {
		return active, nil
	}
	fields := make([]string, len(fingerprints))
	for i, fp := range fingerprints {
		fields[i] = strings.ToLower(fp)
	}
	vals, err := s.rdb.HMGet(ctx, s.repoKey(repo), fields...).Result()
	if err != nil {
		return nil, unavailable("read decisions", err)
	}
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue // nil: no decision
		}
		d, err := decode(str)
		if err != nil {
			return nil, err
		}
		active[fingerprints[i]] = d
	}
	return active, nil
}

// get returns the decision in force for fingerprint in repo, if any.
func (s *Store) get(ctx context.Context, repo, fingerprint string) (Decision, bool, error) {
	v, err := s.rdb.HGet(ctx, s.repoKey(repo), fingerprint).Result()
	if errors.Is(err, redis.Nil) {
		return Decision{}, false, nil
	}
	if err != nil {
		return Decision{}, false, unavailable("read decision", err)
	}
	d, err := decode(v)
	return d, err == nil, err
}

// decode reads a stored Decision.
func decode(v string) (Decision, error) {
	var d Decision
	if err := json.Unmarshal([]byte(v), &d); err != nil {
		return Decision{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return d, nil
}

// unavailable wraps a Redis error so that errors.Is(err, ErrUnavailable).
func unavailable(op string, err error) error {
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}
