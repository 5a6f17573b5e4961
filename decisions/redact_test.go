package decisions_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// plantedSecret stands for a secret a maintainer pasted into a note.
const plantedSecret = "SEKRET-0123456789abcdef"

// fakeRedact redacts plantedSecret, as the scanner's RedactText would.
func fakeRedact(s string) string { return strings.ReplaceAll(s, plantedSecret, "SEKR… (23 chars)") }

// dumpKeys renders every key under prefix with its value, for searching.
func dumpKeys(t *testing.T, rdb redis.UniversalClient, prefix string) string {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, k := range keys {
		var v any
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "hash":
			v = rdb.HGetAll(ctx, k).Val()
		case "stream":
			v = rdb.XRange(ctx, k, "-", "+").Val()
		default:
			v = rdb.Get(ctx, k).Val()
		}
		fmt.Fprintf(&b, "%s = %v\n", k, v)
	}
	return b.String()
}

func TestStoreRedactsNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     []decisions.StoreOption
		note     string
		wantNote string
	}{
		{"secret redacted", []decisions.StoreOption{decisions.WithRedactor(fakeRedact)}, "oops " + plantedSecret + " rotated", "oops SEKR… (23 chars) rotated"},
		{"ordinary note kept", []decisions.StoreOption{decisions.WithRedactor(fakeRedact)}, "rotated in the console", "rotated in the console"},
		{"no redactor: note not kept", nil, "oops " + plantedSecret, decisions.NoteWithheld},
		{"no redactor, no note", nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			rdb := queuetest.Redis(t)
			prefix := queuetest.Name(t, rdb) + ":"
			s := decisions.NewStore(rdb, prefix, tc.opts...)
			d := decision("acme/api", fp("ab"), decisions.ReasonRevoked)
			d.Note = tc.note
			if err := s.Dismiss(ctx, d); err != nil {
				t.Fatal(err)
			}
			if err := s.Undo(ctx, installation, "acme/api", fp("ab"), "bob", 7); err != nil {
				t.Fatal(err)
			}
			entries, _, err := s.Audit(ctx, installation, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 {
				t.Fatalf("%d audit entries, want 2", len(entries))
			}
			for _, e := range entries {
				if e.Note != tc.wantNote {
					t.Errorf("%s entry note %q, want %q", e.Action, e.Note, tc.wantNote)
				}
			}
			if dump := dumpKeys(t, rdb, prefix); strings.Contains(dump, plantedSecret) {
				t.Errorf("the secret is stored in Redis:\n%s", dump)
			}
		})
	}
}
