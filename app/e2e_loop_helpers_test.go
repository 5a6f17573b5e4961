package app

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/incident"
)

// alertSecret signs the alerts of the end-to-end tests.
const alertSecret = "e2e alert signing secret"

// fakeGitHubAPI is a local fake of GitHub's GET /user for the validity
// checker: TLS, answering per token (live, revoked, or no answer). Its
// client dials it for any address and records the address asked for, so a
// test sees which host the checker meant to reach.
type fakeGitHubAPI struct {
	srv     *httptest.Server
	mu      sync.Mutex
	revoked map[string]bool
	hang    map[string]bool
	asked   []string
	calls   int
}

func newFakeGitHubAPI(t *testing.T) *fakeGitHubAPI {
	f := &fakeGitHubAPI{revoked: map[string]bool{}, hang: map[string]bool{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHubAPI) serve(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	f.calls++
	revoked, hang := f.revoked[token], f.hang[token]
	f.mu.Unlock()
	switch {
	case r.URL.Path != "/user":
		http.NotFound(w, r)
	case hang:
		<-r.Context().Done() // the checker gives up first
	case revoked:
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
	default:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"login":"octocat","id":1}`)
	}
}

// client is the test-only wiring of validity.Options.HTTPClient.
func (f *fakeGitHubAPI) client() *http.Client {
	tr := f.srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.ServerName = "example.com" // the name in httptest's certificate
	addr := f.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, asked string) (net.Conn, error) {
		f.mu.Lock()
		f.asked = append(f.asked, asked)
		f.mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

func (f *fakeGitHubAPI) seen() (calls int, asked []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, append([]string(nil), f.asked...)
}

// alertReceiver records the alerts posted to it.
type alertReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []alertRequest
}

type alertRequest struct {
	header http.Header
	body   []byte
}

func newAlertReceiver(t *testing.T) *alertReceiver {
	a := &alertReceiver{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.reqs = append(a.reqs, alertRequest{r.Header.Clone(), body})
		a.mu.Unlock()
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *alertReceiver) received() []alertRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]alertRequest(nil), a.reqs...)
}

// loopE2E starts an end-to-end run with validity checks on (against api)
// and, when rec and slack are not nil, the generic alert webhook and the
// Slack webhook pointed at them.
func loopE2E(t *testing.T, api *fakeGitHubAPI, rec, slack *alertReceiver, level string) *e2e {
	lc := LoopConfig{ValidityChecks: true, AlertLevel: level}
	if rec != nil {
		lc.AlertWebhookURL, lc.AlertWebhookSecret = rec.srv.URL, []byte(alertSecret)
	}
	if slack != nil {
		lc.SlackWebhookURL = slack.srv.URL + "/services/T0/B0/x"
	}
	return startE2E(t, e2eConfig{adminToken: "incidents-token-0123456789", loop: lc, loopOpts: loopOptions{
		validityClient: api.client(), validityGitHubURL: "https://api.github.com", validityTimeout: time.Second,
		alertHTTP: alert.HTTPOptions{AllowHTTP: true},
	}})
}

// incidentsAPI lists incidents through GET /api/incidents.
func (e *e2e) incidentsAPI(query string) []incident.Incident {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+"/api/incidents?"+query, nil)
	req.Header.Set("Authorization", "Bearer incidents-token-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Incidents []incident.Incident `json:"incidents"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&page) != nil {
		e.t.Fatalf("GET /api/incidents?%s: %s", query, resp.Status)
	}
	return page.Incidents
}
