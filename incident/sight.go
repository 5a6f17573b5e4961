package incident

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Sight records a sighting: it opens the incident of (installation,
// fingerprint) when there is none (first is true), or adds the sighting to
// it. A place already recorded (same repository, commit, path and line)
// changes nothing. A closed incident sighted at a new place reopens, with a
// history entry by ActorPushguard, unless the sighting says KeepClosed.
func (s *Store) Sight(ctx context.Context, si Sighting) (inc Incident, first bool, err error) {
	if err := si.validate(); err != nil {
		return Incident{}, false, err
	}
	si.At = si.At.UTC()
	seen := s.seenKey(si.Installation, si.Fingerprint)
	place := placeHash(si.Place)
	fn := func(tx *redis.Tx, inc *Incident, exists bool) (bool, error) {
		first = false // a retry after a concurrent Sight opened it is not first
		if !exists {
			*inc = newIncident(si)
			first = true
			return true, nil
		}
		dup, err := tx.SIsMember(ctx, seen, place).Result()
		if err != nil {
			return false, fmt.Errorf("redis sismember %s: %w", seen, err)
		}
		if dup {
			return false, nil
		}
		addSighting(inc, si)
		return true, nil
	}
	extra := func(p redis.Pipeliner) { p.SAdd(ctx, seen, place) }
	if err := s.rdb.SAdd(ctx, s.installationsKey(), si.Installation).Err(); err != nil {
		return Incident{}, false, fmt.Errorf("redis sadd %s: %w", s.installationsKey(), err)
	}
	inc, err = s.update(ctx, si.Installation, si.Fingerprint, fn, extra)
	return inc, first && err == nil, err
}

// newIncident is the open incident of a first sighting.
func newIncident(si Sighting) Incident {
	return Incident{
		ID:            incidentID(si.Installation, si.Fingerprint),
		Installation:  si.Installation,
		Fingerprint:   si.Fingerprint,
		RuleID:        si.RuleID,
		Provider:      si.Provider,
		Redacted:      si.Redacted,
		State:         Open,
		FirstSeen:     si.Place,
		SightingCount: 1,
		UpdatedAt:     si.At,
	}
}

// addSighting adds a later sighting and reopens a closed incident.
func addSighting(inc *Incident, si Sighting) {
	inc.Sightings = keep(append(inc.Sightings, si.Place), MaxSightings)
	inc.SightingCount++
	inc.UpdatedAt = si.At
	if inc.State.Closed() && !si.KeepClosed {
		reason := fmt.Sprintf("seen again in %s at %s", si.Repository, shortSHA(si.Commit))
		record(inc, Transition{At: si.At, Actor: ActorPushguard, From: inc.State, To: Open, Reason: reason})
	}
}

// placeHash names a place in the seen set: repository, commit, path, line.
func placeHash(p Place) string {
	h := sha256.New()
	for _, part := range []string{p.Repository, p.Commit, p.Path, strconv.Itoa(p.Line)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func shortSHA(sha string) string {
	return sha[:min(12, len(sha))]
}
