package decisions_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

func TestAuditPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	// Seven decisions, told apart by their PR number.
	dismiss := func(pr int) {
		t.Helper()
		d := decision("acme/api", fp(fmt.Sprintf("%02x", pr)), decisions.ReasonRevoked)
		d.PR = pr
		if err := s.Dismiss(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for pr := 1; pr <= 7; pr++ {
		dismiss(pr)
	}
	var (
		got    []int
		pages  []int
		cursor string
	)
	for page := 0; ; page++ {
		entries, next, err := s.Audit(ctx, installation, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, len(entries))
		for _, e := range entries {
			got = append(got, e.PR)
		}
		if page == 0 {
			dismiss(8) // added while paging: before the first page, not in a later one
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if want := fmt.Sprint([]int{7, 6, 5, 4, 3, 2, 1}); fmt.Sprint(got) != want {
		t.Errorf("entries (by PR) = %v, want %v, newest first", got, want)
	}
	if fmt.Sprint(pages) != "[3 3 1]" {
		t.Errorf("page sizes = %v, want [3 3 1]", pages)
	}
	entries, _, err := s.Audit(ctx, installation, "", 1)
	if err != nil || len(entries) != 1 || entries[0].PR != 8 || entries[0].Action != decisions.ActionDismiss || entries[0].ID == "" {
		t.Errorf("newest = %+v, %v; want the dismissal on PR 8", entries, err)
	}
}

func TestAuditCursorAndLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	for i := range decisions.DefaultAuditLimit + 2 {
		d := decision("acme/api", fp(fmt.Sprintf("%04x", i)), decisions.ReasonTestData)
		if err := s.Dismiss(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	all, _, err := s.Audit(ctx, installation, "", decisions.MaxAuditLimit+1)
	if err != nil {
		t.Fatal(err)
	}
	oldest := all[len(all)-1].ID
	tests := []struct {
		name   string
		cursor string
		limit  int
		want   int
		err    error
	}{
		{"default limit", "", 0, decisions.DefaultAuditLimit, nil},
		{"negative limit", "", -5, decisions.DefaultAuditLimit, nil},
		{"after the oldest", oldest, 10, 0, nil},
		{"after the first ever ID", "0-0", 10, 0, nil},
		{"from far in the future", "99999999999999-0", 10, 10, nil},
		{"garbage", "tomorrow", 10, 0, decisions.ErrInvalidCursor},
		{"not a number", "12-x", 10, 0, decisions.ErrInvalidCursor},
		{"exclusive syntax", "(12-0", 10, 0, decisions.ErrInvalidCursor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, next, err := s.Audit(ctx, installation, tt.cursor, tt.limit)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if len(entries) != tt.want {
				t.Errorf("%d entries, want %d", len(entries), tt.want)
			}
			if tt.want == 0 && next != "" {
				t.Errorf("next = %q on an empty page", next)
			}
		})
	}
}

func TestAuditPerInstallation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	d := decision("acme/api", fp("aa"), decisions.ReasonRevoked)
	e := decision("other/api", fp("aa"), decisions.ReasonRevoked)
	e.InstallationID = 99
	for _, x := range []decisions.Decision{d, e} {
		if err := s.Dismiss(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		id   int64
		repo string
	}{{installation, "acme/api"}, {99, "other/api"}} {
		entries, next, err := s.Audit(ctx, tt.id, "", 10)
		if err != nil || next != "" || len(entries) != 1 || entries[0].Repo != tt.repo || entries[0].InstallationID != tt.id {
			t.Errorf("installation %d: %+v, %q, %v; want one entry for %s", tt.id, entries, next, err, tt.repo)
		}
	}
	if entries, _, err := s.Audit(ctx, 12345, "", 10); err != nil || len(entries) != 0 {
		t.Errorf("unknown installation: %+v, %v", entries, err)
	}
}

func TestEntryLogValue(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	e := decisions.Entry{ID: "5-0", Action: decisions.ActionUndo, Decision: decision("acme/api", fp("aa"), decisions.ReasonRevoked)}
	log.Info("decision", "entry", e)
	for _, w := range []string{`"audit_id":"5-0"`, `"action":"undo"`, `"installation_id":4242`, `"repo":"acme/api"`, `"reason":"revoked"`, `"by":"alice"`} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("log line %s lacks %s", buf.String(), w)
		}
	}
}
