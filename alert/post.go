package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one request to a receiver, answer included.
const DefaultTimeout = 10 * time.Second

// maxDrain is how much of an answer is read (and thrown away) so that the
// connection can be reused.
const maxDrain = 4 << 10

// Sender delivers an alert to one receiver.
type Sender interface {
	// Name names the receiver in logs and in Observer.OnResult ("slack").
	Name() string
	// Send delivers a once; an error says whether to retry (Retryable).
	Send(ctx context.Context, a Alert) error
}

// HTTPOptions tunes how a Sender reaches its receiver.
type HTTPOptions struct {
	// Timeout bounds one request; DefaultTimeout when zero.
	Timeout time.Duration
	// AllowHTTP accepts an http:// URL. For tests only: a receiver's URL
	// carries its credentials (Slack's) or its signed alerts in the clear.
	AllowHTTP bool
	// Transport sends the requests; http.DefaultTransport's clone when nil.
	Transport http.RoundTripper
}

// StatusError is a receiver's answer other than 2xx. Redirects are not
// followed: a 3xx is a StatusError too.
type StatusError struct {
	Sender     string
	Code       int
	RetryAfter time.Duration // from a Retry-After header in seconds, or 0
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d", e.Sender, e.Code)
}

// Retryable reports whether a failed Send may succeed if tried again: a
// network error, a timeout, 408, 429 and 5xx are; any other answer (a URL
// that is gone, a payload refused) is not.
func Retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusRequestTimeout || se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	return !errors.Is(err, context.Canceled)
}

// poster POSTs bodies to one receiver. Its URL is never in an error or a
// log: a Slack webhook URL is a credential.
type poster struct {
	name   string
	url    string
	client *http.Client
}

// newPoster checks rawURL (https, or http when allowed, with a host) and
// builds a client that follows no redirect and times out.
func newPoster(name, rawURL string, o HTTPOptions) (poster, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return poster{}, fmt.Errorf("%s URL does not parse", name)
	}
	if u.Scheme != "https" && !(o.AllowHTTP && u.Scheme == "http") {
		return poster{}, fmt.Errorf("%s URL must be https, not %q", name, u.Scheme)
	}
	if u.Host == "" {
		return poster{}, fmt.Errorf("%s URL has no host", name)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	transport := o.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return poster{name: name, url: u.String(), client: client}, nil
}

// post sends body with header; nil on a 2xx answer.
func (p poster) post(ctx context.Context, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: build request: %w", p.name, scrubURL(err))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: post: %w", p.name, scrubURL(err))
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	se := &StatusError{Sender: p.name, Code: resp.StatusCode}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		se.RetryAfter = time.Duration(s) * time.Second
	}
	return se
}

// scrubURL takes the URL out of net/http's errors, which quote it whole.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
