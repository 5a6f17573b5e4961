package app

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/store"
)

// TestAuditCommand lists decisions from Redis with `pushguard audit`.
func TestAuditCommand(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	ds := decisions.NewStore(rdb, store.DefaultKeyPrefix)
	fp := strings.Repeat("ab12", 16)
	if err := ds.Dismiss(context.Background(), decisions.Decision{InstallationID: 7, Repo: "o/r", Fingerprint: fp,
		Reason: decisions.ReasonRevoked, By: "maintainer", At: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), PR: 5, RuleID: "github-pat", Redacted: "ghp_ab… (40 chars)"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDIS_URL", "redis://"+mr.Addr())
	r := run(t, "", "audit", "--installation", "7")
	if r.code != 0 || !strings.Contains(r.stdout, "revoked") || !strings.Contains(r.stdout, "maintainer") || !strings.Contains(r.stdout, fp[:12]) {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "audit", "--installation", "7", "--format", "json")
	var page adminapi.AuditPage
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Entries) != 1 || page.Entries[0].PR != 5 {
		t.Errorf("json page %+v, err %v", page, err)
	}
	if r := run(t, "", "audit"); r.code != cli.ExitError {
		t.Errorf("audit without --installation: exit %d", r.code)
	}
	for url, want := range map[string]string{"": "REDIS_URL is required", "http://" + mr.Addr(): "redis:// or rediss://"} {
		t.Setenv("REDIS_URL", url)
		if r := run(t, "", "audit", "--installation", "7"); r.code != cli.ExitError || !strings.Contains(r.stderr, want) {
			t.Errorf("REDIS_URL=%q: exit %d, stderr %q; want %d and %q", url, r.code, r.stderr, cli.ExitError, want)
		}
	}
}

// TestE2EAuditAPI: a dismissal shows in the audit API, which needs the
// admin token.
func TestE2EAuditAPI(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{adminToken: "audit-token-0123456789"})
	s := plant(t, 60)
	pr, _ := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "maintain")
	e.say(pr, "maintainer", "/pushguard dismiss "+fp+" revoked rotated on Monday")

	get := func(token string) (*http.Response, adminapi.AuditPage) {
		req, _ := http.NewRequest("GET", e.url+"/api/v1/installations/4242/audit?limit=10", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page adminapi.AuditPage
		json.NewDecoder(resp.Body).Decode(&page)
		return resp, page
	}
	if resp, _ := get("wrong-token-0123456789"); resp.StatusCode != 401 {
		t.Errorf("wrong token: status %d", resp.StatusCode)
	}
	resp, page := get("audit-token-0123456789")
	if resp.StatusCode != 200 || len(page.Entries) != 1 {
		t.Fatalf("status %d, entries %+v", resp.StatusCode, page.Entries)
	}
	en := page.Entries[0]
	if en.Action != decisions.ActionDismiss || en.By != "maintainer" || en.Reason != decisions.ReasonRevoked || en.PR != 9 ||
		en.Repo != e2eOwner+"/"+e2eRepo || !strings.HasPrefix(en.Fingerprint, fp) || en.Note != "rotated on Monday" {
		t.Errorf("entry %+v", en)
	}
	e.assertNoSecret(s.github)
}
