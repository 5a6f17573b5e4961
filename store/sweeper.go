package store

import (
	"context"
	"fmt"
	"time"
)

// The redelivery sweeper's state, under the store's prefix:
//   - lock:sweeper        one sweep per interval across all replicas (Lock)
//   - sweeper:mark        newest delivered_at seen: where the next sweep stops reading
//   - sweeper:pending     GUID -> failed delivery not yet known delivered (JSON), so
//     that one that falls behind the mark is still retried
//   - sweeper:paused      set while GitHub rate-limits the App
//   - redelivered:GUID    at most one redelivery per GUID per interval

// SweepMark returns the newest delivered_at the sweeper has seen (zero when
// none).
func (s *Store) SweepMark(ctx context.Context) (time.Time, error) {
	var mark time.Time
	_, err := s.getJSON(ctx, s.Key("sweeper", "mark"), &mark)
	return mark, err
}

// SetSweepMark records the newest delivered_at seen, for ttl.
func (s *Store) SetSweepMark(ctx context.Context, mark time.Time, ttl time.Duration) error {
	return s.setJSON(ctx, s.Key("sweeper", "mark"), mark, ttl)
}

// PendingDeliveries returns the pending set: GUID -> the sweeper's JSON of
// a failed delivery.
func (s *Store) PendingDeliveries(ctx context.Context) (map[string]string, error) {
	raw, err := s.rdb.HGetAll(ctx, s.Key("sweeper", "pending")).Result()
	if err != nil {
		return nil, fmt.Errorf("redis pending deliveries: %w", err)
	}
	return raw, nil
}

// UpdatePendingDeliveries removes drop from the pending set and writes put
// into it, at once, and keeps the set for ttl.
func (s *Store) UpdatePendingDeliveries(ctx context.Context, drop []string, put map[string][]byte, ttl time.Duration) error {
	key := s.Key("sweeper", "pending")
	pipe := s.rdb.TxPipeline()
	for _, guid := range drop {
		pipe.HDel(ctx, key, guid)
	}
	for guid, b := range put {
		pipe.HSet(ctx, key, guid, b)
	}
	pipe.Expire(ctx, key, ttl)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis pending deliveries: %w", err)
	}
	return nil
}

// DropPendingDelivery forgets one pending delivery.
func (s *Store) DropPendingDelivery(ctx context.Context, guid string) error {
	if err := s.rdb.HDel(ctx, s.Key("sweeper", "pending"), guid).Err(); err != nil {
		return fmt.Errorf("redis pending deliveries: %w", err)
	}
	return nil
}

// MarkRedelivered records that a GUID's attempt id is being redelivered;
// ok is false when it already was within every.
func (s *Store) MarkRedelivered(ctx context.Context, guid string, id int64, every time.Duration) (ok bool, err error) {
	ok, err = s.rdb.SetNX(ctx, s.Key("redelivered", guid), id, every).Result()
	if err != nil {
		return false, fmt.Errorf("redis redelivered %s: %w", guid, err)
	}
	return ok, nil
}

// UnmarkRedelivered forgets a mark made by MarkRedelivered, so the next
// sweep may try the GUID again.
func (s *Store) UnmarkRedelivered(ctx context.Context, guid string) error {
	return s.rdb.Del(ctx, s.Key("redelivered", guid)).Err()
}

// PauseSweeps pauses sweeping until a rate limit ends, for ttl.
func (s *Store) PauseSweeps(ctx context.Context, until time.Time, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.Key("sweeper", "paused"), until.UTC().Format(time.RFC3339), ttl).Err(); err != nil {
		return fmt.Errorf("redis pause sweeper: %w", err)
	}
	return nil
}

// SweepsPaused reports whether a rate limit pauses sweeping.
func (s *Store) SweepsPaused(ctx context.Context) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.Key("sweeper", "paused")).Result()
	if err != nil {
		return false, fmt.Errorf("redis sweeper paused: %w", err)
	}
	return n > 0, nil
}
