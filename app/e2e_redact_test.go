package app

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/scanner"
)

// TestE2ENoteSecretsRedacted: a maintainer pastes a GitHub token and an AWS
// key into a dismissal's note. Neither reaches Redis (any key or value), the
// logs, a check run or the audit API; the rest of the note is kept as typed,
// with each secret in its redacted form.
func TestE2ENoteSecretsRedacted(t *testing.T) {
	t.Parallel()
	const adminToken = "audit-token-0123456789"
	e := startE2E(t, e2eConfig{adminToken: adminToken})
	s := plant(t, 61)
	pasted := plant(t, 62) // other secrets than the pull request's
	pr, _ := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	e.say(pr, "maintainer", "/pushguard dismiss "+fp+" revoked old token "+pasted.github+" and key "+pasted.awsID+" rotated on Monday")
	e.waitQuiet()

	req, _ := http.NewRequest(http.MethodGet, e.url+"/api/v1/installations/4242/audit", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, sec := range []string{pasted.github, pasted.awsID} {
		if strings.Contains(string(body), sec) {
			t.Errorf("the audit API shows a pasted secret (%s)", scanner.Redact(sec))
		}
	}
	var page adminapi.AuditPage
	if err := json.Unmarshal(body, &page); err != nil || len(page.Entries) != 1 {
		t.Fatalf("audit page %s: %v", body, err)
	}
	want := "old token " + scanner.Redact(pasted.github) + " and key " + scanner.Redact(pasted.awsID) + " rotated on Monday"
	if got := page.Entries[0].Note; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	e.assertNoSecret(pasted.github, pasted.awsID)
}
