package incident

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// AllInstallations, as List's installation, lists every installation's
// incidents.
const AllInstallations int64 = 0

// Filter narrows List; its zero value lists everything.
type Filter struct {
	// State keeps only incidents in that state; empty keeps all.
	State State
}

// List returns the incidents of installation inst (AllInstallations for
// every one) that pass f, ordered by first sighting, then installation,
// then fingerprint: the same order on every call.
func (s *Store) List(ctx context.Context, inst int64, f Filter) ([]Incident, error) {
	if f.State != "" {
		if _, err := ParseState(string(f.State)); err != nil {
			return nil, err
		}
	}
	insts := []int64{inst}
	if inst == AllInstallations {
		var err error
		if insts, err = s.installations(ctx); err != nil {
			return nil, err
		}
	}
	var out []Incident
	for _, id := range insts {
		incs, err := s.listInstallation(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, inc := range incs {
			if f.State == "" || inc.State == f.State {
				out = append(out, inc)
			}
		}
	}
	slices.SortFunc(out, func(a, b Incident) int {
		return cmp.Or(a.FirstSeen.At.Compare(b.FirstSeen.At), cmp.Compare(a.Installation, b.Installation), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	return out, nil
}

// installations lists the installations that have incidents.
func (s *Store) installations(ctx context.Context) ([]int64, error) {
	members, err := s.rdb.SMembers(ctx, s.installationsKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("redis smembers %s: %w", s.installationsKey(), err)
	}
	out := make([]int64, 0, len(members))
	for _, m := range members {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("installation %q in %s: %w", m, s.installationsKey(), err)
		}
		out = append(out, id)
	}
	return out, nil
}

// listInstallation loads every incident of one installation (one MGET in
// its slot).
func (s *Store) listInstallation(ctx context.Context, inst int64) ([]Incident, error) {
	fps, err := s.rdb.ZRange(ctx, s.indexKey(inst), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis zrange %s: %w", s.indexKey(inst), err)
	}
	if len(fps) == 0 {
		return nil, nil
	}
	keys := make([]string, len(fps))
	for i, fp := range fps {
		keys[i] = s.incidentKey(inst, fp)
	}
	vals, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("redis mget incidents of %d: %w", inst, err)
	}
	out := make([]Incident, 0, len(vals))
	for i, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue // indexed but gone: nothing to list
		}
		var inc Incident
		if err := json.Unmarshal([]byte(raw), &inc); err != nil {
			return nil, fmt.Errorf("decode %s: %w", keys[i], err)
		}
		out = append(out, inc)
	}
	return out, nil
}

// OpenCount is the number of open incidents of one provider whose latest
// validity is Validity.
type OpenCount struct {
	Provider string
	Validity string
	Count    int
}

// OpenCounts tallies the open incidents of every installation by provider
// and current validity, ordered by provider then validity. It reads the
// counts each change keeps, never the incidents themselves.
func (s *Store) OpenCounts(ctx context.Context) ([]OpenCount, error) {
	insts, err := s.installations(ctx)
	if err != nil {
		return nil, err
	}
	n := map[[2]string]int{}
	for _, inst := range insts {
		cells, err := s.rdb.HGetAll(ctx, s.openKey(inst)).Result()
		if err != nil {
			return nil, fmt.Errorf("redis hgetall %s: %w", s.openKey(inst), err)
		}
		for field, v := range cells {
			provider, validity, ok := strings.Cut(field, "\x00")
			c, err := strconv.Atoi(v)
			if !ok || err != nil {
				return nil, fmt.Errorf("open count %q in %s is not provider and validity", field, s.openKey(inst))
			}
			n[[2]string{provider, validity}] += c
		}
	}
	out := make([]OpenCount, 0, len(n))
	for k, c := range n {
		if c > 0 {
			out = append(out, OpenCount{Provider: k[0], Validity: k[1], Count: c})
		}
	}
	slices.SortFunc(out, func(a, b OpenCount) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Validity, b.Validity))
	})
	return out, nil
}
