package alert

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSlackPayloadShapeAndEscaping(t *testing.T) {
	a := sampleAlert()
	a.Ref = "refs/heads/<!channel>&<https://evil.example|click>"
	a.Pusher = "<@U024BE7LH>"
	a.Repository = "octo-org/<!here>"
	body, err := SlackPayload(a)
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"text"`
			Fields []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"fields"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatalf("payload is not JSON: %v", err)
	}
	if msg.Text == "" || len(msg.Blocks) != 3 {
		t.Fatalf("want fallback text and 3 blocks, got text %q and %d blocks", msg.Text, len(msg.Blocks))
	}
	if n := len(msg.Blocks[1].Fields); n == 0 || n > 10 {
		t.Fatalf("fields block has %d fields, Slack allows 1 to 10", n)
	}
	var all []string
	all = append(all, msg.Text)
	for _, b := range msg.Blocks {
		if b.Type != "section" {
			t.Errorf("block type %q, want section", b.Type)
		}
		if b.Text != nil {
			all = append(all, b.Text.Text)
		}
		for _, f := range b.Fields {
			if f.Type != "mrkdwn" {
				t.Errorf("field type %q, want mrkdwn", f.Type)
			}
			all = append(all, f.Text)
		}
	}
	text := strings.Join(all, "\n")
	for _, bad := range []string{"<!channel>", "<@U024BE7LH>", "<!here>", "<https://evil"} {
		if strings.Contains(text, bad) {
			t.Errorf("payload holds %q unescaped: it would mention or link", bad)
		}
	}
	for _, want := range []string{"&lt;!channel&gt;&amp;&lt;https://evil.example|click&gt;", "&lt;@U024BE7LH&gt;", "Stripe", "`stripe-secret-key`", "`" + a.Redacted + "`", a.Fingerprint, a.Commit, "live key", "<https://github.com/octo-org/payments/runs/123|"} {
		if !strings.Contains(text, want) {
			t.Errorf("payload lacks %q:\n%s", want, text)
		}
	}
	if got := strings.Count(text, "<"); got != 1 {
		t.Errorf("payload has %d '<', want 1 (the check run link only):\n%s", got, text)
	}
}

func TestSlackWhereAndLink(t *testing.T) {
	tests := []struct {
		name, ref string
		pr        int
		want      string
	}{
		{"branch", "refs/heads/main", 0, "main"},
		{"pull request", "refs/heads/fix", 7, "PR #7 (fix)"},
		{"pull request without ref", "", 7, "PR #7"},
		{"nothing", "", 0, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := where(Alert{Ref: tt.ref, PR: tt.pr}); got != tt.want {
				t.Errorf("where = %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "http://github.com/x", "javascript:alert(1)", "https://github.com/x|<!channel>", "https://github.com/a b"} {
		if link, ok := slackLink(bad, "x"); ok {
			t.Errorf("slackLink(%q) = %q, want no link", bad, link)
		}
	}
}

func TestWebhookSignedAndVerifiable(t *testing.T) {
	rcv := newReceiver(t)
	w, err := NewWebhook(rcv.srv.URL, testWebhookSecret, testHTTP())
	if err != nil {
		t.Fatal(err)
	}
	a := sampleAlert()
	a.ID = "delivery-1"
	if err := w.Send(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	reqs := rcv.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	for h, want := range map[string]string{HeaderEvent: "leak", HeaderDelivery: "delivery-1", "User-Agent": "pushguard", "Content-Type": "application/json"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	var p WebhookPayload
	if err := json.Unmarshal(r.Body, &p); err != nil || p.Event != "leak" || p.Alert.Fingerprint != a.Fingerprint || p.Alert.CheckRunURL != a.CheckRunURL {
		t.Errorf("body = %s (%v), want the alert as JSON", r.Body, err)
	}
	sig := r.Header.Get(HeaderSignature)
	tampered := append([]byte(nil), r.Body...)
	tampered[len(tampered)-2] ^= 1
	tests := []struct {
		name   string
		secret string
		body   []byte
		header string
		want   bool
	}{
		{"as sent", testWebhookSecret, r.Body, sig, true},
		{"body changed", testWebhookSecret, tampered, sig, false},
		{"other secret", "another-secret", r.Body, sig, false},
		{"no prefix", testWebhookSecret, r.Body, strings.TrimPrefix(sig, "sha256="), false},
		{"not hex", testWebhookSecret, r.Body, "sha256=zz", false},
		{"empty", testWebhookSecret, r.Body, "", false},
		{"empty secret", "", r.Body, sig, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifySignature([]byte(tt.secret), tt.body, tt.header); got != tt.want {
				t.Errorf("VerifySignature = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTargetsMustBeHTTPS(t *testing.T) {
	const token = "slacktokenXYZ"
	tests := []struct {
		name, url string
		allowHTTP bool
		ok        bool
	}{
		{"https", "https://hooks.slack.com/services/T/B/" + token, false, true},
		{"http refused", "http://hooks.slack.com/services/T/B/" + token, false, false},
		{"http for tests", "http://127.0.0.1:1/services/T/B/" + token, true, true},
		{"other scheme", "ftp://hooks.slack.com/" + token, true, false},
		{"no host", "https:///services/" + token, false, false},
		{"not a URL", "https://hooks slack.com/%zz" + token, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errS := NewSlack(tt.url, HTTPOptions{AllowHTTP: tt.allowHTTP})
			_, errW := NewWebhook(tt.url, "secret", HTTPOptions{AllowHTTP: tt.allowHTTP})
			for _, err := range []error{errS, errW} {
				if (err == nil) != tt.ok {
					t.Errorf("error = %v, want ok=%v", err, tt.ok)
				}
				if err != nil && strings.Contains(err.Error(), token) {
					t.Errorf("error %q quotes the URL's credential", err)
				}
			}
		})
	}
	if _, err := NewWebhook("https://example.com/hook", "  ", HTTPOptions{}); err == nil {
		t.Error("NewWebhook with a blank secret: no error, want one")
	}
}

func TestSendsOverTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s, err := NewSlack(srv.URL+"/services/T/B/x", HTTPOptions{Transport: srv.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sampleAlert()); err != nil {
		t.Fatalf("Send over https: %v", err)
	}
}

func TestRedirectNotFollowedAndURLNotInError(t *testing.T) {
	other := newReceiver(t)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.srv.URL, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	s, err := NewSlack(redirect.URL+"/services/T/B/slacktokenXYZ", testHTTP())
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), sampleAlert())
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusTemporaryRedirect || Retryable(err) {
		t.Fatalf("Send = %v, want a 307 StatusError, not retryable", err)
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("redirect target got %d requests, want 0", n)
	}
	down, _ := NewSlack("http://127.0.0.1:1/services/T/B/slacktokenXYZ", testHTTP())
	err = down.Send(context.Background(), sampleAlert())
	if err == nil || !Retryable(err) || strings.Contains(err.Error(), "slacktokenXYZ") {
		t.Errorf("Send to a closed port = %v, want a retryable error without the URL", err)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&StatusError{Code: 500}, true},
		{&StatusError{Code: 503}, true},
		{&StatusError{Code: 429}, true},
		{&StatusError{Code: 408}, true},
		{&StatusError{Code: 400}, false},
		{&StatusError{Code: 404}, false},
		{&StatusError{Code: 410}, false},
		{errors.New("connection reset"), true},
		{context.Canceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable = %v, want %v", got, tt.want)
			}
		})
	}
}
