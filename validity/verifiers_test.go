package validity

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Planted secrets: distinctive, never issued.
const (
	plantedAWSKeyID  = "AKIAPLANTEDKEY234567"
	plantedAWSSecret = "PLANTEDsecretAccessKey0123456789abcdefgh"
	plantedTwilioSID = "AC0123456789abcdef0123456789abcdef"
)

// fixture is one verifier's fake provider: its live and revoked answers.
type fixture struct {
	rule    string
	secret  string
	extra   map[string]string
	sent    string // what must reach the provider (default: the secret)
	host    string // the host the request must reach (default: the verifier's)
	live    [2]any // status, body
	revoked [2]any
	// revokedWant is what the revoked answer means (default NotLive).
	revokedWant Status
}

func fixtures() []fixture {
	const unauth = `{"error":"unauthorized"}`
	return []fixture{
		{rule: "github-pat", secret: "ghp_PLANTEDgithub0123456789abcdefghij", live: [2]any{200, `{"login":"octocat"}`}, revoked: [2]any{401, `{"message":"Bad credentials"}`}},
		{rule: "github-installation-token", secret: "ghs_PLANTEDinstall0123456789abcdefghi", live: [2]any{200, `{"total_count":1,"repositories":[]}`}, revoked: [2]any{401, `{"message":"Bad credentials"}`}},
		{rule: "gitlab-pat", secret: "glpat-PLANTEDgitlab012345", live: [2]any{200, `{"id":1,"active":true,"revoked":false}`}, revoked: [2]any{401, `{"message":"401 Unauthorized"}`}},
		{rule: "npm-access-token", secret: "npm_PLANTEDnpm0123456789abcdefghijklmn", live: [2]any{200, `{"username":"alice"}`}, revoked: [2]any{401, unauth}},
		{rule: "pypi-upload-token", secret: "pypi-PLANTEDpypiAgEIcHlwaS5vcmc", live: [2]any{400, `400 'name' is a required field`}, revoked: [2]any{403, `Invalid or non-existent authentication information.`}},
		{rule: "postman-api-key", secret: "PMAK-PLANTED0123456789abcdef-0123456789abcdef0123456789abcdef01", live: [2]any{200, `{"user":{"id":1}}`}, revoked: [2]any{401, unauth}},
		{rule: "linear-api-key", secret: "lin_api_PLANTEDlinear0123456789abcdefghijklmnop", live: [2]any{200, `{"data":{"viewer":{"id":"u1"}}}`}, revoked: [2]any{400, `{"errors":[{"extensions":{"code":"AUTHENTICATION_ERROR"}}]}`}},
		{rule: "notion-api-token", secret: "ntn_PLANTEDnotion0123456789abcdefghijklmnopqrstu", live: [2]any{200, `{"object":"user","id":"b"}`}, revoked: [2]any{401, `{"object":"error","code":"unauthorized"}`}},
		{rule: "doppler-service-token", secret: "dp.st.PLANTEDdoppler0123456789abcdefghijklmnop", live: [2]any{200, `{"workplace":{"slug":"w"},"type":"service_token"}`}, revoked: [2]any{401, unauth}},
		{rule: "sentry-user-token", secret: "sntryu_PLANTEDsentry0123456789abcdef0123456789abcdef0123456789ab", live: [2]any{200, `[{"slug":"org"}]`}, revoked: [2]any{401, `{"detail":"Invalid token"}`}},
		{rule: "asana-pat", secret: "2/1234567890123/PLANTEDasana0123456789:abcdef0123456789abcdef01", live: [2]any{200, `{"data":{"gid":"1"}}`}, revoked: [2]any{401, unauth}},
		{rule: "aws-access-key-id", secret: plantedAWSKeyID, extra: map[string]string{ExtraAWSSecretAccessKey: plantedAWSSecret},
			live:    [2]any{200, `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`},
			revoked: [2]any{403, `<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>`}},
		{rule: "aws-secret-access-key", secret: plantedAWSSecret, extra: map[string]string{ExtraAWSAccessKeyID: plantedAWSKeyID}, sent: plantedAWSKeyID,
			live:    [2]any{200, `<GetCallerIdentityResponse><GetCallerIdentityResult></GetCallerIdentityResult></GetCallerIdentityResponse>`},
			revoked: [2]any{403, `<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>`}},
		{rule: "digitalocean-pat", secret: "dop_v1_PLANTEDdigitalocean0123456789abcdef0123456789abcdef0123", live: [2]any{200, `{"account":{"status":"active"}}`}, revoked: [2]any{401, `{"id":"unauthorized"}`}},
		{rule: "cloudflare-api-token", secret: "PLANTEDcloudflare0123456789abcdefghijklmn", live: [2]any{200, `{"success":true,"result":{"status":"active"}}`}, revoked: [2]any{401, `{"success":false,"errors":[{"code":1000}]}`}},
		{rule: "netlify-token", secret: "nfp_PLANTEDnetlify0123456789abcdefghijklmno", live: [2]any{200, `{"id":"u"}`}, revoked: [2]any{401, unauth}},
		{rule: "openai-api-key", secret: "sk-proj-PLANTEDopenai0123456789abcdefT3BlbkFJ0123456789", live: [2]any{200, `{"object":"list","data":[]}`}, revoked: [2]any{401, `{"error":{"code":"invalid_api_key"}}`}},
		{rule: "anthropic-api-key", secret: "sk-ant-api03-PLANTEDanthropic0123456789abcdef-AA", live: [2]any{200, `{"data":[],"has_more":false}`}, revoked: [2]any{401, `{"type":"error","error":{"type":"authentication_error"}}`}},
		{rule: "huggingface-access-token", secret: "hf_PLANTEDhuggingface0123456789abcdefgh", live: [2]any{200, `{"name":"alice","type":"user"}`}, revoked: [2]any{401, `{"error":"Invalid credentials in Authorization header"}`}},
		{rule: "groq-api-key", secret: "gsk_PLANTEDgroq0123456789abcdefghijklmnopqrstuvwxyz0123", live: [2]any{200, `{"data":[]}`}, revoked: [2]any{401, unauth}},
		{rule: "mistral-api-key", secret: "PLANTEDmistral0123456789abcdefgh", live: [2]any{200, `{"data":[]}`}, revoked: [2]any{401, unauth}},
		{rule: "slack-bot-token", secret: "xoxb-PLANTED-0123456789-abcdefghijklmnopqrstuvwx", live: [2]any{200, `{"ok":true,"team":"t"}`}, revoked: [2]any{200, `{"ok":false,"error":"token_revoked"}`}},
		{rule: "discord-bot-token", secret: "MTPLANTEDdiscord0123456789.Gabcde.PLANTED0123456789abcdefghijklmnopqrs", live: [2]any{200, `{"id":"1","bot":true}`}, revoked: [2]any{401, `{"message":"401: Unauthorized","code":0}`}},
		{rule: "discord-webhook-url", secret: "https://discord.com/api/webhooks/123456789012345678/PLANTEDwebhook0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",
			sent: "PLANTEDwebhook0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",
			live: [2]any{200, `{"id":"123456789012345678","type":1}`}, revoked: [2]any{404, `{"message":"Unknown Webhook","code":10015}`}},
		{rule: "telegram-bot-token", secret: "123456789:AAPLANTEDtelegram0123456789abcdefghij", live: [2]any{200, `{"ok":true,"result":{"id":123456789}}`}, revoked: [2]any{401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`}},
		{rule: "twilio-auth-token", secret: "0123456789abcdef0123456789abcdef", extra: map[string]string{ExtraTwilioAccountSID: plantedTwilioSID}, live: [2]any{200, `{"sid":"` + plantedTwilioSID + `"}`}, revoked: [2]any{401, `{"code":20003}`}},
		{rule: "sendgrid-api-key", secret: "SG.PLANTEDsendgrid012345.PLANTED0123456789abcdefghijklmnopqrstuvwxyz0", live: [2]any{200, `{"scopes":["mail.send"]}`}, revoked: [2]any{401, `{"errors":[{"message":"authorization required"}]}`}},
		{rule: "mailgun-private-key", secret: "0123456789abcdef0123456789abcdef-01234567-89abcdef", live: [2]any{200, `{"total_count":1,"items":[]}`}, revoked: [2]any{401, `Forbidden`}},
		{rule: "stripe-secret-key", secret: "sk_live_PLANTEDstripe0123456789abcdefghij", live: [2]any{200, `{"object":"balance"}`}, revoked: [2]any{401, `{"error":{"type":"invalid_request_error"}}`}},
		{rule: "shopify-access-token", secret: "shpat_PLANTED0123456789abcdef012345", extra: map[string]string{ExtraShopifyShop: "plantedshop"}, host: "plantedshop.myshopify.com",
			live: [2]any{200, `{"access_scopes":[{"handle":"read_products"}]}`}, revoked: [2]any{401, `{"errors":"[API] Invalid API key or access token"}`}},
		{rule: "datadog-api-key", secret: "PLANTEDdatadog0123456789abcdef01", live: [2]any{200, `{"valid":true}`}, revoked: [2]any{403, `{"errors":["Forbidden"]}`}},
		{rule: "grafana-cloud-token", secret: "glc_PLANTEDgrafanaeyJvIjoiMSIsIm4iOiJ4In0=", live: [2]any{200, `{"items":[]}`}, revoked: [2]any{401, `{"code":"InvalidCredentials"}`}},
	}
}

// readOnlyPOSTs are the only calls sent as POST, each read-only (see
// doc.go); every other call must be a GET.
func readOnlyPOSTs() map[string]string {
	return map[string]string{
		"AWS": "/", "Slack": "/api/auth.test", "Linear": "/graphql", "PyPI": "/legacy/",
	}
}

// TestVerifiersAgainstFakes runs every verifier through the same harness:
// live, revoked, rate limited, timeout, unexpected body and a redirect to
// another host.
func TestVerifiersAgainstFakes(t *testing.T) {
	verifiers := map[string]Verifier{}
	for _, v := range Verifiers() {
		for _, id := range v.RuleIDs {
			verifiers[id] = v
		}
	}
	for _, fx := range fixtures() {
		v, ok := verifiers[fx.rule]
		if !ok {
			t.Fatalf("no verifier for fixture %s", fx.rule)
		}
		t.Run(fx.rule, func(t *testing.T) { runMatrix(t, v, fx) })
	}
}

func runMatrix(t *testing.T, v Verifier, fx fixture) {
	f := newFake(t)
	wantRevoked := fx.revokedWant
	if wantRevoked == Unknown {
		wantRevoked = NotLive
	}
	cases := []struct {
		mode    string
		h       http.HandlerFunc
		want    Status
		reason  string
		timeout time.Duration
	}{
		{"live", answer(fx.live[0].(int), fx.live[1].(string)), Live, "", 0},
		{"revoked", answer(fx.revoked[0].(int), fx.revoked[1].(string)), wantRevoked, "", 0},
		{"rate limited", answer(http.StatusTooManyRequests, `{"error":"slow down"}`), Unknown, "rate limited", 0},
		{"provider error", answer(http.StatusBadGateway, `<html>bad gateway</html>`), Unknown, "provider error", 0},
		{"unexpected body", answer(http.StatusOK, `<html>maintenance</html>`), Unknown, "unexpected", 0},
		{"timeout", f.hang(), Unknown, "timeout", 100 * time.Millisecond},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://attacker.example/collect", http.StatusFound)
		}, Unknown, "redirected", 0},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			f.set(c.h)
			var logs bytes.Buffer
			chk := testChecker(t, f, &logs, func(o *Options) {
				if c.timeout > 0 {
					o.Timeout = c.timeout
				}
			})
			r := chk.Check(context.Background(), fx.rule, "fp-"+fx.rule, fx.secret, fx.extra)
			if r.Status != c.want || !strings.Contains(r.Reason, c.reason) {
				t.Errorf("got %v %q, want %v containing %q", r.Status, r.Reason, c.want, c.reason)
			}
			checkRequests(t, f, v, fx)
			leaks := append([]string{fx.secret}, values(fx.extra)...)
			assertNoLeak(t, "reason", r.Reason, leaks...)
			assertNoLeak(t, "log", logs.String(), leaks...)
		})
	}
}

// checkRequests asserts one request reached the fake, at the verifier's
// own host (Host header and dialed address), read-only, carrying the
// credential.
func checkRequests(t *testing.T, f *fake, v Verifier, fx fixture) {
	t.Helper()
	reqs, dials := f.seen()
	host := v.Host
	if fx.host != "" {
		host = fx.host
	}
	if len(reqs) != 1 {
		t.Fatalf("%d requests reached the fake, want 1: %+v", len(reqs), reqs)
	}
	for _, d := range dials {
		if d != host+":443" {
			t.Errorf("dialed %s, want only %s:443", d, host)
		}
	}
	r := reqs[0]
	if r.Host != host {
		t.Errorf("Host %q, want %q", r.Host, host)
	}
	if path, post := readOnlyPOSTs()[v.Provider]; post {
		if r.Method != http.MethodPost || r.Path != path || strings.Contains(r.Body, "mutation") {
			t.Errorf("%s %s %q: not the read-only call", r.Method, r.Path, r.Body)
		}
	} else if r.Method != http.MethodGet {
		t.Errorf("method %s, want GET", r.Method)
	}
	sent := fx.sent
	if sent == "" {
		sent = fx.secret
	}
	if !strings.Contains(r.Path+r.Creds, sent) {
		t.Errorf("credential not sent: path %q creds %q", r.Path, r.Creds)
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestEveryVerifierHasAFixture keeps the matrix complete, and counts the
// providers (the issue asks for at least 25).
func TestEveryVerifierHasAFixture(t *testing.T) {
	have := map[string]bool{}
	for _, fx := range fixtures() {
		have[fx.rule] = true
	}
	providers := map[string]bool{}
	for _, v := range Verifiers() {
		providers[v.Provider] = true
		covered := false
		for _, id := range v.RuleIDs {
			covered = covered || have[id]
		}
		if !covered {
			t.Errorf("verifier %s (%v) has no fixture", v.Provider, v.RuleIDs)
		}
	}
	if len(providers) < 25 {
		t.Errorf("%d providers, want at least 25", len(providers))
	}
}
