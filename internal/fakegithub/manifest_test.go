package fakegithub

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

const testManifest = `{"name":"pushguard-test","url":"https://pg.example.com","hook_attributes":{"url":"https://pg.example.com/webhook"},
"redirect_url":"https://pg.example.com/setup/callback","public":false,
"default_permissions":{"checks":"write","contents":"read"},"default_events":["push"]}`

func TestManifestFlow(t *testing.T) {
	t.Parallel()
	for _, enterprise := range []bool{false, true} {
		t.Run(map[bool]string{false: "dotcom", true: "enterprise"}[enterprise], func(t *testing.T) {
			s := New(t, Options{Enterprise: enterprise})
			noFollow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := noFollow.PostForm(s.WebURL()+"organizations/octo-org/settings/apps/new?state=s1", url.Values{"manifest": {testManifest}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusFound || loc.Host != "pg.example.com" || loc.Path != "/setup/callback" || loc.Query().Get("state") != "s1" {
				t.Fatalf("status %d, Location %q", resp.StatusCode, loc)
			}
			flows := s.ManifestFlows()
			if len(flows) != 1 || flows[0].Org != "octo-org" || flows[0].Manifest.Name != "pushguard-test" {
				t.Fatalf("flows %+v", flows)
			}
			c := clientFor(t, s, &http.Client{Timeout: 10 * time.Second})
			app, _, err := c.Apps.CompleteAppManifest(ctx(t), loc.Query().Get("code"))
			if err != nil {
				t.Fatal(err)
			}
			if app.GetID() != s.AppID() || app.GetPEM() != string(s.PrivateKeyPEM()) || app.GetWebhookSecret() != s.WebhookSecret() || app.GetName() != "pushguard-test" {
				t.Errorf("app %d %q, secret match %v", app.GetID(), app.GetName(), app.GetWebhookSecret() == s.WebhookSecret())
			}
			_, _, err = c.Apps.CompleteAppManifest(ctx(t), loc.Query().Get("code"))
			var ge *github.ErrorResponse
			if !errors.As(err, &ge) || ge.Response.StatusCode != http.StatusNotFound {
				t.Errorf("reused code: %v, want 404", err)
			}
		})
	}
}

func TestManifestPageRefusesBadManifest(t *testing.T) {
	t.Parallel()
	s, ftb := newObserved(t, Options{})
	resp, err := http.PostForm(s.WebURL()+"settings/apps/new", url.Values{"manifest": {`{"url":"nope","extra":1}`}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	v := ftb.finish()
	if resp.StatusCode != http.StatusUnprocessableEntity || len(v) != 1 || !strings.Contains(v[0], "not a valid manifest") {
		t.Errorf("status %d, violations %q", resp.StatusCode, v)
	}
}
