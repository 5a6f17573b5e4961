package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Slack posts alerts to a Slack incoming webhook.
type Slack struct{ p poster }

var _ Sender = (*Slack)(nil)

// NewSlack returns a Sender for the incoming webhook at webhookURL, which
// must be https (see HTTPOptions.AllowHTTP). The URL is a credential: it is
// never logged nor put in an error.
func NewSlack(webhookURL string, o HTTPOptions) (*Slack, error) {
	p, err := newPoster("slack", webhookURL, o)
	if err != nil {
		return nil, err
	}
	return &Slack{p: p}, nil
}

// Name is "slack".
func (s *Slack) Name() string { return s.p.name }

// Send posts SlackPayload(a).
func (s *Slack) Send(ctx context.Context, a Alert) error {
	body, err := SlackPayload(a)
	if err != nil {
		return err
	}
	h := http.Header{"Content-Type": {"application/json"}, "User-Agent": {userAgent}}
	return s.p.post(ctx, body, h)
}

// slackMessage is an incoming webhook's payload: text is the notification's
// fallback, blocks the message shown.
type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type   string      `json:"type"`
	Text   *slackText  `json:"text,omitempty"`
	Fields []slackText `json:"fields,omitempty"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// SlackPayload renders a as a Slack message in mrkdwn. Every value that
// comes from a repository or a user is escaped (slackEscape), so a branch
// named "<!channel>" shows as text and mentions no one.
func SlackPayload(a Alert) ([]byte, error) {
	title := fmt.Sprintf(":rotating_light: *Leaked %s secret in %s* (%s)",
		slackEscape(a.Provider), slackEscape(a.Repository), slackEscape(validityText(a.Validity)))
	field := func(name, value string) slackText {
		return slackText{Type: "mrkdwn", Text: "*" + name + "*\n" + value}
	}
	fields := []slackText{
		field("Repository", slackEscape(a.Repository)),
		field("Branch or PR", slackEscape(where(a))),
		field("Commit", code(a.Commit)),
		field("Pusher", slackEscape(a.Pusher)),
		field("Provider", slackEscape(a.Provider)),
		field("Rule", code(a.RuleID)),
		field("Value (redacted)", code(a.Redacted)),
		field("Fingerprint", code(a.Fingerprint)),
		field("Live", slackEscape(validityText(a.Validity))),
		field("First seen", a.FirstSeen.UTC().Format(time.RFC3339)),
	}
	msg := slackMessage{
		Text: title,
		Blocks: []slackBlock{
			{Type: "section", Text: &slackText{Type: "mrkdwn", Text: title}},
			{Type: "section", Fields: fields},
		},
	}
	if link, ok := slackLink(a.CheckRunURL, "Open the check run: revoke the key now"); ok {
		msg.Blocks = append(msg.Blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: link}})
	}
	return json.Marshal(msg)
}

// slackEscape escapes the three characters Slack reads as control
// characters in mrkdwn: & < > (https://api.slack.com/reference/surfaces/formatting#escaping).
func slackEscape(s string) string { return slackEscaper.Replace(s) }

// slackEscaper is immutable and safe for concurrent use, like a compiled
// regexp.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// code renders s escaped in a code span; a backquote in s would end it.
func code(s string) string {
	if s == "" {
		return "-"
	}
	return "`" + strings.ReplaceAll(slackEscape(s), "`", "'") + "`"
}

// slackLink renders an https link, or nothing when raw is not one or holds
// a character that would end Slack's <url|text> syntax.
func slackLink(raw, text string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(raw, "|<> \t\r\n") {
		return "", false
	}
	return "<" + slackEscape(raw) + "|" + slackEscape(text) + ">", true
}

// where names the branch or pull request.
func where(a Alert) string {
	branch := strings.TrimPrefix(a.Ref, "refs/heads/")
	switch {
	case a.PR > 0 && branch != "":
		return fmt.Sprintf("PR #%d (%s)", a.PR, branch)
	case a.PR > 0:
		return fmt.Sprintf("PR #%d", a.PR)
	case branch != "":
		return branch
	}
	return "-"
}

// validityText says in words whether the key is live.
func validityText(v string) string {
	switch v {
	case ValidityLive:
		return "live key"
	case ValidityNotLive:
		return "not live"
	case ValidityUnchecked:
		return "not checked"
	}
	return "validity unknown"
}
