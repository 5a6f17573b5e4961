package decisions_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/queue/queuetest"
)

const installation = 4242

// newStore returns a Store on the test Redis under a prefix of its own,
// whose redactor keeps notes as they are.
func newStore(t *testing.T) *decisions.Store {
	t.Helper()
	rdb := queuetest.Redis(t)
	return decisions.NewStore(rdb, queuetest.Name(t, rdb)+":", decisions.WithRedactor(keepNote))
}

// keepNote is a redactor that finds no secret.
func keepNote(note string) string { return note }

// decision returns a valid dismissal of fingerprint in repo.
func decision(repo, fingerprint string, reason decisions.Reason) decisions.Decision {
	return decisions.Decision{
		InstallationID: installation,
		Repo:           repo,
		Fingerprint:    fingerprint,
		Reason:         reason,
		Note:           "rotated in the console",
		By:             "alice",
		At:             time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		PR:             7,
		RuleID:         "github-pat",
		Redacted:       "ghp_12… (40 chars)",
	}
}

func TestDismissThenActive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	a, b, c := fp("aa"), fp("bb"), fp("cc")
	d := decision("acme/api", a, decisions.ReasonRevoked)
	if err := s.Dismiss(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := s.Dismiss(ctx, decision("acme/api", b, decisions.ReasonTestData)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		repo string
		fps  []string
		want []string // keys of the result
	}{
		{"some active", "acme/api", []string{a, c}, []string{a}},
		{"all active", "acme/api", []string{b, a}, []string{a, b}},
		{"none asked", "acme/api", nil, nil},
		{"keyed as asked", "acme/api", []string{strings.ToUpper(a)}, []string{strings.ToUpper(a)}},
		{"repo name case", "ACME/Api", []string{a}, []string{a}},
		{"another repo", "acme/web", []string{a, b}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Active(ctx, tt.repo, tt.fps)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Active = %d decisions %v, want %v", len(got), got, tt.want)
			}
			for _, k := range tt.want {
				if _, ok := got[k]; !ok {
					t.Errorf("no decision for %s", k[:8])
				}
			}
		})
	}
	got, _ := s.Active(ctx, "acme/api", []string{a})
	if g := got[a]; g != d {
		t.Errorf("round trip:\n got %+v\nwant %+v", g, d)
	}
}

func TestDismissOverwritesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	d := decision("acme/api", fp("aa"), decisions.ReasonTestData)
	steps := []struct {
		name    string
		change  func(*decisions.Decision)
		entries int // audit entries after the step
	}{
		{"first", func(*decisions.Decision) {}, 1},
		{"same again, later", func(d *decisions.Decision) { d.At = d.At.Add(time.Hour) }, 1},
		{"new reason", func(d *decisions.Decision) { d.Reason = decisions.ReasonRevoked }, 2},
		{"another maintainer", func(d *decisions.Decision) { d.By = "bob" }, 3},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(&d)
			if err := s.Dismiss(ctx, d); err != nil {
				t.Fatal(err)
			}
			active, err := s.Active(ctx, d.Repo, []string{d.Fingerprint})
			if err != nil {
				t.Fatal(err)
			}
			if got := active[d.Fingerprint]; got.Reason != d.Reason || got.By != d.By {
				t.Errorf("active = %s by %s, want %s by %s", got.Reason, got.By, d.Reason, d.By)
			}
			if entries, _, _ := s.Audit(ctx, installation, "", 0); len(entries) != st.entries {
				t.Errorf("%d audit entries, want %d", len(entries), st.entries)
			}
		})
	}
}

func TestUndo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	d := decision("acme/api", fp("aa"), decisions.ReasonAcceptedRisk)
	other := decision("acme/api", fp("bb"), decisions.ReasonRevoked)
	for _, x := range []decisions.Decision{d, other} {
		if err := s.Dismiss(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now().Add(-time.Second)
	if err := s.Undo(ctx, installation, "acme/api", strings.ToUpper(d.Fingerprint), "bob", 9); err != nil {
		t.Fatal(err)
	}
	active, err := s.Active(ctx, "acme/api", []string{d.Fingerprint, other.Fingerprint})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := active[d.Fingerprint]; ok || len(active) != 1 {
		t.Errorf("after undo, active = %v; want only the other decision", active)
	}
	entries, _, err := s.Audit(ctx, installation, "", 0)
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit = %d entries, %v; want 3", len(entries), err)
	}
	u := entries[0]
	if u.Action != decisions.ActionUndo || u.By != "bob" || u.PR != 9 || u.Fingerprint != d.Fingerprint ||
		u.Reason != d.Reason || u.Note != d.Note || u.At.Before(before) {
		t.Errorf("undo entry = %+v", u)
	}
	t.Run("again", func(t *testing.T) {
		err := s.Undo(ctx, installation, "acme/api", d.Fingerprint, "bob", 9)
		if !errors.Is(err, decisions.ErrNotDismissed) {
			t.Errorf("err = %v, want ErrNotDismissed", err)
		}
	})
	t.Run("in another repo", func(t *testing.T) {
		err := s.Undo(ctx, installation, "acme/web", other.Fingerprint, "bob", 9)
		if !errors.Is(err, decisions.ErrNotDismissed) {
			t.Errorf("err = %v, want ErrNotDismissed", err)
		}
	})
	t.Run("dismiss again", func(t *testing.T) {
		if err := s.Dismiss(ctx, d); err != nil {
			t.Fatal(err)
		}
		if active, _ := s.Active(ctx, "acme/api", []string{d.Fingerprint}); len(active) != 1 {
			t.Errorf("not active after dismissing again")
		}
	})
}

func TestDismissRefusesInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	tests := []struct {
		name   string
		change func(*decisions.Decision)
	}{
		{"no installation", func(d *decisions.Decision) { d.InstallationID = 0 }},
		{"repo without owner", func(d *decisions.Decision) { d.Repo = "api" }},
		{"repo with a space", func(d *decisions.Decision) { d.Repo = "acme/my api" }},
		{"prefix, not a fingerprint", func(d *decisions.Decision) { d.Fingerprint = "aabbccdd" }},
		{"secret, not a fingerprint", func(d *decisions.Decision) { d.Fingerprint = "ghp_" + strings.Repeat("x", 60) }},
		{"unknown reason", func(d *decisions.Decision) { d.Reason = "meh" }},
		{"no user", func(d *decisions.Decision) { d.By = "" }},
		{"long note", func(d *decisions.Decision) { d.Note = strings.Repeat("n", decisions.MaxNoteLen+1) }},
		{"negative PR", func(d *decisions.Decision) { d.PR = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision("acme/api", fp("aa"), decisions.ReasonRevoked)
			tt.change(&d)
			if err := s.Dismiss(ctx, d); !errors.Is(err, decisions.ErrInvalidDecision) {
				t.Errorf("Dismiss = %v, want ErrInvalidDecision", err)
			}
		})
	}
	if entries, _, _ := s.Audit(ctx, installation, "", 0); len(entries) != 0 {
		t.Errorf("refused decisions were audited: %+v", entries)
	}
}

func TestStoreUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := decisions.NewStore(queuetest.Unreachable(t), "x:")
	d := decision("acme/api", fp("aa"), decisions.ReasonRevoked)
	_, activeErr := s.Active(ctx, d.Repo, []string{d.Fingerprint})
	_, _, auditErr := s.Audit(ctx, installation, "", 0)
	for name, err := range map[string]error{
		"Dismiss": s.Dismiss(ctx, d),
		"Undo":    s.Undo(ctx, installation, d.Repo, d.Fingerprint, "bob", 1),
		"Active":  activeErr,
		"Audit":   auditErr,
	} {
		if !errors.Is(err, decisions.ErrUnavailable) {
			t.Errorf("%s: err = %v, want ErrUnavailable", name, err)
		}
	}
}
