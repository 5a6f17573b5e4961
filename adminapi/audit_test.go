package adminapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/decisions"
)

const testToken = "audit-token-0123456789"

// auditStore is a decisions store on miniredis holding one dismissal of
// installation 7.
func auditStore(t *testing.T) *decisions.Store {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	store := decisions.NewStore(rdb, "pushguard:")
	if err := store.Dismiss(context.Background(), decisions.Decision{InstallationID: 7, Repo: "o/r", Fingerprint: strings.Repeat("ab12", 16),
		Reason: decisions.ReasonRevoked, By: "maintainer", At: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), PR: 5, RuleID: "github-pat",
		Redacted: "ghp_ab… (40 chars)"}); err != nil {
		t.Fatal(err)
	}
	return store
}

func TestAuditHandler(t *testing.T) {
	store := auditStore(t)
	tests := []struct {
		name       string
		token      string // the server's; "" turns the API off
		auth       string // the request's Authorization header
		path       string
		wantStatus int
		wantBody   string // substring
	}{
		{"off without a token", "", "Bearer ", "/api/v1/installations/7/audit", http.StatusNotFound, ""},
		{"no credentials", testToken, "", "/api/v1/installations/7/audit", http.StatusUnauthorized, "unauthorized"},
		{"wrong token", testToken, "Bearer wrong-token-0123456789", "/api/v1/installations/7/audit", http.StatusUnauthorized, "unauthorized"},
		{"bad id", testToken, "Bearer " + testToken, "/api/v1/installations/x/audit", http.StatusBadRequest, "bad installation id"},
		{"zero id", testToken, "Bearer " + testToken, "/api/v1/installations/0/audit", http.StatusBadRequest, "bad installation id"},
		{"bad limit", testToken, "Bearer " + testToken, "/api/v1/installations/7/audit?limit=0", http.StatusBadRequest, "limit"},
		{"bad cursor", testToken, "Bearer " + testToken, "/api/v1/installations/7/audit?cursor=%21%21", http.StatusBadRequest, "bad cursor"},
		{"a page", testToken, "Bearer " + testToken, "/api/v1/installations/7/audit?limit=10", http.StatusOK, `"by":"maintainer"`},
		{"another installation: empty", testToken, "Bearer " + testToken, "/api/v1/installations/8/audit", http.StatusOK, `"entries":[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := chi.NewRouter()
			r.Method(http.MethodGet, "/api/v1/installations/{id}/audit", AuditHandler(store, []byte(tt.token), slog.New(slog.DiscardHandler)))
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tt.wantStatus || !strings.Contains(w.Body.String(), tt.wantBody) {
				t.Errorf("status %d, body %q; want %d and %q", w.Code, w.Body.String(), tt.wantStatus, tt.wantBody)
			}
			if w.Code == http.StatusOK {
				var page AuditPage
				if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Entries == nil {
					t.Errorf("page %+v, err %v", page, err)
				}
			}
		})
	}
}

func TestList(t *testing.T) {
	store := auditStore(t)
	var text, js bytes.Buffer
	if err := List(context.Background(), &text, store, ListQuery{Installation: 7, Limit: 50, Format: "text"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"WHEN", "2026-01-02 03:04", "revoked", "maintainer", "o/r", "#5", strings.Repeat("ab12", 3), "ghp_ab… (40 chars)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text listing lacks %q:\n%s", want, text.String())
		}
	}
	if err := List(context.Background(), &js, store, ListQuery{Installation: 7, Limit: 50, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	var page AuditPage
	if err := json.Unmarshal(js.Bytes(), &page); err != nil || len(page.Entries) != 1 || page.Entries[0].PR != 5 || page.NextCursor != "" {
		t.Errorf("json page %+v, err %v", page, err)
	}
}
