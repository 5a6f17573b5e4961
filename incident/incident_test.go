package incident

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSightOpensThenAdds(t *testing.T) {
	s, _, _ := testStore(t, nil)
	inc, first := mustSight(t, s, sighting(7, sha(1), 3, t0))
	if !first || inc.State != Open || inc.SightingCount != 1 || inc.FirstSeen.Commit != sha(1) {
		t.Fatalf("first sighting: first=%v %+v", first, inc)
	}
	if want := "7-" + fingerprint("github-pat")[:16]; inc.ID != want {
		t.Errorf("ID = %q, want %q", inc.ID, want)
	}
	inc, first = mustSight(t, s, sighting(7, sha(2), 9, t0.Add(time.Hour)))
	if first || inc.SightingCount != 2 || len(inc.Sightings) != 1 || inc.LastSeen().Commit != sha(2) {
		t.Fatalf("second sighting: first=%v %+v", first, inc)
	}
	if inc.FirstSeen.Commit != sha(1) || !inc.FirstSeen.At.Equal(t0) {
		t.Errorf("first seen changed: %+v", inc.FirstSeen)
	}
	got, err := s.Get(context.Background(), 7, inc.Fingerprint)
	if err != nil || got.SightingCount != 2 {
		t.Fatalf("Get = %+v, %v", got, err)
	}
}

func TestSightSamePlaceIsIdempotent(t *testing.T) {
	s, _, _ := testStore(t, nil)
	mustSight(t, s, sighting(7, sha(1), 3, t0))
	for range 3 {
		inc, first := mustSight(t, s, sighting(7, sha(1), 3, t0.Add(time.Minute)))
		if first || inc.SightingCount != 1 || len(inc.Sightings) != 0 {
			t.Fatalf("repeat of the same place: first=%v %+v", first, inc)
		}
	}
	// Another line of the same commit is another place.
	if inc, _ := mustSight(t, s, sighting(7, sha(1), 4, t0)); inc.SightingCount != 2 {
		t.Fatalf("another line: count %d, want 2", inc.SightingCount)
	}
}

func TestSightRefusesWhatItCannotKeep(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Sighting)
	}{
		{"secret as redacted", func(s *Sighting) { s.Redacted = plantedSecret }},
		{"secret as fingerprint", func(s *Sighting) { s.Fingerprint = plantedSecret }},
		{"no installation", func(s *Sighting) { s.Installation = 0 }},
		{"no repository", func(s *Sighting) { s.Repository = "" }},
		{"no commit", func(s *Sighting) { s.Commit = "" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, rdb, prefix := testStore(t, nil)
			si := sighting(7, sha(1), 3, t0)
			tc.edit(&si)
			_, _, err := s.Sight(context.Background(), si)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if strings.Contains(err.Error(), plantedSecret) {
				t.Errorf("error quotes the secret: %v", err)
			}
			keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
			if len(keys) != 0 {
				t.Errorf("refused sighting left keys %v", keys)
			}
		})
	}
}

func TestNothingStoredHoldsTheSecret(t *testing.T) {
	s, rdb, prefix := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	mustSight(t, s, sighting(7, sha(2), 3, t0))
	if err := s.RecordValidity(ctx, 7, inc.Fingerprint, ValidityLive, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, 7, inc.Fingerprint, Revoked, "octocat", "revoked at GitHub", t0); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) < 4 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	for _, k := range keys {
		dump := readKey(t, rdb, k)
		if strings.Contains(k+dump, plantedSecret) || strings.Contains(k+dump, plantedSecret[4:]) {
			t.Errorf("key %s holds the secret", k)
		}
	}
}

func TestKeysOfAnInstallationShareOneSlot(t *testing.T) {
	s, rdb, prefix := testStore(t, nil)
	mustSight(t, s, sighting(7, sha(1), 3, t0))
	keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
	for _, k := range keys {
		if k == s.installationsKey() {
			continue
		}
		if !strings.HasPrefix(k, prefix+"{i:7}:") {
			t.Errorf("key %s is outside the installation's hash tag", k)
		}
	}
}

func TestClosedIncidentReopensOnANewSighting(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	closedAt := t0.Add(time.Hour)
	inc, err := s.Transition(ctx, 7, inc.Fingerprint, Dismissed, "maintainer", "test fixture", closedAt)
	if err != nil || inc.State != Dismissed || !inc.ClosedAt.Equal(closedAt) {
		t.Fatalf("dismiss: %+v, %v", inc, err)
	}
	// The same place again (a re-run): still dismissed.
	if inc, _ = mustSight(t, s, sighting(7, sha(1), 3, t0.Add(2*time.Hour))); inc.State != Dismissed {
		t.Fatalf("re-run reopened: %+v", inc)
	}
	inc, first := mustSight(t, s, sighting(7, sha(2), 3, t0.Add(3*time.Hour)))
	if first || inc.State != Open || !inc.ClosedAt.IsZero() {
		t.Fatalf("new commit: first=%v state %s closed %v", first, inc.State, inc.ClosedAt)
	}
	want := []Transition{
		{At: closedAt, Actor: "maintainer", From: Open, To: Dismissed, Reason: "test fixture"},
		{At: t0.Add(3 * time.Hour), Actor: ActorPushguard, From: Dismissed, To: Open, Reason: "seen again in octo-org/payments at " + sha(2)[:12]},
	}
	if len(inc.History) != len(want) {
		t.Fatalf("history %+v, want %+v", inc.History, want)
	}
	for i := range want {
		if g := inc.History[i]; g != want[i] {
			t.Errorf("history[%d] = %+v, want %+v", i, g, want[i])
		}
	}
}

func TestTransition(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	fp := inc.Fingerprint
	t.Run("to the same state changes nothing", func(t *testing.T) {
		got, err := s.Transition(ctx, 7, fp, Open, "x", "", t0)
		if err != nil || len(got.History) != 0 {
			t.Fatalf("%+v, %v", got, err)
		}
	})
	t.Run("unknown state", func(t *testing.T) {
		if _, err := s.Transition(ctx, 7, fp, State("gone"), "x", "", t0); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("no incident", func(t *testing.T) {
		if _, err := s.Transition(ctx, 8, fp, Revoked, "x", "", t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
		if _, err := s.Get(ctx, 8, fp); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get err = %v, want ErrNotFound", err)
		}
	})
	t.Run("dismissed then revoked", func(t *testing.T) {
		if _, err := s.Transition(ctx, 7, fp, Dismissed, "a", "why", t0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Transition(ctx, 7, fp, Revoked, "b", "", t0.Add(time.Minute))
		if err != nil || got.State != Revoked || len(got.History) != 2 || got.History[1].From != Dismissed {
			t.Fatalf("%+v, %v", got, err)
		}
	})
}

func TestObserverToldOfEachCloseOnce(t *testing.T) {
	var mu sync.Mutex
	var got []closed
	obs := ObserverFunc(func(p string, to State, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, closed{p, to, d})
	})
	s, _, _ := testStore(t, obs)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	steps := []State{Dismissed, Open, Revoked, Revoked, Open, Resolved}
	for i, st := range steps {
		if _, err := s.Transition(ctx, 7, inc.Fingerprint, st, "m", "", t0.Add(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	want := []closed{{"GitHub", Revoked, 3 * time.Hour}, {"GitHub", Resolved, 6 * time.Hour}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("observed %+v, want %+v", got, want)
	}
}

func TestListsAreBounded(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(0), 1, t0))
	for i := 1; i <= MaxSightings+10; i++ {
		inc, _ = mustSight(t, s, sighting(7, sha(i), 1, t0.Add(time.Duration(i)*time.Minute)))
	}
	if inc.SightingCount != MaxSightings+11 || len(inc.Sightings) != MaxSightings || inc.LastSeen().Commit != sha(MaxSightings+10) {
		t.Errorf("sightings: count %d, kept %d, last %s", inc.SightingCount, len(inc.Sightings), inc.LastSeen().Commit)
	}
	if inc.FirstSeen.Commit != sha(0) {
		t.Errorf("first seen %s, want %s", inc.FirstSeen.Commit, sha(0))
	}
	statuses := []string{ValidityUnknown, ValidityNotLive}
	for i := range MaxValidity + 5 {
		if err := s.RecordValidity(ctx, 7, inc.Fingerprint, statuses[i%2], t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordValidity(ctx, 7, inc.Fingerprint, ValidityLive, t0); err != nil {
		t.Fatal(err)
	}
	inc, _ = s.Get(ctx, 7, inc.Fingerprint)
	if len(inc.Validity) != MaxValidity || inc.CurrentValidity() != ValidityLive {
		t.Errorf("validity: kept %d, current %s", len(inc.Validity), inc.CurrentValidity())
	}
}

func TestRecordValidity(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	if inc.CurrentValidity() != ValidityUnchecked {
		t.Errorf("new incident validity %s", inc.CurrentValidity())
	}
	if err := s.RecordValidity(ctx, 7, inc.Fingerprint, "maybe", t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad status: %v", err)
	}
	if err := s.RecordValidity(ctx, 9, inc.Fingerprint, ValidityLive, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no incident: %v", err)
	}
}

func TestConcurrentSightingsAllCount(t *testing.T) {
	s, _, _ := testStore(t, nil)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, _, err := s.Sight(context.Background(), sighting(7, sha(i), 1, t0))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	inc, err := s.Get(context.Background(), 7, fingerprint("github-pat"))
	if err != nil || inc.SightingCount != n || len(inc.Sightings) != n-1 {
		t.Fatalf("count %d kept %d, %v", inc.SightingCount, len(inc.Sightings), err)
	}
	if got, err := s.OpenCounts(context.Background()); err != nil || len(got) != 1 || got[0].Count != 1 {
		t.Errorf("OpenCounts = %+v, %v; want one open incident", got, err)
	}
}

func TestListOrderAndFilter(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	mk := func(inst int64, rule string, at time.Time) Incident {
		si := sighting(inst, sha(1), 1, at)
		si.RuleID, si.Fingerprint = rule, fingerprint(rule)
		inc, _ := mustSight(t, s, si)
		return inc
	}
	c := mk(9, "rule-c", t0.Add(time.Hour))
	a := mk(7, "rule-a", t0)
	b := mk(9, "rule-b", t0)
	d := mk(7, "rule-d", t0.Add(2*time.Hour))
	if _, err := s.Transition(ctx, 7, d.Fingerprint, Resolved, "m", "rotated", t0); err != nil {
		t.Fatal(err)
	}
	// Same first-seen time: installation 7 before 9.
	cases := []struct {
		name string
		inst int64
		f    Filter
		want []Incident
	}{
		{"all", AllInstallations, Filter{}, []Incident{a, b, c, d}},
		{"open", AllInstallations, Filter{State: Open}, []Incident{a, b, c}},
		{"resolved", AllInstallations, Filter{State: Resolved}, []Incident{d}},
		{"installation 9", 9, Filter{}, []Incident{b, c}},
		{"nothing", 5, Filter{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.List(ctx, tc.inst, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d incidents, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i].ID != tc.want[i].ID {
					t.Errorf("[%d] = %s, want %s", i, got[i].ID, tc.want[i].ID)
				}
			}
		})
	}
	if _, err := s.List(ctx, 7, Filter{State: "closed"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad state filter: %v", err)
	}
}

func TestOpenCounts(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	for i, rule := range []string{"r1", "r2", "r3"} {
		si := sighting(int64(7+i), sha(1), 1, t0)
		si.RuleID, si.Fingerprint = rule, fingerprint(rule)
		mustSight(t, s, si)
	}
	if err := s.RecordValidity(ctx, 7, fingerprint("r1"), ValidityLive, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, 9, fingerprint("r3"), Dismissed, "m", "", t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.OpenCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []OpenCount{{"GitHub", ValidityLive, 1}, {"GitHub", ValidityUnchecked, 1}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("OpenCounts = %+v, want %+v", got, want)
	}
	// The live one goes dead, and the dismissed one reopens on a new commit.
	if err := s.RecordValidity(ctx, 7, fingerprint("r1"), ValidityNotLive, t0); err != nil {
		t.Fatal(err)
	}
	si := sighting(9, sha(2), 1, t0)
	si.RuleID, si.Fingerprint = "r3", fingerprint("r3")
	mustSight(t, s, si)
	got, _ = s.OpenCounts(ctx)
	want = []OpenCount{{"GitHub", ValidityNotLive, 1}, {"GitHub", ValidityUnchecked, 2}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("after changes: OpenCounts = %+v, want %+v", got, want)
	}
	all, _ := s.List(ctx, AllInstallations, Filter{State: Open})
	if len(all) != 3 {
		t.Errorf("%d open incidents listed, the counts say 3", len(all))
	}
}

func TestParseState(t *testing.T) {
	for _, st := range States {
		if got, err := ParseState(string(st)); err != nil || got != st {
			t.Errorf("ParseState(%s) = %s, %v", st, got, err)
		}
	}
	if _, err := ParseState("Open"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseState(Open): %v", err)
	}
}

func BenchmarkSight(b *testing.B) {
	s, _, _ := testStore(b, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := s.Sight(context.Background(), sighting(7, sha(i), 1, t0)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKeepClosedRecordsWithoutReopening(t *testing.T) {
	s, _, _ := testStore(t, nil)
	ctx := context.Background()
	inc, _ := mustSight(t, s, sighting(7, sha(1), 3, t0))
	if _, err := s.Transition(ctx, 7, inc.Fingerprint, Dismissed, "m", "test-data", t0); err != nil {
		t.Fatal(err)
	}
	si := sighting(7, sha(2), 3, t0.Add(time.Hour)) // a rebase: a new commit
	si.KeepClosed = true
	inc, _ = mustSight(t, s, si)
	if inc.State != Dismissed || inc.SightingCount != 2 || len(inc.History) != 1 {
		t.Fatalf("state %s, count %d, history %+v", inc.State, inc.SightingCount, inc.History)
	}
}

// TestConcurrentFirstSightingIsFirstOnce: of the Sight calls racing to open
// one incident, exactly one is told it is the first, even for a caller
// whose transaction lost to another and was retried.
func TestConcurrentFirstSightingIsFirstOnce(t *testing.T) {
	s, _, _ := testStore(t, nil)
	const rounds, n = 20, 8
	for r := range rounds {
		fp := fingerprint(fmt.Sprintf("rule-%d", r))
		start := make(chan struct{})
		firsts := make(chan bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				si := sighting(7, sha(i), 1, t0)
				si.Fingerprint = fp
				<-start
				_, first, err := s.Sight(context.Background(), si)
				if err != nil {
					t.Error(err)
				}
				firsts <- first
			})
		}
		close(start)
		wg.Wait()
		close(firsts)
		count := 0
		for f := range firsts {
			if f {
				count++
			}
		}
		if count != 1 {
			t.Errorf("round %d: %d of %d concurrent sightings told they were first; want 1", r, count, n)
		}
	}
}
