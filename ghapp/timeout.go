package ghapp

import (
	"context"
	"io"
	"net/http"
	"time"
)

// requestTimeout bounds one GitHub API request, answer body included.
const requestTimeout = 60 * time.Second

// timeoutTransport bounds each request with a context deadline that ends
// when the answer's body is read to its end or closed.
//
// It replaces http.Client.Timeout, whose timer stops only when the body the
// client handed out is closed. go-github reads an error answer's body and
// swaps in a copy, and closes only the copy: with Client.Timeout every 404
// kept goroutines alive until the timeout. Here reading to the end is
// enough, and the deadline is a context timer, not a goroutine.
type timeoutTransport struct {
	base    http.RoundTripper
	timeout time.Duration
}

func (t timeoutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnEnd{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnEnd releases a request's deadline once its body has been read to
// the end (or failed) or closed, whichever comes first.
type cancelOnEnd struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnEnd) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.cancel()
	}
	return n, err
}

func (b *cancelOnEnd) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
