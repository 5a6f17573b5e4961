package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Headers of a webhook delivery.
const (
	HeaderSignature = "X-Pushguard-Signature-256"
	HeaderEvent     = "X-Pushguard-Event"
	HeaderDelivery  = "X-Pushguard-Delivery"
	// EventLeak is the X-Pushguard-Event of an alert.
	EventLeak = "leak"
	userAgent = "pushguard"
	sigPrefix = "sha256="
)

// Webhook posts alerts as JSON to any URL, signed like GitHub's webhooks.
type Webhook struct {
	p      poster
	secret []byte
}

var _ Sender = (*Webhook)(nil)

// NewWebhook returns a Sender for the https URL rawURL, signing each body
// with secret, which must not be empty.
func NewWebhook(rawURL, secret string, o HTTPOptions) (*Webhook, error) {
	if strings.TrimSpace(secret) == "" {
		return nil, errors.New("webhook secret is empty: alerts would be unsigned")
	}
	p, err := newPoster("webhook", rawURL, o)
	if err != nil {
		return nil, err
	}
	return &Webhook{p: p, secret: []byte(secret)}, nil
}

// Name is "webhook".
func (w *Webhook) Name() string { return w.p.name }

// WebhookPayload is the body of a webhook delivery.
type WebhookPayload struct {
	Event string `json:"event"`
	Alert Alert  `json:"alert"`
}

// Send posts {"event":"leak","alert":{…}} with its signature.
func (w *Webhook) Send(ctx context.Context, a Alert) error {
	body, err := json.Marshal(WebhookPayload{Event: EventLeak, Alert: a})
	if err != nil {
		return err
	}
	h := http.Header{
		"Content-Type":  {"application/json"},
		"User-Agent":    {userAgent},
		HeaderEvent:     {EventLeak},
		HeaderDelivery:  {a.ID},
		HeaderSignature: {Sign(w.secret, body)},
	}
	return w.p.post(ctx, body, h)
}

// Sign returns the X-Pushguard-Signature-256 value of body: "sha256=" and
// the hex HMAC-SHA256 of the exact bytes under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return sigPrefix + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports whether header is body's signature under secret,
// in constant time. Receivers check it before they trust a delivery.
func VerifySignature(secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, sigPrefix)
	if !ok || len(secret) == 0 {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(sig, m.Sum(nil))
}
