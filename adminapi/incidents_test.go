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
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/incident"
)

// incidentStore is an incident store on miniredis holding one open incident
// of installation 7 and one resolved of installation 8.
func incidentStore(t *testing.T) *incident.Store {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	s, err := incident.New(incident.Config{Redis: rdb})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, inst := range []int64{7, 8} {
		si := incident.Sighting{Installation: inst, Fingerprint: strings.Repeat(string(rune('c'+i)), 64), RuleID: "stripe-secret-key",
			Provider: "Stripe", Redacted: "sk_liv… (107 chars)", Place: incident.Place{Repository: "o/r", Commit: strings.Repeat("2", 40),
				Path: "k.env", Line: 2, At: time.Date(2026, 3, 1, 0, i, 0, 0, time.UTC)}}
		if _, _, err := s.Sight(ctx, si); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Transition(ctx, 8, strings.Repeat("d", 64), incident.Resolved, "sec", "rotated", time.Now()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIncidentsHandler(t *testing.T) {
	s := incidentStore(t)
	log := slog.New(slog.DiscardHandler)
	token := []byte("incidents-token-0123456789")
	tests := []struct {
		name, token, query string
		handlerToken       []byte
		want, count        int
	}{
		{"all", string(token), "", token, http.StatusOK, 2},
		{"open", string(token), "state=open", token, http.StatusOK, 1},
		{"one installation", string(token), "installation=8", token, http.StatusOK, 1},
		{"none", string(token), "installation=9", token, http.StatusOK, 0},
		{"bad state", string(token), "state=closed", token, http.StatusBadRequest, 0},
		{"bad installation", string(token), "installation=x", token, http.StatusBadRequest, 0},
		{"no token", "", "", token, http.StatusUnauthorized, 0},
		{"API off", string(token), "", nil, http.StatusNotFound, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/api/incidents?"+tc.query, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			rec := httptest.NewRecorder()
			IncidentsHandler(s, tc.handlerToken, log).ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want != http.StatusOK {
				return
			}
			var page IncidentPage
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Incidents) != tc.count || page.Incidents == nil {
				t.Errorf("page %s, err %v; want %d incidents", rec.Body, err, tc.count)
			}
		})
	}
}

func TestListIncidentsText(t *testing.T) {
	var b bytes.Buffer
	if err := ListIncidents(context.Background(), &b, incidentStore(t), IncidentQuery{Format: "text"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "2026-03-01 00:00  7 ") || !strings.Contains(lines[2], "resolved") ||
		!strings.Contains(lines[1], "sk_liv… (107 chars)") {
		t.Errorf("listing:\n%s", b.String())
	}
}
