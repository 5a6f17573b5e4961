package incident

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is the key prefix when Config.Prefix is empty.
const DefaultPrefix = "pushguard:"

// maxTxRetries bounds the retries of one change that keeps meeting a
// concurrent change of the same incident.
const maxTxRetries = 20

// Observer is told of each incident that closes as revoked or resolved,
// with how long it was open since first seen. The app feeds a histogram.
type Observer interface {
	OnClosed(provider string, to State, sinceFirstSeen time.Duration)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(provider string, to State, sinceFirstSeen time.Duration)

// OnClosed calls f.
func (f ObserverFunc) OnClosed(provider string, to State, d time.Duration) { f(provider, to, d) }

// Config is what a Store needs.
type Config struct {
	Redis    redis.UniversalClient
	Prefix   string   // DefaultPrefix when empty
	Observer Observer // may be nil
}

// Store keeps incidents in Redis. It is safe for concurrent use, by one
// process or many.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	obs    Observer
}

// New returns a Store on cfg.Redis.
func New(cfg Config) (*Store, error) {
	if cfg.Redis == nil {
		return nil, errors.New("incident: no Redis client")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	return &Store{rdb: cfg.Redis, prefix: cfg.Prefix, obs: cfg.Observer}, nil
}

// tag is the hash tag of an installation's keys.
func (s *Store) tag(inst int64) string {
	return s.prefix + "{i:" + strconv.FormatInt(inst, 10) + "}"
}

// incidentKey holds the incident's JSON.
func (s *Store) incidentKey(inst int64, fp string) string { return s.tag(inst) + ":inc:" + fp }

// seenKey is the set of places (hashed) an incident was seen at.
func (s *Store) seenKey(inst int64, fp string) string { return s.tag(inst) + ":seen:" + fp }

// indexKey orders an installation's fingerprints by first sighting.
func (s *Store) indexKey(inst int64) string { return s.tag(inst) + ":incidents" }

// openKey counts an installation's open incidents by openField.
func (s *Store) openKey(inst int64) string { return s.tag(inst) + ":open" }

// openField is the cell of the open counts an incident is in, or "" when
// it is not open (or does not exist).
func openField(inc Incident, exists bool) string {
	if !exists || inc.State != Open {
		return ""
	}
	return inc.Provider + "\x00" + inc.CurrentValidity()
}

// installationsKey is the set of installations that have incidents.
func (s *Store) installationsKey() string { return s.prefix + "incident:installations" }

// change is what one update does to an incident read under WATCH: it
// returns whether anything changed (nothing is written otherwise).
type change func(tx *redis.Tx, inc *Incident, exists bool) (changed bool, err error)

// update reads the incident under WATCH, applies fn and writes it back in
// MULTI/EXEC with extra commands, retrying when a concurrent change wins.
func (s *Store) update(ctx context.Context, inst int64, fp string, fn change, extra func(redis.Pipeliner)) (Incident, error) {
	key := s.incidentKey(inst, fp)
	var out Incident
	txf := func(tx *redis.Tx) error {
		var inc Incident
		exists, err := s.read(ctx, tx, key, &inc)
		if err != nil {
			return err
		}
		before := openField(inc, exists)
		changed, err := fn(tx, &inc, exists)
		if err != nil || !changed {
			out = inc
			return err
		}
		after := openField(inc, true)
		raw, err := json.Marshal(inc)
		if err != nil {
			return fmt.Errorf("encode incident %s: %w", inc.ID, err)
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, raw, 0)
			p.ZAddNX(ctx, s.indexKey(inst), redis.Z{Score: float64(inc.FirstSeen.At.UnixMilli()), Member: fp})
			if extra != nil {
				extra(p)
			}
			if before != after {
				moveOpenCount(ctx, p, s.openKey(inst), before, after)
			}
			return nil
		})
		out = inc
		return err
	}
	for range maxTxRetries {
		err := s.rdb.Watch(ctx, txf, key, s.seenKey(inst, fp))
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return Incident{}, fmt.Errorf("update incident %s: %w", incidentID(inst, fp), err)
		}
		return out, nil
	}
	return Incident{}, fmt.Errorf("update incident %s: %d concurrent changes won", incidentID(inst, fp), maxTxRetries)
}

// moveOpenCount moves one incident between cells of the open counts.
func moveOpenCount(ctx context.Context, p redis.Pipeliner, key, from, to string) {
	if from != "" {
		p.HIncrBy(ctx, key, from, -1)
	}
	if to != "" {
		p.HIncrBy(ctx, key, to, 1)
	}
}

// read loads one incident; exists is false when there is none.
func (s *Store) read(ctx context.Context, c redis.Cmdable, key string, inc *Incident) (exists bool, err error) {
	raw, err := c.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("redis get %s: %w", key, err)
	}
	if err := json.Unmarshal(raw, inc); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

// Get returns the incident of fingerprint fp in installation inst, or an
// error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, inst int64, fp string) (Incident, error) {
	var inc Incident
	exists, err := s.read(ctx, s.rdb, s.incidentKey(inst, fp), &inc)
	if err != nil {
		return Incident{}, err
	}
	if !exists {
		return Incident{}, fmt.Errorf("%w: %s", ErrNotFound, incidentID(inst, fp))
	}
	return inc, nil
}
