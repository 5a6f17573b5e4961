package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

func TestInstallationTokenIssuedOnceAndCached(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	r.Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	for range 3 {
		if _, _, err := c.Repositories.Get(ctx(t), "octo", "hello"); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.TokenIssues(); got != 1 {
		t.Errorf("TokenIssues() = %d, want 1", got)
	}
	reqs := s.Requests()
	if len(reqs) != 4 || reqs[0].Auth != AuthJWT || reqs[0].Status != http.StatusCreated {
		t.Fatalf("requests = %+v, want token issue then 3 gets", reqs)
	}
	for _, rr := range reqs[1:] {
		if rr.Auth != AuthToken || rr.OperationID != "repos/get" {
			t.Errorf("request %+v: want repos/get with an installation token", rr)
		}
	}
}

func TestAppJWTChecks(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	iss := strconv.FormatInt(s.AppID(), 10)
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := jwt.MapClaims{"iss": iss, "iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(2 * time.Minute).Unix()}
	tests := []struct {
		name string
		auth string
		want int
	}{
		{"valid", "Bearer " + sign(jwt.SigningMethodRS256, s.key, valid), http.StatusOK},
		{"numeric iss", "Bearer " + sign(jwt.SigningMethodRS256, s.key, jwt.MapClaims{"iss": s.AppID(), "iat": valid["iat"], "exp": valid["exp"]}), http.StatusOK},
		{"no auth", "", http.StatusUnauthorized},
		{"other key", "Bearer " + sign(jwt.SigningMethodRS256, other, valid), http.StatusUnauthorized},
		{"HS256", "Bearer " + sign(jwt.SigningMethodHS256, []byte("secret"), valid), http.StatusUnauthorized},
		{"wrong iss", "Bearer " + sign(jwt.SigningMethodRS256, s.key, jwt.MapClaims{"iss": "1", "iat": valid["iat"], "exp": valid["exp"]}), http.StatusUnauthorized},
		{"lifetime over 10 minutes", "Bearer " + sign(jwt.SigningMethodRS256, s.key, jwt.MapClaims{"iss": iss, "iat": now.Add(-2 * time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix()}), http.StatusUnauthorized},
		{"expired", "Bearer " + sign(jwt.SigningMethodRS256, s.key, jwt.MapClaims{"iss": iss, "iat": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(-2 * time.Minute).Unix()}), http.StatusUnauthorized},
		{"issued in the future", "Bearer " + sign(jwt.SigningMethodRS256, s.key, jwt.MapClaims{"iss": iss, "iat": now.Add(5 * time.Minute).Unix(), "exp": now.Add(6 * time.Minute).Unix()}), http.StatusUnauthorized},
		{"installation token", "token ghs_notatoken", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, s.URL()+"app", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("GET /app: status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestTokenScopeAndRevocation(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "mine", 7).Commit("first", map[string]string{"a": "a\n"})
	s.AddRepo("other", "theirs", 8).Commit("first", map[string]string{"a": "a\n"})
	c, _ := installationClient(t, s, 7)
	if _, _, err := c.Repositories.Get(ctx(t), "octo", "mine"); err != nil {
		t.Fatal(err)
	}
	_, resp, err := c.Repositories.Get(ctx(t), "other", "theirs")
	if err == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another installation's repository: err %v, want 404", err)
	}
	if _, err := c.Apps.RevokeInstallationToken(ctx(t)); err != nil {
		t.Fatal(err)
	}
	_, resp, err = c.Repositories.Get(ctx(t), "octo", "mine")
	if err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after revocation: err %v, want 401", err)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"repos/octo/mine", nil)
	plain, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	plain.Body.Close()
	if plain.StatusCode != http.StatusUnauthorized {
		t.Errorf("no credentials: status %d, want 401", plain.StatusCode)
	}
}
