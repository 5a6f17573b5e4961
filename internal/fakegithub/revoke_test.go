package fakegithub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

// postRevoke posts credentials to the fake's revocation API, with auth as
// the Authorization header when not empty.
func postRevoke(t *testing.T, s *Server, auth string, creds ...string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string][]string{"credentials": creds})
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"credentials/revoke", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		enterprise bool
		auth       string
		creds      []string
		want       int
		recorded   []string
	}{
		{"github.com, unauthenticated", false, "", []string{"ghp_a", "gho_b", "github_pat_c"}, http.StatusAccepted, []string{"ghp_a", "gho_b", "github_pat_c"}},
		{"github.com, authenticated", false, "token ghs_x", []string{"ghp_a"}, http.StatusForbidden, nil},
		{"github.com, ghs_ not revocable", false, "", []string{"ghp_a", "ghs_b"}, http.StatusUnprocessableEntity, nil},
		{"enterprise, authenticated", true, "token ghs_x", []string{"ghp_a"}, http.StatusAccepted, []string{"ghp_a"}},
		{"enterprise, gho_ not accepted", true, "", []string{"gho_a"}, http.StatusUnprocessableEntity, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(t, Options{Enterprise: tc.enterprise})
			if got := postRevoke(t, s, tc.auth, tc.creds...).StatusCode; got != tc.want {
				t.Errorf("status %d, want %d", got, tc.want)
			}
			if got := s.RevokedCredentials(); !slices.Equal(got, tc.recorded) {
				t.Errorf("recorded %v, want %v", got, tc.recorded)
			}
		})
	}
}

func TestRevokeCredentialsRateLimit(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	for i := range 60 {
		resp := postRevoke(t, s, "", "ghp_a")
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("call %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp := postRevoke(t, s, "", "ghp_b")
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Ratelimit-Remaining") != "0" || resp.Header.Get("X-Ratelimit-Used") != "60" || resp.Header.Get("X-Ratelimit-Reset") == "" {
		t.Errorf("61st call: status %d, remaining %q, used %q, reset %q; want 403, 0, 60, a time", resp.StatusCode,
			resp.Header.Get("X-Ratelimit-Remaining"), resp.Header.Get("X-Ratelimit-Used"), resp.Header.Get("X-Ratelimit-Reset"))
	}
	if got := s.RevokeCalls(); got != 60 {
		t.Errorf("accepted calls %d, want 60", got)
	}
}
