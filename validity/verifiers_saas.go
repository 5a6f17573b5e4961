package validity

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

var (
	// twilioSIDRe is a Twilio account SID.
	twilioSIDRe = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
	// telegramTokenRe is a bot token: <bot id>:<secret>.
	telegramTokenRe = regexp.MustCompile(`^[0-9]{5,16}:[A-Za-z0-9_-]{30,80}$`)
	// discordWebhookRe is a Discord webhook URL; only its ID and token are
	// used, sent to the constant host.
	discordWebhookRe = regexp.MustCompile(`^https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/(?:v[0-9]+/)?webhooks/([0-9]{5,25})/([A-Za-z0-9_-]{20,100})$`)
)

// saasVerifiers check messaging, payments, e-mail and observability
// providers.
func saasVerifiers() []Verifier {
	return append(saasMessaging(), saasOther()...)
}

func saasMessaging() []Verifier {
	return []Verifier{
		{
			// POST /api/auth.test: "who am I", changes nothing.
			RuleIDs:  []string{"slack-bot-token", "slack-user-token", "slack-legacy-bot-token", "slack-legacy-token", "slack-legacy-workspace-token"},
			Provider: "Slack",
			Host:     "slack.com",
			Docs:     "https://api.slack.com/methods/auth.test",
			Request:  slackRequest,
			Judge:    judgeSlack,
		},
		{
			// GET /api/v10/users/@me returns the bot user.
			RuleIDs:  []string{"discord-bot-token"},
			Provider: "Discord",
			Host:     "discord.com",
			Docs:     "https://discord.com/developers/docs/resources/user#get-current-user",
			Request:  withHeader("/api/v10/users/@me", "Authorization", "Bot "),
			Judge:    judgeJSON("id", http.StatusUnauthorized),
		},
		{
			// GET /api/v10/webhooks/{id}/{token} returns the webhook; it
			// does not post (a POST would).
			RuleIDs:  []string{"discord-webhook-url"},
			Provider: "Discord",
			Host:     "discord.com",
			Docs:     "https://discord.com/developers/docs/resources/webhook#get-webhook-with-token",
			Request:  discordWebhookRequest,
			Judge:    judgeJSON("id", http.StatusUnauthorized, http.StatusNotFound),
		},
		{
			// GET /bot<token>/getMe returns the bot.
			RuleIDs:  []string{"telegram-bot-token"},
			Provider: "Telegram",
			Host:     "api.telegram.org",
			Docs:     "https://core.telegram.org/bots/api#getme",
			Request:  telegramRequest,
			Judge:    judgeJSON("result", http.StatusUnauthorized),
		},
		{
			// GET /2010-04-01/Accounts/{AccountSid}.json returns the account;
			// needs the account SID found nearby.
			RuleIDs:  []string{"twilio-auth-token"},
			Provider: "Twilio",
			Host:     "api.twilio.com",
			Docs:     "https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource",
			Request:  twilioRequest,
			Judge:    judgeJSON("sid", http.StatusUnauthorized),
		},
		{
			// GET /v3/scopes lists the key's scopes.
			RuleIDs:  []string{"sendgrid-api-key"},
			Provider: "SendGrid",
			Host:     "api.sendgrid.com",
			Docs:     "https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access",
			Request:  bearerGET("/v3/scopes"),
			Judge:    judgeJSON("scopes", http.StatusUnauthorized),
		},
		{
			// GET /v3/domains?limit=1 lists sending domains (US region host).
			RuleIDs:  []string{"mailgun-api-key", "mailgun-private-key"},
			Provider: "Mailgun",
			Host:     "api.mailgun.net",
			Docs:     "https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Domains/",
			Request:  basicGET("/v3/domains?limit=1", "api"),
			Judge:    judgeJSON("items", http.StatusUnauthorized),
		},
	}
}

func saasOther() []Verifier {
	return []Verifier{
		{
			// GET /v1/balance reads the balance; a restricted key without
			// that permission is answered 403 (authenticated).
			RuleIDs:  []string{"stripe-secret-key", "stripe-restricted-key"},
			Provider: "Stripe",
			Host:     "api.stripe.com",
			Docs:     "https://docs.stripe.com/api/balance/balance_retrieve",
			Request:  basicGET("/v1/balance", ""),
			Judge:    forbiddenIsLive(judgeJSON("object", http.StatusUnauthorized)),
		},
		{
			// GET /admin/oauth/access_scopes.json on the shop found nearby
			// (<shop>.myshopify.com, Shopify's own domain) lists the token's
			// scopes.
			RuleIDs:   []string{"shopify-access-token", "shopify-custom-app-access-token", "shopify-private-app-access-token"},
			Provider:  "Shopify",
			Host:      "myshopify.com",
			Subdomain: true,
			Docs:      "https://shopify.dev/docs/api/admin-rest/latest/resources/accessscope",
			Request:   shopifyRequest,
			Judge:     judgeJSON("access_scopes", http.StatusUnauthorized),
		},
		{
			// GET /api/v1/validate checks the API key (US1 site only).
			RuleIDs:  []string{"datadog-api-key"},
			Provider: "Datadog",
			Host:     "api.datadoghq.com",
			Docs:     "https://docs.datadoghq.com/api/latest/authentication/#validate-api-key",
			Request:  withHeader("/api/v1/validate", "DD-API-KEY", ""),
			Judge:    judgeDatadog,
		},
		{
			// GET /api/v1/tokens?region=us&pageSize=1 lists access-policy
			// tokens; a token without tokens:read is answered 403.
			RuleIDs:  []string{"grafana-cloud-token"},
			Provider: "Grafana",
			Host:     "grafana.com",
			Docs:     "https://grafana.com/docs/grafana-cloud/developer-resources/api-reference/cloud-api/#list-tokens",
			Request:  bearerGET("/api/v1/tokens?region=us&pageSize=1"),
			Judge:    judgeJSON("items", http.StatusUnauthorized),
		},
	}
}

func slackRequest(in Input) (*http.Request, error) {
	req, err := newRequest(http.MethodPost, in.Base+"/api/auth.test", []byte{})
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+in.Secret)
	return req, nil
}

// judgeSlack: Slack answers 200 with ok true or an error name.
func judgeSlack(status int, body []byte) (Status, string) {
	var r struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &r) != nil || r.OK == nil {
		return Unknown, fmt.Sprintf("%s: HTTP %d", reasonUnexpected, status)
	}
	if *r.OK {
		return Live, reasonAccepted
	}
	switch r.Error {
	case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive":
		return NotLive, reasonRejected + " (" + r.Error + ")"
	}
	return Unknown, reasonUnexpected
}

func discordWebhookRequest(in Input) (*http.Request, error) {
	m := discordWebhookRe.FindStringSubmatch(in.Secret)
	if m == nil {
		return nil, fmt.Errorf("not a Discord webhook URL: %w", ErrMissingCompanion)
	}
	return newRequest(http.MethodGet, in.Base+"/api/v10/webhooks/"+m[1]+"/"+m[2], nil)
}

func telegramRequest(in Input) (*http.Request, error) {
	if !telegramTokenRe.MatchString(in.Secret) {
		return nil, fmt.Errorf("not a Telegram bot token: %w", ErrMissingCompanion)
	}
	return newRequest(http.MethodGet, in.Base+"/bot"+in.Secret+"/getMe", nil)
}

func twilioRequest(in Input) (*http.Request, error) {
	sid := in.Extra[ExtraTwilioAccountSID]
	if !twilioSIDRe.MatchString(sid) {
		return nil, fmt.Errorf("needs %s: %w", ExtraTwilioAccountSID, ErrMissingCompanion)
	}
	req, err := newRequest(http.MethodGet, in.Base+"/2010-04-01/Accounts/"+sid+".json", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(sid, in.Secret)
	return req, nil
}

// shopifyRequest targets <shop>.myshopify.com, the shop being one validated
// DNS label (given bare or as <shop>.myshopify.com).
func shopifyRequest(in Input) (*http.Request, error) {
	shop := strings.TrimSuffix(strings.ToLower(in.Extra[ExtraShopifyShop]), ".myshopify.com")
	if !validLabel(shop) {
		return nil, fmt.Errorf("needs %s: %w", ExtraShopifyShop, ErrMissingCompanion)
	}
	base := strings.Replace(in.Base, "https://", "https://"+shop+".", 1)
	return withHeader("/admin/oauth/access_scopes.json", "X-Shopify-Access-Token", "")(Input{Base: base, Secret: in.Secret})
}

// judgeDatadog: {"valid":true} is live; 403 is a key the US1 site does not
// know, which is also what a key of another site gets.
func judgeDatadog(status int, body []byte) (Status, string) {
	var r struct {
		Valid bool `json:"valid"`
	}
	switch {
	case status == http.StatusOK && json.Unmarshal(body, &r) == nil && r.Valid:
		return Live, reasonAccepted
	case status == http.StatusForbidden:
		return NotLive, "rejected by the US1 site (api.datadoghq.com); a key of another Datadog site is not checked"
	default:
		return Unknown, fmt.Sprintf("%s: HTTP %d", reasonUnexpected, status)
	}
}
