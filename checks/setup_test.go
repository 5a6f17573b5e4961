package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// The unit tests of Client fake GitHub the way go-github's own tests do: an
// httptest server with a ServeMux on which each test registers the endpoints
// it expects, checks the request and writes a canned answer. They need no
// git, no App key and no OpenAPI description, so they run in milliseconds.
// Whether the bodies are shaped as GitHub's REST description says is checked
// by the end-to-end tests on internal/fakegithub (client_e2e_test.go).

// Owner and repository of the unit tests.
const (
	muxOwner = "o"
	muxRepo  = "r"
)

// baseURLPath is a non-empty path in front of the API, as on GitHub
// Enterprise Server, so a request built from an absolute path ("/repos/...")
// rather than one relative to BaseURL misses the mux and fails the test.
const baseURLPath = "/api-v3"

// setup starts an httptest server and returns a Client for o/r pointed at
// it, and the mux the test registers its endpoints on. A request to an
// endpoint the test did not register fails the test. The server stops with
// the test.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	})
	api := http.NewServeMux()
	api.Handle(baseURLPath+"/", http.StripPrefix(baseURLPath, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request %s %s is not under BaseURL %s/: an absolute path?", r.Method, r.URL, baseURLPath)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	gh := github.NewClient(srv.Client())
	u, err := url.Parse(srv.URL + baseURLPath + "/") // go-github wants the trailing slash
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL, gh.UploadURL = u, u
	return NewClient(gh, muxOwner, muxRepo), mux
}

// testCtx is a context that ends with the test.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// testMethod fails the test unless r uses method want.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.Method; got != want {
		t.Errorf("request method %s, want %s", got, want)
	}
}

// testQuery fails the test unless r's query is exactly want.
func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("query %v, want %v", got, want)
	}
}

// decodeBody decodes r's JSON body into v, failing the test when it is not
// JSON of that shape (an unknown field included), and returns the body's
// top-level keys, to check which fields are sent at all.
func decodeBody(t *testing.T, r *http.Request, v any) map[string]json.RawMessage {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("read request body: %v", err)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Errorf("request body %.200s: %v", b, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Errorf("request body %.200s is not a JSON object: %v", b, err)
	}
	return keys
}

// writeJSON answers with status and v as JSON.
func writeJSON(t *testing.T, w http.ResponseWriter, status int, v any) {
	t.Helper()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		t.Errorf("write response: %v", err)
	}
}
