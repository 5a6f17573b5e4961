package validity

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// seen is one request as the fake received it.
type seen struct {
	Method, Host, Path, Body, Creds string
}

// fake is a local TLS server standing in for every provider. Its client
// dials it whatever the URL's host, so a request keeps its official host
// (in the URL, the Host header and TLS SNI) and the fake records it.
type fake struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []seen
	dials   []string
	handler http.HandlerFunc
	release chan struct{}
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{release: make(chan struct{})}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		close(f.release)
		f.srv.Close()
	})
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	creds := r.Header.Get("Authorization") + "|" + r.Header.Get("X-Api-Key") + "|" + r.Header.Get("Private-Token") +
		"|" + r.Header.Get("Dd-Api-Key") + "|" + r.Header.Get("X-Shopify-Access-Token")
	if u, p, ok := r.BasicAuth(); ok {
		creds += "|" + u + ":" + p
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{Method: r.Method, Host: r.Host, Path: r.URL.RequestURI(), Body: string(body), Creds: creds})
	h := f.handler
	f.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	h(w, r)
}

func (f *fake) set(h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handler, f.reqs, f.dials = h, nil, nil
}

func (f *fake) seen() ([]seen, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...), append([]string(nil), f.dials...)
}

// client is the test-only wiring: it dials the fake for any address and
// records the address asked for. Production leaves Options.HTTPClient nil.
func (f *fake) client() *http.Client {
	tr := f.srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.ServerName = "example.com" // the name in httptest's certificate
	tr.DisableKeepAlives = true
	addr := f.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, asked string) (net.Conn, error) {
		f.mu.Lock()
		f.dials = append(f.dials, asked)
		f.mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// answer replies with status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// hang answers only when the client gives up or the test ends.
func (f *fake) hang() http.HandlerFunc {
	return func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
	}
}

// testChecker builds a Checker on the fake, logging into buf.
func testChecker(t *testing.T, f *fake, buf *bytes.Buffer, mod func(*Options)) *Checker {
	t.Helper()
	opts := Options{
		HTTPClient:      f.client(),
		Timeout:         10 * time.Second,
		PerProviderRate: rate.Inf,
		CacheTTL:        -1,
		Logger:          slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// assertNoLeak fails when any of the values appears in text.
func assertNoLeak(t *testing.T, where, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		if v != "" && strings.Contains(text, v) {
			t.Errorf("%s contains a planted secret: %q", where, text)
		}
	}
}
