package incident

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Transition moves the incident to state to, recording actor, reason and
// time in its history; revoke, resolve and dismiss use it. Moving to the
// state it is in changes nothing and returns the incident as it is. Every
// other move is allowed (a dismissed incident may be revoked after all, a
// closed one reopened). The error wraps ErrNotFound when there is no
// incident, ErrInvalid for an unknown state.
func (s *Store) Transition(ctx context.Context, inst int64, fp string, to State, actor, reason string, at time.Time) (Incident, error) {
	if _, err := ParseState(string(to)); err != nil {
		return Incident{}, err
	}
	at = at.UTC()
	moved := false
	fn := func(_ *redis.Tx, inc *Incident, exists bool) (bool, error) {
		moved = false
		if !exists {
			return false, fmt.Errorf("%w: %s", ErrNotFound, incidentID(inst, fp))
		}
		if inc.State == to {
			return false, nil
		}
		moved = true
		record(inc, Transition{At: at, Actor: actor, From: inc.State, To: to, Reason: reason})
		inc.UpdatedAt = at
		return true, nil
	}
	inc, err := s.update(ctx, inst, fp, fn, nil)
	if err != nil {
		return Incident{}, err
	}
	if s.obs != nil && moved && (to == Revoked || to == Resolved) {
		s.obs.OnClosed(inc.Provider, to, at.Sub(inc.FirstSeen.At))
	}
	return inc, nil
}

// record appends t to the history and sets the state and closing time.
func record(inc *Incident, t Transition) {
	inc.History = keep(append(inc.History, t), MaxHistory)
	inc.State = t.To
	if t.To.Closed() {
		inc.ClosedAt = t.At
	} else {
		inc.ClosedAt = time.Time{}
	}
}

// RecordValidity appends a validity result to the incident. The error
// wraps ErrNotFound when there is no incident, ErrInvalid for a status that
// is not one of the Validity values.
func (s *Store) RecordValidity(ctx context.Context, inst int64, fp string, status string, at time.Time) error {
	if err := checkValidity(status); err != nil {
		return err
	}
	fn := func(_ *redis.Tx, inc *Incident, exists bool) (bool, error) {
		if !exists {
			return false, fmt.Errorf("%w: %s", ErrNotFound, incidentID(inst, fp))
		}
		inc.Validity = keep(append(inc.Validity, ValidityCheck{Status: status, At: at.UTC()}), MaxValidity)
		return true, nil
	}
	_, err := s.update(ctx, inst, fp, fn, nil)
	return err
}
