package decisions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
)

// Action is what an audit entry records.
type Action string

// The audited actions.
const (
	ActionDismiss Action = "dismiss"
	ActionUndo    Action = "undo"
	// ActionRevoke: pushguard revoked a GitHub token through GitHub's API.
	ActionRevoke Action = "revoke"
	// ActionRevokeNotSent: a revocation was asked for but the token was not
	// sent or GitHub refused it; the note says why.
	ActionRevokeNotSent Action = "revoke-not-sent"
	// ActionResolve: a maintainer recorded that they revoked or rotated the
	// key themselves; the note says which.
	ActionResolve Action = "resolve"
)

// Audit page sizes.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
)

// ErrInvalidCursor means Audit was given a cursor it did not hand out.
var ErrInvalidCursor = errors.New("invalid audit cursor")

// auditField is the stream entry field that holds an Entry's JSON.
const auditField = "entry"

// Entry is one dismissal or undo in an installation's audit trail. For a
// dismissal, Decision is the decision made. For an undo, By, At, PR and
// InstallationID say who undid it, when and where, and the other fields are
// those of the decision undone.
type Entry struct {
	ID     string `json:"id"` // the Redis stream ID, usable as a cursor
	Action Action `json:"action"`
	Decision
}

// LogValue renders e for log/slog: its ID and action, then its decision.
// (Without it, Decision's LogValue would be promoted and drop both.)
func (e Entry) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String(logkey.AuditID, e.ID),
		slog.String(logkey.Action, string(e.Action)),
		slog.Any(logkey.Decision, e.Decision),
	)
}

// appendAudit adds an entry for d to its installation's audit trail.
func (s *Store) appendAudit(ctx context.Context, action Action, d Decision) error {
	v, err := json.Marshal(Entry{Action: action, Decision: d})
	if err != nil {
		return fmt.Errorf("encode audit entry: %w", err)
	}
	args := &redis.XAddArgs{Stream: s.auditKey(d.InstallationID), Values: []string{auditField, string(v)}}
	if err := s.rdb.XAdd(ctx, args).Err(); err != nil {
		return unavailable("append audit entry", err)
	}
	return nil
}

// Audit returns up to limit entries of an installation's audit trail,
// newest first, starting after cursor ("" for the newest), and the cursor of
// the next page, "" on the last. limit ≤ 0 means DefaultAuditLimit; it is at
// most MaxAuditLimit. Pages are stable: entries are never removed, and those
// added while a client pages go before its first page.
func (s *Store) Audit(ctx context.Context, installationID int64, cursor string, limit int) ([]Entry, string, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	limit = min(limit, MaxAuditLimit)
	end := "+"
	if cursor != "" {
		var ok bool
		if end, ok = before(cursor); !ok {
			return nil, "", fmt.Errorf("%w: %q", ErrInvalidCursor, cursor)
		}
		if end == "" {
			return nil, "", nil // the cursor was the first entry ever
		}
	}
	msgs, err := s.rdb.XRevRangeN(ctx, s.auditKey(installationID), end, "-", int64(limit)+1).Result()
	if err != nil {
		return nil, "", unavailable("read audit", err)
	}
	next := ""
	if len(msgs) > limit {
		msgs = msgs[:limit]
		next = msgs[limit-1].ID
	}
	entries := make([]Entry, 0, len(msgs))
	for _, m := range msgs {
		e, err := decodeEntry(m)
		if err != nil {
			return nil, "", err
		}
		entries = append(entries, e)
	}
	return entries, next, nil
}

// decodeEntry reads a stream message written by appendAudit.
func decodeEntry(m redis.XMessage) (Entry, error) {
	v, _ := m.Values[auditField].(string)
	var e Entry
	if err := json.Unmarshal([]byte(v), &e); err != nil {
		return Entry{}, fmt.Errorf("audit entry %s: %w: %w", m.ID, ErrCorrupt, err)
	}
	e.ID = m.ID
	return e, nil
}

// before returns the stream ID just before id ("ms-seq"), "" when id is the
// smallest there is, and false when id is not a stream ID. It stands in for
// Redis 6.2's exclusive "(id" ranges, so that older servers page too.
func before(id string) (string, bool) {
	msText, seqText, ok := strings.Cut(id, "-")
	if !ok {
		return "", false
	}
	ms, err1 := strconv.ParseUint(msText, 10, 64)
	seq, err2 := strconv.ParseUint(seqText, 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return "", false
	case seq > 0:
		return fmt.Sprintf("%d-%d", ms, seq-1), true
	case ms > 0:
		return fmt.Sprintf("%d-%d", ms-1, uint64(math.MaxUint64)), true
	}
	return "", true
}
