package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server.
type Options struct {
	// Enterprise serves the API under /api/v3/ like GitHub Enterprise
	// Server. Requests outside that prefix are violations.
	Enterprise bool
	// AppID is the GitHub App's ID; 0 picks 4242.
	AppID int64
	// AppSlug is the App's slug; "" picks "pushguard". Comments made with an
	// installation token are authored by "<slug>[bot]".
	AppSlug string
	// MinLatency and MaxLatency, when MaxLatency is set, delay every API
	// answer by a random time between the two, as GitHub's own latency
	// (for load benchmarks).
	MinLatency, MaxLatency time.Duration
	// RevokePrefixes are the token prefixes POST /credentials/revoke
	// accepts; nil picks github.com's five, or with Enterprise the two that
	// GitHub Enterprise Server 3.19 documents (ghp_, github_pat_).
	RevokePrefixes []string
}

// defaultAppID and defaultAppSlug are used when Options leaves them unset.
const (
	defaultAppID   = 4242
	defaultAppSlug = "pushguard"
)

// Server is a fake GitHub REST API. Create it with New; it shuts down and
// reports violations when the test ends.
type Server struct {
	tb      testing.TB
	opts    Options
	http    *httptest.Server
	spec    *spec
	key     *rsa.PrivateKey
	keyPEM  []byte
	started time.Time
	// webhookSecret is the App's, handed out by the manifest conversion.
	webhookSecret string

	mu    sync.Mutex
	state state

	// gitCache keeps the answers of git commands that name objects by SHA.
	gitCache *gitCache

	// reqMu guards requests apart from mu: a request is logged as it is
	// answered, which handlers may do while holding mu.
	reqMu    sync.Mutex
	requests []RecordedRequest
}

// sharedSpec and sharedKey are computed once per test process and never
// change after: the parsed OpenAPI description and the App's RSA key are
// read-only, like a compiled regexp, and building them took most of every
// fake's start-up (a 2048-bit key and a full description per server).
var (
	sharedSpec = sync.OnceValues(loadSpec)
	sharedKey  = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })
)

// New starts a fake GitHub for the test. At cleanup it closes the server and
// calls tb.Errorf once per violation: a request that did not match GitHub's
// OpenAPI description, or an operation fakegithub does not implement.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.AppID == 0 {
		opts.AppID = defaultAppID
	}
	if opts.AppSlug == "" {
		opts.AppSlug = defaultAppSlug
	}
	sp, err := sharedSpec()
	if err != nil {
		tb.Fatalf("fakegithub: %v", err)
	}
	key, err := sharedKey()
	if err != nil {
		tb.Fatalf("fakegithub: generate app key: %v", err)
	}
	s := &Server{
		tb:       tb,
		opts:     opts,
		spec:     sp,
		key:      key,
		keyPEM:   pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		started:  time.Now(),
		state:    newState(),
		gitCache: newGitCache(),
	}
	s.webhookSecret = "fake-webhook-secret-" + newTokenValue()[4:]
	s.http = httptest.NewServer(s)
	tb.Cleanup(s.close)
	return s
}

// close stops the server and reports every violation to the test.
func (s *Server) close() {
	s.http.Close()
	for _, v := range s.Violations() {
		s.tb.Errorf("fakegithub: %s", v)
	}
}

// URL is the API base URL with a trailing slash: http://127.0.0.1:PORT/ or,
// with Options.Enterprise, http://127.0.0.1:PORT/api/v3/.
func (s *Server) URL() string {
	if s.opts.Enterprise {
		return s.http.URL + enterprisePrefix + "/"
	}
	return s.http.URL + "/"
}

// AppID is the GitHub App's ID, the issuer its JWTs must carry.
func (s *Server) AppID() int64 { return s.opts.AppID }

// PrivateKeyPEM is the App's RSA private key in PKCS#1 PEM form, as GitHub
// hands it out.
func (s *Server) PrivateKeyPEM() []byte { return append([]byte(nil), s.keyPEM...) }

// apiURL is the absolute URL of an API path such as "repos/o/r".
func (s *Server) apiURL(path string) string {
	return s.URL() + strings.TrimPrefix(path, "/")
}

// htmlURL is the web URL of a path, as html_url fields carry it.
func (s *Server) htmlURL(path string) string {
	return s.http.URL + "/" + strings.TrimPrefix(path, "/")
}
