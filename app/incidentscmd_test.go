package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/store"
)

// TestIncidentsCommand lists incidents from Redis with `pushguard incidents`.
func TestIncidentsCommand(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	incs, err := incident.New(incident.Config{Redis: rdb, Prefix: store.DefaultKeyPrefix})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	for i, inst := range []int64{7, 8} {
		fp := strings.Repeat(string(rune('a'+i)), 64)
		if _, _, err := incs.Sight(ctx, incident.Sighting{Installation: inst, Fingerprint: fp, RuleID: "github-pat", Provider: "GitHub",
			Redacted: "ghp_ab… (40 chars)", Place: incident.Place{Repository: "o/r", Commit: strings.Repeat("1", 40), Path: "a.env", Line: 1, At: at}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := incs.Transition(ctx, 8, strings.Repeat("b", 64), incident.Resolved, "sec", "rotated", at); err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDIS_URL", "redis://"+mr.Addr())
	r := run(t, "", "incidents")
	if r.code != 0 || !strings.Contains(r.stdout, "aaaaaaaaaaaa") || !strings.Contains(r.stdout, "bbbbbbbbbbbb") || !strings.Contains(r.stdout, "ghp_ab… (40 chars)") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "incidents", "--state", "open", "--installation", "7", "--format", "json")
	var page adminapi.IncidentPage
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Incidents) != 1 || page.Incidents[0].Installation != 7 {
		t.Errorf("json page %+v, err %v, stderr %s", page, err, r.stderr)
	}
	r = run(t, "", "incidents", "--state", "resolved", "--format", "json")
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Incidents) != 1 || page.Incidents[0].State != incident.Resolved {
		t.Errorf("resolved: %+v, err %v", page, err)
	}
	for _, args := range [][]string{{"--state", "closed"}, {"--format", "xml"}, {"--installation", "-3"}} {
		if r := run(t, "", append([]string{"incidents"}, args...)...); r.code != cli.ExitError {
			t.Errorf("incidents %v: exit %d, want %d", args, r.code, cli.ExitError)
		}
	}
}
