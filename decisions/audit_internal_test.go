package decisions

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue/queuetest"
)

func TestBefore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, want string
		ok       bool
	}{
		{"5-3", "5-2", true},
		{"5-0", "4-18446744073709551615", true},
		{"0-0", "", true},
		{"18446744073709551615-18446744073709551615", "18446744073709551615-18446744073709551614", true},
		{"5", "", false},
		{"-1-0", "", false},
		{"+5-0", "", false},
		{"5-0-0", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, ok := before(tt.id)
			if got != tt.want || ok != tt.ok {
				t.Errorf("before(%q) = %q, %v; want %q, %v", tt.id, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// Entries whose IDs differ only in the millisecond, or sit at sequence 0,
// page without loss or repetition.
func TestAuditPagesAcrossIDEdges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := queuetest.Redis(t)
	s := NewStore(rdb, queuetest.Name(t, rdb)+":")
	ids := []string{"4-0", "4-1", "5-0", "6-0", "6-1", "6-2"}
	for i, id := range ids {
		v := fmt.Sprintf(`{"action":"dismiss","pr":%d}`, i)
		args := &redis.XAddArgs{Stream: s.auditKey(1), ID: id, Values: []string{auditField, v}}
		if err := rdb.XAdd(ctx, args).Err(); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	cursor := ""
	for {
		entries, next, err := s.Audit(ctx, 1, cursor, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			got = append(got, e.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if g, w := strings.Join(got, " "), "6-2 6-1 6-0 5-0 4-1 4-0"; g != w {
		t.Errorf("pages = %s, want %s", g, w)
	}
}
