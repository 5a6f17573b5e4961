package validity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrMissingCompanion is returned by a Verifier's Request when the secret
// alone cannot be checked and a companion value (listed in extra) is absent
// or malformed. The error names the companion, never its value.
var ErrMissingCompanion = errors.New("companion secret missing")

// Companion keys of the extra map: values found next to a secret that a
// provider needs with it. Each is validated before it goes into a request.
const (
	ExtraAWSAccessKeyID     = "aws_access_key_id"
	ExtraAWSSecretAccessKey = "aws_secret_access_key"
	ExtraAWSSessionToken    = "aws_session_token"
	ExtraTwilioAccountSID   = "twilio_account_sid"
	ExtraShopifyShop        = "shopify_shop"
)

// Input is what a Verifier's Request is built from.
type Input struct {
	// Base is "https://" + the verifier's Host (for GitHub, the configured
	// API URL), without a trailing slash.
	Base   string
	Secret string
	Extra  map[string]string
	Now    time.Time
}

// Verifier is one provider's read-only validity check: data, like a rule.
type Verifier struct {
	// RuleIDs are the scanner rules whose findings this verifier checks.
	RuleIDs []string
	// Provider names the provider; it keys the per-provider rate limit.
	Provider string
	// Host is the provider's fixed official API host. The request must go
	// to it (or, when Subdomain is set, to a one-label subdomain of it).
	Host string
	// Subdomain allows a single validated label in front of Host (Shopify's
	// <shop>.myshopify.com).
	Subdomain bool
	// GitHubAPI marks the verifier whose base is the configured GitHub API
	// URL instead of Host.
	GitHubAPI bool
	// Docs links the provider's documentation of the endpoint.
	Docs string
	// Request builds the one read-only request.
	Request func(in Input) (*http.Request, error)
	// Judge reads the provider's answer (any status the Checker did not
	// already classify: not 3xx, 429 or 5xx). Its reason is a fixed text.
	Judge func(status int, body []byte) (Status, string)
}

// newRequest builds a request with an optional body.
func newRequest(method, url string, body []byte) (*http.Request, error) {
	var r io.Reader = http.NoBody
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "pushguard-validity")
	return req, nil
}

// withHeader returns a Request that GETs path with one header set to
// prefix + secret.
func withHeader(path, header, prefix string) func(Input) (*http.Request, error) {
	return func(in Input) (*http.Request, error) {
		req, err := newRequest(http.MethodGet, in.Base+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set(header, prefix+in.Secret)
		return req, nil
	}
}

// bearerGET returns a Request that GETs path with "Authorization: Bearer".
func bearerGET(path string) func(Input) (*http.Request, error) {
	return withHeader(path, "Authorization", "Bearer ")
}

// basicGET returns a Request that GETs path with HTTP Basic auth, the
// secret as the password (user set) or as the user (user empty).
func basicGET(path, user string) func(Input) (*http.Request, error) {
	return func(in Input) (*http.Request, error) {
		req, err := newRequest(http.MethodGet, in.Base+path, nil)
		if err != nil {
			return nil, err
		}
		if user == "" {
			req.SetBasicAuth(in.Secret, "")
		} else {
			req.SetBasicAuth(user, in.Secret)
		}
		return req, nil
	}
}

// jsonField reports whether body is a JSON object with a non-null field.
func jsonField(body []byte, field string) bool {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return false
	}
	v, ok := m[field]
	return ok && string(v) != "null"
}

// Fixed reasons, shared by the judges.
const (
	reasonAccepted   = "accepted by the provider"
	reasonRejected   = "rejected by the provider (invalid, revoked or expired)"
	reasonForbidden  = "authenticated, but not allowed this read (the key is valid)"
	reasonUnexpected = "unexpected answer"
)

// judgeJSON is the common judge: a 200 whose JSON object has liveField is
// Live; a status in notLive is NotLive; anything else is Unknown.
func judgeJSON(liveField string, notLive ...int) func(int, []byte) (Status, string) {
	return func(status int, body []byte) (Status, string) {
		switch {
		case status == http.StatusOK && jsonField(body, liveField):
			return Live, reasonAccepted
		case containsInt(notLive, status):
			return NotLive, fmt.Sprintf("%s: HTTP %d", reasonRejected, status)
		default:
			return Unknown, fmt.Sprintf("%s: HTTP %d", reasonUnexpected, status)
		}
	}
}

// forbiddenIsLive wraps a judge for a provider that documents 403 as
// "authenticated, but this key may not make this call": the key is live.
func forbiddenIsLive(j func(int, []byte) (Status, string)) func(int, []byte) (Status, string) {
	return func(status int, body []byte) (Status, string) {
		if status == http.StatusForbidden {
			return Live, reasonForbidden
		}
		return j(status, body)
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
