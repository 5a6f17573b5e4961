package webhook

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/logkey"
)

// TestDeliveryLogLine: each delivery logs one line with its identifiers
// and outcome (warn for a refused one, with the error), and nothing when
// its level is below LOG_LEVEL.
func TestDeliveryLogLine(t *testing.T) {
	t.Parallel()
	body := payload(t, "push/with-new-branch.payload.json")
	badSig := func() *http.Request {
		r := delivery("push", "d-bad", body)
		r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
		return r
	}
	tests := []struct {
		name  string
		level slog.Level
		req   func() *http.Request
		want  map[string]any // nil: no line
	}{
		{"accepted at info", slog.LevelInfo, func() *http.Request { return delivery("push", "d-ok", body) }, map[string]any{
			"level": "INFO", "msg": "webhook", logkey.Delivery: "d-ok", logkey.Event: "push", logkey.Outcome: OutcomeAccepted,
			logkey.Status: float64(202), logkey.Repo: "Codertocat/Hello-World"}},
		{"bad signature at info", slog.LevelInfo, badSig, map[string]any{
			"level": "WARN", logkey.Delivery: "d-bad", logkey.Event: "push", logkey.Outcome: OutcomeBadSignature, logkey.Status: float64(401)}},
		{"accepted at warn", slog.LevelWarn, func() *http.Request { return delivery("push", "d-quiet", body) }, nil},
		{"bad signature at warn", slog.LevelWarn, badSig, map[string]any{"level": "WARN", logkey.Outcome: OutcomeBadSignature}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tc.level}))
			h, err := New([]byte(testSecret), &fakeQueue{}, log, nil)
			if err != nil {
				t.Fatal(err)
			}
			serve(h, tc.req())
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if tc.want == nil {
				if buf.Len() != 0 {
					t.Fatalf("logged %q, want nothing", buf.String())
				}
				return
			}
			if len(lines) != 1 {
				t.Fatalf("logged %d lines, want 1: %q", len(lines), buf.String())
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (line %s)", k, got[k], v, lines[0])
				}
			}
			if tc.want[logkey.Outcome] == OutcomeBadSignature && got[logkey.Error] == nil {
				t.Errorf("no error on a refused delivery: %s", lines[0])
			}
			if tc.want[logkey.Outcome] == OutcomeAccepted && got[logkey.Installation] == nil {
				t.Errorf("no installation on an accepted delivery: %s", lines[0])
			}
		})
	}
}
