package scanner

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// saasTok wraps a token pattern in boundaries that keep it from matching
// inside a longer token: a letter, digit, '_', '-', '+', '/' or '.' before it,
// or a letter, digit, '_', '-', '+', '/' or '=' after it, makes it part of
// something else (a base64 blob, a longer identifier). The token is group 1.
func saasTok(core string) string {
	return `(?:^|[^A-Za-z0-9_+/.-])(` + core + `)(?:[^A-Za-z0-9_+/=-]|$)`
}

// saasAssigned matches a value assigned to a name that matches name (case
// insensitively): "NAME=v", "name: v", `"nameToken" => "v"`, "$name .= 'v'",
// `setProperty("NAME", "v")`, "name := v", `var name string = "v"`,
// "<nameToken>v</nameToken>" and the like. The value is group 1.
func saasAssigned(name, value string) string {
	return `(?i:` + name + `)[A-Za-z0-9_.\-]{0,30}?["'\x60\]]{0,2}(?:\s+[A-Za-z][A-Za-z0-9_]{0,15})?\s{0,3}(?:=>|:{1,3}=|\?=|\.=|[:=,(>])\s{0,3}["'\x60]?(` + value + `)(?:[^A-Za-z0-9_+/=.-]|$)`
}

// saasNear is saasAssigned that also accepts the value alone on its line
// (an XML element body or a YAML block scalar); rules using it set a
// KeywordWindow so that the name may sit on the line above. The value is
// group 1.
func saasNear(name, value string) string {
	return `(?:(?i:` + name + `)[A-Za-z0-9_.\-]{0,30}?["'\x60\]]{0,2}(?:\s+[A-Za-z][A-Za-z0-9_]{0,15})?\s{0,3}(?:=>|:{1,3}=|\?=|\.=|[:=,(>])\s{0,3}|^\s*)["'\x60]?(` + value + `)(?:[^A-Za-z0-9_+/=.-]|$)`
}

// saasB64JSON decodes a base64 segment (standard or URL alphabet, padded or
// not) that holds a JSON object.
func saasB64JSON(seg string) (map[string]any, bool) {
	seg = strings.TrimRight(seg, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(seg)
		if err != nil {
			continue
		}
		var v map[string]any
		if json.Unmarshal(raw, &v) == nil {
			return v, true
		}
	}
	return nil, false
}

// saasDiscordBotToken accepts a Discord bot token whose first segment is the
// base64 of the bot's numeric user ID (a 17 to 20 digit snowflake).
func saasDiscordBotToken(tok string) bool {
	id, _, ok := strings.Cut(tok, ".")
	if !ok {
		return false
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil || len(raw) < 17 || len(raw) > 20 {
		return false
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// saasSentryOrgToken accepts a Sentry organization token (sntrys_<payload>_<secret>)
// whose payload is base64 JSON carrying the "iat" and "org" claims.
func saasSentryOrgToken(tok string) bool {
	body := strings.TrimPrefix(tok, "sntrys_")
	i := strings.LastIndexByte(body, '_')
	if i < 0 {
		return false
	}
	v, ok := saasB64JSON(body[:i])
	if !ok {
		return false
	}
	_, iat := v["iat"]
	_, org := v["org"]
	return iat && org
}

// saasMapboxToken accepts a Mapbox token (sk.<payload>.<sig>) whose payload is
// base64url JSON naming the account ("u").
func saasMapboxToken(tok string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	v, ok := saasB64JSON(parts[1])
	if !ok {
		return false
	}
	u, _ := v["u"].(string)
	return u != ""
}

// saasIntercomToken accepts an Intercom access token: the base64 of a
// printable "tok:…" string.
func saasIntercomToken(tok string) bool {
	t := strings.TrimRight(tok, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(t)
		if err != nil || len(raw) <= 20 || !strings.HasPrefix(string(raw), "tok:") {
			continue
		}
		printable := true
		for _, c := range raw {
			printable = printable && c >= 0x20 && c < 0x7f
		}
		if printable {
			return true
		}
	}
	return false
}

// saasLastSegmentMixed accepts a dash-separated token whose last segment has
// both letters and digits (the random part of a legacy Slack bot token).
func saasLastSegmentMixed(tok string) bool {
	return HasLetterAndDigit(tok[strings.LastIndexByte(tok, '-')+1:])
}

// saasRules returns the rules for messaging, payments, commerce, email and
// observability SaaS.
func saasRules() []Rule {
	// ---- Slack ----
	slackToken := Remediation{
		What:          "A Slack OAuth token: it calls the Slack Web API as the bot or user that installed the app, with the app's scopes (read channels and DMs, post messages, manage files).",
		RevokeURL:     "https://api.slack.com/apps",
		Revoke:        "Call auth.revoke with the leaked token (it revokes itself), or open the app at api.slack.com/apps → OAuth & Permissions → Revoke Tokens / reinstall. Workspace admins can also remove the app under Settings & administration → Manage apps.",
		RevokeCommand: `curl -X POST https://slack.com/api/auth.revoke -H "Authorization: Bearer <TOKEN>"`,
		Rotate:        "Enable token rotation or reinstall the app to issue a new token, store it in your secret manager, redeploy, and confirm the old token returns invalid_auth from auth.test.",
		Misuse:        "Review the workspace access logs (https://slack.com/admin/logs or Enterprise Grid Audit Logs API) and the app's activity for API calls, messages and file downloads you did not make.",
		DocsURL:       "https://api.slack.com/authentication/token-types",
	}
	slackApp := slackToken
	slackApp.What = "A Slack app-level token (xapp-): it opens Socket Mode connections and calls apps.* APIs for the app across every workspace it is installed in."
	slackApp.Revoke = "Open the app at api.slack.com/apps → Basic Information → App-Level Tokens and revoke the token (or call auth.revoke with it)."
	slackConfig := slackToken
	slackConfig.What = "A Slack app configuration access token (xoxe.xoxp-/xoxe.xoxb-): it creates, updates and deletes app manifests for the issuing user's workspace through the apps.manifest.* API."
	slackConfig.Revoke = "Open api.slack.com/apps → Your App Configuration Tokens and revoke the workspace's token pair, or call auth.revoke with the access token."
	slackConfig.Rotate = "Generate a new configuration token pair on the same page only when a tool needs it; access tokens expire after 12 hours and are renewed with tooling.tokens.rotate using the refresh token."
	slackConfig.Misuse = "Check your apps' manifests and Collaborators at api.slack.com/apps for changes you did not make (redirect URLs, scopes, event URLs), and the workspace access logs."
	slackConfig.DocsURL = "https://api.slack.com/authentication/config-tokens"
	slackRefresh := slackConfig
	slackRefresh.What = "A Slack app configuration refresh token (xoxe-): it mints new configuration access tokens that manage the user's app manifests."
	slackRefresh.Revoke = "Open api.slack.com/apps → Your App Configuration Tokens and revoke the token pair for the workspace; the refresh token stops working with it."
	slackRefresh.RevokeCommand = ""
	slackLegacy := slackToken
	slackLegacy.What = "A legacy Slack token (xoxs-/xoxo- user session or legacy test token, xoxa-/xoxr- workspace app token): it carries the full permissions of the user or workspace app that created it."
	slackLegacy.RevokeURL = "https://api.slack.com/legacy/custom-integrations/legacy-tokens"
	slackLegacy.Revoke = "Call auth.revoke with the token, or revoke it from the legacy tokens page; for workspace apps, uninstall the app from the workspace."
	slackLegacy.Rotate = "Legacy tokens cannot be created any more: migrate the integration to a Slack app with a bot token and granular scopes."
	slackWebhook := Remediation{
		What:          "A Slack incoming webhook or workflow webhook URL: anyone holding it can post messages into its channel (or start the workflow) as the app.",
		RevokeURL:     "https://api.slack.com/apps",
		Revoke:        "Open the app at api.slack.com/apps → Incoming Webhooks and remove the webhook (for a legacy custom integration, remove it in the workspace's App Directory → Custom Integrations; for Workflow Builder, turn off the workflow or regenerate its webhook trigger).",
		RevokeCommand: "",
		Rotate:        "Add a new webhook to the channel, store its URL as a secret, redeploy, then delete the old one.",
		Misuse:        "Look in the target channel for messages or workflow runs your systems did not send (phishing links are the usual abuse), and in the workspace's integration logs.",
		DocsURL:       "https://api.slack.com/messaging/webhooks",
	}

	// ---- Discord ----
	discordBot := Remediation{
		What:          "A Discord bot token: it logs in as the bot with every permission the bot holds in every server it has joined.",
		RevokeURL:     "https://discord.com/developers/applications",
		Revoke:        "Open the application in the Developer Portal → Bot → Reset Token; the old token stops working at once (Discord also resets tokens it finds in public repositories).",
		RevokeCommand: "",
		Rotate:        "Copy the new token into your secret store and restart the bot; review the bot's intents and permissions while you are there.",
		Misuse:        "Check each server's Server Settings → Audit Log for actions by the bot you did not cause (bans, role changes, webhooks created, mass messages).",
		DocsURL:       "https://discord.com/developers/docs/reference#authentication",
	}
	discordHook := Remediation{
		What:          "A Discord webhook URL (ID and token): anyone holding it can post, edit and delete the webhook's messages in its channel.",
		RevokeURL:     "https://support.discord.com/hc/en-us/articles/228383668-Intro-to-Webhooks",
		Revoke:        "Delete the webhook in Server Settings → Integrations → Webhooks, or with the webhook's own token.",
		RevokeCommand: `curl -X DELETE https://discord.com/api/webhooks/<WEBHOOK_ID>/<WEBHOOK_TOKEN>`,
		Rotate:        "Create a new webhook for the channel, store its URL as a secret, redeploy.",
		Misuse:        "Look in the channel for messages posted through the webhook that you did not send, and in Server Settings → Audit Log for webhook changes.",
		DocsURL:       "https://discord.com/developers/docs/resources/webhook",
	}

	// ---- Telegram ----
	telegram := Remediation{
		What:          "A Telegram Bot API token: it controls the bot — reads the messages sent to it, posts as it and changes its webhook.",
		RevokeURL:     "https://t.me/BotFather",
		Revoke:        "Message @BotFather, send /revoke (or /token), pick the bot; the old token stops working and a new one is issued.",
		RevokeCommand: "",
		Rotate:        "Put the new token in your secret store and restart the bot; call setWebhook again if you use webhooks.",
		Misuse:        "Call getWebhookInfo with the new token to check that no unknown webhook URL was set, and review the bot's chats and messages for posts you did not make.",
		DocsURL:       "https://core.telegram.org/bots/api#authorizing-your-bot",
	}

	// ---- Stripe ----
	stripe := Remediation{
		What:          "A Stripe live secret or restricted API key: it moves real money — creates charges, refunds and payouts, and reads customer and payment data (restricted keys within their permissions).",
		RevokeURL:     "https://dashboard.stripe.com/apikeys",
		Revoke:        "In the Dashboard open Developers → API keys, click ⋯ next to the key and choose Roll key with expiration \"now\" (restricted keys: Roll key or Delete).",
		RevokeCommand: "",
		Rotate:        "Rolling issues the replacement immediately: put it in your secret manager and redeploy; if you need a grace period, choose a short expiration instead of \"now\".",
		Misuse:        "Check the request logs under Developers → Logs (https://dashboard.stripe.com/logs), filtered by the key, and Payments, Refunds and Payouts for activity you did not initiate.",
		DocsURL:       "https://docs.stripe.com/keys",
	}
	stripeWebhook := Remediation{
		What:          "A Stripe webhook endpoint signing secret (whsec_): with it anyone can forge events that your endpoint will accept as coming from Stripe.",
		RevokeURL:     "https://dashboard.stripe.com/webhooks",
		Revoke:        "Open Developers → Webhooks, select the endpoint and choose Roll secret (expire the old secret now).",
		RevokeCommand: "",
		Rotate:        "Deploy the new signing secret to the endpoint's verifier (Stripe signs with both secrets during the overlap you choose).",
		Misuse:        "Compare the events your endpoint processed with the Events list (https://dashboard.stripe.com/events): events whose IDs Stripe does not know were forged.",
		DocsURL:       "https://docs.stripe.com/webhooks#verify-events",
	}

	// ---- Square ----
	square := Remediation{
		What:          "A Square access token: it calls the Square APIs for the seller — takes and refunds payments, reads customers, orders and catalog.",
		RevokeURL:     "https://developer.squareup.com/apps",
		Revoke:        "For a personal access token open the app in the Developer Console → Credentials and choose Replace for the production access token; for an OAuth token call the RevokeToken endpoint with the application secret.",
		RevokeCommand: `curl -X POST https://connect.squareup.com/oauth2/revoke -H "Authorization: Client <APPLICATION_SECRET>" -H "Content-Type: application/json" -d '{"client_id":"<APPLICATION_ID>","access_token":"<ACCESS_TOKEN>"}'`,
		Rotate:        "Store the replacement token in your secret manager and redeploy; OAuth integrations re-run the authorization flow.",
		Misuse:        "Check the app's API Logs in the Developer Console and the Seller Dashboard's Transactions and Refunds for activity you did not initiate.",
		DocsURL:       "https://developer.squareup.com/docs/build-basics/access-tokens",
	}
	squareSecret := square
	squareSecret.What = "A Square application secret (sq0csp-): with the application ID it completes OAuth flows and revokes or obtains tokens for sellers of the app."
	squareSecret.Revoke = "Open the app in the Developer Console → OAuth and choose Replace secret for the production environment."
	squareSecret.RevokeCommand = ""
	squareSecret.Rotate = "Update the OAuth backend with the new secret and redeploy; existing access tokens keep working, so review them too."
	squareSecret.DocsURL = "https://developer.squareup.com/docs/oauth-api/overview"

	// ---- PayPal / Braintree ----
	braintree := Remediation{
		What:          "A PayPal Braintree SDK production access token: it creates PayPal transactions and refunds for the merchant account through the Braintree SDK.",
		RevokeURL:     "https://www.paypal.com/businessmanage/credentials/apiAccess",
		Revoke:        "Log in to the PayPal business account → Account Settings → API access → Manage Braintree SDK credentials, and revoke the access token.",
		RevokeCommand: "",
		Rotate:        "Generate a new Braintree SDK access token on the same page, store it in your secret manager and redeploy.",
		Misuse:        "Review Activity (https://www.paypal.com/myaccount/transactions) for payments and refunds you did not make.",
		DocsURL:       "https://developer.paypal.com/braintree/docs/guides/paypal/server-side",
	}

	// ---- Shopify ----
	shopify := Remediation{
		What:          "A Shopify Admin API access token: it reads and writes the store's orders, customers, products and settings within the app's scopes.",
		RevokeURL:     "https://admin.shopify.com/settings/apps/development",
		Revoke:        "Custom apps: uninstall the app in Settings → Apps and sales channels → Develop apps (the token dies with the installation). Public/custom distribution apps can revoke their own token with the api_permissions endpoint.",
		RevokeCommand: `curl -X DELETE https://<SHOP>.myshopify.com/admin/api_permissions/current.json -H "X-Shopify-Access-Token: <ACCESS_TOKEN>"`,
		Rotate:        "Reinstall the app (or re-run OAuth) to obtain a new token, store it in your secret manager and redeploy.",
		Misuse:        "Review orders, customers, discount codes and staff/app changes in the Shopify admin, and the store activity log (Shopify Plus) for changes made through the app.",
		DocsURL:       "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens",
	}
	shopifyPrivate := shopify
	shopifyPrivate.What = "A legacy Shopify private app password (shppa_): it calls the Admin API with the private app's permissions."
	shopifyPrivate.Revoke = "Open Settings → Apps and sales channels → Develop apps (formerly Private apps), open the legacy app and delete it or regenerate its credentials."
	shopifyPrivate.RevokeCommand = ""
	shopifyPrivate.Rotate = "Replace the private app with a custom app, store its Admin API token in your secret manager and redeploy."
	shopifySecret := shopify
	shopifySecret.What = "A Shopify app shared secret / client secret (shpss_): it signs and verifies OAuth and webhook HMACs and completes OAuth for every shop that installs the app."
	shopifySecret.RevokeURL = "https://partners.shopify.com/"
	shopifySecret.Revoke = "In the Partner Dashboard (or Dev Dashboard) open the app → API credentials / Settings, generate a new client secret, and revoke the old one once deployed."
	shopifySecret.RevokeCommand = ""
	shopifySecret.Rotate = "Deploy the new secret to the app's OAuth and webhook verification code, then revoke the old secret."
	shopifySecret.Misuse = "Look for webhook deliveries your app accepted that Shopify did not send, and for unexpected installations or token exchanges in the app's logs."

	// ---- Twilio ----
	twilioKey := Remediation{
		What:          "A Twilio API key (SK…) and its secret: together they call the Twilio REST API for the account — send SMS and calls billed to it, read message logs and recordings.",
		RevokeURL:     "https://console.twilio.com/us1/account/keys-credentials/api-keys",
		Revoke:        "Delete the API key in Console → Account → API keys & tokens; the key and its secret stop working immediately.",
		RevokeCommand: `curl -X DELETE https://api.twilio.com/2010-04-01/Accounts/<ACCOUNT_SID>/Keys/<KEY_SID>.json -u <ACCOUNT_SID>:<AUTH_TOKEN>`,
		Rotate:        "Create a new API key (standard, not main, unless needed), store SID and secret in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Monitor → Logs (Messaging, Calls, Errors) and Usage in the Twilio Console for traffic and spend you do not recognise.",
		DocsURL:       "https://www.twilio.com/docs/iam/api-keys",
	}
	twilioAuth := twilioKey
	twilioAuth.What = "A Twilio account auth token: with the Account SID it has full control of the account — messaging, voice, numbers, sub-accounts and API keys."
	twilioAuth.RevokeURL = "https://console.twilio.com/us1/account/keys-credentials/api-keys"
	twilioAuth.Revoke = "In Console → Account → API keys & tokens → Auth tokens, request a secondary auth token and promote it to primary; the old primary is invalidated."
	twilioAuth.RevokeCommand = `curl -X POST https://accounts.twilio.com/v1/AuthTokens/Secondary -u <ACCOUNT_SID>:<AUTH_TOKEN> && curl -X POST https://accounts.twilio.com/v1/AuthTokens/Promote -u <ACCOUNT_SID>:<AUTH_TOKEN>`
	twilioAuth.Rotate = "Deploy the promoted token, and prefer API keys over the auth token in applications."
	twilioAuth.DocsURL = "https://www.twilio.com/docs/iam/api/authtoken"

	// ---- SendGrid ----
	sendgrid := Remediation{
		What:          "A Twilio SendGrid API key: it sends mail from your verified domains and, depending on its scopes, reads contacts, stats and settings.",
		RevokeURL:     "https://app.sendgrid.com/settings/api_keys",
		Revoke:        "Open Settings → API Keys and delete the key (SendGrid also revokes keys it finds on public GitHub).",
		RevokeCommand: `curl -X DELETE https://api.sendgrid.com/v3/api_keys/<API_KEY_ID> -H "Authorization: Bearer <ADMIN_API_KEY>"`,
		Rotate:        "Create a restricted key with only Mail Send (or what is needed), store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Activity Feed (https://app.sendgrid.com/email_activity) and Stats for mail you did not send, and sender authentication / subuser settings for changes.",
		DocsURL:       "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
	}

	// ---- Mailgun ----
	mailgun := Remediation{
		What:          "A Mailgun private API key: it sends mail from every domain of the account and manages domains, routes, webhooks and suppression lists.",
		RevokeURL:     "https://app.mailgun.com/settings/api_security",
		Revoke:        "Open Settings → API Security (API keys), and delete or disable the key; revoked keys may keep working for a short grace period.",
		RevokeCommand: `curl -s --user 'api:<OTHER_API_KEY>' -X DELETE https://api.mailgun.net/v1/keys/<KEY_ID>`,
		Rotate:        "Create a new key (domain sending keys where only sending is needed), store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Sending → Logs for messages you did not send and the domains' routes and webhooks for changes.",
		DocsURL:       "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
	}

	// ---- Mailchimp ----
	mailchimp := Remediation{
		What:          "A Mailchimp Marketing API key: it reads and changes audiences (subscriber personal data), campaigns and account settings.",
		RevokeURL:     "https://us1.admin.mailchimp.com/account/api/",
		Revoke:        "Log in, open Profile → Extras → API keys (the admin URL redirects to your data center) and disable or delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check audience activity and exports, campaign reports and the account's recent activity for list exports or campaigns you did not make.",
		DocsURL:       "https://mailchimp.com/developer/marketing/guides/quick-start/",
	}

	// ---- Postmark ----
	postmark := Remediation{
		What:          "A Postmark server or account API token: a server token sends mail and reads that server's messages and bounces; an account token manages all servers, domains and sender signatures.",
		RevokeURL:     "https://account.postmarkapp.com/servers",
		Revoke:        "Open the server → API Tokens and regenerate (or delete) the token; account tokens are under Account → API Tokens.",
		RevokeCommand: "",
		Rotate:        "Add a new token, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the server's message streams → Activity for mail you did not send, and Account → Sender signatures / Domains for changes.",
		DocsURL:       "https://postmarkapp.com/developer/api/overview#authentication",
	}

	// ---- Datadog ----
	datadogAPI := Remediation{
		What:          "A Datadog API key: it submits metrics, logs and events to the organization and, with an application key, calls the full API.",
		RevokeURL:     "https://app.datadoghq.com/organization-settings/api-keys",
		Revoke:        "Open Organization Settings → API Keys and revoke the key (use your site's host, e.g. app.datadoghq.eu).",
		RevokeCommand: `curl -X DELETE https://api.datadoghq.com/api/v2/api_keys/<API_KEY_ID> -H "DD-API-KEY: <OTHER_API_KEY>" -H "DD-APPLICATION-KEY: <APP_KEY>"`,
		Rotate:        "Create a new API key, roll it out to agents and integrations (DD_API_KEY), then revoke the old one.",
		Misuse:        "Check Audit Trail (https://app.datadoghq.com/audit-trail) and the API key's usage for data submitted from hosts you do not run.",
		DocsURL:       "https://docs.datadoghq.com/account_management/api-app-keys/",
	}
	datadogApp := datadogAPI
	datadogApp.What = "A Datadog application key: with an API key it reads and changes everything its owner (or its scopes) can — dashboards, monitors, logs, users."
	datadogApp.RevokeURL = "https://app.datadoghq.com/organization-settings/application-keys"
	datadogApp.Revoke = "Open Organization Settings → Application Keys (or Personal Settings → Application Keys) and revoke the key."
	datadogApp.RevokeCommand = `curl -X DELETE https://api.datadoghq.com/api/v2/application_keys/<APP_KEY_ID> -H "DD-API-KEY: <API_KEY>" -H "DD-APPLICATION-KEY: <OTHER_APP_KEY>"`
	datadogApp.Rotate = "Create a scoped application key for the automation, store it in your secret manager, redeploy, then revoke the old one."

	// ---- New Relic ----
	newrelic := Remediation{
		What:          "A New Relic API key: user keys (NRAK-) query and configure the account through NerdGraph; ingest and insert keys write data into it.",
		RevokeURL:     "https://one.newrelic.com/api-keys",
		Revoke:        "Open the API keys page, find the key by its ID or truncated value and delete it.",
		RevokeCommand: `curl -X POST https://api.newrelic.com/graphql -H "API-Key: <OTHER_USER_KEY>" -H "Content-Type: application/json" -d '{"query":"mutation { apiAccessDeleteKeys(keys: {userKeyIds: [\"<KEY_ID>\"]}) { deletedKeys { id } } }"}'`,
		Rotate:        "Create a new key of the same type, store it in your secret manager, roll it out to agents and scripts, then delete the old one.",
		Misuse:        "Query NrAuditEvent (SELECT * FROM NrAuditEvent SINCE 1 week ago) for configuration changes and check data ingest for sources you do not run.",
		DocsURL:       "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
	}
	newrelicIngest := newrelic
	newrelicIngest.What = "A New Relic ingest key (license or insert key): it writes metrics, events, logs and traces into the account."
	newrelicIngest.RevokeCommand = `curl -X POST https://api.newrelic.com/graphql -H "API-Key: <USER_KEY>" -H "Content-Type: application/json" -d '{"query":"mutation { apiAccessDeleteKeys(keys: {ingestKeyIds: [\"<KEY_ID>\"]}) { deletedKeys { id } } }"}'`
	newrelicIngest.Misuse = "Check Data management → Data ingestion for unexpected sources and volume billed to the account."
	newrelicBrowser := newrelicIngest
	newrelicBrowser.What = "A New Relic browser ingest key (NRJS-): it is embedded in the browser agent snippet and only sends browser data, but can be abused to inject or inflate data."

	// ---- Sentry ----
	sentry := Remediation{
		What:          "A Sentry auth token: user tokens act as the user within their scopes (projects, issues, releases, org settings); organization tokens upload releases and source maps for the organization.",
		RevokeURL:     "https://sentry.io/settings/account/api/auth-tokens/",
		Revoke:        "User tokens: Settings → Account → Personal Tokens, delete the token. Organization tokens: Settings → <organization> → Organization Tokens (https://sentry.io/settings/<ORG>/auth-tokens/), revoke it. Self-hosted: the same pages on your host.",
		RevokeCommand: "",
		Rotate:        "Create a new token with only the scopes needed (project:releases for CI), store it as SENTRY_AUTH_TOKEN in your CI secrets, then delete the old one.",
		Misuse:        "Check Settings → <organization> → Audit Log (https://sentry.io/settings/<ORG>/audit-log/) and releases/artifacts for uploads you did not make.",
		DocsURL:       "https://docs.sentry.io/account/auth-tokens/",
	}
	sentryDSN := sentry
	sentryDSN.What = "A legacy Sentry DSN with its secret key (public:secret@): the secret part authenticates event submission and was meant only for server-side SDKs."
	sentryDSN.RevokeURL = "https://sentry.io/settings/projects/"
	sentryDSN.Revoke = "Open Project Settings → Client Keys (DSN), then disable or revoke the key and create a new one."
	sentryDSN.RevokeCommand = `curl -X DELETE https://sentry.io/api/0/projects/<ORG>/<PROJECT>/keys/<KEY_ID>/ -H "Authorization: Bearer <AUTH_TOKEN>"`
	sentryDSN.Rotate = "Use the new key's DSN (modern DSNs carry no secret), deploy it, then delete the old key."
	sentryDSN.Misuse = "Check the project's Stats page for event volume from sources you do not run."
	sentryDSN.DocsURL = "https://docs.sentry.io/concepts/key-terms/dsn-explainer/"

	// ---- Grafana ----
	grafanaCloud := Remediation{
		What:          "A Grafana Cloud access policy token (glc_): it reads or writes the stack's metrics, logs and traces, or manages the Cloud org, within its access policy scopes.",
		RevokeURL:     "https://grafana.com/orgs",
		Revoke:        "Open your organization on grafana.com → Security → Access Policies, find the policy and delete the token.",
		RevokeCommand: `curl -X DELETE "https://www.grafana.com/api/v1/tokens/<TOKEN_ID>?region=<REGION>" -H "Authorization: Bearer <CLOUD_ADMIN_TOKEN>"`,
		Rotate:        "Create a new token on the same access policy, store it in your secret manager, roll it out (agents, Alloy, CI), then delete the old one.",
		Misuse:        "Check the Cloud usage pages and the stack's data for writes from sources you do not run, and the org's audit information for policy changes.",
		DocsURL:       "https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
	}
	grafanaSA := Remediation{
		What:          "A Grafana service account token (glsa_): it calls the Grafana HTTP API with the service account's role (Viewer, Editor or Admin) in that Grafana instance.",
		RevokeURL:     "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
		Revoke:        "In Grafana open Administration → Users and access → Service accounts, select the account and delete the token.",
		RevokeCommand: `curl -X DELETE https://<GRAFANA_HOST>/api/serviceaccounts/<SERVICE_ACCOUNT_ID>/tokens/<TOKEN_ID> -H "Authorization: Bearer <ADMIN_TOKEN>"`,
		Rotate:        "Add a new token to the service account, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the Grafana audit log (Enterprise/Cloud) or server logs for API calls by the service account, and dashboards, data sources and alert rules for changes.",
		DocsURL:       "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
	}
	grafanaLegacy := grafanaSA
	grafanaLegacy.What = "A legacy Grafana API key (eyJrIjoi…): it calls the Grafana HTTP API with the key's role."
	grafanaLegacy.Revoke = "Delete the key under Administration → API keys (or migrate it to a service account and delete that token)."
	grafanaLegacy.RevokeCommand = `curl -X DELETE https://<GRAFANA_HOST>/api/auth/keys/<KEY_ID> -H "Authorization: Bearer <ADMIN_TOKEN>"`
	grafanaLegacy.Rotate = "API keys are deprecated: create a service account token instead, deploy it, then delete the key."
	grafanaLegacy.DocsURL = "https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/"

	// ---- PagerDuty ----
	pagerduty := Remediation{
		What:          "A PagerDuty REST API key: account keys (or user tokens) read and change incidents, schedules, services and users.",
		RevokeURL:     "https://support.pagerduty.com/main/docs/api-access-keys",
		Revoke:        "Account keys: Integrations → API Access Keys, delete the key. User tokens: My Profile → User Settings → API Access → Delete.",
		RevokeCommand: "",
		Rotate:        "Create a new key (read-only if enough), store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the Audit Records (Account Settings → Audit Records, or GET https://api.pagerduty.com/audit/records) for changes made through the API.",
		DocsURL:       "https://developer.pagerduty.com/docs/authentication",
	}
	pagerdutyRouting := pagerduty
	pagerdutyRouting.What = "A PagerDuty Events API integration (routing) key: it triggers, acknowledges and resolves incidents on its service."
	pagerdutyRouting.Revoke = "Open the service → Integrations, and delete the integration (or regenerate its key)."
	pagerdutyRouting.Rotate = "Add a new Events API v2 integration, update the sender's routing key, then delete the old integration."
	pagerdutyRouting.Misuse = "Check the service's incident history for alerts your monitoring did not send."
	pagerdutyRouting.DocsURL = "https://developer.pagerduty.com/docs/events-api-v2/overview/"

	// ---- Mapbox ----
	mapbox := Remediation{
		What:          "A Mapbox secret access token (sk.): it carries secret scopes — uploads, styles, datasets, token management — billed to the account.",
		RevokeURL:     "https://account.mapbox.com/access-tokens/",
		Revoke:        "Open Account → Access tokens and delete the token (or use the Tokens API).",
		RevokeCommand: `curl -X DELETE "https://api.mapbox.com/tokens/v2/<USERNAME>/<TOKEN_ID>?access_token=<TOKEN_WITH_TOKENS_WRITE>"`,
		Rotate:        "Create a new secret token with only the scopes needed, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check Statistics (https://account.mapbox.com/statistics/) for usage you do not recognise, and your styles, tilesets and tokens for changes.",
		DocsURL:       "https://docs.mapbox.com/accounts/guides/tokens/",
	}

	// ---- Microsoft Teams ----
	teams := Remediation{
		What:          "A Microsoft Teams incoming webhook URL: anyone holding it can post messages and cards into the channel.",
		RevokeURL:     "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
		Revoke:        "In Teams open the channel → ⋯ → Manage channel → Connectors (Edit), find Incoming Webhook → Configured and Remove it (for Workflows webhooks, delete the workflow).",
		RevokeCommand: "",
		Rotate:        "Create a new webhook (Workflows, as Office 365 connectors are retired), store its URL as a secret, redeploy.",
		Misuse:        "Look in the channel for posts you did not send, and search the Microsoft Purview audit log for connector activity.",
		DocsURL:       "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
	}

	// ---- Others ----
	hubspot := Remediation{
		What:          "A HubSpot private app access token: it reads and writes CRM records (contacts, companies, deals) and other data within the app's scopes.",
		RevokeURL:     "https://app.hubspot.com/private-apps/",
		Revoke:        "Open Settings → Integrations → Private Apps, select the app → Auth → Rotate (rotate now expires the old token), or delete the app.",
		RevokeCommand: "",
		Rotate:        "Rotating issues the new token at once: store it in your secret manager and redeploy.",
		Misuse:        "Check the private app's Logs tab for API calls you did not make, and the account's Audit Logs for exports.",
		DocsURL:       "https://developers.hubspot.com/docs/api/private-apps",
	}
	airtable := Remediation{
		What:          "An Airtable personal access token: it reads and writes the bases and workspaces granted to it, with its scopes.",
		RevokeURL:     "https://airtable.com/create/tokens",
		Revoke:        "Open the Developer hub → Personal access tokens and delete (or regenerate) the token.",
		RevokeCommand: "",
		Rotate:        "Create a token limited to the bases and scopes needed, store it in your secret manager, redeploy.",
		Misuse:        "Check the bases' revision history and, on Enterprise, the audit log for reads, exports and changes you did not make.",
		DocsURL:       "https://airtable.com/developers/web/guides/personal-access-tokens",
	}
	brevo := Remediation{
		What:          "A Brevo (Sendinblue) API or SMTP key: it sends transactional and marketing mail and reads and changes contacts.",
		RevokeURL:     "https://app.brevo.com/settings/keys/api",
		Revoke:        "Open SMTP & API → API keys (or SMTP keys) and delete the key.",
		RevokeCommand: "",
		Rotate:        "Generate a new key, store it in your secret manager, redeploy, then delete the old one; restrict the account's authorised IPs.",
		Misuse:        "Check Transactional → Logs and campaign reports for mail you did not send, and Contacts for exports.",
		DocsURL:       "https://developers.brevo.com/docs/getting-started",
	}
	typeform := Remediation{
		What:          "A Typeform personal access token: it reads forms and responses (personal data) and changes forms, within its scopes.",
		RevokeURL:     "https://admin.typeform.com/user/tokens",
		Revoke:        "Open Account → Personal tokens and delete the token.",
		RevokeCommand: "",
		Rotate:        "Generate a token with only the needed scopes, store it in your secret manager, redeploy.",
		Misuse:        "Check forms for changes and responses exports; Typeform has no per-token request log.",
		DocsURL:       "https://www.typeform.com/developers/get-started/personal-access-token/",
	}
	shippo := Remediation{
		What:          "A Shippo live API token: it buys shipping labels billed to the account and reads shipments and addresses.",
		RevokeURL:     "https://apps.goshippo.com/settings/api",
		Revoke:        "Open Settings → API and regenerate (or delete) the live token.",
		RevokeCommand: "",
		Rotate:        "Store the new token in your secret manager and redeploy.",
		Misuse:        "Check Shipments / Transactions and billing for labels you did not buy.",
		DocsURL:       "https://docs.goshippo.com/docs/guides_general/authentication/",
	}
	easypost := Remediation{
		What:          "An EasyPost production API key: it buys postage billed to the account and reads shipments and addresses.",
		RevokeURL:     "https://www.easypost.com/account/api-keys",
		Revoke:        "Open Account Settings → API Keys and disable or delete the production key.",
		RevokeCommand: "",
		Rotate:        "Create a new production key, store it in your secret manager, redeploy, then disable the old one.",
		Misuse:        "Check Shipments and billing in the EasyPost dashboard for labels and refunds you did not make.",
		DocsURL:       "https://docs.easypost.com/docs/authentication",
	}
	duffel := Remediation{
		What:          "A Duffel live access token: it searches and books real flights and stays paid from the organization's balance.",
		RevokeURL:     "https://app.duffel.com/",
		Revoke:        "In the Duffel dashboard open Developers → Access tokens and delete the live token.",
		RevokeCommand: "",
		Rotate:        "Create a new live token, store it in your secret manager, redeploy.",
		Misuse:        "Check Orders and balance transactions for bookings you did not make.",
		DocsURL:       "https://duffel.com/docs/api/overview/making-requests/authentication",
	}
	frameio := Remediation{
		What:          "A Frame.io developer token (fio-u-): it acts as the user on their accounts, projects and media within its scopes.",
		RevokeURL:     "https://developer.frame.io/app/tokens",
		Revoke:        "Open the developer site → Tokens and delete the token.",
		RevokeCommand: "",
		Rotate:        "Create a token with only the scopes needed, store it in your secret manager, redeploy.",
		Misuse:        "Check projects for assets downloaded, shared or deleted that you did not expect.",
		DocsURL:       "https://developer.frame.io/docs/getting-started/authentication",
	}
	dynatrace := Remediation{
		What:          "A Dynatrace API access token (dt0c01.): it reads or writes the environment's monitoring data and configuration within its scopes.",
		RevokeURL:     "https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
		Revoke:        "In the environment open Access tokens, find the token by its public ID (dt0c01.<ID>) and disable or delete it.",
		RevokeCommand: `curl -X DELETE https://<ENVIRONMENT_ID>.live.dynatrace.com/api/v2/apiTokens/<TOKEN_ID> -H "Authorization: Api-Token <ADMIN_TOKEN>"`,
		Rotate:        "Generate a new token with the needed scopes, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the environment's audit logs (Settings → Audit log / dt.system.events) for API activity by the token.",
		DocsURL:       "https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication",
	}
	flutterwave := Remediation{
		What:          "A Flutterwave live secret key: it initiates charges, transfers and refunds for the merchant account.",
		RevokeURL:     "https://app.flutterwave.com/dashboard/settings/apis/live",
		Revoke:        "In the dashboard open Settings → API Keys (live mode) and generate new API keys; the old secret key stops working.",
		RevokeCommand: "",
		Rotate:        "Store the new secret and encryption keys in your secret manager and redeploy.",
		Misuse:        "Check Transactions, Transfers and Refunds in the dashboard for activity you did not initiate.",
		DocsURL:       "https://developer.flutterwave.com/docs/authentication",
	}
	facebook := Remediation{
		What:          "A Meta (Facebook) Graph API access token: it acts as the user, page or app that issued it, within its permissions.",
		RevokeURL:     "https://developers.facebook.com/apps/",
		Revoke:        "User/page tokens: remove the app's permissions (DELETE /me/permissions) or have the user remove the app; app tokens (APP_ID|…) and app secrets: App Dashboard → Settings → Basic → App secret → Reset.",
		RevokeCommand: `curl -X DELETE "https://graph.facebook.com/me/permissions?access_token=<ACCESS_TOKEN>"`,
		Rotate:        "Obtain a new long-lived token through Facebook Login (or reset the app secret and update your backend), store it in your secret manager, redeploy.",
		Misuse:        "Check the page's posts and Business Settings → Security Center / activity log, and the app's Alerts in the App Dashboard.",
		DocsURL:       "https://developers.facebook.com/docs/facebook-login/guides/access-tokens",
	}
	twitter := Remediation{
		What:          "An X (Twitter) app-only bearer token: it reads public data and calls the API on the app's rate limits and quota.",
		RevokeURL:     "https://developer.x.com/en/portal/dashboard",
		Revoke:        "In the developer portal open the project → app → Keys and tokens and regenerate the bearer token (or invalidate it with the API).",
		RevokeCommand: `curl -X POST https://api.x.com/oauth2/invalidate_token -u "<API_KEY>:<API_SECRET>" -d "access_token=<BEARER_TOKEN>"`,
		Rotate:        "Store the new bearer token in your secret manager and redeploy.",
		Misuse:        "Check the app's usage in the developer portal for quota you did not consume.",
		DocsURL:       "https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/bearer-tokens",
	}
	intercom := Remediation{
		What:          "An Intercom access token: it reads and writes the workspace's contacts, conversations and companies within the app's permissions.",
		RevokeURL:     "https://app.intercom.com/a/apps/_/developer-hub",
		Revoke:        "Open the Developer Hub → your app → Configure → Authentication and regenerate the access token.",
		RevokeCommand: "",
		Rotate:        "Store the new token in your secret manager and redeploy.",
		Misuse:        "Check contacts and conversations for exports or changes, and the workspace's Teammate activity log.",
		DocsURL:       "https://developers.intercom.com/docs/build-an-integration/learn-more/authentication",
	}
	contentful := Remediation{
		What:          "A Contentful personal access token (CFPAT-): it calls the Content Management API as the user — creates, publishes and deletes content in every space they can access.",
		RevokeURL:     "https://app.contentful.com/account/profile/cma_tokens",
		Revoke:        "Open Account settings → CMA tokens and revoke the token.",
		RevokeCommand: `curl -X PUT https://api.contentful.com/users/me/access_tokens/<TOKEN_ID>/revoked -H "Authorization: Bearer <OTHER_CMA_TOKEN>"`,
		Rotate:        "Create a new token (prefer an expiring one), store it in your secret manager, redeploy.",
		Misuse:        "Check entries' version history and, on Enterprise, the audit logs for changes you did not make.",
		DocsURL:       "https://www.contentful.com/developers/docs/references/authentication/",
	}
	plaid := Remediation{
		What:          "A Plaid access token or secret: with the client ID it reads linked bank accounts — balances, transactions, identity — and can move money with Transfer.",
		RevokeURL:     "https://dashboard.plaid.com/developers/keys",
		Revoke:        "Access tokens: call /item/remove to invalidate the Item's token. Secrets: Dashboard → Developers → Keys → rotate the secret for the environment.",
		RevokeCommand: `curl -X POST https://production.plaid.com/item/remove -H "Content-Type: application/json" -d '{"client_id":"<CLIENT_ID>","secret":"<SECRET>","access_token":"<ACCESS_TOKEN>"}'`,
		Rotate:        "Relink the Item through Link to get a new access token (or deploy the rotated secret), then remove the old one.",
		Misuse:        "Check Dashboard → Developers → Logs (https://dashboard.plaid.com/activity/logs) for API calls you did not make.",
		DocsURL:       "https://plaid.com/docs/api/items/#itemremove",
	}
	zendesk := Remediation{
		What:          "A Zendesk API token: with any agent's email it calls the Zendesk API as that user — tickets, users and account settings.",
		RevokeURL:     "https://support.zendesk.com/hc/en-us/articles/4408889192858",
		Revoke:        "In Admin Center open Apps and integrations → APIs → Zendesk API → Settings and delete the token.",
		RevokeCommand: `curl -X DELETE https://<SUBDOMAIN>.zendesk.com/api/v2/api_tokens/<TOKEN_ID> -u <EMAIL>/token:<OTHER_API_TOKEN>`,
		Rotate:        "Create a new token, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check Admin Center → Account → Audit log for changes and exports made through the API.",
		DocsURL:       "https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
	}
	mattermost := Remediation{
		What:          "A Mattermost personal access token: it calls the Mattermost API as the user (or bot), with their permissions.",
		RevokeURL:     "https://docs.mattermost.com/developer/personal-access-tokens.html",
		Revoke:        "Profile → Security → Personal Access Tokens → Delete, or System Console → Users → Manage Tokens; from a shell, mmctl.",
		RevokeCommand: `mmctl token revoke <TOKEN_ID>`,
		Rotate:        "Create a new token, store it in your secret manager, redeploy.",
		Misuse:        "Check the server's audit log (System Console → Compliance) and the user's posts and channel memberships.",
		DocsURL:       "https://developers.mattermost.com/integrate/reference/personal-access-token/",
	}
	sumo := Remediation{
		What:          "A Sumo Logic access ID and key: together they call the Sumo Logic API as the user — search logs, manage collectors and content.",
		RevokeURL:     "https://help.sumologic.com/docs/manage/security/access-keys/",
		Revoke:        "Open Administration → Security → Access Keys (or Preferences → My Access Keys) and delete the key.",
		RevokeCommand: `curl -u "<ACCESS_ID>:<ACCESS_KEY>" -X DELETE https://api.sumologic.com/api/v1/accessKeys/<ACCESS_ID>`,
		Rotate:        "Create a new access key scoped to what is needed, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Search the audit index (_index=sumologic_audit_events) for activity by the access ID.",
		DocsURL:       "https://help.sumologic.com/docs/api/about-apis/getting-started/#authentication",
	}
	maxmind := Remediation{
		What:          "A MaxMind license key: it downloads GeoIP databases and queries the GeoIP/minFraud web services billed to the account.",
		RevokeURL:     "https://www.maxmind.com/en/accounts/current/license-key",
		Revoke:        "Open Account → Manage License Keys and deactivate the key.",
		RevokeCommand: "",
		Rotate:        "Generate a new license key, update GeoIP.conf / your secret store, redeploy.",
		Misuse:        "Check the account's download history and web service usage for requests you did not make.",
		DocsURL:       "https://dev.maxmind.com/geoip/updating-databases",
	}
	twitch := Remediation{
		What:          "A Twitch OAuth access token or client secret: it calls the Twitch API for the user or app that owns it.",
		RevokeURL:     "https://dev.twitch.tv/console/apps",
		Revoke:        "Revoke access tokens with the OAuth revoke endpoint; for a client secret open the app in the developer console → Manage → New Secret.",
		RevokeCommand: `curl -X POST https://id.twitch.tv/oauth2/revoke -d "client_id=<CLIENT_ID>&token=<TOKEN>"`,
		Rotate:        "Obtain a new token (or deploy the new secret) and store it in your secret manager.",
		Misuse:        "Check the channel's activity and moderation logs for actions you did not take.",
		DocsURL:       "https://dev.twitch.tv/docs/authentication/",
	}
	mailjet := Remediation{
		What:          "A Mailjet API secret key: with the API key it sends mail and manages contacts and settings of the account.",
		RevokeURL:     "https://app.mailjet.com/account/apikeys",
		Revoke:        "Open Account settings → API Key Management and regenerate the secret key (or delete the sub-account key).",
		RevokeCommand: "",
		Rotate:        "Store the new secret key in your secret manager and redeploy.",
		Misuse:        "Check Statistics and message history for mail you did not send.",
		DocsURL:       "https://dev.mailjet.com/email/guides/#authentication",
	}
	gocardless := Remediation{
		What:          "A GoCardless live access token: it creates payments, mandates and refunds against customers' bank accounts for the creditor.",
		RevokeURL:     "https://manage.gocardless.com/developers/access-tokens",
		Revoke:        "Open Developers → Access tokens in the GoCardless dashboard and revoke the token.",
		RevokeCommand: "",
		Rotate:        "Create a new read-write (or read-only) token, store it in your secret manager, redeploy.",
		Misuse:        "Check Payments, Refunds and Events in the dashboard for activity you did not initiate.",
		DocsURL:       "https://developer.gocardless.com/getting-started/api/making-your-first-request",
	}
	lob := Remediation{
		What:          "A Lob live secret API key: it sends real postcards, letters and checks billed to the account and reads address data.",
		RevokeURL:     "https://dashboard.lob.com/settings/api-keys",
		Revoke:        "Open Settings → API Keys and roll the live secret key.",
		RevokeCommand: "",
		Rotate:        "Store the new key in your secret manager and redeploy.",
		Misuse:        "Check the dashboard's mail pieces and billing for sends you did not make.",
		DocsURL:       "https://docs.lob.com/#tag/Authentication",
	}

	return []Rule{
		// ---------------- Slack ----------------
		{
			ID:          "slack-bot-token",
			Provider:    "Slack",
			Description: "Slack bot user OAuth token (xoxb-<team>-<bot>-<secret>). Format: https://api.slack.com/authentication/token-types#bot",
			Keywords:    []string{"xoxb-"},
			Pattern:     saasTok(`xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{23,34}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackToken,
			TruePositives: []string{
				`export SLACK_BOT_TOKEN=xoxb-834542180930-6351756386735-Vh9gwgIyhMeuwZVNBDBq3d93`,
				`slack_bot_token: "xoxb-8672393908042-5265079759980-2KLeokkqgfaDEv1XfHzPTZYZ"`,
				`client = WebClient(token="xoxb-558274778124-212825755853-9sl8yXgCmGDIifvUU1fwjyuh")`,
			},
			FalsePositives: []string{
				`SLACK_BOT_TOKEN=xoxb-your-bot-token`,
				`token: xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx`,
				`SLACK_BOT_TOKEN=xoxb-293777-282251-yIC07qX5QvzALwcgmSeE0md3`,
				`SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}`,
			},
		},
		{
			ID:          "slack-legacy-bot-token",
			Provider:    "Slack",
			Description: "Legacy Slack bot token of a classic app or custom bot integration (xoxb-<number>-<secret>). Format: https://api.slack.com/legacy/custom-integrations/bot-users",
			Keywords:    []string{"xoxb-"},
			Pattern:     saasTok(`xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,34}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{saasLastSegmentMixed},
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`SLACK_TOKEN=xoxb-433568539085-2FSIcqKARYyVHvJ7lP0ygj6I`,
				`"bot_token": "xoxb-18500338386-ZOU8p6AQGDbmuy8el6Bhkiw2"`,
				`bot = SlackClient('xoxb-3169023070-jIKrBZtehi6RaSeerZ0jcS')`,
			},
			FalsePositives: []string{
				`xoxb-Slack_BOT_TOKEN`,
				`token = "xoxb-abcdef-abcdef"`,
				`token = "xoxb-130460729779-abcdefghijklmnopqrstu"`,
				`token = "xoxb-416398222605-15tdiKXvBZOj"`,
			},
		},
		{
			ID:          "slack-user-token",
			Provider:    "Slack",
			Description: "Slack user OAuth token (xoxp-<team>-<user>-<id>-<secret>, and xoxe- file-access variants). Format: https://api.slack.com/authentication/token-types#user",
			Keywords:    []string{"xoxp-", "xoxe-"},
			Pattern:     saasTok(`xox[pe]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{28,34}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackToken,
			TruePositives: []string{
				`SLACK_USER_TOKEN=xoxp-975153011176-203984056995-4444386640780-9690c209d94ca995badf666941e965e4`,
				`"user_token": "xoxp-94906426480-6869128276-26994408870-bb1b0e7dc3079fefacd8167d6c673495",`,
				`"url_private": "https://files.slack.com/files-pri/T0AB1CD2E-F0AB/a.png?t=xoxe-1428390157858-9419405097849-9099765645755-e3ec983f1ec610c42ab9fe923fbd0092"`,
			},
			FalsePositives: []string{
				`"token": "xoxp-1234567890"`,
				`"token": "xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"`,
				`"token": "xoxp-1234-1234-1234-3b4be8ad87b9206fe6b2d7e2c5a7424a"`,
				`"token": "xoxp-808852577341-368396727988-900438918199-################################"`,
			},
		},
		{
			ID:          "slack-app-token",
			Provider:    "Slack",
			Description: "Slack app-level token (xapp-1-<app ID>-<number>-<secret>) used for Socket Mode. Format: https://api.slack.com/authentication/token-types#app-level",
			Keywords:    []string{"xapp-"},
			Pattern:     saasTok(`xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[A-Za-z0-9]{64}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackApp,
			TruePositives: []string{
				`SLACK_APP_TOKEN=xapp-1-A05XKPVPRRZ-3103459187951-659ee032e7b48d00b7dbef6ef11fc6fbebf0e2309651d53bb71b7699d5acc1e5`,
				`app_token: "xapp-1-A08CJPPIPTB-4056540577430-5160b31ae881e949ee59a865376aca0472f19dd186a19e6fa50a6b3710dcb23e"`,
				`app = App(token=bot, app_token="xapp-1-A0I55CLEGYT-2988317753217-dc4fcba9ddcba17cd90bd48d2b772a2e10e8d2410a4ddc1922db8212543635ea")`,
			},
			FalsePositives: []string{
				`SLACK_APP_TOKEN=xapp-1-XXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXX`,
				`SLACK_APP_TOKEN=xapp-your-app-token`,
				`SLACK_APP_TOKEN=xapp-1-A0KV06EBD54-8948695093316-8176a6e8c7132905c17cff19c1f06673`,
			},
		},
		{
			ID:          "slack-config-access-token",
			Provider:    "Slack",
			Description: "Slack app configuration access token (xoxe.xoxp-1-… / xoxe.xoxb-1-…) used with the App Manifest API. Format: https://api.slack.com/authentication/config-tokens",
			Keywords:    []string{"xoxe.xox"},
			Pattern:     saasTok(`xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{140,180}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: slackConfig,
			TruePositives: []string{
				`SLACK_CONFIG_TOKEN=xoxe.xoxp-1-AeO2K27kcBCkZheE3Q6sRNIjBpySkACiZ428iZS1ZQdWPknrJNRXgd3Vb7Z9o32OUCQv3eS3OnOn57pi9ue5k7qdIZavu2goyEulf4ZB6kamifYbarYKEoKKPAIjtSUW8yvVapmghWXQYqotgLncvFyFttxAi7e3aEt`,
				`"access_token": "xoxe.xoxp-1-dALuuDQ86T91Fu76mVfdLlJP8ZPNJKrAFy4yExMvyMLcUDTyZgO8mfeYtbaRUizP9nZD8Zs46VK2GvwoLzFXRrM1Rk2HcEw5QbeUkvFwCDlGyuBOOu6BAApEAgDkJw4DbqAQrlPS9saxuGilrEVBFVAM3VUxAeulkuJ",`,
				`config_token: 'xoxe.xoxb-1-O4iMnyZnUgUzgEmrTFDQ6HryJCVklYAwzDtcfWs3XY72tKBXuVffhzwnbsixduAzmXVswe9n6W1xrNUHaeAoKSeDEjuvkdncCQskqqaceIIxmC5LPp4qLnefxH2AkzBXVFoTGDFsMWo5LroxUSLD0ElZUpKhsQgIyKB'`,
			},
			FalsePositives: []string{
				`SLACK_CONFIG_TOKEN=xoxe.xoxp-1-RANDOMSTRINGHERE`,
				`token: xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere`,
				`token: xoxe.xoxp-1-cJZjeGNWjhWBsxumya4PTFAlRsXWuq7dq0hGhFKE`,
			},
		},
		{
			ID:          "slack-config-refresh-token",
			Provider:    "Slack",
			Description: "Slack app configuration refresh token (xoxe-1-…) that mints configuration access tokens. Format: https://api.slack.com/authentication/config-tokens",
			Keywords:    []string{"xoxe-"},
			Pattern:     saasTok(`xoxe-[0-9]-[A-Za-z0-9]{130,170}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: slackRefresh,
			TruePositives: []string{
				`SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-fhyxUOmnItHQIa8TDAUZIPAu2m1ahx4VXmqrwZdGA6mVNpi0B46X8C8O7FkcsdP8tGIEKzAbGZme7TOLB3AVSS2vnheVHFujyz70cdybOkpLkLuF4GbwLxafwAyfj9UyM0r4ZDHA1e5WSP8dq6`,
				`"refresh_token": "xoxe-1-ROslgFvrgdEA5YrXC1oUNNqjS1eWbSPJO43Cuhuwx1OMQWMyDh2ikCBEjCjuWhwB0Beikca4NWws95h6NwOy8c90Kf1oOd3mS6JdtFx4SuWR4CsQizfxCszMOsBovkJdyKS0LTbBRznvSzruP4"`,
				`refresh = "xoxe-1-WC7bAserXbyEvDYj80QEdsDCm3RvA7J4quBmapF1Q0rJTau4FVXt69XKJyHxGT8EBKjn0P5t2npxnQtDMyqSNmhFboCVD1x0UMYJz48A4zmGeLmYIJ7tMV6z0M4Hfvh21WGHOtiru02trRwUpq"`,
			},
			FalsePositives: []string{
				`XOxE-RROAmw, Home and Garden, 5:24, 20120323`,
				`refresh_token: xoxe-1-xxx`,
				`refresh_token: xoxe-1-ShoRYgW62ammh1WT3M6TkbzM9rwUXYLFO12hEzO2yo1oqXAJbwbuakuikrqd`,
			},
		},
		{
			ID:          "slack-legacy-workspace-token",
			Provider:    "Slack",
			Description: "Slack workspace app access (xoxa-) or refresh (xoxr-) token of the retired workspace-apps preview. Format: https://api.slack.com/authentication/token-types",
			Keywords:    []string{"xoxa-", "xoxr-"},
			Pattern:     saasTok(`xox[ar]-(?:[0-9]-)?[A-Za-z0-9][A-Za-z0-9-]{10,150}[A-Za-z0-9]`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`"access_token": "xoxa-2-482042883757-855166094062-1960412207881-a7a7ba156d2bff7dab0aad32dfe9fb50"`,
				`SLACK_ACCESS_TOKEN=xoxa-gwmgjw2j33rcj0`,
				`"refresh_token": "xoxr-7-xaidt7mdi64jqb"`,
			},
			FalsePositives: []string{
				`https://github.com/xoxa-nyc/xoxa-nyc.github.io/blob/master/README.md`,
				`"access_token": "xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c"`,
				`token = "xoxa-your-token-here"`,
			},
		},
		{
			ID:          "slack-legacy-token",
			Provider:    "Slack",
			Description: "Legacy Slack user session (xoxs-) or legacy test/OAuth (xoxo-) token. Format: https://api.slack.com/legacy/custom-integrations/legacy-tokens",
			Keywords:    []string{"xoxs-", "xoxo-"},
			Pattern:     saasTok(`xox[os]-[0-9]{4,14}-[0-9]{4,14}-[0-9]{4,14}-[A-Fa-f0-9]{10,64}`),
			Group:       1,
			MinEntropy:  2.8,
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`SLACK_TOKEN=xoxs-140298464474-758147436281-9051516912-ae15529e9a`,
				`"access_token": "xoxs-8552429710-9031628826-6380124867-efdb9bd6f38ab368e49e0c6a339f3a7159a53f6586e5ec0707b602d32943bfc8"`,
				`token = 'xoxo-670704-689241-735554-fec7ad3440ee666009'`,
			},
			FalsePositives: []string{
				`https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg`,
				`img: EXO-XOXO-teaser-exo-k-34521098-720-516.jpg`,
				`SLACK_TOKEN=xoxs-your-legacy-token`,
			},
		},
		{
			ID:          "slack-webhook-url",
			Provider:    "Slack",
			Description: "Slack incoming webhook URL (hooks.slack.com/services/T…/B…/<secret>). Format: https://api.slack.com/messaging/webhooks",
			Keywords:    []string{"hooks.slack.com/services/"},
			Pattern:     `(?:https?://)?(hooks\.slack\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: slackWebhook,
			TruePositives: []string{
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/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`,
				`webhook_url: "https://hooks.slack.com/services/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"`,
				`requests.post("https://hooks.slack.com/services/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", json=msg)`,
			},
			FalsePositives: []string{
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
				`url: https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/your-webhook-token`,
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/${TEAM}/${HOOK}`,
			},
		},
		{
			ID:          "slack-workflow-webhook-url",
			Provider:    "Slack",
			Description: "Slack Workflow Builder webhook URL (hooks.slack.com/workflows/… or /triggers/…). Format: https://slack.com/help/articles/360041352714",
			Keywords:    []string{"hooks.slack.com/workflows/", "hooks.slack.com/triggers/"},
			Pattern:     `(?:https?://)?(hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{6,12}/(?:A[A-Z0-9]{6,12}/)?[0-9]{8,20}/[A-Za-z0-9]{20,40})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: slackWebhook,
			TruePositives: []string{
				`WORKFLOW_URL=https://hooks.slack.com/workflows/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`,
				`url: "https://hooks.slack.com/triggers/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"`,
				`curl -X POST -d @payload.json https://hooks.slack.com/workflows/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`,
			},
			FalsePositives: []string{
				`url: https://hooks.slack.com/workflows/TXXXXXXXX/AXXXXXXXX/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
				`url: https://hooks.slack.com/triggers/your-trigger-url`,
				`url: https://hooks.slack.com/workflows/${SLACK_WORKFLOW}`,
			},
		},

		// ---------------- Discord ----------------
		{
			ID:          "discord-bot-token",
			Provider:    "Discord",
			Description: "Discord bot token (<base64 bot user ID>.<timestamp>.<HMAC>), recognised next to a Discord keyword and checked to encode a numeric user ID. Format: https://discord.com/developers/docs/reference#authentication",
			Keywords:    []string{"discord", "bot_token", "bot token"},
			Pattern:     saasTok(`[MNO][A-Za-z0-9]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{saasDiscordBotToken},
			Confidence:  High,
			Remediation: discordBot,
			TruePositives: []string{
				`DISCORD_TOKEN=MTE5NjU1NjUyMjI2NDUxMTQyOQ.BlaTfs.6nRjqhJ6HnmXXWEiEEzm3cGcB0s`,
				`discord_bot_token: "OTA0NDk0OTM4MzgzOTczNzMy.NGXoGm.iVtVYfx_9noMqMvq_TwDIxrfCOI"`,
				`client.run("NjA0NjY3MDUxMjk1NDM4NTI0.daEv12.65O31zOBg9qgr9XVQ6Ei7CawoNr")  # discord bot`,
			},
			FalsePositives: []string{
				`DISCORD_TOKEN=your-discord-bot-token`,
				`discord: MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.this_is_not_a_real_token_value`,
				`discord_token = "Qm90VG9rZW5IZXJlMTIzNDU2Nzg5.Gh1JkL.bs3PByEsVZkXbaoMym7YKtljHqC2zMMv4jlngx"`,
				`DISCORD_TOKEN=${DISCORD_TOKEN}`,
			},
		},
		{
			ID:          "discord-webhook-url",
			Provider:    "Discord",
			Description: "Discord webhook URL with its token (discord.com/api/webhooks/<id>/<token>). Format: https://discord.com/developers/docs/resources/webhook#execute-webhook",
			Keywords:    []string{"discord.com/api/", "discordapp.com/api/"},
			Pattern:     `(https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v[0-9]{1,2}/)?webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,80})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: discordHook,
			TruePositives: []string{
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/393019278783471278/tSU-wXwxSiWiiBCCkUWj2EEdR_BwRtVSeJOMxo92MKD88C953utMlfQtqoCDbzGc4GK5`,
				`webhook_url: "https://discordapp.com/api/webhooks/1115620611359270060/uLRy_WT51fxllRYprcuVvLEZ7J8kojnYppUGmbPqmOHKgELs_6XgF_w_JhSWxn7tRuxt"`,
				`requests.post("https://canary.discord.com/api/v10/webhooks/739079051681953570/5RG294II4ayxI7zgSc6Gr0LuAgV2TyEJ1dxO4XxH5zzD79pBJSv29A-G8G-dJKm2FH70", json=data)`,
			},
			FalsePositives: []string{
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/{webhook.id}/{webhook.token}`,
				`url = "https://discord.com/api/webhooks/464964017421835219/duf9rMpCtYKJmOjKTO0D"`,
			},
		},

		// ---------------- Telegram ----------------
		{
			ID:            "telegram-bot-token",
			Provider:      "Telegram",
			Description:   "Telegram Bot API token (<bot id>:<35-character secret>) next to a Telegram or bot keyword. Format: https://core.telegram.org/bots/api#authorizing-your-bot",
			Keywords:      []string{"telegram", "bot"},
			KeywordWindow: 1,
			Pattern:       `(?:^|[^A-Za-z0-9_:-])([0-9]{5,16}:A[A-Za-z0-9_-]{34})(?:[^A-Za-z0-9_-]|$)`,
			Group:         1,
			MinEntropy:    3.5,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   telegram,
			TruePositives: []string{
				`TELEGRAM_BOT_TOKEN=5723596657:AAnAqR-Fz7xdkF0OUERT6K0fOJJcKhduCBB`,
				`bot = telebot.TeleBot("112715968:AAKrkJvKaqP21WcYON45l8dhLNhew_NRXYS")`,
				`telegram:` + "\n" + `  token: "8537522166:AAgG1-zzP2yxd2aTg5VdTFlU3ykwJOXEcBV"`,
			},
			FalsePositives: []string{
				`TELEGRAM_BOT_TOKEN=123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ`,
				`telegram_api_token = "6789:A5n_b3jBx3hkT_u-cRjkNfgIAZ5Itij4Xet"`,
				`telegram_api_token = "2406484032:Az1QIE29YcLQ4WPzhMfKrAA2ZCjKh6UFOmE-some-other-thing"`,
				`<xsd:element name="AgencyIdentificationCode" type="clm61927:AgencyIdentificationCodeContentType"/> <!-- bot -->`,
			},
		},

		// ---------------- Stripe ----------------
		{
			ID:          "stripe-secret-key",
			Provider:    "Stripe",
			Description: "Stripe live-mode secret API key (sk_live_). Test-mode keys (sk_test_) move no money and are not reported; publishable keys (pk_) are public. Format: https://docs.stripe.com/keys",
			Keywords:    []string{"sk_live_"},
			Pattern:     saasTok(`sk_live_[A-Za-z0-9]{24,247}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: stripe,
			TruePositives: []string{
				`export STRIPE_SECRET_KEY=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`,
				`stripe.api_key = "sk_live_fPrFkrFKsB22WHJpTXId4mau"`,
				`"stripeSecret": "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"`,
			},
			FalsePositives: []string{
				`STRIPE_SECRET_KEY=sk_test_519SOBKSa2SrBFdKYGIYlEAsdNdCZMUWQYz6CYYmYtvOSZ1HLWGLf7lymiUNTqlJ8MZylGmp8u6tuwKL6G4Mf7P13XxigeqXNQj`,
				`STRIPE_PUBLISHABLE_KEY=pk_live_51RQKn0TEcIeGpf2pWCb7RNOXlR2xsKTo118YOdktmVxZQTCSjMlPm3baZTPGqzOzH4dMowjimthvA9aLluqx9oTICeGfjlPMZ1`,
				`STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx`,
				`STRIPE_SECRET_KEY=sk_live_sBybyMJ6Qv`,
			},
		},
		{
			ID:          "stripe-restricted-key",
			Provider:    "Stripe",
			Description: "Stripe live-mode restricted API key (rk_live_). Format: https://docs.stripe.com/keys#limit-access",
			Keywords:    []string{"rk_live_"},
			Pattern:     saasTok(`rk_live_[A-Za-z0-9]{24,247}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: stripe,
			TruePositives: []string{
				`STRIPE_RESTRICTED_KEY=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`,
				`stripe_key: "rk_live_EDAUCgrx1zEgJm4MCfJC2QZh"`,
				`Stripe::StripeClient.new("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")`,
			},
			FalsePositives: []string{
				`STRIPE_RESTRICTED_KEY=rk_test_51Qc2WPjpOxWSyV0jRTil0PAawB5DgOGpAiO9Jfq6r6Yd5xVCq0g7AGrs8it2REJWuLBCbyaotxku6xQWcsqAeigyFi3UEXaieO`,
				`STRIPE_RESTRICTED_KEY=rk_live_your_restricted_key`,
				`STRIPE_RESTRICTED_KEY=rk_live_o6hRb4qu40Hj`,
			},
		},
		{
			ID:          "stripe-webhook-secret",
			Provider:    "Stripe",
			Description: "Stripe webhook endpoint signing secret (whsec_). Format: https://docs.stripe.com/webhooks#verify-events",
			Keywords:    []string{"whsec_"},
			Pattern:     saasTok(`whsec_[A-Za-z0-9]{32,64}`),
			Group:       1,
			MinEntropy:  3.3,
			Confidence:  High,
			Remediation: stripeWebhook,
			TruePositives: []string{
				`STRIPE_WEBHOOK_SECRET=whsec_aRPOzV7uocSd5V1bcyKO4U9CC6uILseS`,
				`endpoint_secret = 'whsec_c3a2653421be7231f069e41d9acb8ec56a26fdd3b6944d508e4a5d9ce52b7f94'`,
				`"webhookSecret": "whsec_XAJQ5A8DM1iTZQmgXsYEnLDzwoXJ0tx2"`,
			},
			FalsePositives: []string{
				`STRIPE_WEBHOOK_SECRET=whsec_...`,
				`STRIPE_WEBHOOK_SECRET=whsec_your_webhook_signing_secret`,
				`STRIPE_WEBHOOK_SECRET=whsec_7jj85qZOY5qPgNHg`,
			},
		},

		// ---------------- Square ----------------
		{
			ID:          "square-access-token",
			Provider:    "Square",
			Description: "Square access token (EAAA + 60 characters), personal or OAuth. Format: https://developer.squareup.com/docs/build-basics/access-tokens",
			Keywords:    []string{"eaaa"},
			Pattern:     saasTok(`EAAA[A-Za-z0-9_-]{60}`),
			Group:       1,
			MinEntropy:  3.8,
			Confidence:  High,
			Remediation: square,
			TruePositives: []string{
				`SQUARE_ACCESS_TOKEN=EAAAq2TlqUt_gr8m6JXxyV1teq4zH0da8O1fAQTA24Yfj0gf-RMU0MaLRS3GtmFt`,
				`square_token: "EAAAlb8MyOt1erZfZlywIs8l2LNFq2k6nAdKrHq77wyhCayD9Y-DKNief__0MNEw"`,
				`client = Client(access_token="EAAA8GbKVxDMPfEeJ6-ROmSEiRnzoheoM4QDHyDquSvKBvLZC-AlH6KjqIh3ufMe", environment="production")`,
			},
			FalsePositives: []string{
				`aws-cli@sha256:eaaa7b11777babe28e6133a8b19ff71cea687e0d7f05158dee95a71f76ce3d00`,
				`SQUARE_ACCESS_TOKEN=EAAAKnsse1htI0ONGtYy5PuNZAARswx1SZ`,
				`SQUARE_ACCESS_TOKEN=EAAAyour_access_token_here`,
			},
		},
		{
			ID:          "square-legacy-access-token",
			Provider:    "Square",
			Description: "Legacy Square personal access token (sq0atp-). Format: https://developer.squareup.com/docs/build-basics/access-tokens",
			Keywords:    []string{"sq0atp-"},
			Pattern:     saasTok(`sq0atp-[A-Za-z0-9_-]{22}`),
			Group:       1,
			MinEntropy:  3.3,
			Confidence:  High,
			Remediation: square,
			TruePositives: []string{
				`SQUARE_TOKEN=sq0atp-sgdFooDwO9ke_oWRYmMCna`,
				`"squareToken": "sq0atp-ECmw65R0dlrtq9CpctSbZb"`,
				`square_access_token: 'sq0atp-W2OSSZUMcUZpCVc5wTlaIW'`,
			},
			FalsePositives: []string{
				`SQUARE_TOKEN=sq0atp-XXXXXXXXXXXXXXXXXXXXXX`,
				`SQUARE_TOKEN=sq0atp-812erere3wewew45678901`,
				`SQUARE_TOKEN=sq0atp-UNWy9KiBwn`,
			},
		},
		{
			ID:          "square-application-secret",
			Provider:    "Square",
			Description: "Square OAuth application secret (sq0csp-). Format: https://developer.squareup.com/docs/oauth-api/overview",
			Keywords:    []string{"sq0csp-"},
			Pattern:     saasTok(`sq0csp-[A-Za-z0-9_-]{43}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: squareSecret,
			TruePositives: []string{
				`SQUARE_APP_SECRET=sq0csp-EipNGwkYB5ZYCCUW0RD8GrglrXz2iOl2ZlYWLGFvEki`,
				`square_client_secret: "sq0csp-phQBvpRQbgeomMTXEyyjhP_QylVMSqUEsqE5CybLNZC"`,
				`"applicationSecret": "sq0csp-xANpiqidl3JqmTD7nalTyXQgokBWCEiz5g6CX9jgTqo"`,
			},
			FalsePositives: []string{
				`SQUARE_APP_SECRET=sq0csp-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`SQUARE_APP_SECRET=sq0csp-your-application-secret`,
				`SQUARE_APP_SECRET=sq0csp-Yzo4LAcCyGqykl9WJ_3G`,
			},
		},

		// ---------------- PayPal / Braintree ----------------
		{
			ID:          "braintree-access-token",
			Provider:    "PayPal Braintree",
			Description: "PayPal Braintree SDK production access token (access_token$production$<merchant>$<secret>). Format: https://developer.paypal.com/braintree/docs/guides/paypal/server-side",
			Keywords:    []string{"access_token$production$"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: braintree,
			TruePositives: []string{
				`BRAINTREE_ACCESS_TOKEN=access_token$production$ngkzgzi7lkffzwgs$c83d694cb35afdab2d1941e6c30671a8`,
				`gateway = braintree.BraintreeGateway(access_token="access_token$production$j71u356rn0bymyfk$885a057a9df912c1d518d2a413465425")`,
				`braintree_token: 'access_token$production$h4z1mg8f4f18a38a$7ae3855c614052c228ec9e5ece2d1253'`,
			},
			FalsePositives: []string{
				`BRAINTREE_ACCESS_TOKEN=access_token$sandbox$k24fevik25dfqv2x$6e56fdb09f599c45cf9617b5bf549dd6`,
				`BRAINTREE_ACCESS_TOKEN=access_token$production$merchantid$accesstoken`,
				`BRAINTREE_ACCESS_TOKEN=access_token$production$41av6dmnvt51wbjg$4481e72c4968cdfd`,
			},
		},

		// ---------------- Shopify ----------------
		{
			ID:          "shopify-access-token",
			Provider:    "Shopify",
			Description: "Shopify Admin API access token (shpat_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpat_"},
			Pattern:     saasTok(`shpat_[a-fA-F0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopify,
			TruePositives: []string{
				`SHOPIFY_ACCESS_TOKEN=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`,
				`"X-Shopify-Access-Token": "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"`,
				`shopify_token: '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'`,
			},
			FalsePositives: []string{
				`SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SHOPIFY_ACCESS_TOKEN=shpat_ba5ed77a377694610543`,
				`SHOPIFY_ACCESS_TOKEN=shpat_21guynl8rd8iqo3t1fmnoivfq78wdplj`,
			},
		},
		{
			ID:          "shopify-custom-app-access-token",
			Provider:    "Shopify",
			Description: "Shopify custom app access token (shpca_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpca_"},
			Pattern:     saasTok(`shpca_[a-fA-F0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopify,
			TruePositives: []string{
				`SHOPIFY_TOKEN=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`,
				`shopify_access_token: "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"`,
				`session = ShopifyAPI::Auth::Session.new(shop: shop, access_token: "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")`,
			},
			FalsePositives: []string{
				`SHOPIFY_TOKEN=shpca_00000000000000000000000000000000`,
				`SHOPIFY_TOKEN=shpca_43f997963d0d35849463e08d`,
				`SHOPIFY_TOKEN=shpca_your_token`,
			},
		},
		{
			ID:          "shopify-private-app-access-token",
			Provider:    "Shopify",
			Description: "Legacy Shopify private app password / access token (shppa_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shppa_"},
			Pattern:     saasTok(`shppa_[a-fA-F0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopifyPrivate,
			TruePositives: []string{
				`SHOPIFY_PASSWORD=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`,
				`"shopifyPassword": "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"`,
				`shop_url = "https://apikey: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@mystore.myshopify.com/admin"`,
			},
			FalsePositives: []string{
				`SHOPIFY_PASSWORD=shppa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`SHOPIFY_PASSWORD=shppa_b3e0f948ea3758517b526df7026ba65`,
				`SHOPIFY_PASSWORD=shppa_<password>`,
			},
		},
		{
			ID:          "shopify-shared-secret",
			Provider:    "Shopify",
			Description: "Shopify app shared secret / client secret (shpss_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpss_"},
			Pattern:     saasTok(`shpss_[a-fA-F0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopifySecret,
			TruePositives: []string{
				`SHOPIFY_API_SECRET=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`,
				`shopify_api_secret: "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"`,
				`ShopifyAPI::Context.setup(api_key: key, api_secret_key: "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")`,
			},
			FalsePositives: []string{
				`SHOPIFY_API_SECRET=shpss_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SHOPIFY_API_SECRET=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d4f08702`,
				`SHOPIFY_API_SECRET=${SHOPIFY_API_SECRET}`,
			},
		},

		// ---------------- Twilio ----------------
		{
			ID:            "twilio-api-key",
			Provider:      "Twilio",
			Description:   "Twilio API key SID (SK + 32 hex) near a Twilio keyword; the key's secret is usually next to it. Format: https://www.twilio.com/docs/iam/api-keys",
			Keywords:      []string{"twilio"},
			KeywordWindow: 3,
			Pattern:       saasTok(`SK[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   twilioKey,
			TruePositives: []string{
				`TWILIO_API_KEY=SK270f5222920e1d7faad99d5f4c243e96`,
				`"twilioApiKey": "SK8cdc050b4492ad90b6416c459b0928c4"`,
				`from twilio.rest import Client` + "\n" + `client = Client("SK04a7f575d0e58affdcdcefeb15a938ba", api_secret, account_sid)`,
			},
			FalsePositives: []string{
				`TWILIO_API_KEY=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`TWILIO_API_KEY=SK405408f32d847185d796`,
				`build_id = "SK28981108e36f45a39635c851c8cb3534"`,
			},
		},
		{
			ID:            "twilio-auth-token",
			Provider:      "Twilio",
			Description:   "Twilio account auth token (32 hex) assigned to an auth-token name near a Twilio keyword. Format: https://www.twilio.com/docs/iam/api/authtoken",
			Keywords:      []string{"twilio"},
			KeywordWindow: 3,
			Pattern:       saasAssigned(`auth[_.-]?token|twilio[A-Za-z0-9_.-]{0,20}?(?:token|secret)`, `[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   twilioAuth,
			TruePositives: []string{
				`TWILIO_AUTH_TOKEN=46a8ec66bf59085311e4b81ca6931087`,
				`account_sid = "ACa8565f514366a2563a972334912017f7"` + "\n" + `auth_token = "b855fe5f749499dd81a7003c26a6f546"` + "\n" + `client = twilio.rest.Client(account_sid, auth_token)`,
				`twilio:` + "\n" + `  authToken: "4b013f0a629fb9ae3d12806014c8ee2a"`,
			},
			FalsePositives: []string{
				`TWILIO_AUTH_TOKEN=your_auth_token`,
				`TWILIO_AUTH_TOKEN=3e82da34b66d60e699d6`,
				`auth_token = "d131cd44227380fbd028251ddc111a21"  # unrelated service`,
			},
		},

		// ---------------- SendGrid ----------------
		{
			ID:          "sendgrid-api-key",
			Provider:    "SendGrid",
			Description: "Twilio SendGrid API key (SG.<22-char key ID>.<43-char secret>). Format: https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
			Keywords:    []string{"sg."},
			Pattern:     saasTok(`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: sendgrid,
			TruePositives: []string{
				`SENDGRID_API_KEY=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`,
				`sg = SendGridAPIClient("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")`,
				`sendgrid: { apiKey: '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' }`,
			},
			FalsePositives: []string{
				`SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SENDGRID_API_KEY=SG.ZdS9F2oGf9lae_MPPekY1c`,
				`SENDGRID_API_KEY=SG.your-api-key`,
			},
		},

		// ---------------- Mailgun ----------------
		{
			ID:            "mailgun-api-key",
			Provider:      "Mailgun",
			Description:   "Mailgun private API key in the original key-<32 hex> form, near a Mailgun keyword. Format: https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
			Keywords:      []string{"mailgun"},
			KeywordWindow: 3,
			Pattern:       saasTok(`key-[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   mailgun,
			TruePositives: []string{
				`MAILGUN_API_KEY=key-f7a6ee1f04be8d51aa70321af6cf739d`,
				`"mailgunToken": "key-f56a43d30c6ca78c49de23a3a18160df"`,
				`mailgun:` + "\n" + `  api_key: key-91cf4849787166a90287ba0f3e1bb901`,
			},
			FalsePositives: []string{
				`MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`MAILGUN_API_KEY=key-d630a893041fe3197c78`,
				`cache-key-d0ecf0fc7dff3c3b59ad4f02a9eae9b4`,
			},
		},
		{
			ID:            "mailgun-private-key",
			Provider:      "Mailgun",
			Description:   "Mailgun API key in the current <32 hex>-<8 hex>-<8 hex> form, near a Mailgun keyword. Format: https://documentation.mailgun.com/docs/mailgun/user-manual/api-key-mgmt/rbac-mgmt",
			Keywords:      []string{"mailgun"},
			KeywordWindow: 3,
			Pattern:       saasTok(`[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}`),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   mailgun,
			TruePositives: []string{
				`MAILGUN_API_KEY=b958134ae509ba8c17b59f9c0a0ea744-08147eb5-5def5b51`,
				`mg = Mailgun(api_key="102d1ef1dea5707d7d05158b3a07e692-3b81ed8e-314ddf24")  # mailgun`,
				`"mailgunKey": "09061cc87c26c7e3469ca71c88506964-4a079d5c-3cd2ad88"`,
			},
			FalsePositives: []string{
				`MAILGUN_API_KEY=your-mailgun-api-key`,
				`MAILGUN_API_KEY=403f1bd50f8f4dff47d56eaf8de1b8c5-9be24551`,
				`request_id = "c9e99e81df17c731171939b64dfebfc5-8be5f84c-648bdf1a"`,
			},
		},

		// ---------------- Mailchimp ----------------
		{
			ID:          "mailchimp-api-key",
			Provider:    "Mailchimp",
			Description: "Mailchimp Marketing API key (32 hex + -us<data center>). Format: https://mailchimp.com/developer/marketing/guides/quick-start/",
			Keywords:    []string{"-us"},
			Pattern:     `(?:^|[^A-Za-z0-9_])([0-9a-f]{32}-us[0-9]{1,2})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: mailchimp,
			TruePositives: []string{
				`MAILCHIMP_API_KEY=57fb46388cb963aacd9943a17054d6ff-us21`,
				`mailchimp.setConfig({ apiKey: "951a9b52868fe8883e5184e0577762da-us6", server: "us6" });`,
				`mc_api_key: 409c00b15ebb5ba9c9596f9c441a7ae4-us14`,
			},
			FalsePositives: []string{
				`MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us21`,
				`MAILCHIMP_API_KEY=0a93afde5185fa46588c1a62-us21`,
				`MAILCHIMP_API_KEY=your_api_key-us21`,
			},
		},

		// ---------------- Postmark ----------------
		{
			ID:            "postmark-api-token",
			Provider:      "Postmark",
			Description:   "Postmark server or account API token (a UUID) assigned near a Postmark keyword or in an X-Postmark-*-Token header. Format: https://postmarkapp.com/developer/api/overview#authentication",
			Keywords:      []string{"postmark"},
			KeywordWindow: 2,
			Pattern:       saasAssigned(`x-postmark-(?:server|account)-token|postmark[A-Za-z0-9_.-]{0,25}?(?:token|key)|server[_-]?token|account[_-]?token|postmark_?client|postmarkclient`, `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`),
			Group:         1,
			Exempt:        DecoyUUID,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   postmark,
			TruePositives: []string{
				`POSTMARK_SERVER_TOKEN=1581d164-c69b-406d-9479-7f88c93fc00b`,
				`curl https://api.postmarkapp.com/email -H "X-Postmark-Server-Token: d0296f7e-28a3-451e-9111-acb2d52a7b8e"`,
				`client = PostmarkClient("adc9ba75-7354-40b5-83fb-9055e9407b3f")`,
			},
			FalsePositives: []string{
				`POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000`,
				`POSTMARK_SERVER_TOKEN=your-server-token`,
				`POSTMARK_MESSAGE_ID: 06ba24ec-68f0-47a4-a910-2a0e74efb0b5`,
				`request_token = "431d98d9-ad00-49a7-9b5b-4a7f04996267"`,
			},
		},

		// ---------------- Datadog ----------------
		{
			ID:            "datadog-api-key",
			Provider:      "Datadog",
			Description:   "Datadog API key (32 hex) assigned to a Datadog / DD_API_KEY name, or to api_key within two lines of a Datadog keyword. Format: https://docs.datadoghq.com/account_management/api-app-keys/",
			Keywords:      []string{"datadog", "dd_api", "dd-api", "ddapi"},
			KeywordWindow: 2,
			Pattern:       saasAssigned(`dd[_-]?api[_-]?key|datadog[A-Za-z0-9_.-]{0,25}?(?:key|token)|\bapi[_-]?key`, `[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   datadogAPI,
			TruePositives: []string{
				`DD_API_KEY=b816a38efbc1db468a50da9d3a685586`,
				`datadog_api_key: "47fcaa56cb5423212549c950986b2ea7"`,
				`datadog:` + "\n" + `  site: datadoghq.eu` + "\n" + `  api_key: 772b2bdea4454d067a70f48203479076`,
			},
			FalsePositives: []string{
				`DD_API_KEY=<DATADOG_API_KEY>`,
				`api_key = "5bc5e519f3756f95d284aa9f1b1a5d6a"  # some other service`,
				`DD_API_KEY=d9ecbe6c5e246caa3b28`,
				`DATADOG_API_KEY=${DD_API_KEY}`,
			},
		},
		{
			ID:            "datadog-app-key",
			Provider:      "Datadog",
			Description:   "Datadog application key (40 hex) assigned to a Datadog application-key / DD_APP_KEY name, or to app_key within two lines of a Datadog keyword. Format: https://docs.datadoghq.com/account_management/api-app-keys/",
			Keywords:      []string{"datadog", "dd_app", "dd-app", "ddapp"},
			KeywordWindow: 2,
			Pattern:       saasAssigned(`dd[_-]?app(?:lication)?[_-]?key|datadog[A-Za-z0-9_.-]{0,20}?app(?:lication)?[_-]?key|\bapp(?:lication)?[_-]?key`, `[0-9a-f]{40}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   datadogApp,
			TruePositives: []string{
				`DD_APP_KEY=e3905a0e92ff99dc5b15548e88d237b32252046d`,
				`datadog_application_key: "d9d5b3327f2769a810ca24298e1e158e17df9832"`,
				`export DATADOG_APP_KEY='ef36760a51f88de822c30ad50a72bbec47e8dbed'`,
				`from datadog_api_client import Configuration` + "\n" + `config.api_key["appKeyAuth"] = "389e6472e8f903936c651766a6c4938b6320df48"`,
			},
			FalsePositives: []string{
				`DD_APP_KEY=<DATADOG_APP_KEY>`,
				`DD_APP_KEY=6a6ef2e2180011468f1a7c0b734644d0`,
				`DD_APP_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},

		// ---------------- New Relic ----------------
		{
			ID:          "newrelic-user-api-key",
			Provider:    "New Relic",
			Description: "New Relic user API key (NRAK- + 27 characters) for NerdGraph and REST. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#user-key",
			Keywords:    []string{"nrak-"},
			Pattern:     saasTok(`NRAK-[A-Za-z0-9]{27}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: newrelic,
			TruePositives: []string{
				`NEW_RELIC_API_KEY=NRAK-CHZ1PR057XH3AQKT3A711XCD24J`,
				`newrelic_user_key: "NRAK-4DND2ZDEQS8N5JA3S0QXYLVFJP1"`,
				`headers = {"API-Key": "NRAK-74FEE1T3CJNCE0MZAOLPVGKTOWR"}`,
			},
			FalsePositives: []string{
				`NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`NEW_RELIC_API_KEY=NRAK-TTLC45TOFVT9`,
				`NEW_RELIC_API_KEY=NRAK-your-user-key`,
			},
		},
		{
			ID:          "newrelic-insert-key",
			Provider:    "New Relic",
			Description: "New Relic Insights insert key (NRII-) or query key (NRIQ-). Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#insights-insert-key",
			Keywords:    []string{"nrii-", "nriq-"},
			Pattern:     saasTok(`NRI[IQ]-[A-Za-z0-9_-]{32}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: newrelicIngest,
			TruePositives: []string{
				`NEW_RELIC_INSERT_KEY=NRII-f3HPwhm_CmxoWPEDFGNHH2psGll7fhed`,
				`"insertKey": "NRII-GtBgI816ZlDL403zidOo-peCaGYsdIsL"`,
				`NEW_RELIC_QUERY_KEY: NRIQ-YTr_umKC0dGyb5coComA32VAwRCBQTOK`,
			},
			FalsePositives: []string{
				`NEW_RELIC_INSERT_KEY=NRII-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`NEW_RELIC_INSERT_KEY=NRII-yY6yqV0peUznOtKj`,
				`NEW_RELIC_INSERT_KEY=NRII-your-insert-key`,
			},
		},
		{
			ID:          "newrelic-license-key",
			Provider:    "New Relic",
			Description: "New Relic ingest license key in the current 40-character format ending in NRAL. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key",
			Keywords:    []string{"nral"},
			Pattern:     saasTok(`[a-z0-9]{36}NRAL`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: newrelicIngest,
			TruePositives: []string{
				`NEW_RELIC_LICENSE_KEY=b1432fbd63f240ff0c4c9be39a9d46614236NRAL`,
				`license_key: eu01xx5685ca073d235b914e5aac02b3772aNRAL`,
				`newrelic.ini: license_key = "78f26ec0290298194ab1a3dcb08a4fa55b68NRAL"`,
			},
			FalsePositives: []string{
				`NEW_RELIC_LICENSE_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxNRAL`,
				`NEW_RELIC_LICENSE_KEY=ab2152ab602dd0748fceNRAL`,
				`NEW_RELIC_LICENSE_KEY=<your-license-key>NRAL`,
			},
		},
		{
			ID:          "newrelic-browser-key",
			Provider:    "New Relic",
			Description: "New Relic browser ingest key (NRJS- + 19 hex); it ships in the browser agent snippet, so it is only worth rotating when abused. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#browser-key",
			Keywords:    []string{"nrjs-"},
			Pattern:     saasTok(`NRJS-[a-f0-9]{19}`),
			Group:       1,
			MinEntropy:  2.8,
			Confidence:  Medium,
			Remediation: newrelicBrowser,
			TruePositives: []string{
				`NEW_RELIC_BROWSER_KEY=NRJS-7833a818ae49777a948`,
				`licenseKey:"NRJS-3ee2d7e877acf27c68a",applicationID:"258109229"`,
				`"browserKey": "NRJS-053031251ac0d549119"`,
			},
			FalsePositives: []string{
				`NEW_RELIC_BROWSER_KEY=NRJS-xxxxxxxxxxxxxxxxxxx`,
				`NEW_RELIC_BROWSER_KEY=NRJS-c572da237301`,
				`NEW_RELIC_BROWSER_KEY=NRJS-bb9e16e90c8db52407acb9f68fc176a0`,
			},
		},
		{
			ID:          "newrelic-admin-key",
			Provider:    "New Relic",
			Description: "Legacy New Relic admin API key (NRAA- + 27 hex). Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#admin",
			Keywords:    []string{"nraa-"},
			Pattern:     saasTok(`NRAA-[a-f0-9]{27}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: newrelic,
			TruePositives: []string{
				`NEW_RELIC_ADMIN_KEY=NRAA-15183da332adf28bf6d9ce3efb3`,
				`"X-Api-Key": "NRAA-a693b867bd5ca1c244e62f799ef"`,
				`admin_api_key: NRAA-9735a4f693e4ae4a83d3b42964b`,
			},
			FalsePositives: []string{
				`NEW_RELIC_ADMIN_KEY=NRAA-xxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`NEW_RELIC_ADMIN_KEY=NRAA-d65a1641d800`,
				`NEW_RELIC_ADMIN_KEY=NRAA-your-admin-key`,
			},
		},

		// ---------------- Sentry ----------------
		{
			ID:          "sentry-org-token",
			Provider:    "Sentry",
			Description: "Sentry organization auth token (sntrys_<base64 JSON claims>_<secret>), checked to carry the iat and org claims. Format: https://docs.sentry.io/account/auth-tokens/#organization-tokens",
			Keywords:    []string{"sntrys_"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(sntrys_eyJ[A-Za-z0-9+/]{30,600}={0,2}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			Validators:  []Validator{saasSentryOrgToken},
			Confidence:  High,
			Remediation: sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=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`,
				`authToken: "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",`,
				`sentry-cli --auth-token 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 releases new 1.2.3`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=sntrys_LQNUIQE84vibAQD4ijsDNsO5bdhhGkARq_GMk_ongAnWarsS86ORkwzXh6p7FnhOzxdCSyzc86IVNkxo02P8gCyeao_TX9nN-XW2kBcCpdHN7w6vhIYW7OBCXhQBjFxb47Ty7C`,
				`SENTRY_AUTH_TOKEN=sntrys_your_org_token`,
				`SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_wZFwcgIysFtOZtf1mY2l`,
			},
		},
		{
			ID:          "sentry-user-token",
			Provider:    "Sentry",
			Description: "Sentry user auth token (sntryu_ + 64 hex). Format: https://docs.sentry.io/account/auth-tokens/#user-auth-tokens",
			Keywords:    []string{"sntryu_"},
			Pattern:     saasTok(`sntryu_[a-f0-9]{64}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=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`,
				`auth.token=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`,
				`headers = {"Authorization": "Bearer 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"}`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=sntryu_540f397f3063d7afcefe2addaca1d7532ce2e3715ea2cab9a26af93c2ee1628`,
				`SENTRY_AUTH_TOKEN=sntryu_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
				`SENTRY_AUTH_TOKEN=sntryu_475a7407b08725949f54d245a5cd38d50e6091d68b18ae755e3ff6bff4f6cbb52`,
			},
		},
		{
			ID:            "sentry-legacy-auth-token",
			Provider:      "Sentry",
			Description:   "Legacy unprefixed Sentry auth token (64 hex) assigned to a Sentry auth-token name. Format: https://docs.sentry.io/api/auth/",
			Keywords:      []string{"sentry"},
			KeywordWindow: 1,
			Pattern:       saasNear(`sentry[A-Za-z0-9_.-]{0,20}?(?:auth[_.-]?)?token`, `[a-f0-9]{64}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=df6ea38e22a4ec41b665c6ea3e47f2b58414ef5a7b4a85e237c310246d9d6040`,
				`"sentryToken": "8276d00a14a0d1476c3b723d4ed29fd11de8a99d0a6689066a7dc88df6f9fd60"`,
				`sentry_auth_token: 'af031ee2c57f73a520fb934bb016c08f8e6326ab7947e2262a8c425373105fb4'`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=858f5d3e005d6feefc55bbe0f5e4de92cd56e116`,
				`SENTRY_AUTH_TOKEN=${{ secrets.SENTRY_AUTH_TOKEN }}`,
				`sentry_release_sha256 = "ee83ddc76784406055cf8e01b1de584711f97bfcce743baf1e22a24bce7fd768"`,
			},
		},
		{
			ID:          "sentry-dsn-secret",
			Provider:    "Sentry",
			Description: "Legacy Sentry DSN that still carries the project's secret key (https://<public>:<secret>@…sentry.io/<project>). Format: https://docs.sentry.io/concepts/key-terms/dsn-explainer/",
			Keywords:    []string{"sentry.io/"},
			Pattern:     `(https?://[0-9a-f]{32}:[0-9a-f]{32}@(?:[A-Za-z0-9-]+\.)*sentry\.io/[0-9]{1,12})(?:[^0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: sentryDSN,
			TruePositives: []string{
				`SENTRY_DSN=https://cbc35443f9fac482512d01b85d37f849:3438511ffcb01ea01d7461db42677d5b@o108429.ingest.sentry.io/9309696`,
				`Raven.config('https://96fcaebc1a7e610ba81100c210561a70:ad4079f8938ff5c5db9ee893a9c77615@sentry.io/326552').install()`,
				`dsn: "https://059250f5fbc725300644a3c6864f5d26:0146701499a03bb1bd9d8276fc9fbaa3@app.getsentry.sentry.io/42546"`,
			},
			FalsePositives: []string{
				`SENTRY_DSN=https://fb46e46ace21f1a292688e3ea97017d1@o373831.ingest.sentry.io/9435856`,
				`SENTRY_DSN=https://public:secret@sentry.io/1`,
				`SENTRY_DSN=https://<key>:<secret>@sentry.io/<project>`,
			},
		},

		// ---------------- Grafana ----------------
		{
			ID:          "grafana-cloud-token",
			Provider:    "Grafana",
			Description: "Grafana Cloud access policy token (glc_ + base64). Format: https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
			Keywords:    []string{"glc_"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(glc_[A-Za-z0-9+/]{32,400}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: grafanaCloud,
			TruePositives: []string{
				`GRAFANA_CLOUD_TOKEN=glc_eyJvIjoiODk1NDMzIiwibiI6InN0YWNrLTIwMTk5MC1obS1yZWFkLWJ4aXFpbCIsImsiOiJzb1VuRVNERjFzU20zbkFLNXpPSUloUmZTTWtRbE12ZyIsIm0iOnsiciI6InByb2QtdXMtZWFzdC0wIn19`,
				`loki_key: glc_eyJvIjoiODAzOTA1IiwibiI6InN0YWNrLTQ3MDE3MC1obS1yZWFkLXphaGdqciIsImsiOiJQcE1GdlFIdk81dlhab210eXloMXFMTG9QZk9nakxkQiIsIm0iOnsiciI6InByb2QtdXMtZWFzdC0wIn19`,
				`password: "glc_l7dHb1p6YWeVitqH6u3SG4u9yMWOrPUw"`,
			},
			FalsePositives: []string{
				`API_KEY="glc_111111111111111111111111111111111111111111="`,
				`void GLC_StateBeginUnderwaterAliasModelCaustics(texture_ref base_texture, texture_ref caustics_texture)`,
				`GRAFANA_CLOUD_TOKEN=glc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		{
			ID:          "grafana-service-account-token",
			Provider:    "Grafana",
			Description: "Grafana service account token (glsa_ + 32 characters + _ + 8 hex checksum). Format: https://grafana.com/docs/grafana/latest/administration/service-accounts/",
			Keywords:    []string{"glsa_"},
			Pattern:     saasTok(`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: grafanaSA,
			TruePositives: []string{
				`GRAFANA_TOKEN=glsa_Qxr6agNwTZqmt0LpIMRee8Y1Tc77Ub4R_b93b594d`,
				`'Authorization': 'Bearer glsa_CuKzb3BYrC1XECciWkSECc9LKOcpkUGc_8cfe2166'`,
				`grafana_auth: "glsa_t5zTTmhrXFv0cxolNwhTwlTlCilWsUNs_5b44c364"`,
			},
			FalsePositives: []string{
				`GRAFANA_TOKEN=glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA`,
				`GRAFANA_TOKEN=glsa_kcD3VlGbtAWaHDQbk9e1_64c3e42c`,
				`GRAFANA_TOKEN=glsa_your_service_account_token`,
			},
		},
		{
			ID:          "grafana-api-key",
			Provider:    "Grafana",
			Description: "Legacy Grafana API key (base64 JSON starting {\"k\":\" — eyJrIjoi). Format: https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/",
			Keywords:    []string{"eyjrijoi"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(eyJrIjoi[A-Za-z0-9+/]{40,200}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: grafanaLegacy,
			TruePositives: []string{
				`GRAFANA_API_KEY=eyJrIjoienhhRFd5N01FNHBkV2NFemIzSFBrUnhacXU2UXJYZjkiLCJuIjoiY2ktb2J5cWMiLCJpZCI6NX0=`,
				`"Authorization": "Bearer eyJrIjoiUHlrdjc1eFY5QlNyMGtRSVNWbTZuRlVqT1RZSGg0clUiLCJuIjoiY2kta3d3ZnYiLCJpZCI6ODh9"`,
				`grafana_api_key: 'eyJrIjoiMW1EeEFIU1pjRE5tSUV1THBlcWY4c3NDaUM2Z1l2ODAiLCJuIjoiY2ktYmh6eXEiLCJpZCI6MTN9'`,
			},
			FalsePositives: []string{
				`GRAFANA_API_KEY=eyJrIjoiXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`GRAFANA_API_KEY=eyJrIjoi4OH96tSnUkKw`,
				`GRAFANA_API_KEY=eyJrIjoiyour_api_key_here_from_the_grafana_ui_please`,
			},
		},

		// ---------------- PagerDuty ----------------
		{
			ID:          "pagerduty-api-key",
			Provider:    "PagerDuty",
			Description: "PagerDuty REST API key or user token (20 characters, user tokens start u+) assigned to a PagerDuty name. Format: https://developer.pagerduty.com/docs/authentication",
			Keywords:    []string{"pagerduty", "pager_duty", "pd_api", "pd_token"},
			Pattern:     saasAssigned(`pager_?duty[A-Za-z0-9_.-]{0,25}?(?:key|token)|pd_(?:api_)?(?:key|token)`, `(?:u\+)?[A-Za-z0-9_+-]{20}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: pagerduty,
			TruePositives: []string{
				`PAGERDUTY_API_KEY=Xy5zKcVUM0BJTLiFQT5X`,
				`pagerduty_token: "u+UrMghEztJwDQW2kird"`,
				`"pagerdutyToken": "Jbz7OWwetaRsi8dZ59Gx"`,
			},
			FalsePositives: []string{
				`PAGERDUTY_API_KEY=your_pagerduty_key`,
				`PAGERDUTY_API_KEY=OUacHlWY40vN`,
				`PAGERDUTY_API_KEY=${PAGERDUTY_API_KEY}`,
			},
		},
		{
			ID:          "pagerduty-integration-key",
			Provider:    "PagerDuty",
			Description: "PagerDuty Events API v2 integration / routing key (32 characters) assigned to a routing-key name near a PagerDuty keyword. Format: https://developer.pagerduty.com/docs/events-api-v2/overview/",
			Keywords:    []string{"pagerduty", "pager_duty"},
			Pattern:     saasAssigned(`pager_?duty[A-Za-z0-9_.-]{0,25}?(?:routing|integration|service)[_.-]?key|routing[_-]?key|integration[_-]?key`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: pagerdutyRouting,
			TruePositives: []string{
				`PAGERDUTY_ROUTING_KEY=01bbf51d19574b41380941c4710b8a60`,
				`pagerduty_configs: [{ routing_key: "df92d84f1f60958cf4d89349f70a2bdd" }]`,
				`pagerduty_integration_key: R0B4HJVKOMAQYV2LJ7HI6ERPUDKJ8K75`,
			},
			FalsePositives: []string{
				`PAGERDUTY_ROUTING_KEY=<integration_key>`,
				`PAGERDUTY_ROUTING_KEY=de3a7e8ab0f730f735be`,
				`pagerduty routing_key: "{{ .Values.pagerduty.key }}"`,
			},
		},

		// ---------------- Mapbox ----------------
		{
			ID:          "mapbox-secret-token",
			Provider:    "Mapbox",
			Description: "Mapbox secret access token (sk.<base64url JSON naming the account>.<signature>); public pk. tokens are not reported. Format: https://docs.mapbox.com/accounts/guides/tokens/",
			Keywords:    []string{"sk.eyj"},
			Pattern:     saasTok(`sk\.eyJ[A-Za-z0-9_-]{20,400}\.[A-Za-z0-9_-]{20,40}`),
			Group:       1,
			Validators:  []Validator{saasMapboxToken},
			Confidence:  High,
			Remediation: mapbox,
			TruePositives: []string{
				`MAPBOX_SECRET_TOKEN=sk.eyJ1IjoidWlzdWJ4ZWYiLCJhIjoiY2x0OGNwZHMwenY2aTJ4ZWRyeWg3a2w2cCJ9.l-S4XmbTXMH4O-eWAmlJTH`,
				`mapbox_download_token: "sk.eyJ1IjoidHN4Ynl2b2giLCJhIjoiY2wwanY4bmNwYjd3ams3YjRlZzBvcnBrdSJ9.yz9NSjkPv6QkVE-S3aGBAd"`,
				`MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoieHFmeW9xZHgiLCJhIjoiY2xqMThrc3F6MWVoc2trbGh3cHlnbHgwMSJ9.SMDsXooLxCO1rWL6JGws1h`,
			},
			FalsePositives: []string{
				`MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoibWJidmRtYW8iLCJhIjoiY2xuMGtuazlmYXFjcDh6d3c3bDZ2N2M5diJ9.O3fgoZEV5HklfNQ8ae7IVQ`,
				`MAPBOX_SECRET_TOKEN=sk.eyJwU7ZzKDxWC7UIu2UTrJBUY5oyNivyfFMeOWnNzhN.6CNPWza_R7crwkNQHnJ19M`,
				`MAPBOX_SECRET_TOKEN=sk.your-secret-token`,
			},
		},

		// ---------------- Microsoft Teams ----------------
		{
			ID:          "msteams-incoming-webhook",
			Provider:    "Microsoft Teams",
			Description: "Microsoft Teams incoming webhook URL (…webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>). Format: https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
			Keywords:    []string{"webhook.office.com", "outlook.office.com/webhook"},
			Pattern:     `(https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}@[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}/IncomingWebhook/[0-9a-zA-Z]{32}/[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}(?:/[A-Za-z0-9_-]{20,80})?)(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: teams,
			TruePositives: []string{
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/0856efd2-c0ca-4f20-abaf-f6954dc4f344@965ca09b-35da-4bdc-a255-2b923b5bbb3d/IncomingWebhook/086cbcf9b58419ef73756d435e359217/2b468fe3-72e7-44bc-bfee-341fc3d21588`,
				`webhook: "https://outlook.office.com/webhook/86058424-da11-4b59-a3f6-8f1869fa76f7@fa825b12-1aab-470f-af01-6f100dbd8f05/IncomingWebhook/f9302b358355c552b9fc409216e5e985/8253cdcf-a933-4c36-8576-79ffb1db6991"`,
				`requests.post("https://acme.webhook.office.com/webhookb2/31e75349-3dc1-49a8-9743-2dc5b432a1bb@29a1503d-cc6f-433c-93e5-08cdb4b7777d/IncomingWebhook/5cf8d9b99b239d9be50927bdb814c53b/23b2d1b7-322d-4c60-89e9-c6bbb5d496f1/V2Rz53oq9zD4dPYDo2xc65QC9N2Z8HpbQfJheIo-klJjJ", json=card)`,
			},
			FalsePositives: []string{
				`TEAMS_WEBHOOK_URL=https://outlook.office.com/webhook/xxx`,
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/<group-id>@<tenant-id>/IncomingWebhook/<id>/<owner>`,
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/5dd8273c-9ddf-4759-99ff-7e547ae09430@be7e14d0-8e66-4394-94de-ddbb9518dfaf/IncomingWebhook/43d831c9d8e8d854/c7f2071d-2ee9-497a-bde1-a641c4b3731d`,
			},
		},

		// ---------------- HubSpot ----------------
		{
			ID:          "hubspot-private-app-token",
			Provider:    "HubSpot",
			Description: "HubSpot private app access token (pat-<region>-<UUID>). Format: https://developers.hubspot.com/docs/api/private-apps",
			Keywords:    []string{"pat-na", "pat-eu", "pat-ap"},
			Pattern:     saasTok(`pat-(?:na|eu|ap)[0-9]{1,2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			Confidence:  High,
			Remediation: hubspot,
			TruePositives: []string{
				`HUBSPOT_ACCESS_TOKEN=pat-na1-905b3199-4e83-4fb0-9459-f698bab8d1d0`,
				`hubspot = HubSpot(access_token="pat-eu1-02558b49-4027-496c-b477-e0b6778cf3fa")`,
				`"hubspotToken": "pat-na1-69b7f333-161c-4ebf-b533-313ee987f6ee"`,
			},
			FalsePositives: []string{
				`HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-0000-0000-0000-000000000000`,
				`HUBSPOT_ACCESS_TOKEN=pat-na1-your-private-app-token`,
				`HUBSPOT_ACCESS_TOKEN=pat-na1-f3757e70-b142`,
			},
		},

		// ---------------- Airtable ----------------
		{
			ID:          "airtable-personal-access-token",
			Provider:    "Airtable",
			Description: "Airtable personal access token (pat + 14-character ID + . + 64 hex). Format: https://airtable.com/developers/web/guides/personal-access-tokens",
			Keywords:    []string{"pat"},
			Pattern:     saasTok(`pat[A-Za-z0-9]{14}\.[a-f0-9]{64}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: airtable,
			TruePositives: []string{
				`AIRTABLE_TOKEN=patpG7DED4HouH6yh.89fc930d97eb667bba15a0c716011439de618ce14f688d02db35f37af0e579de`,
				`Airtable.configure({ apiKey: "pat8NgGDXdSWxbv1E.99f71564bbaad2b69d74d467e4ce940cf5b5af72a32f3bbd11040fc1efb2f914" })`,
				`airtable_pat: pat4ojUBh9egZDHGW.44ed616233bcaec9376ce6e3c09ab9a8931431770e10472b70e33230486611c8`,
			},
			FalsePositives: []string{
				`AIRTABLE_TOKEN=patXXXXXXXXXXXXXX.XXXXXXXX`,
				`AIRTABLE_TOKEN=patm5VLaKJSs1WWag.e8d00fba3584b6aebdeeddc2aa3caf18`,
				`AIRTABLE_TOKEN=patYourTokenHere.example`,
			},
		},

		// ---------------- Brevo / Sendinblue ----------------
		{
			ID:          "brevo-api-key",
			Provider:    "Brevo (Sendinblue)",
			Description: "Brevo (formerly Sendinblue) API key (xkeysib-) or SMTP key (xsmtpsib-): 64 hex + - + 16 characters. Format: https://developers.brevo.com/docs/getting-started",
			Keywords:    []string{"xkeysib-", "xsmtpsib-"},
			Pattern:     saasTok(`x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: brevo,
			TruePositives: []string{
				`BREVO_API_KEY=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`,
				`"sendinblueToken": "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"`,
				`smtp_password: xsmtpsib-1a0ecc94bdf05d44d8807ebdc2cff8305848e11035d1821f6def357f8e3b96d0-tiDsYvZ7q1DvOmYU`,
			},
			FalsePositives: []string{
				`BREVO_API_KEY=xkeysib-your-api-key`,
				`BREVO_API_KEY=xkeysib-68961895151f36a4858e426493c7e937-g7W7gYjFW1S8X0Fw`,
				`BREVO_API_KEY=xkeysib-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx`,
			},
		},

		// ---------------- Typeform ----------------
		{
			ID:          "typeform-personal-access-token",
			Provider:    "Typeform",
			Description: "Typeform personal access token (tfp_ + 44 characters + _ + 12-14 characters). Format: https://www.typeform.com/developers/get-started/personal-access-token/",
			Keywords:    []string{"tfp_"},
			Pattern:     saasTok(`tfp_[A-Za-z0-9_-]{44}_[A-Za-z0-9]{12,14}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: typeform,
			TruePositives: []string{
				`TYPEFORM_TOKEN=tfp_2FblWa7bPImryp4k2noM7TQI4NGbdXJqxB0eyigOciub_7VqTjOqvciZZnn`,
				`"typeformToken": "tfp_xyZWz3W0CFg05KzmgGX5r1MB0sD8mDrHYwBgCoYKPmUc_fgojhopdD0lNH"`,
				`headers = {"Authorization": "Bearer tfp_R35XmMXIfS6dt830COjeO9XV9FqmWAak6vkCn56PK9QE_wvNcD1iM33tA6l"}`,
			},
			FalsePositives: []string{
				`TYPEFORM_TOKEN=tfp_your_personal_access_token`,
				`TYPEFORM_TOKEN=tfp_BYVQffZ0Sz3Jr3YaR0C7_HjTbdMaFbzm6Ha`,
				`TYPEFORM_TOKEN=tfp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXXXX`,
			},
		},

		// ---------------- Shippo ----------------
		{
			ID:          "shippo-live-api-token",
			Provider:    "Shippo",
			Description: "Shippo live API token (shippo_live_ + 40 hex); shippo_test_ tokens are not reported. Format: https://docs.goshippo.com/docs/guides_general/authentication/",
			Keywords:    []string{"shippo_live_"},
			Pattern:     saasTok(`shippo_live_[a-f0-9]{40}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shippo,
			TruePositives: []string{
				`SHIPPO_API_KEY=shippo_live_5e56536d2826eac1ebebc1d07449da54223a07c6`,
				`shippo.config.api_key = "shippo_live_bee524a8337a7f8afeca1c46ec2d88d9f12a70fb"`,
				`"Authorization": "ShippoToken shippo_live_b6d5d1925fa9b3953310c37c702f203581e29466"`,
			},
			FalsePositives: []string{
				`SHIPPO_API_KEY=shippo_test_b0e09da1f9cded6753f0944dabdd5c407122d77a`,
				`SHIPPO_API_KEY=shippo_live_b94f8dd6414deea92c38`,
				`SHIPPO_API_KEY=shippo_live_<your-token>`,
			},
		},

		// ---------------- EasyPost ----------------
		{
			ID:          "easypost-production-api-key",
			Provider:    "EasyPost",
			Description: "EasyPost production API key (EZAK + 54 characters); EZTK test keys are not reported. Format: https://docs.easypost.com/docs/authentication",
			Keywords:    []string{"ezak"},
			Pattern:     saasTok(`EZAK[A-Za-z0-9]{54}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: easypost,
			TruePositives: []string{
				`EASYPOST_API_KEY=EZAKDcfrag3z1tMBMJLiCVrs6AKOGGixKvnZBfWGq9HJSByykC9d6ClNGN`,
				`client = easypost.EasyPostClient("EZAK70VgeLYINE8Dv6hDqqr6k5JQDl14eRwD7fUc9vHnk60dUGSCmYdooL")`,
				`https://api.easypost.com/v2/shipments?t=EZAKzS4KE4G8B5LDjNd6jaWfMBvaen0nBmTS7sirICFxbv793NR7UGaiF8&q=1`,
			},
			FalsePositives: []string{
				`EASYPOST_API_KEY=EZTKQ6sPPwGxcqPlrj0hYMrJ1cPBEBlgjXBpeWWMHhoRu8wlr1qRZjciuD`,
				`...6wqX6fNUXA/rYqRvfQ+EZAKkiaEGFvOhLYRZuTJsgoRyzP2YhCA0x8wg4fWVtK7tMfmQU0jQtiADi/3VmWq/edti6...`,
				`EASYPOST_API_KEY=EZAKftfvAkGVju0wNprAvhdo`,
			},
		},

		// ---------------- Duffel ----------------
		{
			ID:          "duffel-live-token",
			Provider:    "Duffel",
			Description: "Duffel live access token (duffel_live_ + 43 characters); duffel_test_ tokens are not reported. Format: https://duffel.com/docs/api/overview/making-requests/authentication",
			Keywords:    []string{"duffel_live_"},
			Pattern:     saasTok(`duffel_live_[A-Za-z0-9_-]{43}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: duffel,
			TruePositives: []string{
				`DUFFEL_ACCESS_TOKEN=duffel_live_h7EX4BJo_GM_Oo6qXUEsjbMK8VvSvyA6N_Uw3j35Wb1`,
				`duffel = Duffel(access_token="duffel_live_IxtWG2uorPC_KhKnstNmBgCNkT22DiwuwVzKExV3eyN")`,
				`"duffelToken": "duffel_live_LK8bPf56siKiiKYRaiZAdBQ6QDfiKjLqlNUs1H-aNPM"`,
			},
			FalsePositives: []string{
				`DUFFEL_ACCESS_TOKEN=duffel_test_G52jCFhx8MnCGuOSTLwOsZOIhnSKdJFovx4jCzVjFkT`,
				`DUFFEL_ACCESS_TOKEN=duffel_live_su4HLSh1ZA5vj4MFIIEA`,
				`DUFFEL_ACCESS_TOKEN=duffel_live_your_access_token_goes_in_this_slot`,
			},
		},

		// ---------------- Frame.io ----------------
		{
			ID:          "frameio-developer-token",
			Provider:    "Frame.io",
			Description: "Frame.io developer token (fio-u- + 64 characters). Format: https://developer.frame.io/docs/getting-started/authentication",
			Keywords:    []string{"fio-u-"},
			Pattern:     saasTok(`fio-u-[A-Za-z0-9_=-]{64}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: frameio,
			TruePositives: []string{
				`FRAMEIO_TOKEN=fio-u-RwIb6zgA-XGj2klaXWNeId_U848LXlKTh-ZwFrEKO_1fdfB1UOtF78XA9RFC4DLZ`,
				`"frameioToken": "fio-u-nsf3PocSi2IsJ9Q7WGE2i20sbZPjsBd-B8CDy9fHAX1nooquPu7oUj51EgSw_HZ0"`,
				`client = FrameioClient("fio-u-tOh6ZiIBT35cD-I6MesZtpM_DuXL0Ii1rCWcjdB2PJhhqU1PR1DmSZBMgBfaG-vJ")`,
			},
			FalsePositives: []string{
				`FRAMEIO_TOKEN=fio-u-your-developer-token`,
				`FRAMEIO_TOKEN=fio-u-8i0dxHjUJS4hZ_lAIehFV4mlIXbBAT`,
				`FRAMEIO_TOKEN=fio-u-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},

		// ---------------- Dynatrace ----------------
		{
			ID:          "dynatrace-api-token",
			Provider:    "Dynatrace",
			Description: "Dynatrace access token (dt0c01.<24-character public ID>.<64-character secret>). Format: https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
			Keywords:    []string{"dt0c01."},
			Pattern:     saasTok(`dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: dynatrace,
			TruePositives: []string{
				`DT_API_TOKEN=dt0c01.XZTKEDII3FM253ZISMM7RIX7.GGJQBZ7OYKHJ6O6OLXP2BTFTBIYL9X46OMIEEAGBBORXA0JYZC26DEBCLN2F0RCE`,
				`"Authorization": "Api-Token dt0c01.R6DQ6LHVJ39H33V78HQ4AF58.E5CDB1X5T3ZZ1ZVFY6GK7L1BB7501B2NKC79IBRZE9RO8N8KF31KFBEKJQHLT37W"`,
				`dynatrace_token: dt0c01.6WBYWLJ2N7KLTSQOGVY1MPPS.ZOVYB2B7K2WHUPEAKKNLFZBBNT5W0J5CY23GIB4MXFNTO5HQ71PDMBEQQDLT12N3`,
			},
			FalsePositives: []string{
				`DT_API_TOKEN=dt0c01.GTF0FWAQJB3193FXVEWPKSUU.37VORXXZE4FF0XWWD7OR6R624AVIFHHW`,
				`DT_API_TOKEN=dt0c01.A8V0PUZR9CPQILCI0M98WZZT`,
				`DT_API_TOKEN=dt0c01.XXXXXXXXXXXXXXXXXXXXXXXX.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},

		// ---------------- Flutterwave ----------------
		{
			ID:          "flutterwave-secret-key",
			Provider:    "Flutterwave",
			Description: "Flutterwave live secret key (FLWSECK- + 32 hex + -X); FLWSECK_TEST- keys are not reported. Format: https://developer.flutterwave.com/docs/authentication",
			Keywords:    []string{"flwseck-"},
			Pattern:     saasTok(`FLWSECK-[a-f0-9]{32}-X`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: flutterwave,
			TruePositives: []string{
				`FLW_SECRET_KEY=FLWSECK-70549189bb22021e31ba90dff2d536bf-X`,
				`flw = Rave("FLWPUBK-3de3b1c26bb131987ad52e0670e0917f-X", "FLWSECK-380ade624f23c5e2babdf52da347b943-X")`,
				`"secretKey": "FLWSECK-e808e1df2e7a98ab3ed44d6e2033f9e9-X"`,
			},
			FalsePositives: []string{
				`FLW_SECRET_KEY=FLWSECK_TEST-08d0e4d23c0025ef890b409b22ad644a-X`,
				`FLW_SECRET_KEY=FLWSECK-b790ca1a64438ebe-X`,
				`FLW_SECRET_KEY=FLWSECK-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-X`,
			},
		},

		// ---------------- Meta / Facebook ----------------
		{
			ID:          "facebook-access-token",
			Provider:    "Meta (Facebook)",
			Description: "Meta Graph API user or page access token (EAA + app-specific letter + long base62 body). Format: https://developers.facebook.com/docs/facebook-login/guides/access-tokens",
			Keywords:    []string{"eaa"},
			Pattern:     saasTok(`EAA[B-Z][A-Za-z0-9]{90,400}`),
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: facebook,
			TruePositives: []string{
				`FACEBOOK_PAGE_TOKEN=EAAGGBqJhMXZkbsLH7oYHBymCGIveESeAc3DFyT9G1rcbTFOoMYJy9dvGmEeN3WzTJHP80jpFoRJKPV5TYfUgsVrWhIB2dRysFQv7aqjkjRzZNMs1Tm5GQFg4zpMCz7ZAadSzSUffdo9SiOPs1p8ugvgdkiqE3YPHYzu26AISKAgp8yzOCyzfV9Q`,
				`graph = facebook.GraphAPI(access_token="EAAMlpXyRo6rdbemR32yV8lCFLJPKDakYSi6FvdAMYmimvOpvgP0kUBFIGCg3WOSBAOGwLTPbUrD3zDNHBLEJ71ZBz2JAQKJLMO72PodyzDT0tbxCmPAi5TVr4wq3XNjO9WwTqX1MPnKHSwdlzfxO8sbfW41ftOn3iO4TwcV9MV0hO4xJAQGplNrgWbJ4cNx62sI0blof751")`,
				`- name: FACEBOOK_TOKEN` + "\n" + `  value: "EAACG2Ry72tWqT6Zj0pNGbaRzu4CiZ5ydK0HobslLmaGKZahf6Q0PZLXLUgzZuxEbw78fwlasGzRLDhrTjPJJcL14KX82vJ5qfJijQHNC6EHGf64bFtOaYKAEQKcSek5FR55Iz2rsyduW98Qfjt9MBDsLC"`,
			},
			FalsePositives: []string{
				`checksum: eaac4cf978b6fbd480f1092cab8b233c9b949bcabfc9b598dd79a758f7243c28765ef7639c876fa72940dac687181b35486ea01ff7d`,
				`FACEBOOK_PAGE_TOKEN=EAAGjCoeMHKaj3bOOX8EDA4eDO1uzWWtiB4Zql7LasoF`,
				`FACEBOOK_PAGE_TOKEN=EAAGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		{
			ID:          "facebook-app-access-token",
			Provider:    "Meta (Facebook)",
			Description: "Meta app access token (<app ID>|<app secret or token>) next to a Facebook keyword. Format: https://developers.facebook.com/docs/facebook-login/guides/access-tokens#apptokens",
			Keywords:    []string{"facebook", "graph.facebook.com", "fb_"},
			Pattern:     `(?:^|[^0-9A-Za-z|])([0-9]{15,16}\|[A-Za-z0-9_-]{27,32})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: facebook,
			TruePositives: []string{
				`FACEBOOK_APP_TOKEN=9919930247263189|dAgmnl0fskZjqplHKzQZ6i5p5Ex`,
				`{"facebook access_token":"286396170583677|3BvumTdJNB_osA2R3G7mHCIZ-A9","token_type":"bearer"}`,
				`requests.get("https://graph.facebook.com/debug_token", params={"access_token": "8896383303492624|31fe06b0894622c74f580a6ecd25de46"})`,
			},
			FalsePositives: []string{
				`FACEBOOK_APP_TOKEN=4644245340198891|your-app-secret`,
				`FACEBOOK_APP_TOKEN={app-id}|{app-secret}`,
				`FACEBOOK_APP_TOKEN=8813881899062981|Z1_wO326ag9A`,
			},
		},
		{
			ID:            "facebook-app-secret",
			Provider:      "Meta (Facebook)",
			Description:   "Meta app secret or client token (32 hex) assigned to a Facebook secret/token name. Format: https://developers.facebook.com/docs/facebook-login/security#appsecret",
			Keywords:      []string{"facebook", "fb_app_secret", "fb_secret"},
			KeywordWindow: 1,
			Pattern:       saasNear(`facebook[A-Za-z0-9_.-]{0,20}?(?:secret|token|key)|fb_(?:app_)?secret`, `[a-f0-9]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   facebook,
			TruePositives: []string{
				`FACEBOOK_APP_SECRET=1040456a858137e4bdef9d8a054c317c`,
				`facebook_app_secret = "62e36bde523edb62f526212cca2a392c"`,
				`"facebookClientSecret": "fd1aa5e4db91ed183a2d3c3fc088bad4"`,
			},
			FalsePositives: []string{
				`FACEBOOK_APP_SECRET=your_app_secret`,
				`FACEBOOK_APP_SECRET=8e6def379d3cfe337192`,
				`FACEBOOK_APP_ID=9595954101073176`,
			},
		},

		// ---------------- X / Twitter ----------------
		{
			ID:          "twitter-bearer-token",
			Provider:    "X (Twitter)",
			Description: "X (Twitter) app-only OAuth 2.0 bearer token (a run of leading A's + URL-encoded base64) next to a Twitter/X or bearer keyword. Format: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/bearer-tokens",
			Keywords:    []string{"twitter", "bearer", "x_api", "tweepy"},
			Pattern:     `(?:^|[^A-Za-z0-9%])(A{20}[A-Za-z0-9%]{60,160})(?:[^A-Za-z0-9%]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasMixedCase, HasLetterAndDigit},
			Exempt:      DecoyRepeated,
			Confidence:  Medium,
			Remediation: twitter,
			TruePositives: []string{
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAANk3Z5TWneK%2FvRCtT9Rst223KFIVPjC4%3D57oTIyYhw8MD5n0AOoHnWQLtQlttGiOK48b68xA3FPc36KruAS`,
				`client = tweepy.Client(bearer_token="AAAAAAAAAAAAAAAAAAAAArM7HsQHt%2BldU54LNabEgU1w9GOt79vt65FhYU1NLRgXvdHCp324e5Kh8SaclNSSIYtlx1b8vCItSQxp")`,
				`headers = {"Authorization": "Bearer AAAAAAAAAAAAAAAAAAAAArycjOGkdquyNWjWCNUKHQu6Sq8DApYWDh28qiyFTAUvKb91Q8HO3PZUOqOj9APduvWvRVyjT3s3nD8mcH7xgIlJuXc"}`,
			},
			FalsePositives: []string{
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAjugBxnw63Gkz7t5bQo0F`,
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAyour_bearer_token_goes_here_please_replace_it_with_the_real_one`,
			},
		},

		// ---------------- Intercom ----------------
		{
			ID:          "intercom-access-token",
			Provider:    "Intercom",
			Description: "Intercom access token (base64 of \"tok:…\", so it starts dG9rO). Format: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication",
			Keywords:    []string{"dg9ro"},
			Pattern:     `(?:^|[^A-Za-z0-9_+/])(dG9rO[A-Za-z0-9+/_-]{40,120}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			Validators:  []Validator{saasIntercomToken},
			Confidence:  High,
			Remediation: intercom,
			TruePositives: []string{
				`INTERCOM_ACCESS_TOKEN=dG9rOmQxMTU4ZTYwXzUyYThfNDhkN19iYmViXzc5YjM2Zjk5YWQ1NjoxOjA=`,
				`intercom = Intercom::Client.new(token: 'dG9rOjAzYTcyNmQ3XzJlMmFfNGEwM185OWIxXzFiNjc1NmYyYzVlZToxOjA=')`,
				`"intercomToken": "dG9rOjQxODBkMzEwXzc4OGZfNGZlN19iZTY0X2FmODkwNzEyNmQ0ZToxOjA="`,
			},
			FalsePositives: []string{
				`INTERCOM_ACCESS_TOKEN=dG9rOnlvdXItdG9rZW4taGVyZQ==`,
				`INTERCOM_ACCESS_TOKEN=dG9rOXGdq6xezb14evPyTK7m5iIWPcp49FQ8ylctdJBx4uuMqpp0StrYHPRKMEJ4m`,
				`INTERCOM_ACCESS_TOKEN=your-intercom-token`,
			},
		},

		// ---------------- Contentful ----------------
		{
			ID:          "contentful-personal-access-token",
			Provider:    "Contentful",
			Description: "Contentful personal access token for the Content Management API (CFPAT- + 43 characters). Format: https://www.contentful.com/developers/docs/references/authentication/#the-content-management-api",
			Keywords:    []string{"cfpat-"},
			Pattern:     saasTok(`CFPAT-[A-Za-z0-9_-]{43}`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: contentful,
			TruePositives: []string{
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-OHHDNZodRABz3zPBQe8d3dUh1NyZfZNXUzcgu45dvBe`,
				`contentful space list --management-token CFPAT-ZLfqwb7SpNCJISOZMS37cpDZhmsoj4PWLcJrhSYtfAJ`,
				`"managementToken": "CFPAT-kwrpKp4_CLIv5Uo1mVMXXbJi0T4pIuCgHzV063Tj4OG"`,
			},
			FalsePositives: []string{
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-your-management-token`,
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-wiARVhuEdW45KP2li2K9`,
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},

		// ---------------- Plaid ----------------
		{
			ID:          "plaid-access-token",
			Provider:    "Plaid",
			Description: "Plaid production or development Item access token (access-production-<UUID>); sandbox tokens are not reported. Format: https://plaid.com/docs/api/tokens/",
			Keywords:    []string{"access-production-", "access-development-"},
			Pattern:     saasTok(`access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			Confidence:  High,
			Remediation: plaid,
			TruePositives: []string{
				`PLAID_ACCESS_TOKEN=access-production-7ff8cc88-ba62-49cc-9c2c-14c766f09667`,
				`"access_token": "access-production-7f28d029-6af8-4aa8-8a5d-228a9fb2bcd7",`,
				`plaid_token: access-development-376ef2a0-6a47-4ac7-a0eb-c5e5edcbf416`,
			},
			FalsePositives: []string{
				`PLAID_ACCESS_TOKEN=access-sandbox-3e2d2aff-d996-4591-b06a-d9f13338cbcb`,
				`PLAID_ACCESS_TOKEN=access-production-00000000-0000-0000-0000-000000000000`,
				`PLAID_ACCESS_TOKEN=access-production-your-access-token`,
			},
		},
		{
			ID:          "plaid-secret",
			Provider:    "Plaid",
			Description: "Plaid API secret (30 hex) assigned to a Plaid secret name. Format: https://plaid.com/docs/api/#api-host",
			Keywords:    []string{"plaid"},
			Pattern:     saasAssigned(`plaid[A-Za-z0-9_.-]{0,25}?secret`, `[a-f0-9]{30}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: plaid,
			TruePositives: []string{
				`PLAID_SECRET=485bfe4fa53bbc71ac7b1be9f7bf5a`,
				`plaid_secret: "b00b56b125b65714ce946e0eca8627"`,
				`"plaidSecret": "f28a4765a3a7b2a39654266ff4844c"`,
			},
			FalsePositives: []string{
				`PLAID_SECRET=your_plaid_secret`,
				`PLAID_SECRET=c49fb0a553f3103d2350`,
				`PLAID_CLIENT_ID=633e02fa996c71a65a91d5c0`,
			},
		},

		// ---------------- Zendesk ----------------
		{
			ID:            "zendesk-api-token",
			Provider:      "Zendesk",
			Description:   "Zendesk API token (40 characters) assigned to a Zendesk name. Format: https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
			Keywords:      []string{"zendesk"},
			KeywordWindow: 1,
			Pattern:       saasNear(`zendesk[A-Za-z0-9_.-]{0,25}?(?:token|key|secret)`, `[A-Za-z0-9]{40}`),
			Group:         1,
			MinEntropy:    3.5,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   zendesk,
			TruePositives: []string{
				`ZENDESK_API_TOKEN=0KvgfBsBPbVTk9grsuA7WqR6igxwWPtsFfrhhSkF`,
				`"zendeskToken": "TgfbTofaAIWG0r1ujkfI9d6MzveFrFGXeGF43zOL"`,
				`zendesk_api_token: 'vww3o48zwwepj4jcbr1hh1mt1bwnnnfh1rj417yq'`,
			},
			FalsePositives: []string{
				`ZENDESK_API_TOKEN=your_zendesk_api_token`,
				`ZENDESK_API_TOKEN=sAYeTfIZbmY46hAXSvof`,
				`ZENDESK_SUBDOMAIN=l7abkjjky8b60bpi5rvzfvckclz7k6bab2i6n1qt`,
			},
		},

		// ---------------- Mattermost ----------------
		{
			ID:            "mattermost-access-token",
			Provider:      "Mattermost",
			Description:   "Mattermost personal access or bot token (26 lowercase characters) assigned to a Mattermost name. Format: https://developers.mattermost.com/integrate/reference/personal-access-token/",
			Keywords:      []string{"mattermost"},
			KeywordWindow: 1,
			Pattern:       saasNear(`mattermost[A-Za-z0-9_.-]{0,25}?(?:token|key|secret)`, `[a-z0-9]{26}`),
			Group:         1,
			MinEntropy:    3.3,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   mattermost,
			TruePositives: []string{
				`MATTERMOST_TOKEN=q95sz3wzqko79h8vdj463tgrni`,
				`"mattermostToken": "y1bb6iczy5x1fryghdtu2ybsz0"`,
				`mattermost_bot_token: ik42asnttullw61c240pss8tgz`,
			},
			FalsePositives: []string{
				`MATTERMOST_TOKEN=your_mattermost_token`,
				`MATTERMOST_TOKEN=4sh2h3d50dqila5z`,
				`MATTERMOST_TEAM_ID=sw130cev3jvpfikoxsdsaldc2a`,
			},
		},

		// ---------------- Sumo Logic ----------------
		{
			ID:          "sumologic-access-id",
			Provider:    "Sumo Logic",
			Description: "Sumo Logic access ID (su + 12 characters) assigned to a Sumo Logic access-ID name; the access key is usually nearby. Format: https://help.sumologic.com/docs/manage/security/access-keys/",
			Keywords:    []string{"sumo"},
			Pattern:     `(?i:\bsumo(?:_?logic)?[_.-]?(?:access[_.-]?id|token|id)\b)["'\x60]{0,2}(?:\s+[A-Za-z][A-Za-z0-9_]{0,15})?\s{0,3}(?:=>|:{1,3}=|\?=|\.=|[:=,])\s{0,3}["'\x60]?(su[A-Za-z0-9]{12})(?:[^A-Za-z0-9_+/=.-]|$)`,
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: sumo,
			TruePositives: []string{
				`SUMO_ACCESS_ID = "suOEgw91Dy5lMI"`,
				`export SUMOLOGIC_ACCESSID="suv1QX4YGk1TLC"`,
				`sumologic.accessId = "suCUMcMAUSkOi4"`,
			},
			FalsePositives: []string{
				`sumObj = suiBixqsK9DrYd`,
				`export SUMOLOGIC_ACCESSID=XXXXXXXXXXXXXX`,
				`SUMOLOGIC_ACCESSID: ${SUMOLOGIC_ACCESSID}`,
			},
		},
		{
			ID:          "sumologic-access-key",
			Provider:    "Sumo Logic",
			Description: "Sumo Logic access key (64 characters) assigned to a Sumo Logic access-key name. Format: https://help.sumologic.com/docs/manage/security/access-keys/",
			Keywords:    []string{"sumo"},
			Pattern:     `(?i:\bsumo(?:_?logic)?[_.-]?(?:access[_.-]?key|token|secret|key)\b)["'\x60]{0,2}(?:\s+[A-Za-z][A-Za-z0-9_]{0,15})?\s{0,3}(?:=>|:{1,3}=|\?=|\.=|[:=,])\s{0,3}["'\x60]?([A-Za-z0-9]{64})(?:[^A-Za-z0-9_+/=.-]|$)`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: sumo,
			TruePositives: []string{
				`SUMO_ACCESS_KEY: stLudU7p04kqqsASDbGlI6tWWO1JCjgOGqmf409bQ1LgK7cMq3DBbwv5MoFzASl8`,
				`export SUMOLOGIC_ACCESSKEY="KWmNU7apegIF5NdPAEfyjfYCGchaUr2WOfW5tN9mGTajcfW4ws8aWuxNkXR5caia"`,
				`sumo_access_key = "jM9y8K0aw4pUoofUCuHbD3XSchajl1Ud6psZRBfi9eQWzuiqrhPpEj1riW5LtLqb"`,
			},
			FalsePositives: []string{
				`SUMO_ACCESS_KEY: AbCeFG123`,
				`sumOfExposures = XH5xAB1gigeI1QLN4z1ferCHKys5OhjxnYQW6yEEYKl1Lz9fcYS0ihIEzMiQWQ8L;`,
				`sumo_access_key   = "<SUMOLOGIC ACCESS KEY>"`,
			},
		},

		// ---------------- MaxMind ----------------
		{
			ID:          "maxmind-license-key",
			Provider:    "MaxMind",
			Description: "MaxMind license key in the current format (6 + _ + 29 characters + _mmk). Format: https://dev.maxmind.com/license-key-format",
			Keywords:    []string{"_mmk"},
			Pattern:     saasTok(`[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: maxmind,
			TruePositives: []string{
				`MAXMIND_LICENSE_KEY=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`,
				`LicenseKey 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`,
				`"maxmindToken": "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"`,
			},
			FalsePositives: []string{
				`MAXMIND_LICENSE_KEY=XXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXX_mmk`,
				`MAXMIND_LICENSE_KEY=dAe6zk_3mRgINXwxSNz_mmk`,
				`MAXMIND_LICENSE_KEY=your_license_key_mmk`,
			},
		},

		// ---------------- Twitch ----------------
		{
			ID:            "twitch-oauth-token",
			Provider:      "Twitch",
			Description:   "Twitch OAuth access token or client secret (30 lowercase characters) assigned to a Twitch name. Format: https://dev.twitch.tv/docs/authentication/",
			Keywords:      []string{"twitch"},
			KeywordWindow: 1,
			Pattern:       saasNear(`twitch[A-Za-z0-9_.-]{0,25}?(?:token|secret|key)`, `(?:oauth:)?[a-z0-9]{30}`),
			Group:         1,
			MinEntropy:    3.3,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   twitch,
			TruePositives: []string{
				`TWITCH_CLIENT_SECRET=20jv4x08xjqv2lclotf1e0tb97cmdz`,
				`"twitchToken": "0xsu61jge1u8phvdfi9o8deas8gc34"`,
				`twitch_oauth_token: oauth:xrvzslkv1hwi7dvsvmrlrab4rej9ad`,
			},
			FalsePositives: []string{
				`TWITCH_CLIENT_SECRET=your_twitch_client_secret`,
				`TWITCH_CLIENT_SECRET=kkoggpx6keto4gcyfg3j`,
				`TWITCH_CLIENT_ID=n3u1krcoer8tjq2lm9afpb39pbmq4j`,
			},
		},

		// ---------------- Mailjet ----------------
		{
			ID:          "mailjet-secret-key",
			Provider:    "Mailjet",
			Description: "Mailjet API secret key (32 hex) assigned to a Mailjet secret name. Format: https://dev.mailjet.com/email/guides/#authentication",
			Keywords:    []string{"mailjet", "mj_apikey_private"},
			Pattern:     saasAssigned(`mailjet[A-Za-z0-9_.-]{0,25}?(?:secret|private)|mj_apikey_private`, `[a-f0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: mailjet,
			TruePositives: []string{
				`MAILJET_SECRET_KEY=ac760f188cd285423a2b4d83facfdcb0`,
				`MJ_APIKEY_PRIVATE='2aff61c2be6b9ead59eabbad75231b69'`,
				`"mailjetApiSecret": "160313d6e52b9d031d8d45693aa03eff"`,
			},
			FalsePositives: []string{
				`MAILJET_SECRET_KEY=your_mailjet_secret`,
				`MAILJET_SECRET_KEY=e2d35aea186c5317f416`,
				`MAILJET_API_KEY=d9b0e53406c3d67c8cdbd9e2b953b4c5`,
			},
		},

		// ---------------- GoCardless ----------------
		{
			ID:            "gocardless-live-token",
			Provider:      "GoCardless",
			Description:   "GoCardless live access token (live_ + 40 characters) next to a GoCardless keyword; sandbox_ tokens are not reported. Format: https://developer.gocardless.com/getting-started/api/making-your-first-request",
			Keywords:      []string{"gocardless"},
			KeywordWindow: 2,
			Pattern:       saasTok(`live_[A-Za-z0-9_-]{40}`),
			Group:         1,
			MinEntropy:    4.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   gocardless,
			TruePositives: []string{
				`GOCARDLESS_ACCESS_TOKEN=live_gVTsbdQ4HcmQzW2E_2bR5EdFsadb16KICZkCQUai`,
				`client = gocardless_pro.Client(access_token="live_Lj1MQ1zf4AyQdCuqp_yXvPh5CTJaJQMTvDIaBkr0", environment="live")`,
				`"gocardlessToken": "live_teVR1ut1RHFl571rGCGYdhLJgXPEvlFvOPpFNpM0"`,
			},
			FalsePositives: []string{
				`GOCARDLESS_ACCESS_TOKEN=sandbox_86XaNnhCgwWJ4SQAytVNutu2xekRXX2Y7g2ohas7`,
				`GOCARDLESS_ACCESS_TOKEN=live_c4h9cF_blvPw37p0NFKb`,
				`GOCARDLESS_ACCESS_TOKEN=live_your_access_token_goes_here_please_ok`,
			},
		},

		// ---------------- Lob ----------------
		{
			ID:          "lob-live-api-key",
			Provider:    "Lob",
			Description: "Lob live secret API key (live_ + 35 hex) next to a Lob keyword; test_ and live_pub_ keys are not reported. Format: https://docs.lob.com/#tag/Authentication",
			Keywords:    []string{"lob"},
			Pattern:     `(?i:\blob)[A-Za-z0-9_.\-]{0,25}?["'\x60\]]{0,2}\s{0,3}(?:=>|:{1,3}=|\?=|\.=|[:=,(])\s{0,3}["'\x60]?(live_[a-f0-9]{35})(?:[^A-Za-z0-9_+/=.-]|$)`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: lob,
			TruePositives: []string{
				`LOB_API_KEY=live_f9d2f0bac45c5e2f8b0a0a924a0366a02fa`,
				`"lobToken": "live_5c858c999db7056f9b6775aee72e18be98d"`,
				`lob = Lob("live_3c3df835ab28e055144029e9b4b50d4ecbe")`,
			},
			FalsePositives: []string{
				`LOB_API_KEY=test_f8655069184ae1010cb53f7437df3ea7c25`,
				`LOB_PUBLISHABLE_KEY=live_pub_6a2adf42bd7f7850f2a73e1c4e58908`,
				`LOB_API_KEY=live_74e5d4bc497251aa2569`,
			},
		},
	}
}
