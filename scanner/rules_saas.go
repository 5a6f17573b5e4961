package scanner

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

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
	return slices.Concat(
		slackRules(),
		discordRules(),
		telegramRules(),
		stripeRules(),
		squareRules(),
		braintreeRules(),
		shopifyRules(),
		twilioRules(),
		sendgridRules(),
		mailgunRules(),
		mailchimpRules(),
		postmarkRules(),
		datadogRules(),
		newRelicRules(),
		sentryRules(),
		grafanaRules(),
		pagerdutyRules(),
		mapboxRules(),
		msTeamsRules(),
		hubSpotRules(),
		airtableRules(),
		brevoRules(),
		typeformRules(),
		shippoRules(),
		easypostRules(),
		duffelRules(),
		frameioRules(),
		dynatraceRules(),
		flutterwaveRules(),
		facebookRules(),
		twitterRules(),
		intercomRules(),
		contentfulRules(),
		plaidRules(),
		zendeskRules(),
		mattermostRules(),
		sumoLogicRules(),
		maxMindRules(),
		twitchRules(),
		mailjetRules(),
		gocardlessRules(),
		lobRules(),
	)
}
