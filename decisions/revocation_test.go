package decisions_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

func TestRevocationsAndResolutionsAreAudited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	revoked := decision("acme/api", fp("aa"), decisions.ReasonTestData) // the reason is overridden
	revoked.Note = "revoked by pushguard through GitHub's API"
	resolved := decision("acme/api", fp("bb"), "")
	resolved.Note = "rotated"
	notSent := decision("acme/api", fp("cc"), "")
	notSent.Note = "this server does not accept `ghs_` tokens"
	if err := s.Revoked(ctx, revoked); err != nil {
		t.Fatal(err)
	}
	if err := s.Resolved(ctx, resolved); err != nil {
		t.Fatal(err)
	}
	if err := s.NotRevoked(ctx, notSent); err != nil {
		t.Fatal(err)
	}
	active, err := s.Active(ctx, "acme/api", []string{revoked.Fingerprint, resolved.Fingerprint, notSent.Fingerprint})
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 2 || active[revoked.Fingerprint].Reason != decisions.ReasonRevoked || active[resolved.Fingerprint].Reason != decisions.ReasonRevoked {
		t.Errorf("active %v: want the revoked and the resolved key dismissed as revoked, the one not sent still reported", active)
	}
	entries, _, err := s.Audit(ctx, installation, "", 0)
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit %d entries, %v; want 3", len(entries), err)
	}
	want := []struct {
		action decisions.Action
		fp     string
		note   string
	}{
		{decisions.ActionRevokeNotSent, notSent.Fingerprint, notSent.Note},
		{decisions.ActionResolve, resolved.Fingerprint, "rotated"},
		{decisions.ActionRevoke, revoked.Fingerprint, revoked.Note},
	}
	for i, w := range want {
		if e := entries[i]; e.Action != w.action || e.Fingerprint != w.fp || e.Note != w.note || e.By != "alice" {
			t.Errorf("entry %d = %s %s %q by %s; want %s %s %q by alice", i, e.Action, e.Fingerprint[:6], e.Note, e.By, w.action, w.fp[:6], w.note)
		}
	}
	if entries[0].Reason != "" {
		t.Errorf("not-sent entry has reason %q, want none", entries[0].Reason)
	}
}

func TestNotRevokedRefusesInvalid(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := decision("acme/api", "not-a-fingerprint", "")
	if err := s.NotRevoked(context.Background(), d); !errors.Is(err, decisions.ErrInvalidDecision) {
		t.Errorf("err %v, want ErrInvalidDecision", err)
	}
	d = decision("acme/api", fp("aa"), "because")
	if err := s.NotRevoked(context.Background(), d); !errors.Is(err, decisions.ErrInvalidDecision) {
		t.Errorf("unknown reason: err %v, want ErrInvalidDecision", err)
	}
}
